from odoo.exceptions import UserError

from odoo.addons.queue_job.job import Job

from .common import MeddevServiceTicketCase, frozen_now, shanghai


class TestTicketSla(MeddevServiceTicketCase):

    def test_friday_evening_ticket_due_monday(self):
        ticket = self._ticket(self.user, date_open=shanghai(
            '2026-11-27 17:30'))
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertEqual(
            sorted(ticket.sla_line_ids.mapped('target')),
            ['onsite', 'resolution', 'response'])
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-11-30 10:30'))
        self.assertEqual(self._line(ticket, 'onsite').deadline,
                         shanghai('2026-11-30 17:30'))
        resolution = self._line(ticket, 'resolution')
        self.assertEqual(resolution.deadline, shanghai('2026-12-01 17:30'))
        # At risk after 80 % of 16 h: 12.8 working hours.
        self.assertEqual(resolution.at_risk_date,
                         shanghai('2026-12-01 14:18'))
        # The ticket shows its nearest open deadline.
        self.assertEqual(ticket.sla_deadline, shanghai('2026-11-30 10:30'))

    def test_calendar_without_working_time_is_refused_clearly(self):
        self.calendar.attendance_ids.unlink()
        with self.assertRaises(UserError) as caught:
            self._ticket(self.user)
        self.assertIn('Shanghai office hours', caught.exception.name)
        self.assertIn('East Team', caught.exception.name)

    def test_public_holiday_pushes_deadline(self):
        self.env['resource.calendar.leaves'].create({
            'name': 'National Day', 'calendar_id': self.calendar.id,
            'date_from': shanghai('2026-11-30 00:00'),
            'date_to': shanghai('2026-12-01 00:00')})
        ticket = self._ticket(date_open=shanghai('2026-11-27 17:30'))
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-12-01 10:30'))

    def test_priority_change_selects_policy_and_recomputes(self):
        ticket = self._ticket(self.user, date_open=shanghai(
            '2026-11-30 08:30'))
        with frozen_now(shanghai('2026-11-30 09:00')):
            ticket.sudo(self.dispatcher).write({'priority': '3'})
        self.assertEqual(ticket.sla_policy_id, self.urgent_policy)
        # The urgent policy has no on-site clock: it goes.
        self.assertEqual(sorted(ticket.sla_line_ids.mapped('target')),
                         ['resolution', 'response'])
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-11-30 09:30'))
        self.assertEqual(self._line(ticket, 'resolution').deadline,
                         shanghai('2026-11-30 17:30'))

    def test_policy_change_moves_open_deadlines(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        done = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                            triage_done=True)
        jobs = self.env['queue.job']
        before = jobs.search([])
        with frozen_now(shanghai('2026-11-30 09:00')):
            self._respond(done)
            self.policy.sudo(self.manager).write(
                {'response_hours': 4, 'resolution_hours': 8})
            # Saving the policy only queued the recomputation.
            self.assertEqual(self._line(ticket, 'response').deadline,
                             shanghai('2026-11-30 10:30'))
            queued = jobs.search([]) - before
            self.assertEqual(set(queued.mapped('method_name')),
                             {'_sla_resync'})
            for queued_job in queued:
                Job.load(self.env, queued_job.uuid).perform()
        self.assertEqual(self._line(ticket, 'response').deadline,
                         shanghai('2026-11-30 13:30'))
        self.assertEqual(self._line(ticket, 'resolution').deadline,
                         shanghai('2026-11-30 17:30'))
        # The met clock keeps its deadline and status.
        response = self._line(done, 'response')
        self.assertEqual(response.status, 'met')
        self.assertEqual(response.deadline, shanghai('2026-11-30 10:30'))

    def test_contract_policy_wins(self):
        contract_policy = self.env['meddev.sla.policy'].create({
            'name': 'Gold contract', 'sequence': 90, 'response_hours': 0.5,
            'contract_required': True})
        contract = self.env['meddev.service.contract'].create({
            'partner_id': self.hospital.id,
            'equipment_ids': [(6, 0, self.equipment.ids)],
            'sla_policy_id': contract_policy.id,
            'date_start': '2026-01-01'})
        contract.action_activate()
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        self.assertEqual(ticket.contract_id, contract)
        self.assertEqual(ticket.sla_policy_id, contract_policy)
        self.assertEqual(ticket.sla_line_ids.mapped('target'), ['response'])

    def test_pause_and_resume_keeps_remaining_time(self):
        ticket = self._ticket(self.user, date_open=shanghai(
            '2026-11-30 08:30'))
        with frozen_now(shanghai('2026-11-30 09:00')):
            self._respond(ticket, self.user)
        response = self._line(ticket, 'response')
        self.assertEqual(response.status, 'met')
        self.assertEqual(ticket.first_response_date,
                         shanghai('2026-11-30 09:00'))
        with frozen_now(shanghai('2026-11-30 10:30')):
            ticket.sudo(self.user).write({'stage_id': self.stage_parts.id})
        resolution = self._line(ticket, 'resolution')
        self.assertEqual(resolution.status, 'paused')
        self.assertEqual(ticket.sla_status, 'paused')
        self.assertEqual(ticket.pause_reason, 'Waiting for spare parts')
        self.assertFalse(ticket.sla_deadline)
        with frozen_now(shanghai('2026-12-01 10:30')):
            ticket.sudo(self.user).write({'stage_id': self.stage_new.id})
        # 8 working hours passed while paused: 14 h were left at the
        # pause, 6 on Tuesday and 8 on Wednesday.
        self.assertEqual(resolution.status, 'running')
        self.assertAlmostEqual(resolution.paused_working_hours, 8.0)
        self.assertAlmostEqual(resolution.paused_hours, 24.0)
        self.assertEqual(resolution.deadline, shanghai('2026-12-02 17:30'))
        self.assertEqual(self._line(ticket, 'onsite').deadline,
                         shanghai('2026-12-01 17:30'))
        # The met clock did not move.
        self.assertEqual(response.status, 'met')
        self.assertEqual(ticket.sla_status, 'running')

    def test_failed_clock_stays_failed(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        sla = self.env['meddev.service.ticket.sla']
        sla._cron_check_sla(now=shanghai('2026-11-30 11:00'))
        response = self._line(ticket, 'response')
        self.assertEqual(response.status, 'failed')
        self.assertEqual(ticket.sla_status, 'failed')
        with frozen_now(shanghai('2026-11-30 11:30')):
            self._respond(ticket, self.user)
        self.assertEqual(response.status, 'failed')
        self.assertEqual(response.reached_date, shanghai('2026-11-30 11:30'))
        # A new policy does not revive it.
        with frozen_now(shanghai('2026-11-30 11:40')):
            ticket.write({'priority': '3'})
        self.assertEqual(response.status, 'failed')
        self.assertEqual(ticket.sla_status, 'failed')

    def test_close_in_time_meets_every_clock(self):
        fault = self.env['meddev.fault.code'].create(
            {'code': 'PWR', 'name': 'Power supply'})
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                              triage_done=True)
        with frozen_now(shanghai('2026-11-30 10:00')):
            ticket.sudo(self.user).action_arrive_on_site()
        with frozen_now(shanghai('2026-11-30 15:00')):
            ticket.sudo(self.user).write({
                'stage_id': self.stage_done.id,
                'fault_code_ids': [(6, 0, fault.ids)]})
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')), {'met'})
        self.assertEqual(ticket.sla_status, 'met')
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(ticket.close_date, shanghai('2026-11-30 15:00'))

    def _activities(self, ticket):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', '=', ticket.id),
            ('user_id', '=', self.manager.id)])

    def test_at_risk_then_failed_escalates_once(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        sla = self.env['meddev.service.ticket.sla']
        # 80 % of the 2 h response: 10:06.
        sla._cron_check_sla(now=shanghai('2026-11-30 10:10'))
        self.assertEqual(self._line(ticket, 'response').status, 'at_risk')
        self.assertEqual(ticket.sla_status, 'at_risk')
        activities = self._activities(ticket)
        self.assertEqual(len(activities), 1)
        self.assertIn('SLA at risk', activities.summary)
        # One digest mail for the recipient, queued.
        digest = self.env['mail.mail'].search(
            [('recipient_ids', 'in', self.manager.partner_id.ids),
             ('subject', 'like', 'SLA escalation')])
        self.assertEqual(len(digest), 1)
        self.assertIn(ticket.name, digest.body_html)
        sla._cron_check_sla(now=shanghai('2026-11-30 10:20'))
        self.assertEqual(len(self._activities(ticket)), 1)
        sla._cron_check_sla(now=shanghai('2026-11-30 10:31'))
        self.assertEqual(self._line(ticket, 'response').status, 'failed')
        activities = self._activities(ticket)
        self.assertEqual(len(activities), 2)
        self.assertTrue(any('SLA failed' in summary
                            for summary in activities.mapped('summary')))
        sla._cron_check_sla(now=shanghai('2026-11-30 11:31'))
        self.assertEqual(len(self._activities(ticket)), 2)
        # The team's overview counts it.
        self.team.invalidate_cache()
        self.assertEqual(self.team.failed_count, 1)
        self.assertEqual(self.team.ticket_count, 1)
        # The nearest open deadline is now the on-site arrival.
        self.assertEqual(ticket.sla_deadline, shanghai('2026-11-30 17:30'))

    def test_paused_clock_not_flagged(self):
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'))
        with frozen_now(shanghai('2026-11-30 09:00')):
            ticket.write({'stage_id': self.stage_parts.id})
        self.env['meddev.service.ticket.sla']._cron_check_sla(
            now=shanghai('2026-12-04 09:00'))
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'paused'})
        self.assertFalse(self._activities(ticket))
