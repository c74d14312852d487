"""The service crons (preventive maintenance tickets, SLA escalation,
warranty-ending and contract renewal reminders): both companies in one
run, each with its own teams, policies and reminder days; a crash mid-run
resumes without a second ticket, escalation or reminder."""
from datetime import date, timedelta

from odoo import fields
from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tests.common import (
    crash_on_call, scheduled_run)
from odoo.addons.meddev_service.tests.common import (
    MeddevServiceTicketCase, shanghai)


# The maintenance cron's day: the monitors installed on 2026-06-10 are
# due on 2026-12-10, within the plans' 14 days.
PM_TODAY = '2026-11-27'


@at_install(False)
@post_install(True)
class TestServiceCrons(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestServiceCrons, cls).setUpClass()
        cls.company = cls.env.user.company_id
        # The test owns the crons' work: other plans (demo) stay out,
        # other clocks (demo) count as escalated.
        cls.env['meddev.service.pm.plan'].search([]).write(
            {'active': False})
        cls.env.cr.execute(
            "UPDATE meddev_service_ticket_sla SET escalated_failed = TRUE, "
            "escalated_at_risk = TRUE")
        cls.env['meddev.service.ticket.sla'].invalidate_cache()
        cls.company_b = cls.env['res.company'].create({
            'name': 'Suite Service South',
            'currency_id': cls.company.currency_id.id})
        cls.escalation_b = cls._create_user(
            'suite_srv_escalation_b', cls.group_manager)
        cls.escalation_b.write({
            'company_ids': [(4, cls.company_b.id)],
            'company_id': cls.company_b.id})
        cls.policy_b = cls.env['meddev.sla.policy'].create({
            'name': 'South repair', 'sequence': 50, 'response_hours': 2,
            'onsite_hours': 8, 'resolution_hours': 16,
            'at_risk_percent': 80, 'company_id': cls.company_b.id,
            'escalation_user_id': cls.escalation_b.id})
        cls.team_b = cls.env['meddev.service.team'].create({
            'name': 'South Team', 'company_id': cls.company_b.id,
            'calendar_id': cls.calendar.id, 'tz': 'Asia/Shanghai',
            'sla_policy_ids': [(6, 0, cls.policy_b.ids)]})
        cls.hospital_b = cls.env['res.partner'].create({
            'name': 'South Hospital', 'is_company': True, 'customer': True,
            'company_id': cls.company_b.id})
        cls.equipment.install_date = '2026-06-10'
        cls.equipment_b = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-SOUTH').id,
            'partner_id': cls.hospital_b.id,
            'company_id': cls.company_b.id, 'install_date': '2026-06-10'})
        plans = cls.env['meddev.service.pm.plan']
        cls.plan = plans.create({
            'name': 'North check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14, 'team_id': cls.team.id})
        cls.plan_b = plans.create({
            'name': 'South check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14,
            'team_id': cls.team_b.id, 'company_id': cls.company_b.id})

    # ------------------------------------------------------------------
    # Preventive maintenance
    # ------------------------------------------------------------------

    def _pm_cron(self, batch_size=200):
        cron = self.env.ref('meddev_service.ir_cron_pm_tickets')
        return self.env['meddev.service.pm.plan'].sudo(
            cron.user_id)._cron_create_pm_tickets(
                batch_size=batch_size, today=PM_TODAY, commit=True)

    def _pm_tickets(self, equipment):
        return self.env['meddev.service.ticket'].search([
            ('equipment_id', 'in', equipment.ids),
            ('ticket_type', '=', 'pm')])

    def test_pm_both_companies_in_one_run(self):
        with scheduled_run(self.env):
            self.assertEqual(self._pm_cron(), 2)
        for equipment, company, plan, team in (
                (self.equipment, self.company, self.plan, self.team),
                (self.equipment_b, self.company_b, self.plan_b,
                 self.team_b)):
            ticket = self._pm_tickets(equipment)
            self.assertEqual(len(ticket), 1)
            self.assertEqual(
                (ticket.company_id, ticket.pm_plan_id, ticket.team_id,
                 ticket.pm_due_date),
                (company, plan, team, '2026-12-10'))
        self.assertEqual(self._pm_cron(), 0)

    def test_pm_crash_then_rerun(self):
        equipment = self.equipment | self.equipment_b
        for number in range(2):
            equipment |= equipment.create({
                'lot_id': self._create_lot(
                    self.monitor, 'X1-PMCRASH%s' % number).id,
                'partner_id': self.hospital.id,
                'install_date': '2026-06-10'})
        tickets = self.env['meddev.service.ticket']
        with scheduled_run(self.env) as run, crash_on_call(
                tickets, 'create', 2):
            self._pm_cron(batch_size=1)
        self.assertTrue(run['crashed'])
        self.assertEqual(len(self._pm_tickets(equipment)), 2)
        with scheduled_run(self.env):
            self.assertEqual(self._pm_cron(batch_size=1), 2)
        for one in equipment:
            self.assertEqual(len(self._pm_tickets(one)), 1, one.display_name)

    # ------------------------------------------------------------------
    # SLA escalation
    # ------------------------------------------------------------------

    def _tickets(self):
        ticket_a = self._ticket(date_open=shanghai('2026-11-30 09:00'))
        ticket_b = self._ticket(
            date_open=shanghai('2026-11-30 09:00'), team_id=self.team_b.id,
            equipment_id=self.equipment_b.id, contact_id=False,
            company_id=self.company_b.id)
        return ticket_a | ticket_b

    def _sla_cron(self, batch_size=500):
        cron = self.env.ref('meddev_service.ir_cron_check_sla')
        # A week later: every clock has failed.
        return self.env['meddev.service.ticket.sla'].sudo(
            cron.user_id)._cron_check_sla(
                batch_size=batch_size, now='2026-12-08 00:00:00',
                commit=True)

    def _escalations(self, ticket):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', '=', ticket.id),
            ('summary', 'like', 'SLA failed')])

    def assertEscalatedOnce(self, tickets):
        for ticket in tickets:
            lines = ticket.sla_line_ids
            self.assertTrue(lines, ticket.name)
            self.assertEqual(set(lines.mapped('status')), {'failed'})
            self.assertTrue(all(lines.mapped('escalated_failed')))
            escalations = self._escalations(ticket)
            # One per clock, to the escalation user of the ticket's own
            # company's policy.
            self.assertEqual(len(escalations), len(lines), ticket.name)
            self.assertEqual(
                escalations.mapped('user_id'),
                lines.mapped('policy_id.escalation_user_id'))

    def test_sla_both_companies_in_one_run(self):
        tickets = self._tickets()
        self.assertEqual(tickets.mapped('sla_line_ids.policy_id'),
                         self.policy | self.policy_b)
        with scheduled_run(self.env):
            self._sla_cron()
        self.assertEscalatedOnce(tickets)
        self.assertEqual(self._escalations(tickets[1]).mapped('user_id'),
                         self.escalation_b)
        self.assertEqual(self._sla_cron(), 0)
        self.assertEscalatedOnce(tickets)

    def test_sla_crash_then_rerun(self):
        tickets = self._tickets()
        clocks = self.env['meddev.service.ticket.sla']
        with scheduled_run(self.env) as run, crash_on_call(
                clocks, '_sla_escalate', 2):
            self._sla_cron(batch_size=1)
        self.assertTrue(run['crashed'])
        self.assertEqual(len(tickets.mapped('sla_line_ids').filtered(
            'escalated_failed')), 2)
        with scheduled_run(self.env):
            self._sla_cron(batch_size=1)
        self.assertEscalatedOnce(tickets)

    # ------------------------------------------------------------------
    # Warranty ending (contract offers)
    # ------------------------------------------------------------------

    def _warranties(self, *ending):
        """Return equipment whose warranty ends in each of ``ending``:
        (company, days from today); other equipment counts as reminded
        (demo data stays out) and the companies remind 60 (A) and 30 (B)
        days ahead."""
        self.env.cr.execute(
            "UPDATE meddev_service_equipment SET warranty_reminded = TRUE")
        self.env['meddev.service.equipment'].invalidate_cache()
        self.company.service_warranty_reminder_days = 60
        self.company_b.service_warranty_reminder_days = 30
        equipment = self.env['meddev.service.equipment']
        for number, (company, days) in enumerate(ending):
            hospital = self.hospital_b if company == self.company_b \
                else self.hospital
            equipment |= equipment.create({
                'lot_id': self._create_lot(
                    self.monitor, 'X1-WARRANTY%d' % number).id,
                'partner_id': hospital.id, 'company_id': company.id,
                'install_date': '2026-01-05',
                'warranty_end_agreed': fields.Date.to_string(
                    date.today() + timedelta(days=days))})
        return equipment

    def _warranty_cron(self, batch_size=500):
        cron = self.env.ref('meddev_service.ir_cron_warranty_ending')
        return self.env['meddev.service.equipment'].sudo(
            cron.user_id)._cron_warranty_ending(
                batch_size=batch_size, commit=True)

    def _offers(self, equipment):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.equipment'),
            ('res_id', '=', equipment.id)])

    def test_warranty_both_companies_in_one_run(self):
        # Ending in 45 days: within A's 60 days, not within B's 30.
        north, south_later, south = self._warranties(
            (self.company, 45), (self.company_b, 45), (self.company_b, 20))
        with scheduled_run(self.env):
            self.assertEqual(self._warranty_cron(), 2)
        self.assertEqual(len(self._offers(north)), 1)
        self.assertEqual(len(self._offers(south)), 1)
        self.assertFalse(self._offers(south_later))
        self.assertFalse(south_later.warranty_reminded)
        # The offers are made (done activities are deleted): no second.
        (self._offers(north) | self._offers(south)).action_done()
        with scheduled_run(self.env):
            self.assertEqual(self._warranty_cron(), 0)
        self.assertFalse(self._offers(north) | self._offers(south))

    def test_warranty_crash_then_rerun(self):
        equipment = self._warranties(
            (self.company, 10), (self.company, 20), (self.company_b, 10),
            (self.company_b, 20))
        with scheduled_run(self.env) as run, crash_on_call(
                equipment, '_schedule_contract_offer', 2):
            self._warranty_cron(batch_size=1)
        self.assertTrue(run['crashed'])
        self.assertEqual(len(equipment.filtered('warranty_reminded')), 2)
        with scheduled_run(self.env):
            self.assertEqual(self._warranty_cron(batch_size=1), 2)
        for one in equipment:
            self.assertTrue(one.warranty_reminded, one.display_name)
            self.assertEqual(len(self._offers(one)), 1, one.display_name)

    # ------------------------------------------------------------------
    # Contract dates (expiry, renewal reminders)
    # ------------------------------------------------------------------

    def _contracts(self):
        """Return, per company, a contract ending in 10 days (its renewal
        due: 30 days' notice) and one ended yesterday, all active."""
        contracts = self.env['meddev.service.contract']
        for company, hospital in ((self.company, self.hospital),
                                  (self.company_b, self.hospital_b)):
            for days in (10, -1):
                contracts |= contracts.create({
                    'partner_id': hospital.id, 'company_id': company.id,
                    'date_start': '2026-01-01', 'renewal_days': 30,
                    'date_end': fields.Date.to_string(
                        date.today() + timedelta(days=days))})
        contracts.action_activate()
        return contracts

    def _contract_cron(self):
        cron = self.env.ref('meddev_service.ir_cron_contract_dates')
        return self.env['meddev.service.contract'].sudo(
            cron.user_id)._cron_contract_dates()

    def assertContractsDoneOnce(self, contracts):
        for contract in contracts:
            ending = contract.date_end >= fields.Date.to_string(date.today())
            self.assertEqual(contract.state,
                             'active' if ending else 'expired', contract.name)
            self.assertEqual(len(contract.activity_ids), 1 if ending else 0,
                             contract.name)

    def assertNoSecondReminder(self, contracts):
        """The reminders are done (Odoo 11 deletes done activities): the
        next run must not remind again."""
        contracts.mapped('activity_ids').action_done()
        with scheduled_run(self.env):
            self._contract_cron()
        self.assertFalse(contracts.mapped('activity_ids'))

    def test_contracts_both_companies_in_one_run(self):
        contracts = self._contracts()
        self.assertEqual(contracts.mapped('company_id'),
                         self.company | self.company_b)
        with scheduled_run(self.env):
            self._contract_cron()
        self.assertContractsDoneOnce(contracts)
        self.assertNoSecondReminder(contracts)

    def test_contracts_crash_then_rerun(self):
        contracts = self._contracts()
        # One transaction: a crash at the second reminder loses the
        # first too; the rerun does everything, once.
        with scheduled_run(self.env) as run, crash_on_call(
                contracts, '_schedule_renewal', 1):
            self._contract_cron()
        self.assertTrue(run['crashed'])
        self.assertFalse(contracts.mapped('activity_ids'))
        self.assertEqual(set(contracts.mapped('state')), {'active'})
        with scheduled_run(self.env):
            self._contract_cron()
        self.assertContractsDoneOnce(contracts)
        self.assertNoSecondReminder(contracts)
