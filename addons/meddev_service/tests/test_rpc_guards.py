from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevServiceTicketCase, frozen_now


class TestComputedFieldsGuarded(MeddevServiceTicketCase):
    """What the module computes (coverage, costs, KPIs, flags) cannot be
    set by a user's create or write; the contract must be the customer's
    and cover the serial; the opening time is not the user's to choose."""

    @classmethod
    def setUpClass(cls):
        super(TestComputedFieldsGuarded, cls).setUpClass()
        cls.old_serial = cls._create_lot(cls.monitor, 'X1-RPC')
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.old_serial.id, 'partner_id': cls.hospital.id,
            'install_date': '2020-01-15'})
        cls.other_hospital = cls.env['res.partner'].create(
            {'name': 'Other Hospital', 'is_company': True})
        cls.other_serial = cls._create_lot(cls.monitor, 'X1-OTHER')
        cls.other_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.other_serial.id,
            'partner_id': cls.other_hospital.id,
            'install_date': '2020-01-15'})
        cls.foreign_contract = cls._contract(
            cls.other_hospital, cls.other_equipment)
        cls.foreign_contract.action_activate()

    @classmethod
    def _contract(cls, partner, equipment):
        return cls.env['meddev.service.contract'].create({
            'partner_id': partner.id, 'date_start': '2019-01-01',
            'equipment_ids': [(6, 0, equipment.ids)]})

    def _billable(self):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=2)
        self.assertTrue(ticket.billable)
        return ticket

    def test_user_cannot_write_computed_fields(self):
        ticket = self._billable()
        forged = {
            'billable': False, 'coverage': 'warranty', 'covers_parts': True,
            'covers_labour': True, 'covers_travel': True, 'is_closed': True,
            'quality_flag': True, 'total_cost': 0.0, 'labour_cost': 0.0,
            'parts_cost': 5.0, 'repair_hours': 1.0,
            'first_time_fix_pct': 100.0,
        }
        for name, value in forged.items():
            with self.subTest(field=name):
                before = ticket[name]
                with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                    ticket.sudo(self.user).write({name: value})
                self.assertIn('cannot be set directly', caught.exception.name)
                self.assertIn(ticket.name, caught.exception.name)
                ticket.invalidate_cache()
                self.assertEqual(ticket[name], before)
        self.assertEqual(ticket.coverage, 'none')
        self.assertEqual(ticket.labour_cost, 600.0)

    def test_values_read_back_pass(self):
        ticket = self._billable()
        # A client sending back what it read changes nothing: accepted,
        # and the figures are still computed from the new inputs (not
        # kept as sent).
        ticket.sudo(self.user).write({
            'billable': True, 'coverage': 'none', 'is_closed': False,
            'total_cost': 600.0, 'labour_cost': 600.0,
            'sla_status': ticket.sla_status, 'labour_hours': 3,
            'description': 'Sent with the read values'})
        ticket.invalidate_cache()
        self.assertEqual(ticket.description, 'Sent with the read values')
        self.assertEqual(ticket.labour_cost, 900.0)
        self.assertEqual(ticket.total_cost, 900.0)
        self.assertTrue(ticket.billable)
        self.assertEqual(ticket.coverage, 'none')

    def test_user_cannot_create_with_computed_values(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            model.create({
                'title': 'Forged', 'team_id': self.team.id,
                'equipment_id': self.old_equipment.id,
                'billable': False, 'coverage': 'warranty'})
        self.assertIn('Coverage', caught.exception.name)
        self.assertFalse(model.search([('title', '=', 'Forged')]))
        # Without them, the module computes its values.
        ticket = model.create({
            'title': 'Honest', 'team_id': self.team.id,
            'equipment_id': self.old_equipment.id})
        self.assertTrue(ticket.billable)
        self.assertEqual(ticket.coverage, 'none')

    def test_contract_of_another_customer_refused(self):
        ticket = self._billable()
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            ticket.sudo(self.user).write(
                {'contract_id': self.foreign_contract.id})
        self.assertIn(self.foreign_contract.name, caught.exception.name)
        self.assertIn(ticket.name, caught.exception.name)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env['meddev.service.ticket'].sudo(self.user).create({
                'title': 'Forged contract', 'team_id': self.team.id,
                'equipment_id': self.old_equipment.id,
                'contract_id': self.foreign_contract.id})
        ticket.invalidate_cache()
        self.assertFalse(ticket.contract_id)
        self.assertTrue(ticket.billable)

    def test_contract_must_be_active_and_cover_the_serial(self):
        ticket = self._billable()
        # The customer's, but for another serial.
        other_monitor = self.env['meddev.service.equipment'].create({
            'lot_id': self._create_lot(self.monitor, 'X1-OWN2').id,
            'partner_id': self.hospital.id, 'install_date': '2020-01-15'})
        elsewhere = self._contract(self.hospital, other_monitor)
        elsewhere.action_activate()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'contract_id': elsewhere.id})
        # Covering the serial, but still a draft.
        draft = self._contract(self.hospital, self.old_equipment)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'contract_id': draft.id})
        draft.action_activate()
        ticket.sudo(self.user).write({'contract_id': draft.id})
        self.assertEqual(ticket.coverage, 'contract')
        self.assertFalse(ticket.billable)

    def test_opening_time_is_now_unless_a_manager_sets_it(self):
        model = self.env['meddev.service.ticket']
        past = fields.Datetime.to_string(
            datetime.utcnow() - timedelta(days=3))
        values = {'title': 'Called on Friday', 'team_id': self.team.id,
                  'equipment_id': self.equipment.id}
        with self.assertRaises(AccessError) as caught, self.env.cr.savepoint():
            model.sudo(self.user).create(dict(values, date_open=past))
        self.assertIn('opening time', caught.exception.name)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.sudo(self.dispatcher).create(dict(values, date_open=past))
        # The client's default (now) is accepted.
        ticket = model.sudo(self.user).create(
            dict(values, date_open=fields.Datetime.now()))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'date_open': past})
        with frozen_now(past):
            recorded = model.sudo(self.manager).create(
                dict(values, date_open=past))
        self.assertEqual(recorded.date_open, past)


