from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class MeddevChangeRecord(models.Model):
    """A change record (变更记录): what changes in the design, process,
    supplier, labelling or software of products, why, who approved it, and
    the first lot made after it, so that lots are known to be before or
    after the change."""

    _name = 'meddev.change.record'
    _description = 'Change Record'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.quality.signed.approval.mixin',
                'meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'id desc'
    _meddev_guarded_fields = ('name', 'state', 'approved_by_id',
                              'approved_date')
    # What the approver signed: fixed once approved.
    _meddev_approved_fields = ('title', 'change_type', 'product_ids',
                               'capa_id', 'complaint_id', 'description',
                               'company_id')

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    title = fields.Char(required=True, track_visibility='onchange')
    change_type = fields.Selection([
        ('design', 'Design'),
        ('process', 'Process'),
        ('supplier', 'Supplier'),
        ('labelling', 'Labelling'),
        ('software', 'Software'),
    ], required=True, track_visibility='onchange')
    product_ids = fields.Many2many(
        'product.product', string='Affected Products', required=True)
    capa_id = fields.Many2one('meddev.capa', string='CAPA', index=True)
    complaint_id = fields.Many2one('meddev.complaint', string='Complaint')
    description = fields.Text(required=True)
    state = fields.Selection([
        ('draft', 'Draft'),
        ('approved', 'Approved'),
        ('effective', 'Effective'),
        ('cancel', 'Cancelled'),
    ], default='draft', required=True, readonly=True, index=True, copy=False,
        track_visibility='onchange')
    approved_by_id = fields.Many2one('res.users', readonly=True, copy=False,
                                     ondelete='restrict')
    approved_date = fields.Datetime(readonly=True, copy=False)
    effective_date = fields.Date(track_visibility='onchange')
    first_lot_id = fields.Many2one(
        'stock.production.lot', string='First Lot After Change',
        ondelete='restrict',
        track_visibility='onchange',
        help="The first lot made under the change: lots of the affected "
             "products made before it are 'before the change'.")
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.change.record'))

    @api.model
    def create(self, vals):
        self = self._meddev_check_guarded(vals, create=True)
        vals = dict(vals)
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.change.record') or '/'
        return super(MeddevChangeRecord, self).create(vals)

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            decided = self.filtered(lambda record: record.state != 'draft')
            if decided and set(vals) & set(self._meddev_approved_fields):
                raise UserError(
                    _('%(names)s is approved: what was signed no longer '
                      'changes; open a new change record.') % {
                        'names': ', '.join(decided.mapped('name'))})
            done = self.filtered(
                lambda record: record.state in ('effective', 'cancel'))
            if done and set(vals) & set(['effective_date', 'first_lot_id']):
                raise UserError(
                    _('%(names)s is effective or cancelled: its first lot and '
                      'date no longer change.') % {
                        'names': ', '.join(done.mapped('name'))})
        return super(MeddevChangeRecord, self).write(vals)

    @api.multi
    def action_approve_signed(self):
        """Approve the change (signed by the wizard); managers only."""
        self.ensure_one()
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_manager'):
            raise UserError(_('Only quality managers approve changes.'))
        if self.state != 'draft':
            raise UserError(_('%(name)s is not a draft.') % {
                'name': self.name})
        self.env['meddev.esignature']._check_signed(self, 'approval')
        self._meddev_as_server().write({
            'state': 'approved', 'approved_by_id': self.env.uid,
            'approved_date': fields.Datetime.now()})
        return True

    @api.multi
    def action_make_effective(self):
        """The change applies from its first lot on."""
        for record in self:
            if record.state != 'approved':
                raise UserError(_('%(name)s is not approved.') % {
                    'name': record.name})
            if not record.first_lot_id or not record.effective_date:
                raise UserError(
                    _('%(name)s: give the effective date and the first lot '
                      'made after the change.') % {'name': record.name})
            if record.first_lot_id.product_id not in record.product_ids:
                raise UserError(
                    _('%(name)s: the first lot %(lot)s is not of an affected '
                      'product.') % {'name': record.name,
                                     'lot': record.first_lot_id.name})
        self._meddev_as_server().write({'state': 'effective'})
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the change record (never delete it) before it takes
        effect; an approved one only by a quality manager."""
        for record in self:
            if record.state in ('effective', 'cancel'):
                raise UserError(
                    _('%(name)s is effective or cancelled: it cannot be '
                      'cancelled.') % {'name': record.name})
            if record.state == 'approved' and not self.env.user.has_group(
                    'meddev_quality_capa.group_meddev_quality_capa_manager'):
                raise AccessError(
                    _('%(name)s is approved: only a quality manager cancels '
                      'it.') % {'name': record.name})
        self._meddev_as_server().write({'state': 'cancel'})
        return True

    def _change_cutoff(self):
        """Return the date (YYYY-MM-DD) splitting the lots: the day the
        first lot after the change was made (its production date, else the
        day it was recorded)."""
        self.ensure_one()
        lot = self.first_lot_id
        return lot.production_date or (lot.create_date or '')[:10]

    def _lot_is_after(self, lot):
        """Whether ``lot`` was made under this change: the same rule as
        _lots_domain (its production date, else the day it was recorded,
        on or after the first lot's)."""
        self.ensure_one()
        made = lot.production_date or (lot.create_date or '')[:10]
        return made >= self._change_cutoff()

    def _lots_domain(self, after):
        """Domain of the affected products' lots made after (or before)
        the change, by the day each was made (its production date, else
        the day it was recorded): lots are not always recorded in the
        order they are made, so their ids do not split them."""
        self.ensure_one()
        cutoff = self._change_cutoff()
        operator = '>=' if after else '<'
        return [('product_id', 'in', self.product_ids.ids),
                '|', ('production_date', operator, cutoff),
                '&', ('production_date', '=', False),
                ('create_date', operator, cutoff + ' 00:00:00')]

    def _open_lots(self, after):
        self.ensure_one()
        if not self.first_lot_id:
            raise UserError(_('%(name)s has no first lot yet.') % {
                'name': self.name})
        return {
            'type': 'ir.actions.act_window',
            'name': _('Lots after %(name)s') % {'name': self.name} if after
            else _('Lots before %(name)s') % {'name': self.name},
            'res_model': 'stock.production.lot',
            'view_mode': 'tree,form',
            'domain': self._lots_domain(after),
        }

    @api.multi
    def action_view_lots_after(self):
        """Open the lots of the affected products made under the change."""
        return self._open_lots(True)

    @api.multi
    def action_view_lots_before(self):
        """Open the lots of the affected products made before it."""
        return self._open_lots(False)
