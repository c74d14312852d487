from odoo import api, fields, models
from odoo.addons.base.res.res_partner import _tz_get


class MeddevServiceTeam(models.Model):
    """A service team: its engineers, working hours, region, mail alias
    and default SLA policies."""

    _name = 'meddev.service.team'
    _description = 'Service Team'
    _inherit = ['mail.alias.mixin', 'mail.thread']
    _order = 'sequence, name'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.team'))
    leader_id = fields.Many2one(
        'res.users', string='Team Leader', track_visibility='onchange')
    member_ids = fields.Many2many(
        'res.users', 'meddev_service_team_user_rel', 'team_id', 'user_id',
        string='Members',
        help="Users who see and work on this team's tickets.")
    engineer_ids = fields.Many2many(
        'meddev.service.engineer', 'meddev_service_engineer_team_rel',
        'team_id', 'engineer_id', string='Engineers')
    calendar_id = fields.Many2one(
        'resource.calendar', string='Working Hours', required=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.team').resource_calendar_id,
        help="SLA clocks run in these working hours; its global leaves "
             "are the public holidays, dated attendances the make-up "
             "working days.")
    tz = fields.Selection(
        _tz_get, string='Time Zone', required=True,
        default=lambda self: self.env.user.tz or 'Asia/Shanghai',
        help="Time zone in which the working hours are read.")
    region = fields.Char(help="Area served, shown to dispatchers.")
    state_ids = fields.Many2many(
        'res.country.state', 'meddev_service_team_state_rel', 'team_id',
        'state_id', string='Provinces Served')
    sla_policy_ids = fields.Many2many(
        'meddev.sla.policy', 'meddev_service_team_policy_rel', 'team_id',
        'policy_id', string='Default SLA Policies',
        help="Policies tried first for this team's tickets.")
    stage_ids = fields.Many2many(
        'meddev.service.stage', 'meddev_service_stage_team_rel', 'team_id',
        'stage_id', string='Stages')
    warehouse_location_id = fields.Many2one(
        'stock.location', string='Parts Warehouse',
        domain=[('usage', '=', 'internal')],
        help="Where parts come from when an engineer has no van stock.")
    labour_rate = fields.Float(
        string='Labour Rate (per hour)', default=300.0)
    travel_rate = fields.Float(
        string='Travel Rate (per hour)', default=150.0)
    labour_product_id = fields.Many2one(
        'product.product', string='Labour Product',
        help="Service product invoiced for labour and travel.")
    ticket_count = fields.Integer(compute='_compute_ticket_count')

    def _compute_ticket_count(self):
        counts = self.env['meddev.service.ticket'].read_group(
            [('team_id', 'in', self.ids), ('is_closed', '=', False)],
            ['team_id'], ['team_id'])
        by_team = {row['team_id'][0]: row['team_id_count']
                   for row in counts}
        for team in self:
            team.ticket_count = by_team.get(team.id, 0)

    def get_alias_model_name(self, vals):
        return 'meddev.service.ticket'

    def get_alias_values(self):
        values = super(MeddevServiceTeam, self).get_alias_values()
        values['alias_defaults'] = {
            'team_id': self.id, 'channel': 'email',
            'company_id': self.company_id.id}
        return values

    @api.multi
    def write(self, vals):
        result = super(MeddevServiceTeam, self).write(vals)
        if 'company_id' in vals:
            for team in self:
                team.alias_id.sudo().write(team.get_alias_values())
        return result

    def _working_calendar(self, resource=None):
        """Return this team's working time as a pure sla_clock calendar
        (attendances, public holidays, and the leaves of ``resource``)."""
        self.ensure_one()
        return self.env['meddev.service.ticket.sla']._calendar_data(
            self.calendar_id, self.tz, resource=resource)

    @api.multi
    def action_view_tickets(self):
        """Open the open tickets of this team."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_ticket_action').read()[0]
        action['domain'] = [('team_id', '=', self.id)]
        action['context'] = {'default_team_id': self.id,
                             'search_default_open': 1}
        return action
