from odoo.exceptions import AccessError, UserError

from .common import MeddevServiceTicketCase, call_button

# Internal fields of a ticket a customer's portal user must not read.
INTERNAL_FIELDS = ['view_360_html', 'triage_complaint', 'triage_adverse_event',
                   'triage_patient_involved', 'triage_done', 'quality_flag',
                   'quality_flag_date', 'total_cost', 'parts_cost',
                   'labour_cost', 'credit_warning', 'credit_hold',
                   'credit_approved_by', 'billable', 'patient_safety']


class TestPortalAccess(MeddevServiceTicketCase):
    """Portal users read the public side of their company's tickets and
    open tickets for their own company only."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalAccess, cls).setUpClass()
        cls.portal_group = cls.env.ref('base.group_portal')
        cls.portal = cls.env['res.users'].create({
            'name': 'Portal Nurse', 'login': 'srv_portal_rules',
            'partner_id': cls.nurse.id,
            'groups_id': [(6, 0, cls.portal_group.ids)]})
        cls.hospital.write({'credit_hold': True,
                            'credit_hold_reason': 'Invoices 90 days overdue'})
        cls.ticket = cls._ticket(cls, triage_done=True,
                                 triage_complaint=True)

    def test_portal_reads_public_fields_only(self):
        ticket = self.ticket.sudo(self.portal)
        values = ticket.read(['name', 'title', 'stage_id', 'lot_id'])[0]
        self.assertEqual(values['name'], self.ticket.name)
        for name in INTERNAL_FIELDS:
            with self.subTest(field=name):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    ticket.read([name])
        # The fields offered to the portal user leave the internal ones
        # out; none of them shows the credit hold.
        offered = ticket.fields_get()
        self.assertFalse(set(INTERNAL_FIELDS) & set(offered))
        values = ticket.read([
            'name', 'title', 'description', 'stage_id', 'product_id',
            'date_open', 'close_date', 'coverage', 'sla_status',
            'pause_reason', 'work_done', 'partner_id'])[0]
        self.assertNotIn('Invoices 90 days overdue', str(values))

    def test_partner_360_for_service_users_only(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.hospital.sudo(self.employee).read(['service_360_html'])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.hospital.sudo(self.portal).read(['service_360_html'])
        # An engineer without credit rights sees no credit data (S2-6);
        # the dispatcher sees the hold.
        html = self.hospital.sudo(self.user).read(
            ['service_360_html'])[0]['service_360_html']
        self.assertIn('Installed Equipment', html)
        self.assertNotIn('Invoices 90 days overdue', html)
        html = self.hospital.sudo(self.dispatcher).read(
            ['service_360_html'])[0]['service_360_html']
        self.assertIn('Invoices 90 days overdue', html)

    def test_portal_user_opens_a_ticket_for_own_company(self):
        model = self.env['meddev.service.ticket'].sudo(self.portal)
        ticket = model._portal_create('Alarm silent', 'No sound', 'X1-0001')
        self.assertEqual(ticket.sudo().partner_id, self.hospital)
        self.assertEqual(ticket.sudo().channel, 'portal')

    def test_portal_user_without_a_customer_company_refused(self):
        patient = self.env['res.partner'].create(
            {'name': 'Private Person', 'email': 'person@example.com'})
        signed_up = self.env['res.users'].create({
            'name': 'Private Person', 'login': 'srv_portal_private',
            'partner_id': patient.id,
            'groups_id': [(6, 0, self.portal_group.ids)]})
        model = self.env['meddev.service.ticket']
        before = model.search_count([])
        with self.assertRaises(AccessError) as caught, self.env.cr.savepoint():
            model.sudo(signed_up)._portal_create('Help', 'My device')
        self.assertIn('Private Person', caught.exception.name)
        # A company that is not a customer does not open tickets either.
        supplier = self.env['res.partner'].create(
            {'name': 'Supplier Co', 'is_company': True, 'customer': False,
             'supplier': True})
        contact = self.env['res.partner'].create(
            {'name': 'Supplier Clerk', 'parent_id': supplier.id})
        clerk = self.env['res.users'].create({
            'name': 'Supplier Clerk', 'login': 'srv_portal_supplier',
            'partner_id': contact.id,
            'groups_id': [(6, 0, self.portal_group.ids)]})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.sudo(clerk)._portal_create('Help', 'Spare parts')
        self.assertEqual(model.search_count([]), before)

    def test_internal_user_needs_ticket_rights(self):
        model = self.env['meddev.service.ticket']
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.sudo(self.employee)._portal_create('Help', 'No rights')
        ticket = model.sudo(self.user)._portal_create('Help', 'Internal')
        own = self.user.partner_id.commercial_partner_id
        self.assertEqual(ticket.sudo().partner_id, own)

    def test_portal_list_is_paged(self):
        for number in range(3):
            self._ticket(title='Page %s' % number)
        model = self.env['meddev.service.ticket'].sudo(self.portal)
        total = model._portal_tickets_count()
        self.assertGreaterEqual(total, 4)
        first = model._portal_tickets(offset=0, limit=2)
        second = model._portal_tickets(offset=2, limit=2)
        self.assertEqual(len(first), 2)
        self.assertEqual(len(second), 2)
        self.assertFalse(first & second)
        self.assertEqual(len(model._portal_tickets(offset=0, limit=100)),
                         total)


class TestRecordRules(MeddevServiceTicketCase):
    """Dispatchers see their teams, credit managers only approve, clocks
    are the server's, quality records stay, approvals follow the
    customer."""

    @classmethod
    def setUpClass(cls):
        super(TestRecordRules, cls).setUpClass()
        cls.west_leader = cls._create_user(
            'srv_west_leader', cls.group_dispatcher)
        cls.west = cls.env['meddev.service.team'].create({
            'name': 'West Team', 'calendar_id': cls.calendar.id,
            'alias_name': 'west-rules-test',
            'leader_id': cls.west_leader.id})
        cls.credit_group = cls.env.ref(
            'meddev_credit.group_meddev_credit_manager')
        cls.credit_manager = cls._create_user(
            'srv_rules_credit', cls.group_employee | cls.credit_group)
        cls.credit_engineer = cls._create_user(
            'srv_rules_credit_engineer', cls.group_user | cls.credit_group)
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-RULES').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})

    def _billable(self, team):
        ticket = self._ticket(team_id=team.id, triage_done=True,
                              equipment_id=self.old_equipment.id)
        self.assertTrue(ticket.billable)
        return ticket

    def test_dispatcher_sees_own_teams_only(self):
        east = self._ticket()
        west = self._ticket(team_id=self.west.id)
        model = self.env['meddev.service.ticket']
        ids = (east | west).ids
        self.assertEqual(model.sudo(self.dispatcher).search(
            [('id', 'in', ids)]), east)
        self.assertEqual(model.sudo(self.west_leader).search(
            [('id', 'in', ids)]), west)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            west.sudo(self.dispatcher).write({'user_id': self.user.id})
        self.assertEqual(model.sudo(self.manager).search(
            [('id', 'in', ids)]), east | west)

    def test_credit_manager_approves_but_does_not_edit(self):
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Invoices 90 days overdue'})
        ticket = self._billable(self.west)
        as_credit = ticket.sudo(self.credit_manager)
        self.assertEqual(as_credit.read(['name'])[0]['name'], ticket.name)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            as_credit.write({'description': 'Edited by credit'})
        # A credit manager who is also an engineer of another team.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.credit_engineer).write(
                {'description': 'Edited by credit'})
        call_button(as_credit, 'action_approve_credit')
        self.assertEqual(ticket.credit_approved_by, self.credit_manager)
        note = ticket.message_ids[:1]
        self.assertIn('Invoices 90 days overdue', note.body)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)

    def test_clocks_are_written_by_the_server_only(self):
        ticket = self._ticket()
        line = self._line(ticket, 'response').sudo(self.manager)
        self.assertTrue(line.read(['deadline']))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.write({'status': 'met'})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.unlink()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.create({'ticket_id': ticket.id, 'target': 'onsite',
                         'start_date': ticket.date_open})
        self.assertEqual(self._line(ticket, 'response').status, 'running')

    def test_open_quality_ticket_is_kept(self):
        ticket = self._ticket(triage_done=True, triage_complaint=True)
        self.assertTrue(ticket.quality_flag)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            ticket.sudo(self.manager).unlink()
        self.assertIn(ticket.name, caught.exception.name)
        self.assertTrue(ticket.exists())
        plain = self._ticket()
        plain.sudo(self.manager).unlink()
        self.assertFalse(plain.exists())

    def test_credit_approval_does_not_follow_a_new_customer(self):
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Invoices 90 days overdue'})
        ticket = self._billable(self.team)
        call_button(ticket.sudo(self.credit_manager),
                    'action_approve_credit')
        self.assertTrue(ticket.credit_approved_by)
        other = self.env['res.partner'].create(
            {'name': 'Clinic on Hold', 'is_company': True,
             'credit_hold': True, 'credit_hold_reason': 'Bounced cheque'})
        ticket.sudo(self.dispatcher).write(
            {'partner_id': other.id, 'equipment_id': False, 'lot_id': False})
        self.assertFalse(ticket.credit_approved_by)
        self.assertFalse(ticket.credit_approval_date)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            ticket.sudo(self.user).write(
                {'stage_id': self.stage_progress.id})
        self.assertIn('Bounced cheque', caught.exception.name)
