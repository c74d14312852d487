from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevServiceTicketCase


class TestTicketIntegrity(MeddevServiceTicketCase):
    """Paths around the ticket rules: the web form's create, closing
    without fault codes, copies."""

    @classmethod
    def setUpClass(cls):
        super(TestTicketIntegrity, cls).setUpClass()
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'RST', 'name': 'Reset'})
        cls.plan = cls.env['meddev.service.pm.plan'].create({
            'name': 'Half-yearly check', 'product_id': cls.monitor.id,
            'team_id': cls.team.id})

    def _form_vals(self, **vals):
        """Return the vals the Odoo 11 web client sends on create: every
        editable field, the empty ones as False."""
        values = {
            'title': 'Monitor resets', 'team_id': self.team.id,
            'equipment_id': self.equipment.id, 'contact_id': self.nurse.id,
            'user_id': False, 'planned_start': False,
            'patient_safety': False, 'engineer_ids': [(6, 0, [])],
            'fault_code_ids': [(6, 0, [])], 'triage_done': False,
            'ticket_type': 'repair', 'priority': '1', 'channel': 'phone',
        }
        values.update(vals)
        return values

    def _closed_repair(self):
        ticket = self._ticket(triage_done=True)
        ticket.write({'fault_code_ids': [(6, 0, self.fault.ids)],
                      'stage_id': self.stage_done.id})
        return ticket

    # A1: dispatch fields sent empty by the form
    def test_service_user_saves_the_form_with_empty_dispatch_fields(self):
        ticket = self.env['meddev.service.ticket'].sudo(self.user).create(
            self._form_vals())
        self.assertFalse(ticket.user_id)
        # Saving the form again sends the unchanged values too.
        ticket.sudo(self.user).write({
            'user_id': False, 'planned_start': False,
            'patient_safety': False, 'engineer_ids': [(6, 0, [])],
            'title': 'Monitor resets twice'})
        self.assertEqual(ticket.title, 'Monitor resets twice')

    def test_service_user_still_cannot_dispatch(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        for vals in ({'user_id': self.dispatcher.id},
                     {'planned_start': '2026-12-02 01:00:00'},
                     {'patient_safety': True}):
            with self.assertRaises(AccessError):
                model.create(self._form_vals(**vals))
        ticket = model.create(self._form_vals())
        # The form shows these fields read-only to the user.
        self.assertFalse(ticket.can_dispatch)
        self.assertTrue(ticket.sudo(self.dispatcher).can_dispatch)
        with self.assertRaises(AccessError):
            ticket.write({'user_id': self.user.id})
        ticket.sudo(self.dispatcher).write({'user_id': self.user.id})
        # The user keeps the responsible sent unchanged, cannot clear it.
        ticket.write({'user_id': self.user.id, 'title': 'Again'})
        with self.assertRaises(AccessError):
            ticket.write({'user_id': False})

    # A3: a closed repair keeps its fault codes
    def test_create_in_closing_stage_refused(self):
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            self._ticket(user=self.user, triage_done=True,
                         stage_id=self.stage_done.id,
                         fault_code_ids=[(6, 0, self.fault.ids)])
        self.assertIn(self.stage_done.name, caught.exception.name)
        # The manager neither: closing runs only on an existing ticket.
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._ticket(user=self.manager, stage_id=self.stage_done.id,
                         fault_code_ids=[(6, 0, self.fault.ids)])
        self.assertFalse(self.env['meddev.service.ticket'].search(
            [('stage_id', '=', self.stage_done.id),
             ('title', '=', 'Monitor resets')]))

    def test_closing_while_clearing_codes_refused(self):
        for commands in ([(5,)], [(6, 0, [])]):
            ticket = self._ticket(triage_done=True)
            ticket.write({'fault_code_ids': [(6, 0, self.fault.ids)]})
            with self.assertRaises(ValidationError), \
                    self.env.cr.savepoint():
                ticket.sudo(self.user).write({
                    'stage_id': self.stage_done.id,
                    'fault_code_ids': commands})
            ticket.invalidate_cache()
            self.assertFalse(ticket.is_closed)
            self.assertEqual(ticket.fault_code_ids, self.fault)

    def test_codes_of_a_closed_repair_stay(self):
        ticket = self._closed_repair()
        # An engineer does not edit a closed record; a dispatcher may,
        # but a closed repair keeps codes.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'fault_code_ids': [(5,)]})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            ticket.sudo(self.dispatcher).write({'fault_code_ids': [(5,)]})
        ticket.invalidate_cache()
        self.assertEqual(ticket.fault_code_ids, self.fault)

    # A2: a copy is a fresh ticket
    def test_service_user_copies_a_closed_ticket(self):
        ticket = self._closed_repair()
        ticket.write({'user_id': self.user.id, 'patient_safety': True,
                      'planned_start': '2026-12-02 01:00:00'})
        # The plan and due date are the module's (its PM cron).
        ticket._as_server().write({'pm_plan_id': self.plan.id,
                                   'pm_due_date': '2026-12-10'})
        self.assertTrue(ticket.sla_policy_id)
        copy = ticket.sudo(self.user).copy()
        self.assertEqual(copy.stage_id, self.stage_new)
        self.assertFalse(copy.is_closed)
        self.assertFalse(copy.close_date)
        self.assertFalse(copy.triage_done)
        self.assertFalse(copy.fault_code_ids)
        self.assertFalse(copy.user_id)
        self.assertFalse(copy.patient_safety)
        self.assertFalse(copy.planned_start)
        self.assertFalse(copy.pm_plan_id)
        self.assertFalse(copy.pm_due_date)
        self.assertNotEqual(copy.name, ticket.name)
        self.assertEqual(copy.equipment_id, self.equipment)
        # The copy gets its own policy and clocks.
        self.assertEqual(copy.sla_policy_id, ticket.sla_policy_id)
        self.assertTrue(copy.sla_line_ids)

    def test_admin_copies_a_maintenance_ticket(self):
        ticket = self._ticket(ticket_type='pm')
        ticket._as_server().write({'pm_plan_id': self.plan.id,
                                   'pm_due_date': '2026-12-10'})
        copy = ticket.copy()
        self.assertFalse(copy.pm_plan_id)
        self.assertEqual(copy.ticket_type, 'pm')
