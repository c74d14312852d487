from odoo import _, api, fields, models
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
    # The companies whose default service team this is (one at most: a
    # team belongs to one company); dispatchers' record rules read it.
    default_company_ids = fields.One2many(
        'res.company', 'service_default_team_id',
        string='Default Team of', readonly=True)
    calendar_id = fields.Many2one(
        'resource.calendar', string='Working Hours', required=True,
        default=lambda self: self._default_calendar_id(),
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
    ticket_count = fields.Integer(
        string='Open Tickets', compute='_compute_ticket_counts')
    at_risk_count = fields.Integer(
        string='At Risk', compute='_compute_ticket_counts')
    failed_count = fields.Integer(
        string='SLA Failed', compute='_compute_ticket_counts')
    unassigned_count = fields.Integer(
        string='Unassigned', compute='_compute_ticket_counts')

    def _compute_ticket_counts(self):
        # One grouped query over the stored statuses, whatever the volume.
        self.env.cr.execute("""
            SELECT team_id, COUNT(*),
                   COUNT(*) FILTER (WHERE sla_status = 'at_risk'),
                   COUNT(*) FILTER (WHERE sla_status = 'failed'),
                   COUNT(*) FILTER (WHERE user_id IS NULL)
              FROM meddev_service_ticket
             WHERE team_id = ANY(%s) AND NOT COALESCE(is_closed, FALSE)
             GROUP BY team_id
        """, [self.ids])
        counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for team in self:
            team.ticket_count, team.at_risk_count, team.failed_count, \
                team.unassigned_count = counts.get(team.id, (0, 0, 0, 0))

    def get_alias_model_name(self, vals):
        return 'meddev.service.ticket'

    def get_alias_values(self):
        values = super(MeddevServiceTeam, self).get_alias_values()
        values['alias_defaults'] = {
            'team_id': self.id, 'channel': 'email',
            'company_id': self.company_id.id}
        return values

    def _default_calendar_id(self):
        """The company's default service calendar, else its working
        hours (Settings > Field Service)."""
        company = self.env['res.company']._company_default_get(
            'meddev.service.team')
        return company.sudo().service_calendar_id or \
            company.resource_calendar_id

    @api.multi
    def write(self, vals):
        result = super(MeddevServiceTeam, self).write(vals)
        if 'company_id' in vals:
            for team in self:
                team.alias_id.sudo().write(team.get_alias_values())
        if set(vals) & {'calendar_id', 'tz', 'sla_policy_ids'}:
            # Deadlines are counted in the team's working hours and its
            # default policies: its open tickets are recomputed in
            # background jobs.
            self.env['meddev.service.ticket']._sla_queue_resync(
                [('team_id', 'in', self.ids)],
                _('Working hours or policies of %(names)s changed: '
                  'recompute the clocks') % {'names': ', '.join(self.mapped('name'))})
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
        return self._tickets_action({'search_default_open': 1})

    @api.multi
    def action_view_at_risk(self):
        """Open this team's tickets whose SLA is at risk."""
        return self._tickets_action({'search_default_open': 1,
                                     'search_default_sla_at_risk': 1})

    @api.multi
    def action_view_failed(self):
        """Open this team's tickets whose SLA failed."""
        return self._tickets_action({'search_default_open': 1,
                                     'search_default_sla_failed': 1})

    def _tickets_action(self, context):
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_ticket_action').read()[0]
        action['domain'] = [('team_id', '=', self.id)]
        action['context'] = dict(context, default_team_id=self.id)
        return action
