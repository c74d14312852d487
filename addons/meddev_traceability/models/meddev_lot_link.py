from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.addons import decimal_precision as dp


class MeddevLotLink(models.Model):
    """One edge of the lot genealogy: a child lot went into a parent lot.

    Manufacturing, service part swaps, manual entries and imports all record
    their links here, so that a recall can trace down from a finished serial
    to its components and up from a component lot to every finished serial.
    """

    _name = 'meddev.lot.link'
    _inherit = ['meddev.guarded.mixin', 'meddev.regulated.mixin']
    _description = 'Lot Genealogy Link'
    _order = 'date desc, id desc'

    # The removal stamp and the manufacturing order: written by
    # remove_link, _retire and the production hook only.
    _meddev_guarded_fields = ('date_removed', 'removed_ref',
                              'removal_reason', 'removed_uid',
                              'production_id')
    # What a link says: a wrong link is retired with a reason and the right
    # one recorded, never rewritten (a rewrite would change what a recall
    # reaches, with no trace of the change).
    _meddev_link_facts = ('parent_lot_id', 'child_lot_id', 'quantity',
                          'date', 'origin', 'origin_ref', 'company_id')

    parent_lot_id = fields.Many2one(
        'stock.production.lot', string='Parent Lot/Serial', required=True,
        index=True, ondelete='restrict',
        help="The lot or serial number that was made from, or now contains, "
             "the component lot.")
    parent_product_id = fields.Many2one(
        related='parent_lot_id.product_id', string='Parent Product',
        readonly=True)
    child_lot_id = fields.Many2one(
        'stock.production.lot', string='Component Lot/Serial', required=True,
        index=True, ondelete='restrict')
    child_product_id = fields.Many2one(
        related='child_lot_id.product_id', string='Component Product',
        readonly=True)
    quantity = fields.Float(
        required=True, default=1.0,
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the component lot, in its product's unit of "
             "measure, that went into the parent.")
    origin = fields.Selection([
        ('manufacturing', 'Manufacturing'),
        ('service', 'Service'),
        ('manual', 'Manual'),
        ('import', 'Import'),
    ], required=True, default='manual', index=True,
        help="What recorded the link: a manufacturing order, a part swap "
             "during service, a user, or a data import.")
    origin_ref = fields.Char(
        string='Source Document',
        help="Reference of the document that recorded the link, e.g. a "
             "manufacturing order or a service ticket.")
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        ondelete='restrict',
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.lot.link'))

    production_id = fields.Many2one(
        'mrp.production', string='Manufacturing Order', index=True,
        readonly=True, ondelete='restrict',
        help="The manufacturing order that recorded this link, if any.")

    date_removed = fields.Datetime(
        string='Removed On', index=True, readonly=True,
        help="When the component was taken out of the parent (a part "
             "swapped in service). Removed links stay as history but no "
             "longer count in traces and recalls.")
    removed_ref = fields.Char(
        string='Removed By', readonly=True,
        help="Reference of the document that took the component out.")
    removal_reason = fields.Text(
        readonly=True,
        help="Why the link was retired: a part swap, or a wrong link "
             "corrected by a recall manager.")
    removed_uid = fields.Many2one(
        'res.users', string='Retired By', readonly=True)
    state = fields.Selection([
        ('current', 'Current'),
        ('removed', 'Retired'),
    ], compute='_compute_state',
        help="Retired links stay as history; traces and recalls no longer "
             "go through them.")

    _sql_constraints = [
        ('parent_child_different', 'CHECK (parent_lot_id != child_lot_id)',
         'A lot or serial number cannot be a component of itself.'),
        ('quantity_positive', 'CHECK (quantity > 0)',
         'The quantity of a lot link must be positive.'),
    ]

    @api.model
    def create(self, vals):
        """Refuse a removal stamp or an order set by the caller."""
        self = self._meddev_check_guarded(vals, create=True)
        return super(MeddevLotLink, self).create(vals)

    @api.multi
    def write(self, vals):
        """Refuse the removal stamp and the link's facts from the caller:
        a wrong link is retired (with a reason) and the right one added."""
        # Who may not write at all hears so first.
        self.check_access_rights('write')
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            changed = set()
            for name in self._meddev_link_facts:
                if name not in vals:
                    continue
                field = self._fields[name]
                for link in self:
                    if field.convert_to_write(link[name], link) \
                            != vals[name]:
                        changed.add(field._description_string(self.env))
            if changed:
                raise UserError(
                    _('%(links)s: a lot link is not edited (%(fields)s). '
                      'Retire it with a reason and record the right '
                      'link.') % {
                          'links': ', '.join(
                              self[:5].mapped('display_name')),
                          'fields': ', '.join(sorted(changed))})
        return super(MeddevLotLink, self).write(vals)

    @api.model
    def _meddev_keep_hint(self):
        return _('Retire the link with a reason instead: it stays as '
                 'history.')

    @api.depends('date_removed')
    def _compute_state(self):
        for link in self:
            link.state = 'removed' if link.date_removed else 'current'

    @api.constrains('parent_lot_id', 'child_lot_id', 'date_removed')
    def _check_no_cycle(self):
        """Refuse a link, however recorded, that closes a cycle. No context
        key skips it: a client sets the context it likes over RPC."""
        for link in self.filtered(lambda link: not link.date_removed):
            if self._contains(link.child_lot_id, link.parent_lot_id):
                raise ValidationError(self._cycle_message(
                    link.parent_lot_id, link.child_lot_id))

    @api.model
    def _cycle_message(self, parent_lot, child_lot):
        return _('%(parent)s cannot contain %(child)s: %(child)s already '
                 'contains %(parent)s.') % {
                     'parent': parent_lot.display_name,
                     'child': child_lot.display_name}

    @api.multi
    def name_get(self):
        """Name a link after its two lots: parent > component."""
        return [
            (link.id, '%s > %s' % (link.parent_lot_id.name,
                                   link.child_lot_id.name))
            for link in self
        ]

    @api.model
    def add_link(self, parent_lot, child_lot, quantity=1.0,
                 origin='manual', source=False, date=False, **extra):
        """Record that ``quantity`` of ``child_lot`` went into
        ``parent_lot`` and return the new link.

        The public way for other modules to extend the genealogy (the
        service module records part swaps with origin 'service' and the
        ticket as ``source``). ``extra`` holds further field values. A link
        that would close a cycle (the parent already inside the component)
        is refused with a UserError. Runs with the caller's rights.
        """
        parent_lot.ensure_one()
        child_lot.ensure_one()
        if parent_lot == child_lot:
            raise UserError(
                _('The lot %(lot)s cannot be a component of itself.')
                % {'lot': parent_lot.display_name})
        if self._contains(child_lot, parent_lot):
            raise UserError(self._cycle_message(parent_lot, child_lot))
        vals = dict(extra)
        vals.update({
            'parent_lot_id': parent_lot.id,
            'child_lot_id': child_lot.id,
            'quantity': quantity,
            'origin': origin,
            'origin_ref': source or False,
        })
        if date:
            vals['date'] = date
        return self.create(vals)

    @api.model
    def remove_link(self, parent_lot, child_lot, source=False, date=False,
                    reason=False):
        """Record that ``child_lot`` was taken out of ``parent_lot`` (the
        old part of a service swap) and return the links closed.

        The links stay as history; traces and recalls no longer go through
        them; ``reason`` is kept with them. Raises a UserError when the
        component is not in the parent. Runs with the caller's rights.
        """
        links = self.search([
            ('parent_lot_id', '=', parent_lot.id),
            ('child_lot_id', '=', child_lot.id),
            ('date_removed', '=', False)])
        if not links:
            raise UserError(
                _('%(child)s is not a current component of %(parent)s.') % {
                    'child': child_lot.display_name,
                    'parent': parent_lot.display_name})
        links._meddev_as_server().write({
            'date_removed': date or fields.Datetime.now(),
            'removed_ref': source or False,
            'removal_reason': reason or False,
            'removed_uid': self.env.uid,
        })
        return links

    @api.multi
    def action_retire(self):
        """Open the wizard that retires these links with a reason."""
        self.check_access_rights('write')
        return {
            'type': 'ir.actions.act_window',
            'name': _('Retire Lot Links'),
            'res_model': 'meddev.lot.link.retire',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_link_ids': [(6, 0, self.ids)]},
        }

    @api.multi
    def _retire(self, reason, source=False):
        """Retire these links (a wrong link, a link that closed a cycle),
        keeping them as history with ``reason``; recall managers only."""
        if not reason or not reason.strip():
            raise UserError(_('Say why the lot links are retired.'))
        self.check_access_rights('write')
        self.check_access_rule('write')
        retired = self.filtered('date_removed')
        if retired:
            raise UserError(
                _('The lot link %(link)s is already retired.') % {
                    'link': retired[0].display_name})
        self._meddev_as_server().write({
            'date_removed': fields.Datetime.now(),
            'removed_ref': source or False,
            'removal_reason': reason.strip(),
            'removed_uid': self.env.uid,
        })
        return True

    @api.model
    def _contains(self, container, component):
        """Tell whether ``component`` is inside ``container`` already, at
        any level, through current links of every company: a link from
        ``component`` to ``container`` would close a cycle."""
        # Every company's links: a cycle is bad data wherever it lies.
        self.env.cr.execute("""
            WITH RECURSIVE inside(lot_id) AS (
                SELECT %(container)s
                UNION
                SELECT l.child_lot_id
                  FROM inside
                  JOIN meddev_lot_link l ON l.parent_lot_id = inside.lot_id
                 WHERE l.date_removed IS NULL
            )
            SELECT 1 FROM inside WHERE lot_id = %(component)s LIMIT 1
        """, {'container': container.id, 'component': component.id})
        return bool(self.env.cr.fetchone())
