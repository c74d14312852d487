from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevServiceCase, MeddevServiceTicketCase


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevServiceCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.stage = cls._create_stage('Engineer on site', 30)
        cls.root_menu = cls.env.ref('meddev_service.meddev_service_root_menu')
        cls.config_menu = cls.env.ref(
            'meddev_service.meddev_service_config_menu')

    def _visible_menus(self, user):
        """Return which of the module's two main menus ``user`` sees."""
        menus = self.root_menu | self.config_menu
        return self.env['ir.ui.menu'].sudo(user).search(
            [('id', 'in', menus.ids)])

    def test_group_hierarchy(self):
        self.assertIn(self.group_employee, self.group_user.implied_ids)
        self.assertIn(self.group_user, self.group_manager.implied_ids)
        self.assertIn(self.group_user, self.group_dispatcher.implied_ids)
        self.assertIn(self.group_dispatcher,
                      self.group_manager.trans_implied_ids)
        self.assertIn(self.group_user, self.group_manager.trans_implied_ids)
        self.assertNotIn(
            self.group_manager, self.group_user.trans_implied_ids)
        for group in self.group_user | self.group_dispatcher | \
                self.group_manager:
            self.assertEqual(group.category_id, self.category)
        self.assertIn(self.group_user, self.manager.groups_id)

    def test_admin_is_manager(self):
        admin = self.env.ref('base.user_root')
        self.assertIn(admin, self.group_manager.users)
        self.assertTrue(
            admin.has_group('meddev_service.group_meddev_service_user'))

    def test_menus(self):
        self.assertEqual(self.config_menu.parent_id, self.root_menu)
        self.assertEqual(self.root_menu.groups_id, self.group_user)
        self.assertEqual(self.config_menu.groups_id, self.group_manager)
        self.assertEqual(
            self.root_menu.web_icon,
            'meddev_service,static/description/icon.png')
        self.assertEqual(self._visible_menus(self.user), self.root_menu)
        self.assertEqual(
            self._visible_menus(self.manager),
            self.root_menu | self.config_menu)
        self.assertFalse(self._visible_menus(self.employee))

    def test_employee_has_no_access(self):
        stages = self.env['meddev.service.stage'].sudo(self.employee)
        with self.assertRaises(AccessError):
            stages.search([])
        with self.assertRaises(AccessError):
            self.stage.sudo(self.employee).read(['name'])

    def test_user_reads_but_cannot_configure(self):
        stages = self.env['meddev.service.stage'].sudo(self.user)
        self.assertIn(self.stage, stages.search([]))
        self.assertEqual(
            self.stage.sudo(self.user).read(['name'])[0]['name'],
            'Engineer on site')
        with self.assertRaises(AccessError):
            stages.create({'name': 'Waiting for parts'})
        with self.assertRaises(AccessError):
            self.stage.sudo(self.user).write({'fold': True})
        with self.assertRaises(AccessError):
            self.stage.sudo(self.user).unlink()

    def test_manager_configures(self):
        stages = self.env['meddev.service.stage'].sudo(self.manager)
        stage = stages.create({'name': 'Waiting for parts', 'sequence': 40})
        stage.write({'fold': True})
        self.assertTrue(stage.fold)
        stage.unlink()
        self.assertFalse(stage.exists())

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_service'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '现场服务')
        self.assertEqual(
            self.root_menu.with_context(lang='en_US').name, 'Field Service')
        labels = self.env['meddev.service.stage'].with_context(
            lang='zh_CN').fields_get(['is_closed'], ['string'])
        self.assertEqual(labels['is_closed']['string'], '关闭阶段')
        labels = self.env['meddev.service.ticket'].with_context(
            lang='zh_CN').fields_get(['sla_status', 'triage_complaint'],
                                     ['string'])
        self.assertEqual(labels['sla_status']['string'], 'SLA 状态')
        self.assertEqual(labels['triage_complaint']['string'], '是否投诉?')


