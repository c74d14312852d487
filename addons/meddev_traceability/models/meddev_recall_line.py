from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError
from odoo.tools import html_escape

# What a recall manager records by hand on an open recall's line (each
# change posted on the recall); the other fields are the workflow's.
MANUAL_FIELDS = frozenset(('notice_sent_date', 'acknowledged_date',
                           'quantity_returned'))


class MeddevRecallLine(models.Model):
    """One delivery of an affected lot to one customer, and the notice,
    acknowledgement and return that close it."""

    _name = 'meddev.recall.line'
    _description = 'Recall Customer Line'
    # Regulated: who was told what and when, never deleted.
    _inherit = ['meddev.regulated.mixin', 'meddev.guarded.mixin']
    # What the launch, the notices, the daily check and the return button
    # record (readonly in the views is no protection over XML-RPC): by
    # hand only the notice date, the acknowledgement and the quantity
    # returned, on an open recall, and on its chatter.
    _meddev_guarded_fields = (
        'recall_id', 'partner_id', 'shipping_partner_id', 'lot_id',
        'product_id', 'picking_id', 'delivery_date', 'quantity_shipped',
        'quantity_at_customer', 'notice_status', 'notice_mail_id', 'overdue',
        'return_picking_id', 'state', 'notice_deadline', 'company_id')
    _order = 'recall_id, partner_id, lot_id, id'

    recall_id = fields.Many2one(
        'meddev.recall', required=True, index=True, ondelete='cascade')
    recall_state = fields.Selection(
        related='recall_id.state', string='Recall Status', readonly=True)
    # Restrict, not Odoo's 'set null': deleting a partner, delivery or
    # product must not erase who received a recalled lot (res.partner's
    # unlink says so first, naming the recall).
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True, readonly=True,
        ondelete='restrict',
        help="The customer (commercial partner) that received the lot: "
             "the sale order's customer, also on dropship.")
    shipping_partner_id = fields.Many2one(
        'res.partner', string='Delivered To', readonly=True,
        ondelete='restrict',
        help="The address the delivery went to.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot/Serial', required=True,
        index=True, readonly=True, ondelete='restrict')
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True,
        ondelete='restrict')
    picking_id = fields.Many2one(
        'stock.picking', string='Delivery', readonly=True,
        ondelete='restrict')
    delivery_date = fields.Datetime(readonly=True)
    quantity_shipped = fields.Float(
        readonly=True, digits=dp.get_precision('Product Unit of Measure'))
    quantity_at_customer = fields.Float(
        readonly=True, digits=dp.get_precision('Product Unit of Measure'),
        help="What the customer still held at launch: the quantity "
             "shipped less what it had returned of this lot before the "
             "recall.")
    notice_sent_date = fields.Datetime(
        string='Notice Sent',
        help="When the notice left: the mail was handed to the mail "
             "server, or the notice was given another way.")
    notice_status = fields.Selection([
        ('queued', 'Queued'),
        ('sent', 'Sent'),
        ('exception', 'Delivery Failed'),
        ('bounced', 'Bounced'),
        ('no_email', 'No Email Address'),
    ], readonly=True, copy=False, index=True,
        help="Where the notice mail stands. Failed, bounced and missing "
             "addresses leave the customer unnotified: correct the address "
             "and send the notices again.")
    # Set null on purpose: only a draft or cancelled return can be deleted
    # (a done one cannot), and the Return button makes a new one.
    return_picking_id = fields.Many2one(
        'stock.picking', string='Return', readonly=True, copy=False,
        ondelete='set null',
        help="The return of this delivery created from the recall; its "
             "validation records the quantity returned.")
    notice_mail_id = fields.Many2one(
        'mail.mail', string='Notice Mail', readonly=True,
        ondelete='set null')
    acknowledged_date = fields.Datetime(string='Acknowledged')
    quantity_returned = fields.Float(
        string='Returned or Corrected',
        digits=dp.get_precision('Product Unit of Measure'),
        help="Units the customer returned after the launch (any return of "
             "the lot from that customer) or had corrected on site.")
    notice_deadline = fields.Date(
        related='recall_id.notice_deadline', store=True, readonly=True)
    overdue = fields.Boolean(
        readonly=True, index=True,
        help="Set by the daily check when the notice was not sent by the "
             "deadline of the recall's level.")
    state = fields.Selection([
        ('to_notify', 'To Notify'),
        ('notified', 'Notified'),
        ('acknowledged', 'Acknowledged'),
        ('done', 'Returned'),
    ], compute='_compute_state', store=True, index=True)
    company_id = fields.Many2one(
        related='recall_id.company_id', store=True, readonly=True)

    _sql_constraints = [
        ('quantity_returned_positive', 'CHECK (quantity_returned >= 0)',
         'The returned quantity of a recall line cannot be negative.'),
    ]

    @api.depends('notice_sent_date', 'acknowledged_date',
                 'quantity_returned', 'quantity_at_customer')
    def _compute_state(self):
        for line in self:
            line.state = line._state_of(
                line.quantity_returned, line.quantity_at_customer,
                line.acknowledged_date, line.notice_sent_date)

    @staticmethod
    def _state_of(returned, at_customer, acknowledged, sent):
        # Nothing left at the customer: nothing to recall there.
        if (returned or 0.0) >= (at_customer or 0.0):
            return 'done'
        if acknowledged:
            return 'acknowledged'
        if sent:
            return 'notified'
        return 'to_notify'

    @api.model
    def create(self, vals):
        """Lines are recorded by the recall's launch and re-trace (one
        per delivery the trace reaches), never by hand: a line created
        over XML-RPC would add a customer, lot or delivery the trace did
        not find, or change a recall that is not open. The superuser's
        own creates (data files, migrations) pass."""
        self.check_access_rights('create')
        if not self.env.user._is_superuser() and \
                not self._meddev_is_server():
            recall = self.env['meddev.recall'].browse(vals.get('recall_id'))
            raise UserError(
                _('Customer lines of the recall %(name)s are recorded by its '
                  'launch and re-trace; they are not created by hand.') % {
                    'name': recall.exists().name or '-'})
        return super(MeddevRecallLine, self).create(vals)

    @api.multi
    def write(self, vals):
        """The workflow's fields are the server's (see
        ``_meddev_guarded_fields``); a user changes nothing on a recall that
        is not open, and their changes are posted on the recall."""
        self._meddev_check_guarded(vals)
        server = self._meddev_is_server()
        if not server or MANUAL_FIELDS.intersection(vals):
            for line in self:
                if line.recall_id.state != 'open':
                    raise UserError(
                        _('The recall %(name)s is not open: its lines '
                          'cannot change.') % {'name': line.recall_id.name})
        before = {} if server else self._manual_values(vals)
        result = super(MeddevRecallLine, self).write(vals)
        if before:
            self._post_manual_changes(before)
        return result

    def _manual_values(self, vals):
        """Return {line: {field: value before}} of the manual fields that
        ``vals`` changes."""
        names = [name for name in MANUAL_FIELDS if name in vals]
        before = {}
        for line in self:
            changed = dict((name, line[name]) for name in names
                           if line[name] != vals[name]
                           and (line[name] or vals[name]))
            if changed:
                before[line] = changed
        return before

    def _post_manual_changes(self, before):
        """Post on each recall the manual changes of its lines (the line
        has no chatter of its own): who changed what, from what to what."""
        author = self.env.user.partner_id
        for line, changed in before.items():
            changes = '; '.join(
                '%s: %s → %s' % (
                    self._fields[name]._description_string(self.env),
                    old or '-', line[name] or '-')
                for name, old in sorted(changed.items()))
            # Sudo: a warehouse user recording a return may not post on the
            # recall; the message names them as its author.
            line.recall_id.sudo().message_post(
                body=html_escape(_(
                    'Customer line %(customer)s, %(lot)s changed by hand: '
                    '%(changes)s.') % {
                        'customer': line.partner_id.display_name,
                        'lot': line.lot_id.name, 'changes': changes}),
                author_id=author.id)

    @api.model
    def _insert_lines(self, recall, deliveries):
        """Add to ``recall`` one line per delivery row (see
        meddev.lot.link._deliveries) not listed yet (same lot, delivery
        and customer), in one INSERT; return how many were added. Lines
        already there are left as they are."""
        self.env.cr.execute("""
            SELECT lot_id, picking_id, partner_id
              FROM meddev_recall_line WHERE recall_id = %s
        """, [recall.id])
        known = set(self.env.cr.fetchall())
        rows = [row for row in deliveries if (
            row['lot_id'], row['picking_id'], row['customer_id'])
            not in known]
        if not rows:
            return 0
        at_customer = [max(row['quantity'] - (row.get('returned') or 0.0),
                           0.0) for row in rows]
        # One INSERT whatever the number of deliveries; the stored
        # computes (state, deadline, company) are written with it.
        self.env.cr.execute("""
            INSERT INTO meddev_recall_line (
                recall_id, partner_id, shipping_partner_id, lot_id,
                product_id, picking_id, delivery_date, quantity_shipped,
                quantity_at_customer, quantity_returned, overdue, state,
                notice_deadline, company_id,
                create_uid, create_date, write_uid, write_date)
            SELECT %(recall)s, r.customer_id, r.partner_id, r.lot_id,
                   r.product_id, r.picking_id, r.date, r.quantity,
                   r.at_customer, 0, FALSE,
                   CASE WHEN r.at_customer <= 0 THEN 'done'
                        ELSE 'to_notify' END,
                   %(deadline)s, %(company)s,
                   %(uid)s, now() at time zone 'UTC',
                   %(uid)s, now() at time zone 'UTC'
              FROM unnest(%(customer)s::int[], %(partner)s::int[],
                          %(lot)s::int[], %(product)s::int[],
                          %(picking)s::int[], %(date)s::timestamp[],
                          %(quantity)s::numeric[], %(at_customer)s::numeric[])
                   AS r(customer_id, partner_id, lot_id, product_id,
                        picking_id, date, quantity, at_customer)
        """, {
            'recall': recall.id, 'uid': self.env.uid,
            'deadline': recall.notice_deadline or None,
            'company': recall.company_id.id,
            'customer': [row['customer_id'] for row in rows],
            'partner': [row['partner_id'] for row in rows],
            'lot': [row['lot_id'] for row in rows],
            'product': [row['product_id'] for row in rows],
            'picking': [row['picking_id'] for row in rows],
            'date': [row['date'] for row in rows],
            'quantity': [row['quantity'] for row in rows],
            'at_customer': at_customer,
        })
        self.invalidate_cache()
        return len(rows)

    def _notice_pending(self):
        """Tell whether this line still needs its notice sent (not sent,
        not on its way, something left at the customer)."""
        self.ensure_one()
        return (not self.notice_sent_date and self.state != 'done'
                and self.notice_status != 'queued')

    def _shipping_address_text(self):
        """The delivery address of this line on one line of text."""
        self.ensure_one()
        partner = self.shipping_partner_id or self.partner_id
        address = partner._display_address(without_company=True)
        return ', '.join(part.strip() for part in
                         [partner.display_name] + address.split('\n')
                         if part.strip())

    def _set_notice_status(self, status):
        """Record where the notice mail of these lines stands: 'sent' (the
        mail left: notified now), 'exception' or 'bounced' (not
        notified)."""
        vals = {'notice_status': status}
        if status == 'sent':
            vals['notice_sent_date'] = fields.Datetime.now()
            vals['overdue'] = False
        else:
            vals['notice_sent_date'] = False
        lines = self.filtered(lambda line: line.recall_id.state == 'open')
        lines._meddev_as_server().write(vals)
        (self - lines)._meddev_as_server().write({'notice_status': status})

    @api.multi
    def action_mark_notified(self):
        """Record that the notice went out to these customers now (given
        by phone, letter or visit)."""
        lines = self.filtered(lambda line: not line.notice_sent_date)
        lines.write({'notice_sent_date': fields.Datetime.now()})
        # The daily check's flag goes with it (a guarded field).
        lines._meddev_as_server().write({'overdue': False})
        return True

    @api.multi
    def action_mark_acknowledged(self):
        """Record the customers' acknowledgement of the notice now."""
        now = fields.Datetime.now()
        for line in self:
            if not line.notice_sent_date:
                raise UserError(
                    _('No notice was sent to %(customer)s for %(lot)s: it '
                      'cannot be acknowledged yet.') % {
                        'customer': line.partner_id.display_name,
                        'lot': line.lot_id.name})
        self.filtered(lambda line: not line.acknowledged_date).write({
            'acknowledged_date': now})
        return True

    @api.multi
    def action_create_return(self):
        """Create the return of the recalled lot from this delivery, into
        the recall quarantine location, and open it; validating it
        records the quantity returned."""
        self.ensure_one()
        self.check_access_rights('write')
        self.check_access_rule('write')
        if self.recall_id.state != 'open':
            raise UserError(
                _('The recall %(name)s is not open: no return can be '
                  'created.') % {'name': self.recall_id.name})
        if not self.return_picking_id or \
                self.return_picking_id.state == 'cancel':
            # A recall manager may start the return of a recalled
            # delivery without warehouse rights; the warehouse validates it.
            self._meddev_as_server().write({
                'return_picking_id': self.sudo()._create_return_picking().id})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'stock.picking',
            'res_id': self.return_picking_id.id,
            'view_mode': 'form',
        }

    def _create_return_picking(self):
        """Return a new return picking for what is still out of this
        line's delivery, into the recall quarantine location, built with
        Odoo's return wizard."""
        quantity = self.quantity_at_customer - self.quantity_returned
        if not self.picking_id or quantity <= 0:
            raise UserError(
                _('Nothing is left to return for %(lot)s at '
                  '%(customer)s.') % {
                    'lot': self.lot_id.name,
                    'customer': self.partner_id.display_name})
        quarantine = self.env['stock.location']._recall_quarantine_location(
            self.recall_id.company_id)
        wizard = self.env['stock.return.picking'].with_context(
            active_id=self.picking_id.id, active_ids=self.picking_id.ids,
            active_model='stock.picking').create({})
        wizard.location_id = quarantine
        keep = wizard.product_return_moves.filtered(
            lambda line: line.product_id == self.product_id)[:1]
        (wizard.product_return_moves - keep).unlink()
        keep.quantity = quantity
        picking_id = wizard._create_returns()[0]
        return self.env['stock.picking'].browse(picking_id)

    @api.model
    def _record_returns(self, move_lines, quantities=None, date=None):
        """Add the lots returned by the done ``move_lines`` (from a
        customer) to the lines of open recalls launched before: any return
        of the lot by that customer counts (the recall's own return, its
        backorders, an ordinary return), set against the customer's lines
        of the lot, the line whose return it is first, then oldest
        delivery first, never above what the customer held.

        ``quantities`` ({move line id: quantity in its unit}) and ``date``
        give what an edit of a done line brought back, and when; by default
        a line returns its done quantity on its own date. Return the
        [(recall line, move line, quantity counted)] recorded."""
        counted = []
        for move_line in move_lines:
            returned = (quantities or {}).get(move_line.id,
                                              move_line.qty_done)
            if returned <= 0:
                continue
            picking = move_line.picking_id
            partner = picking.partner_id or move_line.move_id.partner_id
            customer = partner.commercial_partner_id
            candidates = self.search([
                ('recall_id.state', '=', 'open'),
                ('recall_id.launch_date', '<=', date or move_line.date),
                ('lot_id', '=', move_line.lot_id.id),
                ('state', '!=', 'done')])
            origin = picking
            while origin.backorder_id:
                origin = origin.backorder_id
            own = candidates.filtered(
                lambda line: line.return_picking_id == origin)
            if not own:
                if not customer:
                    continue
                candidates = candidates.filtered(
                    lambda line: line.partner_id == customer)
            ordered = own + (candidates - own).sorted(
                lambda line: (line.delivery_date or '', line.id))
            remaining = move_line.product_uom_id._compute_quantity(
                returned, move_line.product_id.uom_id)
            for line in ordered:
                if remaining <= 0:
                    break
                room = line.quantity_at_customer - line.quantity_returned
                taken = min(room, remaining)
                if taken > 0:
                    # Recorded from the return itself, not by hand.
                    line._meddev_as_server().write({
                        'quantity_returned': line.quantity_returned + taken})
                    remaining -= taken
                    counted.append((line, move_line, taken))
        return counted
