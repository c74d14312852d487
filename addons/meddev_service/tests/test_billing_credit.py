from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevServiceTicketCase, call_button


class TestCoverageBilling(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestCoverageBilling, cls).setUpClass()
        cls.old_serial = cls._create_lot(cls.monitor, 'X1-OLD')
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.old_serial.id, 'partner_id': cls.hospital.id,
            'install_date': '2020-01-15'})
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'PWR', 'name': 'Power supply'})
        cls.van = cls.env['stock.location'].create({
            'name': 'Van 2', 'usage': 'internal',
            'location_id': cls.env.ref('stock.stock_location_locations').id})
        cls.board_lot = cls._create_lot(cls.board, 'B1-BILL')
        cls.env['stock.quant']._update_available_quantity(
            cls.board, cls.van, 1, lot_id=cls.board_lot)

    def _close(self, ticket):
        ticket.write({'fault_code_ids': [(6, 0, self.fault.ids)],
                      'stage_id': self.stage_done.id})

    def _use_board(self, ticket):
        part = self.env['meddev.service.ticket.part'].create({
            'ticket_id': ticket.id, 'product_id': self.board.id,
            'lot_id': self.board_lot.id, 'location_id': self.van.id})
        part.action_use()

    def test_warranty_covers_everything(self):
        ticket = self._ticket(triage_done=True, labour_hours=2)
        self.assertEqual(ticket.coverage, 'warranty')
        self.assertFalse(ticket.billable)
        self._use_board(ticket)
        self._close(ticket)
        self.assertFalse(ticket.sale_order_id)

    def test_uncovered_parts_and_labour_become_a_sale_order(self):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=2,
                              travel_hours=1)
        self.assertEqual(ticket.coverage, 'none')
        self.assertTrue(ticket.billable)
        self._use_board(ticket)
        self._close(ticket)
        order = ticket.sale_order_id
        self.assertEqual(order.partner_id, self.hospital)
        self.assertEqual(order.state, 'draft')
        self.assertEqual(order.origin, ticket.name)
        # Board 900 + labour 2 x 300 + travel 1 x 100.
        self.assertEqual(order.amount_untaxed, 1600.0)
        self.assertEqual(ticket.total_cost, 400.0 + 600.0 + 100.0)

    def test_contract_covering_labour_bills_parts_only(self):
        contract = self.env['meddev.service.contract'].create({
            'partner_id': self.hospital.id, 'date_start': '2026-01-01',
            'equipment_ids': [(6, 0, self.old_equipment.ids)],
            'covers_parts': False, 'covers_labour': True,
            'covers_travel': True})
        contract.action_activate()
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=2)
        self.assertEqual(ticket.coverage, 'contract')
        self.assertTrue(ticket.billable)
        self._use_board(ticket)
        self._close(ticket)
        self.assertEqual(ticket.sale_order_id.amount_untaxed, 900.0)

    def test_closing_a_repair_needs_fault_codes(self):
        ticket = self._ticket(triage_done=True)
        with self.assertRaises(ValidationError) as caught:
            ticket.sudo(self.user).write({'stage_id': self.stage_done.id})
        self.assertIn(ticket.name, caught.exception.name)
        self.assertIn('fault codes', caught.exception.name)
        self.assertFalse(ticket.close_date)

    def test_dispatcher_reopens_a_closed_ticket(self):
        ticket = self._ticket(triage_done=True)
        self._close(ticket)
        self.assertTrue(ticket.close_date)
        # A closed service record: not the engineer's to reopen (S2-4).
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'stage_id': self.stage_new.id})
        self.assertTrue(ticket.close_date)
        # The dispatcher reopens it with the button, not a stage write.
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.assertFalse(ticket.close_date)
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_follow_up_call_after_closing(self):
        ticket = self._ticket(triage_done=True, user_id=self.user.id)
        self._close(ticket)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', '=', ticket.id),
            ('activity_type_id', '=', self.env.ref(
                'meddev_service.mail_activity_follow_up').id)])
        # The team leader calls: the engineer does not rate their work.
        self.assertEqual(activity.user_id, self.team.leader_id)
        self.assertEqual(activity.date_deadline, ticket.follow_up_date)


class TestCreditHold(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestCreditHold, cls).setUpClass()
        cls.credit_manager = cls._create_user(
            'srv_credit_manager', cls.group_user | cls.env.ref(
                'meddev_credit.group_meddev_credit_manager'))
        cls.old_serial = cls._create_lot(cls.monitor, 'X1-HOLD')
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.old_serial.id, 'partner_id': cls.hospital.id,
            'install_date': '2020-01-15'})
        cls.hospital.write({'credit_hold': True,
                            'credit_hold_reason': 'Invoices 90 days overdue'})

    def _billable_ticket(self, **vals):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, **vals)
        self.assertTrue(ticket.billable)
        return ticket

    def test_hold_warns_and_blocks_work(self):
        ticket = self._billable_ticket()
        self.assertIn('Invoices 90 days overdue', ticket.credit_warning)
        with self.assertRaises(UserError) as caught:
            ticket.sudo(self.user).write(
                {'stage_id': self.stage_progress.id})
        self.assertIn('Invoices 90 days overdue', caught.exception.name)
        self.assertIn(ticket.name, caught.exception.name)
        with self.assertRaises(UserError):
            ticket.sudo(self.user).action_arrive_on_site()
        self.assertFalse(ticket.onsite_date)

    def test_credit_manager_approves(self):
        ticket = self._billable_ticket()
        with self.assertRaises(AccessError):
            ticket.sudo(self.user).action_approve_credit()
        ticket.sudo(self.credit_manager).action_approve_credit()
        self.assertEqual(ticket.credit_approved_by, self.credit_manager)
        self.assertFalse(ticket.credit_warning)
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
        self.assertTrue(ticket.work_start_date)

    def test_patient_safety_goes_ahead(self):
        ticket = self._billable_ticket()
        # Engineers can neither flag patient safety nor approve by hand.
        with self.assertRaises(AccessError):
            ticket.sudo(self.user).write({'patient_safety': True})
        with self.assertRaises(UserError) as caught:
            ticket.sudo(self.user).write(
                {'credit_approved_by': self.user.id})
        self.assertIn('Credit Approved by', caught.exception.name)
        ticket.sudo(self.dispatcher).write({'patient_safety': True})
        ticket.sudo(self.user).action_arrive_on_site()
        self.assertTrue(ticket.onsite_date)

    def test_hold_after_work_started_does_not_block_edits(self):
        self.hospital.write({'credit_hold': False})
        ticket = self._billable_ticket()
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Late again'})
        ticket.sudo(self.user).write({'labour_hours': 3})
        self.assertEqual(ticket.labour_hours, 3)

    def test_covered_work_is_not_held(self):
        ticket = self._ticket(triage_done=True)
        self.assertFalse(ticket.billable)
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
        self.assertTrue(ticket.work_start_date)

    def test_triage_required_before_work(self):
        ticket = self._ticket()
        with self.assertRaises(UserError) as caught:
            ticket.sudo(self.user).write(
                {'stage_id': self.stage_progress.id})
        self.assertIn('triage', caught.exception.name)
        ticket.sudo(self.user).action_confirm_triage()
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
