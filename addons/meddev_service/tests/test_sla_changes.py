from odoo.addons.queue_job.job import Job

from .common import OFFICE_HOURS, MeddevServiceTicketCase, call_button, \
    frozen_now, shanghai


class TestSlaChanges(MeddevServiceTicketCase):
    """Clocks follow a new team's calendar, restart on reopening, do not
    count a visit that never happened; time to repair is in working
    hours; policy and calendar changes are recomputed in the
    background."""

    @classmethod
    def setUpClass(cls):
        super(TestSlaChanges, cls).setUpClass()
        # Same office hours, but in UTC: eight hours later than Shanghai.
        cls.utc_calendar = cls.env['resource.calendar'].create({
            'name': 'UTC office hours',
            'attendance_ids': [(5, 0, 0)] + [(0, 0, {
                'name': 'Office', 'dayofweek': str(day),
                'hour_from': start, 'hour_to': end})
                for day, start, end in OFFICE_HOURS],
        })
        cls.london = cls.env['meddev.service.team'].create({
            'name': 'London Team', 'calendar_id': cls.utc_calendar.id,
            'tz': 'UTC', 'alias_name': 'london-sla-test',
            'member_ids': [(6, 0, cls.user.ids)],
            'sla_policy_ids': [(6, 0, cls.policy.ids)]})
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'SLA', 'name': 'Loose connector'})

    def _close(self, ticket, when):
        with frozen_now(when):
            ticket.sudo(self.user).write({
                'stage_id': self.stage_done.id,
                'fault_code_ids': [(6, 0, self.fault.ids)]})

    def test_team_change_with_same_hours_recomputes(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                              triage_done=True)
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-11-30 10:30'))
        with frozen_now(shanghai('2026-11-30 09:00')):
            ticket.sudo(self.manager).write({'team_id': self.london.id})
        self.assertEqual(ticket.sla_policy_id, self.policy)
        # 00:30 UTC is before London's day: 08:30 + 2 h, UTC.
        self.assertEqual(self._line(ticket, 'response').deadline,
                         '2026-11-30 10:30:00')

    def test_calendar_change_is_queued(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        jobs = self.env['queue.job']
        before = jobs.search([])
        with frozen_now(shanghai('2026-11-30 09:00')):
            self.team.sudo(self.manager).write(
                {'calendar_id': self.utc_calendar.id, 'tz': 'UTC'})
            self.assertEqual(self._line(ticket, 'response').deadline,
                             shanghai('2026-11-30 10:30'))
            queued = jobs.search([]) - before
            self.assertTrue(queued)
            for queued_job in queued:
                Job.load(self.env, queued_job.uuid).perform()
        self.assertEqual(self._line(ticket, 'response').deadline,
                         '2026-11-30 10:30:00')

    def test_policy_save_queues_batches(self):
        tickets = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        for _number in range(2):
            tickets |= self._ticket(date_open=shanghai('2026-11-30 08:30'))
        model = self.env['meddev.service.ticket']
        jobs = self.env['queue.job']
        before = jobs.search([])
        count = model._sla_queue_resync(
            [('id', 'in', tickets.ids)], 'test', batch_size=2)
        self.assertEqual(count, 3)
        queued = jobs.search([]) - before
        self.assertEqual(sorted(len(job.record_ids) for job in queued),
                         [1, 2])
        self.assertEqual(sorted(sum(queued.mapped('record_ids'), [])),
                         sorted(tickets.ids))

    def test_reopening_restarts_the_resolution_clock(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                              triage_done=True)
        with frozen_now(shanghai('2026-11-30 09:00')):
            ticket.sudo(self.user).action_arrive_on_site()
        self._close(ticket, shanghai('2026-11-30 10:00'))
        resolution = self._line(ticket, 'resolution')
        self.assertEqual(resolution.status, 'met')
        # Reopened by the team leader (S2-4).
        with frozen_now(shanghai('2026-11-30 11:00')):
            call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.assertEqual(resolution.status, 'running')
        self.assertFalse(resolution.reached_date)
        self.assertEqual(resolution.deadline, shanghai('2026-12-01 17:30'))
        self.assertEqual(ticket.sla_deadline, shanghai('2026-12-01 17:30'))
        self.assertFalse(ticket.close_date)
        # The on-site arrival happened: that clock stays met.
        self.assertEqual(self._line(ticket, 'onsite').status, 'met')

    def test_closing_without_a_visit_does_not_meet_on_site(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                              triage_done=True)
        self._close(ticket, shanghai('2026-11-30 10:00'))
        onsite = self._line(ticket, 'onsite')
        self.assertEqual(onsite.status, 'cancelled')
        self.assertEqual(self._line(ticket, 'resolution').status, 'met')
        self.assertEqual(ticket.sla_status, 'met')
        late = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                            triage_done=True)
        # Closed after the on-site deadline (17:30) without a visit.
        self._close(late, shanghai('2026-12-01 09:00'))
        self.assertEqual(self._line(late, 'onsite').status, 'failed')

    def test_time_to_repair_in_working_hours(self):
        ticket = self._ticket(date_open=shanghai('2026-11-27 17:00'),
                              triage_done=True)
        self._close(ticket, shanghai('2026-11-30 09:30'))
        # Friday 17:00-17:30 and Monday 08:30-09:30, not 64.5 h.
        self.assertAlmostEqual(ticket.repair_hours, 1.5)

    def test_public_holiday_added_is_queued(self):
        ticket = self._ticket(date_open=shanghai('2026-11-27 17:30'))
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-11-30 10:30'))
        jobs = self.env['queue.job']
        before = jobs.search([])
        with frozen_now(shanghai('2026-11-28 09:00')):
            self.env['resource.calendar.leaves'].create({
                'name': 'Extra holiday', 'calendar_id': self.calendar.id,
                'date_from': shanghai('2026-11-30 00:00'),
                'date_to': shanghai('2026-12-01 00:00')})
            queued = jobs.search([]) - before
            self.assertTrue(queued)
            for queued_job in queued:
                Job.load(self.env, queued_job.uuid).perform()
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-12-01 10:30'))
