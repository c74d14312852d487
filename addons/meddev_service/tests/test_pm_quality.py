from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields

from .common import MeddevServiceTicketCase, call_button
from .test_ticket_cancel import CancelCase


class TestPreventiveMaintenance(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestPreventiveMaintenance, cls).setUpClass()
        cls.equipment.write({'install_date': '2026-06-10'})
        cls.plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Half-yearly check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14, 'team_id': cls.team.id})

    def _pm_tickets(self):
        return self.env['meddev.service.ticket'].search(
            [('pm_plan_id', '=', self.plan.id)])

    def test_cron_creates_once_per_due_date(self):
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        # Due 2026-12-10: not yet 14 days ahead on 2026-11-20.
        self.assertEqual(cron(today='2026-11-20'), 0)
        self.assertEqual(cron(today='2026-11-27'), 1)
        ticket = self._pm_tickets()
        self.assertEqual(ticket.pm_due_date, '2026-12-10')
        self.assertEqual(ticket.ticket_type, 'pm')
        self.assertEqual(ticket.channel, 'proactive')
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.team_id, self.team)
        # Run again, and in small batches: nothing twice.
        self.assertEqual(cron(today='2026-11-28'), 0)
        self.assertEqual(cron(batch_size=1, today='2026-12-01'), 0)
        self.assertEqual(len(self._pm_tickets()), 1)

    def test_closing_pm_moves_the_next_due_date(self):
        self.env['meddev.service.pm.plan']._cron_create_pm_tickets(
            today='2026-11-27')
        ticket = self._pm_tickets()
        ticket.write({'stage_id': self.stage_done.id})
        self.assertEqual(self.equipment.last_maintenance_date,
                         ticket.close_date[:10])
        self.assertGreater(self.equipment.next_maintenance_date,
                           '2026-12-10')


class TestCancelledMaintenance(CancelCase):
    """A cancelled maintenance ticket (the customer declined the visit,
    another company serviced the device) ends its cycle without a
    maintenance: the plan opens no other ticket for that due date, the
    equipment is not overdue from it, and the next cycle is due one
    interval after it (before: the cancelled date stayed the due date
    for good and the plan opened no ticket any more)."""

    @classmethod
    def setUpClass(cls):
        super(TestCancelledMaintenance, cls).setUpClass()
        cls.equipment.write({'install_date': '2026-06-10'})
        cls.plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Half-yearly check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14, 'team_id': cls.team.id})

    def _pm_tickets(self):
        """The plan's tickets of the test equipment (the plan's product
        has other serials, installed a month ago)."""
        return self.env['meddev.service.ticket'].search(
            [('pm_plan_id', '=', self.plan.id),
             ('equipment_id', '=', self.equipment.id)], order='pm_due_date')

    def _due_dates(self, today):
        """Run the plans' cron on ``today``; return the due dates of the
        test equipment's maintenance tickets."""
        self.env['meddev.service.pm.plan']._cron_create_pm_tickets(
            today=today)
        return self._pm_tickets().mapped('pm_due_date')

    def _due_in_30_days(self, today):
        """The equipment list's *Maintenance Due in 30 Days* filter."""
        limit = fields.Date.to_string(
            fields.Date.from_string(today) + relativedelta(days=30))
        return self.env['meddev.service.equipment'].search(
            [('next_maintenance_date', '<=', limit),
             ('id', '=', self.equipment.id)])

    def test_cancelled_cycle_moves_the_next_one(self):
        self.assertEqual(self._due_dates('2026-11-27'), ['2026-12-10'])
        ticket = self._pm_tickets()
        self.assertEqual(self.equipment.next_maintenance_date, '2026-12-10')
        self._cancel(ticket, self.dispatcher, reason='Customer declined')
        self.assertTrue(ticket.is_cancelled)
        # No other ticket for that date, even once it is past.
        self.assertEqual(self._due_dates('2026-12-20'), ['2026-12-10'])
        # Not overdue: the next maintenance is the next cycle's; the last
        # maintenance date stays (none was done).
        self.equipment.invalidate_cache()
        self.assertFalse(self.equipment.last_maintenance_date)
        self.assertEqual(self.equipment.next_maintenance_date, '2027-06-10')
        self.assertFalse(self._due_in_30_days('2026-12-20'))
        # The next cycle's ticket opens its lead days ahead, once.
        self.assertEqual(self._due_dates('2027-05-26'), ['2026-12-10'])
        self.assertEqual(self._due_dates('2027-05-27'),
                         ['2026-12-10', '2027-06-10'])
        self.assertEqual(self._due_dates('2027-05-28'),
                         ['2026-12-10', '2027-06-10'])
        self.assertFalse(self._pm_tickets()[1].is_closed)

    def test_reopened_cycle_is_due_again(self):
        self._due_dates('2026-11-27')
        ticket = self._pm_tickets()
        self._cancel(ticket, self.dispatcher, reason='Customer declined')
        self.equipment.invalidate_cache()
        self.assertEqual(self.equipment.next_maintenance_date, '2027-06-10')
        # Still wanted after all: the dispatcher reopens it; it is the
        # cycle's ticket again, and the plan opens no other.
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.equipment.invalidate_cache()
        self.assertEqual(self.equipment.next_maintenance_date, '2026-12-10')
        self.assertTrue(self._due_in_30_days('2026-12-01'))
        self.assertEqual(self._due_dates('2027-05-27'), ['2026-12-10'])
        self.assertFalse(ticket.is_closed)


