from datetime import date, timedelta

from odoo import fields

from .common import MeddevServiceTicketCase, frozen_now, shanghai


class TestMaintenancePlans(MeddevServiceTicketCase):
    """One maintenance ticket per serial and due date whatever the plans;
    a contract's own interval counts."""

    @classmethod
    def setUpClass(cls):
        super(TestMaintenancePlans, cls).setUpClass()
        cls.equipment.write({'install_date': '2026-06-10'})
        cls.product_plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Half-yearly check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14, 'team_id': cls.team.id})
        cls.contract = cls.env['meddev.service.contract'].create({
            'partner_id': cls.hospital.id, 'date_start': '2026-01-01',
            'equipment_ids': [(6, 0, cls.equipment.ids)]})
        cls.contract.action_activate()

    def _pm_tickets(self):
        return self.env['meddev.service.ticket'].search(
            [('equipment_id', '=', self.equipment.id),
             ('ticket_type', '=', 'pm')])

    def _contract_plan(self, months):
        return self.env['meddev.service.pm.plan'].create({
            'name': 'Contract check', 'contract_id': self.contract.id,
            'interval_months': months, 'lead_days': 14,
            'team_id': self.team.id})

    def test_product_and_contract_plans_give_one_ticket(self):
        contract_plan = self._contract_plan(6)
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        cron(today='2026-11-27')
        ticket = self._pm_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.pm_due_date, '2026-12-10')
        # The contract plan runs first: its ticket.
        self.assertEqual(ticket.pm_plan_id, contract_plan)
        self.assertEqual(cron(today='2026-12-05'), 0)
        self.assertEqual(len(self._pm_tickets()), 1)

    def test_contract_interval_counts(self):
        self.contract.pm_interval_months = 3
        self._contract_plan(12)
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        # Installed 2026-06-10: three months later, not twelve (nor the
        # product plan's six).
        self.assertEqual(cron(today='2026-08-30'), 1)
        self.assertEqual(self._pm_tickets().pm_due_date, '2026-09-10')

    def test_open_maintenance_ticket_waits(self):
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        self.assertEqual(cron(today='2026-11-27'), 1)
        # Months later, the maintenance is still open: no second one.
        cron(today='2027-06-01')
        self.assertEqual(len(self._pm_tickets()), 1)

    def test_cron_in_batches(self):
        for number in range(3):
            self.env['meddev.service.equipment'].create({
                'lot_id': self._create_lot(
                    self.monitor, 'X1-PM%s' % number).id,
                'partner_id': self.hospital.id,
                'install_date': '2026-06-10'})
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        self.assertEqual(cron(batch_size=2, today='2026-11-27'), 4)
        self.assertEqual(cron(batch_size=2, today='2026-11-28'), 0)


class TestWarrantyEndingCron(MeddevServiceTicketCase):

    def test_every_batch_done_once(self):
        today = date.today()
        install = fields.Date.to_string(today - timedelta(days=340))
        equipments = self.env['meddev.service.equipment']
        for number in range(3):
            equipments |= equipments.create({
                'lot_id': self._create_lot(
                    self.monitor, 'X1-WAR%s' % number).id,
                'partner_id': self.hospital.id, 'install_date': install})
        cron = self.env['meddev.service.equipment']._cron_warranty_ending
        self.assertGreaterEqual(cron(batch_size=2), 3)
        self.assertTrue(all(equipments.mapped('warranty_reminded')))
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.equipment'),
            ('res_id', 'in', equipments.ids)])
        self.assertEqual(len(activities), 3)
        self.assertEqual(cron(batch_size=2), 0)


class TestAnalysisViews(MeddevServiceTicketCase):

    def test_cost_counted_once_per_ticket(self):
        codes = self.env['meddev.fault.code']
        for code in ('S1', 'C1', 'R1'):
            codes |= codes.create({'code': code, 'name': code})
        ticket = self._ticket(date_open=shanghai('2026-11-30 08:30'),
                              triage_done=True, labour_hours=3)
        with frozen_now(shanghai('2026-11-30 12:00')):
            ticket.write({'fault_code_ids': [(6, 0, codes.ids)],
                          'stage_id': self.stage_done.id})
        self.assertEqual(ticket.total_cost, 900.0)
        rows = self.env['meddev.service.fault.analysis'].read_group(
            [('ticket_id', '=', ticket.id)], ['total_cost', 'ticket_share'],
            [])
        self.assertAlmostEqual(rows[0]['total_cost'], 900.0)
        self.assertAlmostEqual(rows[0]['ticket_share'], 1.0)
        self.assertEqual(rows[0]['__count'], 3)

    def test_shared_component_counted_once_per_repair(self):
        links = self.env['meddev.lot.link']
        module_product = self.env['product.product'].create(
            {'name': 'Module', 'type': 'product', 'tracking': 'lot'})
        left = self._create_lot(module_product, 'MOD-L')
        right = self._create_lot(module_product, 'MOD-R')
        chip = self._create_lot(self.board, 'CHIP-1')
        # The chip lot reaches the serial through two modules.
        links.add_link(left, chip, date='2026-01-01 00:00:00')
        links.add_link(right, chip, date='2026-01-01 00:00:00')
        links.add_link(self.serial, left, date='2026-01-02 00:00:00')
        links.add_link(self.serial, right, date='2026-01-02 00:00:00')
        self._ticket(lot_id=self.serial.id, equipment_id=False,
                     date_open='2026-11-30 01:00:00')
        report = self.env['meddev.service.component.failure']
        report._refresh()
        row = report.search([('component_lot_id', '=', chip.id)])
        self.assertEqual(row.failure_count, 1)
        self.assertEqual(row.serial_count, 1)
        # Stored: a read does not walk the genealogy again; the cron's
        # refresh counts the new repair.
        self._ticket(lot_id=self.serial.id, equipment_id=False,
                     date_open='2026-11-30 03:00:00')
        report.invalidate_cache()
        row = report.search([('component_lot_id', '=', chip.id)])
        self.assertEqual(row.failure_count, 1)
        report._refresh()
        row = report.search([('component_lot_id', '=', chip.id)])
        self.assertEqual(row.failure_count, 2)


class TestEscalationDigest(MeddevServiceTicketCase):
    """Escalations are batched per recipient: one queued mail lists every
    clock of the batch; each ticket still gets its activity."""

    def test_one_mail_per_recipient_and_batch(self):
        tickets = self.env['meddev.service.ticket']
        for _number in range(3):
            tickets |= self._ticket(date_open=shanghai('2026-11-30 08:30'))
        mails = self.env['mail.mail']
        before = mails.search([])
        self.env['meddev.service.ticket.sla']._cron_check_sla(
            now=shanghai('2026-11-30 10:10'))
        digest = (mails.search([]) - before).filtered(
            lambda mail: self.manager.partner_id in mail.recipient_ids)
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.recipient_ids, self.manager.partner_id)
        for ticket in tickets:
            self.assertIn(ticket.name, digest.body_html)
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', 'in', tickets.ids)])
        self.assertEqual(len(activities), 3)
