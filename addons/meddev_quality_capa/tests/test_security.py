from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevQualityCapaCase


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevQualityCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.rule = cls._create_rule(
            'Test rule: death in China', cls.china, 'death', 7)
        cls.root_menu = cls.env.ref(
            'meddev_quality_capa.meddev_quality_capa_root_menu')
        cls.config_menu = cls.env.ref(
            'meddev_quality_capa.meddev_quality_capa_config_menu')

    def _visible_menus(self, user):
        """Return which of the module's two main menus ``user`` sees."""
        menus = self.root_menu | self.config_menu
        return self.env['ir.ui.menu'].sudo(user).search(
            [('id', 'in', menus.ids)])

    def test_group_hierarchy(self):
        self.assertIn(self.group_employee, self.group_user.implied_ids)
        self.assertIn(self.group_user, self.group_manager.implied_ids)
        self.assertIn(self.group_user, self.group_manager.trans_implied_ids)
        self.assertNotIn(
            self.group_manager, self.group_user.trans_implied_ids)
        for group in self.group_user | self.group_manager:
            self.assertEqual(group.category_id, self.category)
        self.assertIn(self.group_user, self.manager.groups_id)

    def test_admin_is_manager(self):
        admin = self.env.ref('base.user_root')
        self.assertIn(admin, self.group_manager.users)
        self.assertTrue(admin.has_group(
            'meddev_quality_capa.group_meddev_quality_capa_user'))

    def test_menus(self):
        self.assertEqual(self.config_menu.parent_id, self.root_menu)
        self.assertEqual(self.root_menu.groups_id, self.group_user)
        self.assertEqual(self.config_menu.groups_id, self.group_manager)
        self.assertEqual(
            self.root_menu.web_icon,
            'meddev_quality_capa,static/description/icon.png')
        self.assertEqual(self._visible_menus(self.user), self.root_menu)
        self.assertEqual(
            self._visible_menus(self.manager),
            self.root_menu | self.config_menu)
        self.assertFalse(self._visible_menus(self.employee))

    def test_employee_has_no_access(self):
        rules = self.env['meddev.reporting.rule'].sudo(self.employee)
        with self.assertRaises(AccessError):
            rules.search([])
        with self.assertRaises(AccessError):
            self.rule.sudo(self.employee).read(['days'])

    def test_user_reads_but_cannot_configure(self):
        rules = self.env['meddev.reporting.rule'].sudo(self.user)
        self.assertIn(
            self.rule, rules.search([('country_id', '=', self.china.id)]))
        self.assertEqual(self.rule.sudo(self.user).read(['days'])[0]['days'], 7)
        with self.assertRaises(AccessError):
            rules.create({
                'name': 'Test rule: serious injury in China',
                'country_id': self.china.id,
                'severity': 'serious_injury',
                'days': 20,
            })
        with self.assertRaises(AccessError):
            self.rule.sudo(self.user).write({'days': 30})
        with self.assertRaises(AccessError):
            self.rule.sudo(self.user).unlink()

    def test_manager_configures(self):
        rules = self.env['meddev.reporting.rule'].sudo(self.manager)
        rule = rules.create({
            'name': 'Test rule: serious injury in China',
            'country_id': self.china.id,
            'severity': 'serious_injury',
            'days': 20,
        })
        self.assertEqual(rule.company_id, self.manager.company_id)
        rule.write({'days': 15})
        self.assertEqual(rule.days, 15)
        rule.toggle_active()
        self.assertFalse(rule.active)
        self.assertNotIn(rule, rules.search([]))

    def test_company_rule(self):
        other_company = self.env['res.company'].create({
            'name': 'MedDev Test Subsidiary'})
        foreign = self._create_rule(
            'Test rule: subsidiary', self.germany, 'death', 10,
            company_id=other_company.id)
        shared = self._create_rule(
            'Test rule: shared', self.germany, 'other', 30, company_id=False)
        rules = self.env['meddev.reporting.rule'].sudo(self.user)
        self.assertEqual(
            rules.search([('country_id', '=', self.germany.id)]), shared)
        with self.assertRaises(AccessError):
            foreign.sudo(self.user).read(['days'])
        other_user = self._create_user(
            'qa_user_sub', self.group_user, company=other_company)
        self.assertEqual(
            rules.sudo(other_user).search(
                [('country_id', '=', self.germany.id)]),
            foreign | shared)

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_quality_capa'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '质量管理')
        self.assertEqual(
            self.root_menu.with_context(lang='en_US').name, 'Quality')
        fields = self.env['meddev.reporting.rule'].with_context(
            lang='zh_CN').fields_get(['severity'], ['string', 'selection'])
        self.assertEqual(fields['severity']['string'], '严重程度')
        self.assertIn(('serious_injury', '严重伤害'),
                      fields['severity']['selection'])
        # Refusals speak the user's language too.
        with self.assertRaisesRegex(ValidationError, '时限必须至少为一天'), \
                self.cr.savepoint():
            self.rule.sudo(self.manager).with_context(lang='zh_CN').write(
                {'days': 0})
