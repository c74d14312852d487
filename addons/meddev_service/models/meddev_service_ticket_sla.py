from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import commit_batch, schedule_todo

from .. import sla_clock
from ..workflow_context import workflow_sudo
from .meddev_sla_policy import SLA_TARGETS
from .meddev_service_ticket import SLA_STATUSES

# The ticket shows its worst clock: the higher, the worse.
STATUS_RANK = {'met': 0, 'paused': 1, 'running': 2, 'at_risk': 3,
               'failed': 4}
OPEN_STATUSES = ('running', 'at_risk')
# Clocks that stopped: their deadline is never recomputed.
STOPPED_STATUSES = ('met', 'failed', 'cancelled')


def _dt(value):
    return fields.Datetime.from_string(value) if value else None


def _str(value):
    return fields.Datetime.to_string(value) if value else False


class MeddevServiceTicketSla(models.Model):
    """One SLA clock of a ticket: its target, deadline, paused time and
    whether it was met."""

    _name = 'meddev.service.ticket.sla'
    _description = 'Ticket SLA Clock'
    _order = 'ticket_id, deadline, id'

    ticket_id = fields.Many2one(
        'meddev.service.ticket', required=True, ondelete='cascade',
        index=True)
    policy_id = fields.Many2one('meddev.sla.policy', string='Policy')
    target = fields.Selection(SLA_TARGETS, required=True)
    target_hours = fields.Float(string='Target (working hours)')
    start_date = fields.Datetime(required=True)
    deadline = fields.Datetime(index=True)
    at_risk_date = fields.Datetime(index=True)
    paused_since = fields.Datetime(readonly=True)
    paused_working_hours = fields.Float(
        string='Working Hours Paused', readonly=True)
    paused_hours = fields.Float(
        string='Time Paused (h)', readonly=True,
        help="Calendar time the clock stood still.")
    status = fields.Selection(
        SLA_STATUSES, required=True, default='running', index=True)
    met_pct = fields.Float(
        string='Met (%)', compute='_compute_met_pct', store=True,
        group_operator='avg',
        help="100 for a met clock, 0 otherwise: its average over met and "
             "failed clocks is the SLA met rate.")
    reached_date = fields.Datetime(string='Reached on', readonly=True)
    escalated_at_risk = fields.Boolean(readonly=True)
    escalated_failed = fields.Boolean(readonly=True)
    team_id = fields.Many2one(
        related='ticket_id.team_id', store=True, readonly=True)
    company_id = fields.Many2one(
        related='ticket_id.company_id', store=True, readonly=True,
        index=True)

    _sql_constraints = [
        ('ticket_target_uniq', 'unique(ticket_id, target)',
         'A ticket runs one clock per target.'),
    ]

    def init(self):
        # The cron's three lookups stay index scans at any volume.
        cr = self.env.cr
        cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_service_ticket_sla_due_idx
                ON meddev_service_ticket_sla (deadline)
             WHERE status IN ('running', 'at_risk') AND reached_date IS NULL
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_service_ticket_sla_risk_idx
                ON meddev_service_ticket_sla (at_risk_date)
             WHERE status = 'running' AND reached_date IS NULL
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_service_ticket_sla_escalate_idx
                ON meddev_service_ticket_sla (id)
             WHERE (status = 'failed' AND NOT COALESCE(escalated_failed, FALSE)
                    AND reached_date IS NULL)
                OR (status = 'at_risk'
                    AND NOT COALESCE(escalated_at_risk, FALSE))
        """)

    @api.depends('status')
    def _compute_met_pct(self):
        for line in self:
            line.met_pct = 100.0 if line.status == 'met' else 0.0

    # ------------------------------------------------------------------
    # Calendar
    # ------------------------------------------------------------------

    @api.model
    def _calendar_data(self, calendar, tz, resource=None):
        """Return the pure WorkingCalendar of ``calendar`` read in ``tz``:
        attendances (dated ones are make-up working days), global leaves
        (public holidays) and the leaves of ``resource``."""
        calendar = calendar.sudo()
        attendances = [
            (int(att.dayofweek), att.hour_from, att.hour_to,
             att.date_from, att.date_to)
            for att in calendar.attendance_ids]
        leaves = [
            (_dt(leave.date_from), _dt(leave.date_to))
            for leave in calendar.leave_ids
            if not leave.resource_id or (
                resource and leave.resource_id == resource)]
        return sla_clock.WorkingCalendar(
            attendances, tz=tz or 'UTC', leaves=leaves)

    def _ticket_calendar(self, ticket, cache=None):
        """Return the working calendar of the ticket's team (or company);
        ``cache`` maps (calendar id, tz) to a calendar already built."""
        team = ticket.team_id
        company = ticket.company_id.sudo()
        calendar = team.calendar_id or company.service_calendar_id or \
            company.resource_calendar_id
        tz = team.tz or self.env.user.tz or 'UTC'
        key = (calendar.id, tz)
        if cache is not None and key in cache:
            return cache[key]
        result = self._calendar_data(calendar, tz)
        if cache is not None:
            cache[key] = result
        return result

    # ------------------------------------------------------------------
    # Clock changes
    # ------------------------------------------------------------------

    @api.model
    def _sla_sync(self, ticket, policy, force=False):
        """Make the ticket's clocks follow ``policy``: new targets start
        at the ticket's opening, changed ones get a new deadline, met and
        failed clocks stay as they are, dropped targets go."""
        targets = dict(policy._targets()) if policy else {}
        now = fields.Datetime.now()
        calendar = None
        # Clocks are kept by the system whoever moves the ticket.
        existing = {line.target: line
                    for line in ticket.sudo().sla_line_ids}
        for target, line in existing.items():
            if target not in targets and not line._sla_fail_if_past(now) \
                    and line.status not in STOPPED_STATUSES:
                line.unlink()
        for target, hours in targets.items():
            line = existing.get(target)
            if line and line._sla_fail_if_past(now):
                continue
            if line and line.status in STOPPED_STATUSES:
                continue
            if line and not force and line.target_hours == hours and \
                    line.policy_id == policy:
                continue
            calendar = calendar or self._ticket_calendar(ticket)
            if not line:
                line = self.create({
                    'ticket_id': ticket.id, 'target': target,
                    'start_date': ticket.date_open,
                    'policy_id': policy.id, 'target_hours': hours})
            else:
                line.write({'policy_id': policy.id, 'target_hours': hours})
            line._sla_compute_deadlines(calendar, now)
        self._sql_refresh_tickets(ticket.ids)

    def _sla_fail_if_past(self, now):
        """A running clock whose deadline has passed failed, whether or
        not the cron flagged it yet: a new priority, team or policy does
        not give it a new chance. Return whether it failed."""
        self.ensure_one()
        if self.status not in OPEN_STATUSES or self.reached_date or \
                not self.deadline or self.deadline >= now:
            return False
        self.write({'status': 'failed'})
        return True

    def _sla_compute_deadlines(self, calendar, now):
        """Recompute deadline, at-risk date and status of running clocks,
        in the ticket's working hours, after the time spent paused."""
        for line in self:
            start = _dt(line.start_date)
            paused = line.paused_working_hours
            try:
                deadline = sla_clock.deadline(
                    calendar, start, line.target_hours, paused)
                at_risk = sla_clock.deadline(
                    calendar, start, line.target_hours
                    * line.policy_id.at_risk_percent / 100.0, paused)
            except sla_clock.SlaClockError as error:
                team = line.ticket_id.team_id
                raise UserError(
                    _('The SLA of %(ticket)s cannot be computed: the '
                      'working hours %(calendar)s of %(team)s are wrong '
                      '(%(reason)s).') % {
                        'ticket': line.ticket_id.name,
                        'calendar': team.calendar_id.name or '-',
                        'team': team.name or '-', 'reason': error})
            status = sla_clock.clock_status(
                _dt(now), deadline, at_risk,
                paused=line.status == 'paused')
            line.write({'deadline': _str(deadline),
                        'at_risk_date': _str(at_risk), 'status': status})

    def _sla_pause(self, now=None):
        """Stop the running clocks (a pausing stage); a clock already
        past its deadline fails instead."""
        now = now or fields.Datetime.now()
        # Clocks are kept by the system whoever moves the ticket.
        self = self.sudo()
        for line in self.filtered(lambda line: line.status in OPEN_STATUSES):
            if line.deadline and line.deadline < now:
                line.status = 'failed'
            else:
                line.write({'status': 'paused', 'paused_since': now})
        self._sla_refresh_tickets()

    def _sla_resume(self, now=None):
        """Restart the paused clocks with the time they had left."""
        now = now or fields.Datetime.now()
        self = self.sudo()
        cache = {}
        for line in self.filtered(lambda line: line.status == 'paused'):
            calendar = self._ticket_calendar(line.ticket_id, cache)
            since = _dt(line.paused_since) or _dt(now)
            worked = calendar.working_hours(since, _dt(now))
            wall = (_dt(now) - since).total_seconds() / 3600.0
            line.write({
                'paused_working_hours': line.paused_working_hours + worked,
                'paused_hours': line.paused_hours + wall,
                'paused_since': False,
                'status': 'running',
            })
            line._sla_compute_deadlines(calendar, now)
        self._sla_refresh_tickets()

    def _sla_reach(self, now=None):
        """The targets are reached: met if in time, else failed (a failed
        clock stays failed)."""
        now = now or fields.Datetime.now()
        lines = self.sudo().filtered(lambda line: not line.reached_date)
        lines.filtered(lambda line: line.status == 'paused')._sla_resume(now)
        for line in lines:
            status = sla_clock.clock_status(
                _dt(now), _dt(line.deadline), None, reached=_dt(now),
                failed=line.status == 'failed')
            line.write({'reached_date': now, 'status': status})
        lines._sla_refresh_tickets()

    def _sla_not_needed(self, now=None):
        """Stop clocks whose target was never reached because the
        ticket closed without it (no visit for a remote fix): not needed
        while in time, failed once past the deadline."""
        now = now or fields.Datetime.now()
        lines = self.sudo().filtered(lambda line: not line.reached_date)
        for line in lines:
            late = line.status == 'failed' or (
                line.deadline and line.deadline < now)
            line.write({'reached_date': now,
                        'status': 'failed' if late else 'cancelled'})
        lines._sla_refresh_tickets()

    def _sla_refresh_tickets(self):
        """Store on the tickets their nearest open deadline and their
        worst status, in one query."""
        ticket_ids = self.mapped('ticket_id').ids
        if not ticket_ids:
            return
        self._sql_refresh_tickets(ticket_ids)

    @api.model
    def _sql_refresh_tickets(self, ticket_ids):
        """SQL: recompute sla_deadline and sla_status of ``ticket_ids``
        from their clocks."""
        # Pending stored computes reach the table before the query.
        self.recompute()
        self.env.cr.execute("""
            UPDATE meddev_service_ticket t
               SET sla_deadline = agg.deadline, sla_status = agg.status
              FROM (
                SELECT ticket.id AS ticket_id,
                       MIN(l.deadline) FILTER (
                           WHERE l.status IN ('running', 'at_risk'))
                           AS deadline,
                       CASE MAX(CASE l.status
                                WHEN 'failed' THEN 4 WHEN 'at_risk' THEN 3
                                WHEN 'running' THEN 2 WHEN 'paused' THEN 1
                                WHEN 'met' THEN 0 END)
                            WHEN 4 THEN 'failed' WHEN 3 THEN 'at_risk'
                            WHEN 2 THEN 'running' WHEN 1 THEN 'paused'
                            WHEN 0 THEN 'met' END AS status
                  FROM meddev_service_ticket ticket
                  LEFT JOIN meddev_service_ticket_sla l
                    ON l.ticket_id = ticket.id
                 WHERE ticket.id = ANY(%s)
                 GROUP BY ticket.id
              ) agg
             WHERE t.id = agg.ticket_id
        """, [list(ticket_ids)])
        self.env['meddev.service.ticket'].invalidate_cache(
            ['sla_deadline', 'sla_status'], list(ticket_ids))

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    # The clocks the cron flags, by new status: a running clock past its
    # deadline fails, one past its at-risk date is at risk. Stored dates
    # only: no working-hours computation in the cron (the deadlines were
    # computed when the clock started, paused or resumed).
    _FLAG_WHERE = {
        'failed': "status IN ('running', 'at_risk') AND reached_date IS NULL"
                  " AND deadline < %s",
        'at_risk': "status = 'running' AND reached_date IS NULL"
                   " AND at_risk_date <= %s",
    }
    # The clocks to escalate (the partial index _escalate_idx).
    _ESCALATE_WHERE = """
        (status = 'failed' AND NOT COALESCE(escalated_failed, FALSE)
         AND reached_date IS NULL)
        OR (status = 'at_risk' AND NOT COALESCE(escalated_at_risk, FALSE))
    """

    @api.model
    def _cron_check_sla(self, batch_size=500, now=None, commit=False,
                        flag_batch_size=5000):
        """Flag the clocks past their at-risk date or deadline and escalate
        each of them once: an activity and a mail to the escalation
        recipient. Streamed: each batch is selected in SQL (ids only),
        done, committed when ``commit`` (the ir.cron call) and dropped
        from the record cache, so memory stays flat whatever the number
        of clocks; idempotent after a crash (a batch rolled back is
        selected again). The flags are plain SQL: they go by
        ``flag_batch_size`` clocks; the escalation, which creates
        activities, by ``batch_size``. Return the number of clocks
        escalated."""
        now = now or fields.Datetime.now()
        for status in ('failed', 'at_risk'):
            while self._sla_flag_batch(status, now, flag_batch_size):
                self._sla_release_batch(commit)
        escalated = 0
        while True:
            self.env.cr.execute(
                "SELECT id FROM meddev_service_ticket_sla WHERE %s "
                "ORDER BY id LIMIT %%s" % self._ESCALATE_WHERE,
                [batch_size])
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            self.browse(ids)._sla_escalate()
            escalated += len(ids)
            self._sla_release_batch(commit)
        return escalated

    def _sla_release_batch(self, commit):
        """End of a cron batch: commit (see commit_batch) and empty the
        record cache, which otherwise keeps every clock and ticket the
        run read (+1.2 GiB over 90 000 clocks)."""
        commit_batch(self.env, commit)
        self.invalidate_cache()

    @api.model
    def _sla_flag_batch(self, status, now, batch_size):
        """Give ``status`` to at most ``batch_size`` clocks due for it
        (SQL) and refresh their tickets' deadline and status. Return the
        number of clocks flagged."""
        cr = self.env.cr
        cr.execute("""
            UPDATE meddev_service_ticket_sla SET status = %%s
             WHERE id IN (SELECT id FROM meddev_service_ticket_sla
                           WHERE %s LIMIT %%s)
         RETURNING ticket_id
        """ % self._FLAG_WHERE[status], [status, now, batch_size])
        rows = cr.fetchall()
        if rows:
            self._sql_refresh_tickets(sorted(set(row[0] for row in rows)))
        return len(rows)

    def _sla_escalation_rows(self):
        """Read in one query what the escalation of these clocks needs:
        (clock id, ticket id, ticket number, target, deadline, status,
        recipient id). The recipient is the policy's escalation user,
        else the team leader, else the company's escalation recipient,
        else the ticket's responsible."""
        self.env.cr.execute("""
            SELECT l.id, t.id, t.name, l.target, l.deadline, l.status,
                   COALESCE(p.escalation_user_id, team.leader_id,
                            c.service_escalation_user_id, t.user_id)
              FROM meddev_service_ticket_sla l
              JOIN meddev_service_ticket t ON t.id = l.ticket_id
              LEFT JOIN meddev_sla_policy p ON p.id = l.policy_id
              LEFT JOIN meddev_service_team team ON team.id = t.team_id
              LEFT JOIN res_company c ON c.id = t.company_id
             WHERE l.id = ANY(%s)
             ORDER BY l.id
        """, [self.ids])
        return self.env.cr.fetchall()

    def _sla_escalate(self):
        """Warn the escalation recipients of these at-risk or failed
        clocks and mark them so it happens once: an activity on each
        ticket and one digest mail per recipient for the whole batch
        (queued; a mail per clock cost most of the cron's time). The
        batch is read in SQL: no clock or ticket goes through the record
        cache."""
        labels = dict(self._fields['target']._description_selection(
            self.env))
        today = fields.Date.context_today(self)
        tickets = workflow_sudo(self.env['meddev.service.ticket'])
        users = self.env['res.users']
        digests = {}
        failed_ids, at_risk_ids = [], []
        for (line_id, ticket_id, ticket_name, target, deadline, status,
             user_id) in self._sla_escalation_rows():
            failed = status == 'failed'
            (failed_ids if failed else at_risk_ids).append(line_id)
            if not user_id:
                continue
            values = {'ticket': ticket_name, 'target': labels[target],
                      'deadline': deadline}
            summary = (_('SLA failed: %(target)s of %(ticket)s was due on '
                         '%(deadline)s (UTC)') if failed else
                       _('SLA at risk: %(target)s of %(ticket)s is due on '
                         '%(deadline)s (UTC)')) % values
            user = users.browse(user_id)
            schedule_todo(tickets.browse(ticket_id), user, summary,
                          deadline=today)
            digests.setdefault(user, []).append(summary)
        cr = self.env.cr
        for column, ids in (('escalated_failed', failed_ids),
                            ('escalated_at_risk', at_risk_ids)):
            if ids:
                cr.execute(
                    "UPDATE meddev_service_ticket_sla SET %s = TRUE "
                    "WHERE id = ANY(%%s)" % column, [ids])
        self.invalidate_cache(['escalated_failed', 'escalated_at_risk'],
                              self.ids)
        for user, summaries in digests.items():
            self._sla_send_digest(user, summaries)

    def _sla_send_digest(self, user, summaries):
        """Queue one mail to ``user`` listing ``summaries``."""
        if not user.partner_id.email:
            return
        body = '<p>%s</p><ul>%s</ul>' % (
            html_escape(_('Service tickets whose SLA needs you:')),
            ''.join('<li>%s</li>' % html_escape(summary)
                    for summary in summaries))
        # The escalation goes out by the mail queue, whoever runs the cron.
        workflow_sudo(self.env['mail.mail']).create({
            'subject': _('SLA escalation: %(count)s clocks') % {
                'count': len(summaries)},
            'body_html': body,
            'recipient_ids': [(4, user.partner_id.id)],
            'auto_delete': True,
        })
