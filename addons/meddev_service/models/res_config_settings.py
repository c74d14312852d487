from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Field Service block of Settings: the company-level options of
    the module, read from and written to the settings' company (related
    fields: each company keeps its own; res.company checks who changes
    them)."""

    _inherit = 'res.config.settings'

    service_calendar_id = fields.Many2one(
        related='company_id.service_calendar_id',
        string='Default Service Calendar')
    service_default_team_id = fields.Many2one(
        related='company_id.service_default_team_id',
        string='Default Service Team')
    service_escalation_user_id = fields.Many2one(
        related='company_id.service_escalation_user_id',
        string='Escalation Recipient')
    service_dispatch_km_per_point = fields.Float(
        related='company_id.service_dispatch_km_per_point',
        string='Dispatch: km per Point')
    service_dispatch_hours_per_point = fields.Float(
        related='company_id.service_dispatch_hours_per_point',
        string='Dispatch: Planned Hours per Point')
    service_dispatch_workload_days = fields.Integer(
        related='company_id.service_dispatch_workload_days',
        string='Dispatch: Workload Horizon (days)')
    service_warranty_reminder_days = fields.Integer(
        related='company_id.service_warranty_reminder_days',
        string='Warranty Reminder (days before end)')
    service_follow_up_days = fields.Integer(
        related='company_id.service_follow_up_days',
        string='Follow-up Call after (days)')
    service_channel_email = fields.Boolean(
        related='company_id.service_channel_email',
        string='Tickets by Email')
    service_channel_portal = fields.Boolean(
        related='company_id.service_channel_portal',
        string='Tickets from the Portal')
    service_channel_phone = fields.Boolean(
        related='company_id.service_channel_phone',
        string='Tickets by Phone')
    service_quality_handoff = fields.Boolean(
        related='company_id.service_quality_handoff',
        string='Complaints to Quality Automatically')
