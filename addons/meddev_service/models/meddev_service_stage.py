from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# What a ticket's closed state (and its outcome) follows: the tickets keep
# them in stored related fields, which a change of the stage rewrites
# without a ticket write, tracking or reopening.
OUTCOME_FIELDS = ('is_closed', 'is_cancelled')


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

    @api.multi
    def write(self, vals):
        """Refuse to turn a stage that holds tickets into a closing or
        cancelling stage or back: the tickets in it would be closed or
        reopened silently, past the closed-record lock, the Reopen button
        (dispatchers, tracked) and the closing checks."""
        changed = [name for name in OUTCOME_FIELDS if name in vals]
        # The superuser passes: the module's data and its uninstall.
        if changed and self.env.uid != SUPERUSER_ID:
            self.filtered(lambda stage: any(
                bool(stage[name]) != bool(vals[name])
                for name in changed))._check_no_tickets(_(
                    'The stage %(stage)s holds %(count)s service '
                    'ticket(s): whether it closes or cancels tickets cannot '
                    'change, their closed state would change without them '
                    'being closed or reopened. Move the tickets to another '
                    'stage first (closed tickets through the Reopen '
                    'button), or create a new stage.'))
        return super(MeddevServiceStage, self).write(vals)

    @api.multi
    def unlink(self):
        """Refuse to delete a stage that holds tickets: their stage would
        be emptied, reopening the closed ones silently."""
        if self.env.uid != SUPERUSER_ID:
            self._check_no_tickets(_(
                'The stage %(stage)s holds %(count)s service ticket(s) and '
                'cannot be deleted: their stage would be emptied and the '
                'closed ones reopened. Move the tickets to another stage '
                'first.'))
        return super(MeddevServiceStage, self).unlink()

    def _check_no_tickets(self, message):
        """Raise ``message`` (with %(stage)s and %(count)s) when a ticket
        of any company stands in one of these stages."""
        if not self.ids:
            return
        # Plain SQL: the manager may not read every company's tickets, and
        # none of them may be changed behind its back.
        self.env.cr.execute("""
            SELECT stage_id, count(*) FROM meddev_service_ticket
             WHERE stage_id = ANY(%s) GROUP BY stage_id ORDER BY stage_id
        """, [self.ids])
        rows = self.env.cr.fetchall()
        if rows:
            stage = self.browse(rows[0][0])
            raise UserError(message % {
                'stage': stage.name, 'count': rows[0][1]})