class TestContractPlanWins(MeddevServiceTicketCase):
    """Equipment under a contract with its own plan follows that plan
    every cycle, not only the first; a plan without team gives its
    tickets the customer's team (S2-7)."""

    @classmethod
    def setUpClass(cls):
        super(TestContractPlanWins, cls).setUpClass()
        cls.equipment.write({'install_date': '2026-06-10'})
        cls.product_plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Half-yearly check', 'product_id': cls.monitor.id,
            'interval_months': 6, 'lead_days': 14})
        cls.contract = cls.env['meddev.service.contract'].create({
            'partner_id': cls.hospital.id, 'date_start': '2026-01-01',
            'pm_interval_months': 12,
            'equipment_ids': [(6, 0, cls.equipment.ids)]})
        cls.contract.action_activate()
        cls.contract_plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Contract yearly', 'contract_id': cls.contract.id,
            'interval_months': 12, 'lead_days': 14,
            'team_id': cls.team.id})

    def _pm_tickets(self):
        return self.env['meddev.service.ticket'].search(
            [('equipment_id', '=', self.equipment.id),
             ('ticket_type', '=', 'pm')])

    def test_product_plan_never_comes_first(self):
        cron = self.env['meddev.service.pm.plan']._cron_create_pm_tickets
        # The product plan's half-year (2026-12-10) is skipped.
        cron(today='2026-11-27')
        self.assertFalse(self._pm_tickets())
        cron(today='2027-05-28')
        first = self._pm_tickets()
        self.assertEqual(first.pm_plan_id, self.contract_plan)
        self.assertEqual(first.pm_due_date, '2027-06-10')
        first.write({'stage_id': self.stage_done.id})
        # Second cycle: still twelve months from the last maintenance.
        half_year = fields.Date.to_string(fields.Date.from_string(
            self.equipment.last_maintenance_date) + relativedelta(months=6))
        cron(today=half_year)
        self.assertEqual(self._pm_tickets(), first)
        self.assertFalse(self.env['meddev.service.ticket'].search(
            [('pm_plan_id', '=', self.product_plan.id)]))

    def test_plan_without_team_uses_the_customer_team(self):
        self.contract.action_cancel()
        self.env['meddev.service.pm.plan']._cron_create_pm_tickets(
            today='2026-11-27')
        ticket = self._pm_tickets()
        self.assertEqual(ticket.pm_plan_id, self.product_plan)
        self.assertTrue(ticket.team_id)