class TestTicketAccess(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketAccess, cls).setUpClass()
        cls.other_team = cls.env['meddev.service.team'].create({
            'name': 'West Team', 'calendar_id': cls.calendar.id,
            'alias_name': 'west-service-test'})
        cls.own = cls._create_ticket(cls.team)
        cls.foreign = cls._create_ticket(cls.other_team)
        cls.other_hospital = cls.env['res.partner'].create(
            {'name': 'Other Hospital', 'is_company': True})
        cls.other_customer = cls.env['meddev.service.ticket'].create({
            'title': 'Other', 'team_id': cls.team.id,
            'partner_id': cls.other_hospital.id})
        cls.portal = cls.env['res.users'].create({
            'name': 'Portal Nurse', 'login': 'srv_portal',
            'partner_id': cls.nurse.id,
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})

    @classmethod
    def _create_ticket(cls, team):
        return cls.env['meddev.service.ticket'].create({
            'title': 'Check', 'team_id': team.id,
            'equipment_id': cls.equipment.id})

    def _visible(self, user):
        tickets = self.own | self.foreign | self.other_customer
        return self.env['meddev.service.ticket'].sudo(user).search(
            [('id', 'in', tickets.ids)])

    def test_user_sees_own_team(self):
        self.assertEqual(self._visible(self.user),
                         self.own | self.other_customer)
        with self.assertRaises(AccessError):
            self.foreign.sudo(self.user).read(['name'])
        self.own.sudo(self.user).write({'description': 'Checked'})

    def test_clocks_and_parts_follow_the_ticket(self):
        clocks = self.env['meddev.service.ticket.sla']
        self.assertTrue(self.foreign.sla_line_ids)
        for user in (self.user, self.dispatcher):
            visible = clocks.sudo(user).search(
                [('ticket_id', 'in', (self.own | self.foreign).ids)])
            self.assertEqual(visible.mapped('ticket_id'), self.own)
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.foreign.sla_line_ids.sudo(user).read(['deadline'])
        self.assertEqual(clocks.sudo(self.manager).search(
            [('ticket_id', '=', self.foreign.id)]),
            self.foreign.sla_line_ids)

    def test_dispatcher_sees_own_teams(self):
        self.assertEqual(self._visible(self.dispatcher),
                         self.own | self.other_customer)
        self.own.sudo(self.dispatcher).write({'user_id': self.user.id})
        self.assertEqual(self.own.user_id, self.user)
        self.assertEqual(self._visible(self.manager),
                         self.own | self.foreign | self.other_customer)

    def test_portal_sees_own_company_only(self):
        self.assertEqual(self._visible(self.portal), self.own | self.foreign)
        with self.assertRaises(AccessError):
            self.other_customer.sudo(self.portal).read(['name'])
        with self.assertRaises(AccessError):
            self.own.sudo(self.portal).write({'description': 'x'})

    def test_employee_without_group(self):
        tickets = self.env['meddev.service.ticket'].sudo(self.employee)
        with self.assertRaises(AccessError):
            tickets.search([])
        # The portal page shows such a user nothing, without an error.
        self.assertFalse(tickets._portal_tickets())
        self.assertEqual(tickets._portal_tickets_count(), 0)

    def test_configuration_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.env['meddev.sla.policy'].sudo(self.user).create(
                {'name': 'Mine', 'response_hours': 1})
        with self.assertRaises(AccessError):
            self.team.sudo(self.dispatcher).write({'name': 'Renamed'})
        policy = self.env['meddev.sla.policy'].sudo(self.manager).create(
            {'name': 'Managers may', 'response_hours': 1})
        self.assertTrue(policy.exists())

    def test_other_company_hidden(self):
        company = self.env['res.company'].create({'name': 'Other Co'})
        self.own.company_id = company
        self.assertNotIn(self.own, self._visible(self.dispatcher))
        # Neither written nor read by another company's users, the
        # manager included.
        for user in (self.user, self.dispatcher, self.manager):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.own.sudo(user).write({'description': 'Cross company'})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.own.sudo(user).read(['title'])
        # Allowed in both companies but working in the first: the rules
        # follow the current company (user.company_id), as Odoo 11 does.
        self.dispatcher.write({'company_ids': [(4, company.id)]})
        self.assertNotIn(self.own, self._visible(self.dispatcher))
        self.dispatcher.write({'company_id': company.id})
        self.assertIn(self.own, self._visible(self.dispatcher))

    def test_portal_opens_ticket_for_own_company(self):
        model = self.env['meddev.service.ticket'].sudo(self.portal)
        ticket = model._portal_create('Alarm silent', 'No sound', 'X1-0001')
        self.assertEqual(ticket.partner_id, self.hospital)
        self.assertEqual(ticket.contact_id, self.nurse)
        self.assertEqual(ticket.channel, 'portal')
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertIn(ticket, model._portal_tickets())
        with self.assertRaises(AccessError):
            model._portal_ticket(self.other_customer.id)
        # The report waits for the closure.
        with self.assertRaises(AccessError):
            model._portal_report_pdf(ticket.id)
