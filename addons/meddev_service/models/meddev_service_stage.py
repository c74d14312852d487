from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    is_cancelled = fields.Boolean(
        string='Cancelling Stage',
        help="The ticket's outcome is cancelled: its SLA clocks stop, it "
             "is neither billed nor followed up, and it is reached only "
             "by the Cancel button (with a reason). A cancelling stage is "
             "also a closing stage.")

    @api.constrains('is_cancelled', 'is_closed')
    def _check_cancelled_is_closed(self):
        """Cancelled tickets leave every open list, dashboard and cron
        the way closed ones do: through the closing flag."""
        for stage in self:
            if stage.is_cancelled and not stage.is_closed:
                raise ValidationError(
                    _('The stage %(stage)s cancels tickets: it must be a '
                      'closing stage too.') % {'stage': stage.name})

    @api.onchange('is_cancelled')
    def _onchange_is_cancelled(self):
        if self.is_cancelled:
            self.is_closed = True