class TestQualityHookAndInstalledBase(MeddevServiceTicketCase):

    def test_flag_on_create_calls_hook_once(self):
        model = type(self.env['meddev.service.ticket'])
        with patch.object(model, '_on_quality_flag', autospec=True) as hook:
            ticket = self._ticket(self.user, triage_complaint=True)
            self.assertTrue(ticket.quality_flag)
            self.assertEqual(hook.call_count, 1)
            self.assertEqual(hook.call_args[0][0], ticket)
            ticket.sudo(self.user).write({'triage_adverse_event': True})
            ticket.sudo(self.user).write({'description': 'More details'})
            self.assertEqual(hook.call_count, 1)

    def test_flag_on_write_notes_and_asks_the_leader(self):
        ticket = self._ticket(self.user)
        self.assertFalse(ticket.quality_flag)
        other = self._ticket(self.user)
        (ticket | other).sudo(self.user).write(
            {'triage_adverse_event': True, 'triage_patient_involved': True})
        self.assertTrue(ticket.quality_flag)
        self.assertTrue(ticket.quality_flag_date)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', ticket._name), ('res_id', '=', ticket.id),
            ('summary', '=', 'Evaluate as a possible complaint')])
        self.assertEqual(activity.user_id, self.dispatcher)
        self.assertTrue(any('quality evaluation' in (message.body or '')
                            for message in ticket.message_ids))
        self.assertTrue(self.env['meddev.service.ticket'].search([
            ('quality_flag', '=', True), ('id', '=', other.id)]))

    def test_delivery_without_partner_goes_through(self):
        serial = self._create_lot(self.monitor, 'X1-NOPARTNER')
        stock = self.env.ref('stock.stock_location_stock')
        customers = self.env.ref('stock.stock_location_customers')
        self.env['stock.quant']._update_available_quantity(
            self.monitor, stock, 1, lot_id=serial)
        picking = self.env['stock.picking'].create({
            'picking_type_id': self.env.ref('stock.picking_type_out').id,
            'location_id': stock.id, 'location_dest_id': customers.id,
            'move_lines': [(0, 0, {
                'name': 'Monitor', 'product_id': self.monitor.id,
                'product_uom_qty': 1,
                'product_uom': self.monitor.uom_id.id,
                'location_id': stock.id,
                'location_dest_id': customers.id})]})
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({'lot_id': serial.id, 'qty_done': 1})
        picking.action_done()
        self.assertEqual(picking.state, 'done')
        self.assertFalse(self.env['meddev.service.equipment'].search(
            [('lot_id', '=', serial.id)]))

    def test_delivered_serial_becomes_equipment(self):
        serial = self._create_lot(self.monitor, 'X1-DELIVERED')
        stock = self.env.ref('stock.stock_location_stock')
        customers = self.env.ref('stock.stock_location_customers')
        self.env['stock.quant']._update_available_quantity(
            self.monitor, stock, 1, lot_id=serial)
        picking = self.env['stock.picking'].create({
            'partner_id': self.nurse.id,
            'picking_type_id': self.env.ref('stock.picking_type_out').id,
            'location_id': stock.id, 'location_dest_id': customers.id,
            'move_lines': [(0, 0, {
                'name': 'Monitor', 'product_id': self.monitor.id,
                'product_uom_qty': 1,
                'product_uom': self.monitor.uom_id.id,
                'location_id': stock.id,
                'location_dest_id': customers.id})]})
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({'lot_id': serial.id, 'qty_done': 1})
        picking.action_done()
        equipment = self.env['meddev.service.equipment'].search(
            [('lot_id', '=', serial.id)])
        self.assertEqual(equipment.partner_id, self.hospital)
        self.assertEqual(equipment.site_id, self.nurse)
        self.assertEqual(equipment.install_date,
                         fields.Date.context_today(equipment))
        self.assertTrue(equipment.warranty_end)
        self.assertEqual(self.serial.service_equipment_ids, self.equipment)

    def test_warranty_ending_activity_once(self):
        # Installed today with one month of warranty: ends within 60 days.
        self.equipment.install_date = fields.Date.context_today(
            self.equipment)
        self.monitor.service_warranty_months = 1
        cron = self.env['meddev.service.equipment']._cron_warranty_ending
        self.assertEqual(cron(days=60), 1)
        self.assertTrue(self.equipment.warranty_reminded)
        self.assertEqual(len(self.equipment.activity_ids), 1)
        self.assertEqual(cron(days=60), 0)
        self.assertEqual(len(self.equipment.activity_ids), 1)

    def test_360_sections(self):
        ticket = self._ticket()
        previous = self._ticket()
        sections = ticket._service_360_sections()
        names = [section['name'] for section in sections]
        self.assertIn('Previous Tickets on X1-0001', names)
        by_name = {section['name']: section for section in sections}
        self.assertEqual(by_name['Previous Tickets on X1-0001']['count'], 1)
        action = by_name['Previous Tickets on X1-0001']['action']
        self.assertEqual(
            self.env[action['res_model']].search(action['domain']),
            previous)
        self.assertEqual(by_name['Installed Equipment']['count'], 1)
        self.assertTrue(any(name.startswith('Credit rating')
                            for name in names))
        partner_names = [section['name'] for section
                         in self.hospital._service_360_sections()]
        self.assertIn('Service Tickets', partner_names)
        self.assertIn('X1-0001', ticket.view_360_html)
