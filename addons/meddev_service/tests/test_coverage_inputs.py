from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevServiceTicketCase, call_button


class CoverageCase(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(CoverageCase, cls).setUpClass()
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-COV').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})
        cls.other_hospital = cls.env['res.partner'].create(
            {'name': 'Held Hospital', 'is_company': True,
             'customer': True})
        cls.other_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-COV2').id,
            'partner_id': cls.other_hospital.id,
            'install_date': '2020-01-15'})
        cls.contract = cls.env['meddev.service.contract'].create({
            'partner_id': cls.other_hospital.id, 'date_start': '2019-01-01',
            'equipment_ids': [(6, 0, cls.other_equipment.ids)]})
        cls.contract.action_activate()

    def _hold(self, partner, reason='Invoices 120 days overdue'):
        partner.write({'credit_hold': True, 'credit_hold_reason': reason})

    def _billable(self, **vals):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=2, **vals)
        self.assertTrue(ticket.billable)
        return ticket


class TestEquipmentGuard(CoverageCase):
    """The equipment decides warranty and coverage: an engineer does not
    move its dates, customer or contracts (S1-1)."""

    def test_engineer_cannot_move_warranty_or_contracts(self):
        ticket = self._billable()
        equipment = self.old_equipment.sudo(self.user)
        today = fields.Date.context_today(equipment)
        for vals, exception in (
                ({'install_date': today}, AccessError),
                ({'delivery_date': today}, AccessError),
                ({'last_maintenance_date': today}, AccessError),
                ({'partner_id': self.other_hospital.id}, AccessError),
                ({'contract_ids': [(4, self.contract.id)]}, AccessError),
                ({'warranty_end': '2099-12-31'}, UserError)):
            with self.subTest(vals=vals), \
                    self.assertRaises(exception) as caught, \
                    self.env.cr.savepoint():
                equipment.write(vals)
            self.assertIn('X1-COV', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(self.old_equipment.install_date, '2020-01-15')
        self.assertFalse(self.old_equipment.contract_ids)
        self.assertTrue(ticket.billable)
        self.assertEqual(ticket.coverage, 'none')
        # What the engineer may still do: the chatter (the site is the
        # service manager's, S3 of review 5).
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            equipment.write({'site_id': self.nurse.id})
        equipment.message_post(body='Installed in ward 3')

    def test_engineer_cannot_create_equipment(self):
        model = self.env['meddev.service.equipment'].sudo(self.user)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.create({'lot_id': self._create_lot(
                self.monitor, 'X1-NEWEQ').id,
                'partner_id': self.hospital.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.with_context(default_partner_id=self.hospital.id).create(
                {'lot_id': self._create_lot(self.monitor, 'X1-NEWEQ2').id})

    def test_manager_sets_dates_and_contract_side_constraint(self):
        equipment = self.old_equipment.sudo(self.manager)
        equipment.write({'install_date': '2021-03-01'})
        self.assertEqual(self.old_equipment.install_date, '2021-03-01')
        # Another customer's contract, attached from the equipment side.
        with self.assertRaises(ValidationError) as caught, \
                self.env.cr.savepoint():
            equipment.write({'contract_ids': [(4, self.contract.id)]})
        self.assertIn(self.contract.name, caught.exception.name)
        self.assertIn('X1-COV', caught.exception.name)


class TestStartedTicketChanges(CoverageCase):
    """What a ticket is, after the start check: a retype or a new
    customer runs the check again; a started repair stays a repair unless
    a manager retypes it (S1-2); priority, team and type are the
    dispatcher's (S2-1)."""

    def test_engineer_cannot_reclassify(self):
        ticket = self._ticket()
        for vals in ({'priority': '3'}, {'priority': '0'},
                     {'team_id': False}, {'ticket_type': 'consultation'}):
            with self.subTest(vals=vals), \
                    self.assertRaises(AccessError) as caught, \
                    self.env.cr.savepoint():
                ticket.sudo(self.user).write(vals)
            self.assertIn(ticket.name, caught.exception.name)
        # Sent back unchanged (the web client may): accepted.
        ticket.sudo(self.user).write({'priority': ticket.priority,
                                      'team_id': self.team.id})
        ticket.sudo(self.dispatcher).write({'priority': '3'})
        self.assertEqual(ticket.priority, '3')

    def test_started_repair_retyped_by_manager_only(self):
        ticket = self._billable()
        call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.dispatcher).write(
                {'ticket_type': 'consultation'})
        self.assertIn('service manager', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.ticket_type, 'repair')
        self.assertTrue(ticket.billable)
        ticket.sudo(self.manager).write({'ticket_type': 'inspection'})
        self.assertEqual(ticket.ticket_type, 'inspection')

    def test_consultation_turned_repair_is_held(self):
        self._hold(self.hospital)
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True,
                              ticket_type='consultation')
        self.assertFalse(ticket.billable)
        # Advice work started (a consultation gets no site visit, R-2).
        ticket.sudo(self.user).write({'stage_id': self.stage_progress.id})
        self.assertTrue(ticket.work_start_date)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.dispatcher).write({'ticket_type': 'repair'})
        self.assertIn('Invoices 120 days overdue', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.ticket_type, 'consultation')

    def test_new_held_customer_after_start_is_refused(self):
        ticket = self._billable()
        call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        self._hold(self.other_hospital, 'Disputed invoices')
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.user).write(
                {'partner_id': self.other_hospital.id,
                 'equipment_id': False, 'lot_id': False})
        self.assertIn('Disputed invoices', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.partner_id, self.hospital)

    def test_passed_deadline_stays_failed_on_priority_change(self):
        opened = '2026-11-02 01:00:00'   # Monday 09:00 in Shanghai
        ticket = self._ticket(date_open=opened)
        response = self._line(ticket, 'response')
        self.assertEqual(response.status, 'running')
        self.assertLess(response.deadline, fields.Datetime.now())
        # The cron did not run yet; lowering the priority recomputes.
        ticket.sudo(self.dispatcher).write({'priority': '0'})
        self.assertEqual(response.status, 'failed')
        self.assertEqual(ticket.sla_status, 'failed')
        ticket.sudo(self.dispatcher).write({'team_id': self.team.id,
                                            'priority': '3'})
        self.assertEqual(response.status, 'failed')


class TestCreditVisibility(CoverageCase):
    """Credit data reaches a service user through the ticket only when
    they read credit data or dispatch (S2-6)."""

    def test_engineer_sees_no_credit_dispatcher_sees_the_hold(self):
        self._hold(self.hospital, 'Secret overdue reason')
        ticket = self._billable()
        as_user = ticket.sudo(self.user)
        self.assertFalse(as_user.credit_warning)
        self.assertFalse(as_user.credit_hold)
        self.assertNotIn('Secret overdue reason', as_user.view_360_html)
        as_dispatcher = ticket.sudo(self.dispatcher)
        self.assertIn('Secret overdue reason', as_dispatcher.credit_warning)
        self.assertIn('Secret overdue reason', as_dispatcher.view_360_html)
        # The rating only for credit readers.
        self.assertNotIn('Credit rating', as_dispatcher.view_360_html)
        # The hold still stops the engineer's work, naming it.
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            call_button(as_user, 'action_arrive_on_site')
        self.assertIn('Secret overdue reason', caught.exception.name)
