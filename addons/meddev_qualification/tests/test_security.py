from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevQualificationCase


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevQualificationCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.imaging = cls._create_device_category(
            'Medical imaging devices', 'T06')
        cls.root_menu = cls.env.ref(
            'meddev_qualification.meddev_qualification_root_menu')
        cls.config_menu = cls.env.ref(
            'meddev_qualification.meddev_qualification_config_menu')

    def _visible_menus(self, user):
        """Return which of the module's two main menus ``user`` sees."""
        menus = self.root_menu | self.config_menu
        return self.env['ir.ui.menu'].sudo(user).search(
            [('id', 'in', menus.ids)])

    def test_group_hierarchy(self):
        self.assertIn(self.group_employee, self.group_user.implied_ids)
        self.assertIn(self.group_user, self.group_reviewer.implied_ids)
        self.assertIn(self.group_reviewer, self.group_manager.implied_ids)
        self.assertIn(self.group_user, self.group_manager.trans_implied_ids)
        self.assertNotIn(
            self.group_manager, self.group_user.trans_implied_ids)
        for group in self.group_user | self.group_reviewer | self.group_manager:
            self.assertEqual(group.category_id, self.category)
        # A manager given only the manager group holds the lower roles too.
        self.assertIn(self.group_user, self.manager.groups_id)
        self.assertIn(self.group_reviewer, self.manager.groups_id)

    def test_admin_is_manager(self):
        admin = self.env.ref('base.user_root')
        self.assertIn(admin, self.group_manager.users)
        self.assertTrue(admin.has_group(
            'meddev_qualification.group_meddev_qualification_user'))

    def test_menus(self):
        self.assertEqual(self.config_menu.parent_id, self.root_menu)
        self.assertEqual(self.root_menu.groups_id, self.group_user)
        self.assertEqual(self.config_menu.groups_id, self.group_manager)
        self.assertEqual(
            self.root_menu.web_icon,
            'meddev_qualification,static/description/icon.png')
        self.assertEqual(self._visible_menus(self.user), self.root_menu)
        self.assertEqual(self._visible_menus(self.reviewer), self.root_menu)
        self.assertEqual(
            self._visible_menus(self.manager),
            self.root_menu | self.config_menu)
        self.assertFalse(self._visible_menus(self.employee))

    def test_employee_has_no_access(self):
        categories = self.env['meddev.device.category'].sudo(self.employee)
        with self.assertRaises(AccessError):
            categories.search([])
        with self.assertRaises(AccessError):
            self.imaging.sudo(self.employee).read(['name'])

    def test_user_reads_but_cannot_configure(self):
        for user in self.user | self.reviewer:
            categories = self.env['meddev.device.category'].sudo(user)
            self.assertEqual(
                categories.search([('code', '=', 'T06')]), self.imaging)
            self.assertEqual(
                self.imaging.sudo(user).read(['name'])[0]['name'],
                'Medical imaging devices')
            with self.assertRaises(AccessError):
                categories.create({'name': 'Dental devices'})
            with self.assertRaises(AccessError):
                self.imaging.sudo(user).write({'code': 'T07'})
            with self.assertRaises(AccessError):
                self.imaging.sudo(user).unlink()

    def test_manager_configures(self):
        categories = self.env['meddev.device.category'].sudo(self.manager)
        ultrasound = categories.create({
            'name': 'Ultrasound devices',
            'parent_id': self.imaging.id,
        })
        ultrasound.write({'code': 'T06-07'})
        self.assertEqual(ultrasound.code, 'T06-07')
        self.imaging.sudo(self.manager).toggle_active()
        self.assertFalse(self.imaging.active)

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_qualification'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '资质管理')
        self.assertEqual(
            self.root_menu.with_context(lang='en_US').name, 'Qualification')
        self.assertEqual(
            self.group_manager.with_context(lang='zh_CN').name, '管理员')
        labels = self.env['meddev.device.category'].with_context(
            lang='zh_CN').fields_get(['parent_id'], ['string'])
        self.assertEqual(labels['parent_id']['string'], '上级分类')
        # Refusals speak the user's language too.
        child = self._create_device_category('X-ray equipment', 'T06-01',
                                             self.imaging)
        with self.assertRaisesRegex(ValidationError, '不能放在其自身'), \
                self.cr.savepoint():
            self.imaging.sudo(self.manager).with_context(
                lang='zh_CN').parent_id = child