class TestStraightToDone(MeddevServiceTicketCase):
    """A ticket closed straight from its first stage passes the triage and
    credit-hold checks of a work stage."""

    @classmethod
    def setUpClass(cls):
        super(TestStraightToDone, cls).setUpClass()
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'DONE', 'name': 'Loose cable'})
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-DONE').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})

    def _done(self):
        return {'stage_id': self.stage_done.id,
                'fault_code_ids': [(6, 0, self.fault.ids)]}

    def test_closing_from_new_needs_the_triage(self):
        ticket = self._ticket()
        self.assertEqual(ticket.stage_id, self.stage_new)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            ticket.sudo(self.user).write(self._done())
        self.assertIn('triage', caught.exception.name)
        self.assertIn(ticket.name, caught.exception.name)
        ticket.invalidate_cache()
        self.assertFalse(ticket.close_date)
        self.assertEqual(ticket.stage_id, self.stage_new)
        ticket.sudo(self.user).action_confirm_triage()
        ticket.sudo(self.user).write(self._done())
        self.assertTrue(ticket.close_date)

    def test_closing_from_new_respects_the_credit_hold(self):
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Invoices 90 days overdue'})
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=1)
        self.assertTrue(ticket.billable)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            ticket.sudo(self.user).write(self._done())
        self.assertIn('Invoices 90 days overdue', caught.exception.name)
        self.assertFalse(ticket.sale_order_id)

    def test_closing_after_work_started_is_not_held_again(self):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=1)
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
        # The hold comes while the engineer works: the work done closes.
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Late again'})
        ticket.sudo(self.user).write(self._done())
        self.assertTrue(ticket.close_date)
        self.assertEqual(ticket.stage_id, self.stage_done)
        # Closed and billed: labour 1 h x 300.
        self.assertEqual(ticket.sudo().sale_order_id.amount_untaxed, 300.0)
