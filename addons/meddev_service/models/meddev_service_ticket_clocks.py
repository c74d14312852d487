from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.job import job

from ..workflow_context import workflow_sudo
from .meddev_service_ticket import INTERNAL, SLA_STATUSES

# Open tickets re-synced per background job after a policy or calendar
# change.
RESYNC_BATCH = 200


class MeddevServiceTicket(models.Model):
    """The ticket's side of its SLA clocks: which policy applies, when the
    clocks are recomputed (policy, team, calendar, priority), restarted on
    reopening, and the time to repair in the team's working hours."""

    _inherit = 'meddev.service.ticket'

    sla_policy_id = fields.Many2one(
        'meddev.sla.policy', string='SLA Policy', readonly=True,
        track_visibility='onchange', copy=False, groups=INTERNAL)
    sla_line_ids = fields.One2many(
        'meddev.service.ticket.sla', 'ticket_id', string='SLA Clocks',
        readonly=True)
    sla_deadline = fields.Datetime(
        string='Next SLA Deadline', readonly=True, index=True, copy=False,
        help="The nearest deadline of a clock still running.")
    sla_status = fields.Selection(
        SLA_STATUSES, string='SLA Status', readonly=True, index=True,
        copy=False,
        help="The worst status of the ticket's clocks.")
    color = fields.Integer(compute='_compute_color')
    repair_hours = fields.Float(
        compute='_compute_repair_hours', store=True, group_operator='avg',
        string='Hours to Repair',
        help="Working hours of the team's calendar from opening to "
             "closing: its average is the mean time to repair.")

    @api.depends('date_open', 'close_date', 'team_id.calendar_id',
                 'team_id.tz')
    def _compute_repair_hours(self):
        lines = self.env['meddev.service.ticket.sla']
        cache = {}
        for ticket in self:
            if not ticket.close_date or not ticket.date_open:
                ticket.repair_hours = 0.0
                continue
            calendar = lines._ticket_calendar(ticket, cache)
            ticket.repair_hours = calendar.working_hours(
                fields.Datetime.from_string(ticket.date_open),
                fields.Datetime.from_string(ticket.close_date))

    def _device_class(self):
        """The regulatory class of the ticket's product ('none', 'I',
        'II' or 'III'), through the qualification module's hook when it
        is installed (no dependency on it)."""
        self.ensure_one()
        classes = getattr(self.product_id, '_meddev_device_classes', None)
        classes = classes() if classes and self.product_id else {}
        return classes.get(self.product_id.id, 'none')

    def _compute_color(self):
        colors = {'failed': 1, 'at_risk': 2, 'paused': 4, 'met': 10}
        for ticket in self:
            ticket.color = colors.get(ticket.sla_status, 0)

    def _get_sla_policy(self):
        """Return the SLA policy of this ticket: its contract's, else the
        first matching default policy of its team, else the first
        matching policy of its company."""
        self.ensure_one()
        if self.contract_id.sla_policy_id:
            return self.contract_id.sla_policy_id
        policies = self.team_id.sla_policy_ids.sorted(
            lambda policy: (policy.sequence, policy.id))
        for policy in policies:
            if policy._applies_to(self):
                return policy
        for policy in self.env['meddev.sla.policy'].search(
                [('company_id', '=', self.company_id.id)]):
            if policy._applies_to(self):
                return policy
        return self.env['meddev.sla.policy']

    def _sla_apply_policy(self, force=False):
        """Select the policy and (re)compute the clocks: a new or changed
        target, or a new policy, gets a new deadline (every running clock
        with ``force``: team, calendar or priority changed); met and
        failed clocks stay."""
        # Clocks are the module's: never from a caller's defaults.
        lines_model = workflow_sudo(self.env['meddev.service.ticket.sla'])
        for ticket in self:
            policy = ticket._get_sla_policy()
            if policy != ticket.sudo().sla_policy_id:
                ticket._as_server().sla_policy_id = policy
            lines_model._sla_sync(ticket, policy, force=force)

    @api.model
    def _sla_queue_resync(self, domain, description,
                          batch_size=RESYNC_BATCH):
        """Queue the recomputation of the open tickets of ``domain``, in
        background jobs of ``batch_size`` tickets: saving a policy or a
        calendar does not wait for them. Return the number queued."""
        ticket_ids = self.sudo().search(
            domain + [('is_closed', '=', False)], order='id').ids
        for start in range(0, len(ticket_ids), batch_size):
            batch = self.browse(ticket_ids[start:start + batch_size])
            batch.with_delay(description=description)._sla_resync()
        return len(ticket_ids)

    @job
    @api.multi
    def _sla_resync(self):
        """Background job: recompute the running clocks of these tickets
        (the closed ones since queued are left as they are)."""
        tickets = self.sudo().exists().filtered(
            lambda ticket: not ticket.is_closed)
        tickets._sla_apply_policy(force=True)
        return _('%(count)s tickets recomputed') % {'count': len(tickets)}

    def _check_may_reopen(self, vals):
        """Reopening a closed or cancelled service record (ISO 13485: a
        record of the work done) is a dispatcher's or manager's decision,
        taken with the Reopen button: it goes back to the team's first
        stage and restarts the clocks the closing stopped. Any other
        change of its stage (statusbar, kanban, RPC, an empty stage) is
        refused, to dispatchers too (review 11c S3-4); the button writes
        with the server mark."""
        if 'stage_id' not in vals or self._meddev_is_server():
            return
        stage = self.env['meddev.service.stage'].browse(vals['stage_id'])
        moved = self.sudo().filtered(
            lambda ticket: ticket.is_closed and ticket.stage_id != stage)
        if not moved:
            return
        names = ', '.join(moved.mapped('name'))
        if not self._is_dispatcher():
            raise AccessError(
                _('The ticket %(tickets)s is closed: only a dispatcher or '
                  'a service manager may reopen it.') % {'tickets': names})
        raise UserError(
            _('The ticket %(tickets)s is closed or cancelled: use the '
              'Reopen button to reopen it (it goes back to its team\'s '
              'first stage and its clocks run again).') % {
                'tickets': names})

    def _action_reopen(self, now):
        """Reopening restarts the clocks that closing or cancelling
        stopped (met or not needed), from their first start: the
        customer's problem is not solved. Failed clocks stay failed."""
        self.ensure_one()
        stopped_at = self.close_date or self.sudo().cancel_date
        stopped = self.sudo().sla_line_ids.filtered(
            lambda line: line.status in ('met', 'cancelled')
            and line.reached_date and line.reached_date == stopped_at)
        # Reopened: not a first-time fix any more.
        self._as_server().write({'close_date': False,
                                 'first_time_fix': False})
        if self.sudo().cancel_date:
            # Not cancelled any more: the reason stays in the chatter's
            # tracking, under the name of who reopens.
            self._meddev_as_server().write({'cancel_date': False,
                                            'cancel_reason': False})
        if stopped:
            stopped.write({'reached_date': False, 'status': 'running'})
            calendar = stopped._ticket_calendar(self)
            stopped._sla_compute_deadlines(calendar, now)
            stopped._sla_refresh_tickets()
        self.message_post(
            body=_('Reopened: the SLA clocks stopped by the closing or '
                   'cancelling run again.'), subtype='mail.mt_note')
