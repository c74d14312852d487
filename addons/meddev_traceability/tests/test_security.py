from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevTraceabilityCase


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevTraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.link = cls._create_link(
            cls.serial, cls.board_lot, origin='manufacturing',
            origin_ref='WH/MO/00042')
        cls.root_menu = cls.env.ref(
            'meddev_traceability.meddev_traceability_root_menu')
        cls.config_menu = cls.env.ref(
            'meddev_traceability.meddev_traceability_config_menu')

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
        self.assertTrue(admin.has_group(
            'meddev_traceability.group_meddev_traceability_user'))

    def test_menus(self):
        link_menu = self.env.ref('meddev_traceability.meddev_lot_link_menu')
        self.assertEqual(self.config_menu.parent_id, self.root_menu)
        self.assertEqual(self.root_menu.groups_id, self.group_user)
        self.assertEqual(self.config_menu.groups_id, self.group_manager)
        self.assertEqual(
            self.root_menu.web_icon,
            'meddev_traceability,static/description/icon.png')
        for user in self.user | self.manager:
            visible = self._visible_menus(user)
            self.assertIn(self.root_menu, visible)
            self.assertIn(link_menu, visible)
        self.assertNotIn(self.config_menu, self._visible_menus(self.user))
        self.assertFalse(self._visible_menus(self.employee))

    def test_employee_has_no_access(self):
        links = self.env['meddev.lot.link'].sudo(self.employee)
        with self.assertRaises(AccessError):
            links.search([])
        with self.assertRaises(AccessError):
            self.link.sudo(self.employee).read(['quantity'])

    def test_user_reads_only(self):
        links = self.env['meddev.lot.link'].sudo(self.user)
        self.assertEqual(
            links.search([('child_lot_id', '=', self.board_lot.id)]),
            self.link)
        # Showing a link needs the lot names: the module grants reading lots.
        self.assertEqual(
            self.link.sudo(self.user).name_get(),
            [(self.link.id, 'PM9-0001 > MB2-L042')])
        self.assertEqual(
            self.link.sudo(self.user).read(['child_product_id'])[0][
                'child_product_id'][0],
            self.board.id)
        with self.assertRaises(AccessError):
            links.create({
                'parent_lot_id': self.serial.id,
                'child_lot_id': self.board_lot.id,
            })
        with self.assertRaises(AccessError):
            self.link.sudo(self.user).write({'quantity': 2})
        with self.assertRaises(AccessError):
            self.board_lot.sudo(self.user).write({'name': 'MB2-L043'})

    def test_manager_records_but_never_deletes(self):
        links = self.env['meddev.lot.link'].sudo(self.manager)
        psu = self._create_lot(
            self._create_product('Power Supply PS-1', 'serial'), 'PS1-7')
        link = links.create({
            'parent_lot_id': self.serial.id,
            'child_lot_id': psu.id,
            'origin': 'service',
            'origin_ref': 'SRV/0007',
        })
        # The genealogy is regulated history: a wrong link is retired and
        # the right one recorded, never rewritten nor deleted.
        with self.assertRaises(UserError):
            link.write({'quantity': 1.0, 'origin_ref': 'SRV/0008'})
        with self.assertRaises(UserError):
            link.unlink()
        link._retire('Wrong ticket reference')
        fixed = links.create({
            'parent_lot_id': self.serial.id, 'child_lot_id': psu.id,
            'origin': 'service', 'origin_ref': 'SRV/0008'})
        self.assertEqual(fixed.origin_ref, 'SRV/0008')
        self.assertEqual(link.removal_reason, 'Wrong ticket reference')

    def test_company_rule(self):
        other_company = self.env['res.company'].create({
            'name': 'MedDev Test Subsidiary'})
        foreign = self._create_link(
            self.serial, self.board_lot, company_id=other_company.id)
        links = self.env['meddev.lot.link'].sudo(self.user)
        self.assertEqual(
            links.search([('parent_lot_id', '=', self.serial.id)]), self.link)
        with self.assertRaises(AccessError):
            foreign.sudo(self.user).read(['quantity'])

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_traceability'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '追溯管理')
        self.assertEqual(
            self.root_menu.with_context(lang='en_US').name, 'Traceability')
        fields = self.env['meddev.lot.link'].with_context(
            lang='zh_CN').fields_get(['origin'], ['string', 'selection'])
        self.assertEqual(fields['origin']['string'], '来源')
        self.assertIn(('service', '售后服务'), fields['origin']['selection'])
