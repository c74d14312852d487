from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.meddev_base.tools import schedule_todo


class MeddevServiceContract(models.Model):
    """A service contract: which serials it covers, what (parts, labour,
    travel), at which service level, for which period."""

    _name = 'meddev.service.contract'
    _description = 'Service Contract'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'date_start desc, id desc'

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        track_visibility='onchange')
    equipment_ids = fields.Many2many(
        'meddev.service.equipment', 'meddev_service_contract_equipment_rel',
        'contract_id', 'equipment_id', string='Covered Equipment')
    date_start = fields.Date(
        required=True, default=fields.Date.context_today,
        track_visibility='onchange')
    date_end = fields.Date(track_visibility='onchange')
    covers_parts = fields.Boolean(default=True)
    covers_labour = fields.Boolean(default=True)
    covers_travel = fields.Boolean(default=True)
    sla_policy_id = fields.Many2one(
        'meddev.sla.policy', string='SLA Policy',
        help="Service level promised by this contract; it takes "
             "precedence over the team's policies.")
    pm_interval_months = fields.Integer(
        string='Maintenance Interval (months)')
    price = fields.Monetary()
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    renewal_days = fields.Integer(
        string='Renewal Reminder (days)', default=30)
    renewal_reminded = fields.Boolean(readonly=True, copy=False)
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user)
    state = fields.Selection([
        ('draft', 'Draft'),
        ('active', 'Active'),
        ('expired', 'Expired'),
        ('cancel', 'Cancelled'),
    ], default='draft', required=True, index=True, copy=False,
        track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.contract'))

    @api.constrains('date_start', 'date_end')
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    _('The contract %(name)s ends before it starts.') % {
                        'name': contract.name})

    @api.constrains('equipment_ids', 'partner_id')
    def _check_equipment_customer(self):
        for contract in self:
            others = contract.equipment_ids.filtered(
                lambda equipment: equipment.partner_id.commercial_partner_id
                != contract.partner_id.commercial_partner_id)
            if others:
                raise ValidationError(
                    _('The contract %(name)s covers %(serials)s, which '
                      'belong to another customer.') % {
                        'name': contract.name,
                        'serials': ', '.join(others.mapped('lot_id.name'))})

    @api.model
    def create(self, vals):
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.service.contract') or '/'
        return super(MeddevServiceContract, self).create(vals)

    @api.multi
    def write(self, vals):
        result = super(MeddevServiceContract, self).write(vals)
        if set(vals) & {'sla_policy_id', 'state', 'equipment_ids'}:
            # The contract's policy wins over the team's: its open tickets
            # choose their policy again (background jobs).
            self.env['meddev.service.ticket']._sla_queue_resync(
                [('contract_id', 'in', self.ids)],
                _('Contract %(names)s changed: recompute the clocks') % {
                    'names': ', '.join(self.mapped('name'))})
        return result

    @api.multi
    def action_activate(self):
        """Start the contract's coverage."""
        self.write({'state': 'active'})
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the contract; its coverage ends."""
        self.write({'state': 'cancel'})
        return True

    @api.model
    def _cron_contract_dates(self):
        """Expire ended contracts and remind, once, of renewals due."""
        today = fields.Date.context_today(self)
        self.search([('state', '=', 'active'), ('date_end', '<', today)]
                    ).write({'state': 'expired'})
        for contract in self.search([
                ('state', '=', 'active'), ('renewal_reminded', '=', False),
                ('date_end', '!=', False)]):
            remind_on = fields.Date.to_string(fields.Date.from_string(
                contract.date_end) - relativedelta(
                days=contract.renewal_days))
            if remind_on > today:
                continue
            contract._schedule_renewal()
            contract.renewal_reminded = True
        return True

    def _schedule_renewal(self):
        """Ask the responsible to renew this contract before it ends."""
        self.ensure_one()
        schedule_todo(
            self, self.user_id or self.env.user,
            _('Renew contract %(name)s before %(date)s') % {
                'name': self.name, 'date': self.date_end},
            deadline=self.date_end)
