from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MANAGER = 'meddev_service.group_meddev_service_manager'
# The company's service options, shown in Settings > Field Service (related
# fields of res.config.settings): only service managers and administrators
# change them, on every path.
SETTING_FIELDS = (
    'service_calendar_id', 'service_escalation_user_id',
    'service_default_team_id',
    'service_dispatch_km_per_point', 'service_dispatch_hours_per_point',
    'service_dispatch_workload_days', 'service_warranty_reminder_days',
    'service_follow_up_days', 'service_channel_email',
    'service_channel_portal', 'service_channel_phone',
    'service_quality_handoff',
)
# Ticket channel -> the company switch that lets it open tickets; the
# other channels (internal, proactive) are the company's own work.
CHANNEL_SWITCHES = {
    'email': 'service_channel_email',
    'portal': 'service_channel_portal',
    'phone': 'service_channel_phone',
}


class ResCompany(models.Model):
    """The company's field service options (Settings > Field Service)."""

    _inherit = 'res.company'

    service_calendar_id = fields.Many2one(
        'resource.calendar', string='Default Service Calendar',
        help="Working hours and holidays of the SLA clocks of teams without "
             "a calendar of their own (the company's working hours when "
             "empty).")
    service_default_team_id = fields.Many2one(
        'meddev.service.team', string='Default Service Team',
        help="Team of the tickets opened by users who belong to no team; "
             "once set, an engineer's ticket always needs a team.")
    service_escalation_user_id = fields.Many2one(
        'res.users', string='Escalation Recipient',
        help="Receives the SLA escalations of policies without their own "
             "recipient, for teams without a leader.")
    service_dispatch_km_per_point = fields.Float(
        string='Dispatch: km per Point', default=50.0,
        help="Distance that weighs as much as one open ticket when "
             "engineers are suggested.")
    service_dispatch_hours_per_point = fields.Float(
        string='Dispatch: Planned Hours per Point', default=4.0,
        help="Planned hours that weigh as much as one open ticket when "
             "engineers are suggested.")
    service_dispatch_workload_days = fields.Integer(
        string='Dispatch: Workload Horizon (days)', default=3,
        help="The planned hours of an engineer count over this many days "
             "after the visit's start.")
    service_warranty_reminder_days = fields.Integer(
        string='Warranty Reminder (days before end)', default=60,
        help="Equipment whose warranty ends within this many days and that "
             "no contract covers gets a to-do to offer a contract.")
    service_follow_up_days = fields.Integer(
        string='Follow-up Call after (days)', default=3,
        help="The follow-up call (satisfaction) after a closed visit is "
             "planned this many days later.")
    service_channel_email = fields.Boolean(
        string='Tickets by Email', default=True,
        help="A mail to a team's alias opens a ticket (when off, the "
             "sender gets a reply saying how to reach the service).")
    service_channel_portal = fields.Boolean(
        string='Tickets from the Portal', default=True,
        help="Customers' portal users open tickets on the portal.")
    service_channel_phone = fields.Boolean(
        string='Tickets by Phone', default=True,
        help="The service desk types in tickets for calls it takes.")
    service_quality_handoff = fields.Boolean(
        string='Complaints to Quality Automatically', default=True,
        help="A ticket whose triage says complaint or possible adverse "
             "event is handed to quality at once (the quality module opens "
             "a complaint); when off, the team leader gets a to-do to "
             "evaluate it and hands it over by hand.")

    @api.model
    def _meddev_guarded_settings(self):
        """The service options: service managers (and administrators)
        only."""
        guarded = super(ResCompany, self)._meddev_guarded_settings()
        guarded.update(dict.fromkeys(SETTING_FIELDS, MANAGER))
        return guarded

    @api.constrains('service_default_team_id')
    def _check_service_default_team(self):
        for company in self:
            team = company.service_default_team_id.sudo()
            if team and team.company_id != company:
                raise ValidationError(
                    _('The default service team of %(company)s must be one '
                      'of its own teams: %(team)s belongs to '
                      '%(other)s.') % {
                        'company': company.name, 'team': team.name,
                        'other': team.company_id.name})

    def _service_channel_open(self, channel):
        """Whether ``channel`` opens service tickets in this company."""
        self.ensure_one()
        switch = CHANNEL_SWITCHES.get(channel)
        # Options are configuration: read whoever opens the ticket.
        return not switch or bool(self.sudo()[switch])

    def _service_dispatch_weights(self):
        """Return the dispatch weights of this company for dispatch_rank."""
        self.ensure_one()
        company = self.sudo()
        return {
            'km_per_point': company.service_dispatch_km_per_point,
            'hours_per_point': company.service_dispatch_hours_per_point,
        }
