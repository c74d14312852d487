from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.addons import decimal_precision as dp

from ..workflow_context import workflow_sudo

# What a used part recorded: stock moves, genealogy, cost.
USED_PART_FIELDS = ('ticket_id', 'product_id', 'lot_id', 'quantity',
                    'location_id', 'removed_lot_id', 'unit_cost', 'move_id',
                    'return_move_id', 'link_id', 'state')


class MeddevServiceTicketPart(models.Model):
    """A spare part used on a ticket: the new lot taken from the van (or
    a warehouse) to the customer's site, the old lot sent back to the
    returned-parts location, and the swap in the serial's genealogy."""

    _name = 'meddev.service.ticket.part'
    _inherit = ['meddev.guarded.mixin']
    _description = 'Service Part'
    _order = 'ticket_id, id'
    # Set by _use() (stock moves, genealogy) and closing (billed) only.
    _meddev_guarded_fields = ('state', 'move_id', 'return_move_id',
                              'link_id', 'billed')

    ticket_id = fields.Many2one(
        'meddev.service.ticket', required=True, ondelete='cascade',
        index=True)
    product_id = fields.Many2one(
        'product.product', string='Part', required=True,
        domain=[('type', '=', 'product')])
    # The lots fitted and removed are the device's genealogy evidence:
    # their deletion is refused, not emptied on the kept ticket.
    lot_id = fields.Many2one(
        'stock.production.lot', string='New Lot/Serial', ondelete='restrict',
        domain="[('product_id', '=', product_id)]")
    quantity = fields.Float(
        default=1.0, required=True,
        digits=dp.get_precision('Product Unit of Measure'))
    location_id = fields.Many2one(
        'stock.location', string='Taken From',
        domain=[('usage', '=', 'internal')],
        help="The engineer's van or a warehouse location.")
    removed_lot_id = fields.Many2one(
        'stock.production.lot', string='Removed Lot/Serial',
        ondelete='restrict',
        domain="[('product_id', '=', product_id)]",
        help="The part taken out of the equipment; it goes to the "
             "returned-parts location.")
    unit_cost = fields.Float(
        digits=dp.get_precision('Product Price'),
        help="The part's cost when used.")
    move_id = fields.Many2one('stock.move', readonly=True, copy=False)
    return_move_id = fields.Many2one(
        'stock.move', readonly=True, copy=False)
    link_id = fields.Many2one('meddev.lot.link', readonly=True, copy=False)
    state = fields.Selection([
        ('draft', 'To Use'),
        ('done', 'Used'),
    ], default='draft', required=True, readonly=True, copy=False)
    billed = fields.Boolean(
        readonly=True, copy=False,
        help="On the customer's sale order already.")
    company_id = fields.Many2one(
        related='ticket_id.company_id', store=True, readonly=True)

    @api.onchange('product_id')
    def _onchange_product_id(self):
        self.unit_cost = self.product_id.standard_price

    @api.model
    def create(self, vals):
        # A line is born a draft: "used" comes with its stock moves.
        self = self._meddev_check_guarded(vals, create=True)
        part = super(MeddevServiceTicketPart, self).create(vals)
        part._check_not_recalled()
        if not part.unit_cost:
            part.unit_cost = part.product_id.standard_price
        return part

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        # A used part is a stock move and a genealogy link already done:
        # only _use() writes these fields, while the line is still a draft.
        if set(vals) & set(USED_PART_FIELDS):
            used = self.filtered(lambda part: part.state == 'done')
            if used:
                raise UserError(
                    _('The part %(part)s of the ticket %(ticket)s was '
                      'already used: it cannot be changed; add a new line '
                      'instead.') % {
                        'part': used[0].product_id.display_name,
                        'ticket': used[0].ticket_id.name})
        result = super(MeddevServiceTicketPart, self).write(vals)
        if 'lot_id' in vals:
            self._check_not_recalled()
        return result

    @api.multi
    def unlink(self):
        used = self.filtered(lambda part: part.state == 'done')
        if used:
            raise UserError(
                _('The part %(part)s of the ticket %(ticket)s was already '
                  'used (stock moved, genealogy recorded): it cannot be '
                  'deleted.') % {
                    'part': used[0].product_id.display_name,
                    'ticket': used[0].ticket_id.name})
        return super(MeddevServiceTicketPart, self).unlink()

    def _check_not_recalled(self):
        """Refuse a part whose lot an open recall quarantines, naming the
        recall."""
        lots = self.mapped('lot_id')
        if lots:
            self.env['meddev.recall']._check_lots_not_recalled(
                lots, _('Service part'))

    def _source_location(self):
        self.ensure_one()
        location = self.location_id
        if not location:
            vans = self.ticket_id.engineer_ids.mapped('van_location_id')
            location = vans[:1] or self.ticket_id.team_id. \
                warehouse_location_id
        if not location:
            raise UserError(
                _('Ticket %(ticket)s: say where the part %(part)s comes '
                  'from (no van or team warehouse).') % {
                    'ticket': self.ticket_id.name,
                    'part': self.product_id.display_name})
        return location

    def _check_source_location(self, source):
        """Parts come from the vans of the ticket's crew or responsible,
        or the team's warehouse (or their sub-locations); from elsewhere
        only for a user with stock rights, in one of that user's
        companies (the moves are made under sudo)."""
        user = self.env.user
        # Read for the engineer, who holds no stock rights.
        company = source.sudo().company_id
        if user.has_group('stock.group_stock_user') and (
                not company or company in user.company_ids):
            return
        ticket = self.ticket_id.sudo()
        crew = ticket.engineer_ids
        if ticket.user_id:
            crew |= self.env['meddev.service.engineer'].sudo().search(
                [('user_id', '=', ticket.user_id.id)])
        allowed = crew.mapped('van_location_id') | \
            ticket.team_id.warehouse_location_id
        if allowed and self.env['stock.location'].sudo().search_count([
                ('id', '=', source.id), ('id', 'child_of', allowed.ids)]):
            return
        raise UserError(
            _('Ticket %(ticket)s: the part %(part)s cannot be taken from '
              '%(location)s: use the van of an engineer of the ticket or '
              'the team\'s parts warehouse (other locations need stock '
              'rights).') % {
                'ticket': self.ticket_id.name,
                'part': self.product_id.display_name,
                'location': source.sudo().display_name})

    def _check_removed_lot(self):
        """The removed lot is a component of the ticket's serial in its
        genealogy: it is what the return move sends back and what the
        swap takes out."""
        if not self.removed_lot_id:
            return
        serial = self.ticket_id.lot_id
        components = [row['lot_id'] for row in
                      serial.sudo().trace_backward()] if serial else []
        if self.removed_lot_id.id not in components:
            raise UserError(
                _('Ticket %(ticket)s: the removed lot %(lot)s is not a '
                  'component of the serial %(serial)s in its genealogy: '
                  'record the part actually taken out.') % {
                    'ticket': self.ticket_id.name,
                    'lot': self.removed_lot_id.name,
                    'serial': serial.name or '-'})

    @api.multi
    def action_use(self):
        """Consume the parts: stock moves with their lots, and the swap
        in the equipment's genealogy."""
        for part in self.filtered(lambda p: p.state == 'draft'):
            part._use()
        return True

    def _use(self):
        self.ensure_one()
        ticket = self.ticket_id
        if ticket.is_closed:
            raise UserError(
                _('The ticket %(ticket)s is closed: no more parts.') % {
                    'ticket': ticket.name})
        # Using a part is work on the ticket: the user may edit it (team
        # rule), its triage is answered and no credit hold stops it.
        ticket._check_may_edit()
        if ticket.ticket_type == 'consultation':
            raise UserError(
                _('Ticket %(ticket)s is a consultation (free advice): it '
                  'takes no parts. Ask a dispatcher to make it a repair, an '
                  'installation, an inspection or a maintenance first.') % {
                    'ticket': ticket.name})
        ticket._check_work_may_start()
        self._check_not_recalled()
        tracked = self.product_id.tracking != 'none'
        if tracked and not self.lot_id:
            raise UserError(
                _('Ticket %(ticket)s: choose the lot of %(part)s.') % {
                    'ticket': ticket.name,
                    'part': self.product_id.display_name})
        source = self._source_location()
        self._check_source_location(source)
        self._check_removed_lot()
        # Stock and genealogy are recorded for the engineer, who holds no
        # warehouse or recall rights: what moves is exactly this line.
        stock = self.env['stock.quant'].sudo()
        available = stock._get_available_quantity(
            self.product_id, source, lot_id=self.lot_id or None,
            strict=True)
        if available < self.quantity:
            raise UserError(
                _('Ticket %(ticket)s: only %(available)s of %(part)s '
                  '%(lot)s in %(location)s.') % {
                    'ticket': ticket.name, 'available': available,
                    'part': self.product_id.display_name,
                    'lot': self.lot_id.name or '',
                    'location': source.display_name})
        customers = self.env.ref('stock.stock_location_customers')
        move = self._move(source, customers, self.lot_id)
        # The cost is the product's when used, not a figure typed in.
        vals = {'move_id': move.id, 'location_id': source.id,
                'state': 'done',
                'unit_cost': self.product_id.standard_price}
        if self.removed_lot_id:
            returned = self.env.ref(
                'meddev_service.stock_location_returned_parts')
            vals['return_move_id'] = self._move(
                customers, returned, self.removed_lot_id).id
        vals.update(self._record_swap())
        self._meddev_as_server().write(vals)
        ticket.message_post(
            body=_('Part used: %(qty)s x %(part)s %(lot)s%(removed)s.') % {
                'qty': self.quantity, 'part': self.product_id.display_name,
                'lot': self.lot_id.name or '',
                'removed': self.removed_lot_id and _(
                    ', replacing %s') % self.removed_lot_id.name or ''},
            subtype='mail.mt_note')

    def _move(self, source, destination, lot):
        """Create and validate one stock move of this part's quantity."""
        # Stock is moved for the engineer, from the module's values only.
        move = workflow_sudo(self.env['stock.move']).create({
            'name': '%s: %s' % (self.ticket_id.name,
                                self.product_id.display_name),
            'product_id': self.product_id.id,
            'product_uom': self.product_id.uom_id.id,
            'product_uom_qty': self.quantity,
            'location_id': source.id,
            'location_dest_id': destination.id,
            'partner_id': (self.ticket_id.site_id
                           or self.ticket_id.partner_id).id,
            'origin': self.ticket_id.name,
            'company_id': self.ticket_id.company_id.id,
        })
        move._action_confirm()
        workflow_sudo(self.env['stock.move.line']).create({
            'move_id': move.id,
            'product_id': self.product_id.id,
            'product_uom_id': self.product_id.uom_id.id,
            'lot_id': lot.id or False,
            'qty_done': self.quantity,
            'location_id': source.id,
            'location_dest_id': destination.id,
        })
        move._action_done()
        return move

    def _record_swap(self):
        """Record the swap in the genealogy of the ticket's serial: the
        old lot leaves its direct parent, the new lot goes in there (or
        into the serial itself)."""
        ticket = self.ticket_id
        serial = ticket.lot_id
        if not serial or not self.lot_id:
            return {}
        links = workflow_sudo(self.env['meddev.lot.link'])
        parent = serial
        if self.removed_lot_id:
            rows = serial.sudo().trace_backward()
            via = [row['via_lot_id'] for row in rows
                   if row['lot_id'] == self.removed_lot_id.id]
            if via:
                parent = self.env['stock.production.lot'].browse(via[0])
                links.remove_link(parent, self.removed_lot_id,
                                  source=ticket.name)
        link = links.add_link(parent, self.lot_id, quantity=self.quantity,
                              origin='service', source=ticket.name)
        return {'link_id': link.id}
