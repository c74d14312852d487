from odoo import fields, models


class MeddevServiceStage(models.Model):
    """A step of the service ticket pipeline, shown as a kanban column."""

    _name = 'meddev.service.stage'
    _description = 'Service Ticket Stage'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string='Folded in Kanban',
        help="Fold this stage's column in the kanban view of tickets.")
    is_closed = fields.Boolean(
        string='Closing Stage',
        help="Tickets in this stage are done: their SLA clock stops.")
    description = fields.Text(translate=True)
    team_ids = fields.Many2many(
        'meddev.service.team', 'meddev_service_stage_team_rel', 'stage_id',
        'team_id', string='Teams',
        help="Teams that use this stage; empty for a stage shared by all.")
    sla_pause = fields.Boolean(
        string='Pauses the SLA',
        help="While a ticket is in this stage (waiting for the customer, "
             "for parts...) its SLA clocks stand still.")
    pause_reason = fields.Char(
        translate=True,
        help="Shown on the ticket while its clocks are paused here.")
    work_stage = fields.Boolean(
        string='Work Started',
        help="Entering this stage starts the work: the triage must be "
             "answered and a billable ticket of a customer on credit hold "
             "needs a credit manager's approval first.")
