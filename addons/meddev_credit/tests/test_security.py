from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevCreditCase


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevCreditCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.history = cls._create_rating(cls.customer, 'B', 72.5)
        cls.root_menu = cls.env.ref('meddev_credit.meddev_credit_root_menu')
        cls.config_menu = cls.env.ref('meddev_credit.meddev_credit_config_menu')

    def _visible_menus(self, user):
        """Return which of the module's menus ``user`` sees."""
        return self.env['ir.ui.menu'].sudo(user).search(
            [('id', 'child_of', self.root_menu.id)])

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
        self.assertTrue(
            admin.has_group('meddev_credit.group_meddev_credit_user'))

    def test_menus(self):
        history_menu = self.env.ref(
            'meddev_credit.meddev_credit_rating_history_menu')
        self.assertEqual(self.config_menu.parent_id, self.root_menu)
        self.assertEqual(self.root_menu.groups_id, self.group_user)
        self.assertEqual(self.config_menu.groups_id, self.group_manager)
        self.assertEqual(
            self.root_menu.web_icon, 'meddev_credit,static/description/icon.png')
        for user in self.user | self.manager:
            visible = self._visible_menus(user)
            self.assertIn(self.root_menu, visible)
            self.assertIn(history_menu, visible)
        self.assertNotIn(self.config_menu, self._visible_menus(self.user))
        self.assertFalse(self._visible_menus(self.employee))

    def test_employee_has_no_access(self):
        histories = self.env['meddev.credit.rating.history'].sudo(
            self.employee)
        with self.assertRaises(AccessError):
            histories.search([])
        with self.assertRaises(AccessError):
            self.history.sudo(self.employee).read(['rating'])

    def test_user_reads_only(self):
        histories = self.env['meddev.credit.rating.history'].sudo(self.user)
        self.assertEqual(
            histories.search([('partner_id', '=', self.customer.id)]),
            self.history)
        self.assertEqual(
            self.history.sudo(self.user).read(['score'])[0]['score'], 72.5)
        with self.assertRaises(AccessError):
            histories.create({
                'partner_id': self.customer.id, 'rating': 'A', 'score': 95})
        with self.assertRaises(AccessError):
            self.history.sudo(self.user).write({'rating': 'A'})

    def test_manager_adds_but_never_rewrites(self):
        histories = self.env['meddev.credit.rating.history'].sudo(
            self.manager)
        new = histories.create({
            'partner_id': self.customer.id, 'rating': 'C', 'score': 41})
        self.assertEqual(new.company_id, self.manager.company_id)
        self.assertEqual(
            histories.search([('partner_id', '=', self.customer.id)]),
            new | self.history)
        # The history is an audit trail: not even a manager edits it.
        with self.assertRaises(AccessError):
            self.history.sudo(self.manager).write({'rating': 'A'})
        with self.assertRaises(AccessError):
            self.history.sudo(self.manager).unlink()

    def test_company_rule(self):
        other_company = self.env['res.company'].create({
            'name': 'MedDev Test Subsidiary'})
        foreign = self._create_rating(
            self.customer, 'D', 10, company_id=other_company.id)
        histories = self.env['meddev.credit.rating.history'].sudo(self.user)
        self.assertEqual(
            histories.search([('partner_id', '=', self.customer.id)]),
            self.history)
        with self.assertRaises(AccessError):
            foreign.sudo(self.user).read(['rating'])
        other_user = self._create_user(
            'credit_user_sub', self.group_user, company=other_company)
        self.assertEqual(
            histories.sudo(other_user).search(
                [('partner_id', '=', self.customer.id)]),
            foreign)

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '信用管理')
        self.assertEqual(
            self.root_menu.with_context(lang='en_US').name, 'Credit Control')
        labels = self.env['meddev.credit.rating.history'].with_context(
            lang='zh_CN').fields_get(['rating'], ['string', 'selection'])
        self.assertEqual(labels['rating']['string'], '信用等级')
        self.assertIn(('D', 'D - 暂停赊销'), labels['rating']['selection'])
        partner_labels = self.env['res.partner'].with_context(
            lang='zh_CN').fields_get(['credit_exposure', 'credit_hold'],
                                     ['string'])
        self.assertEqual(partner_labels['credit_exposure']['string'],
                         '信用敞口')
        self.assertEqual(partner_labels['credit_hold']['string'], '信用冻结')
