from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestControlSwitches(MeddevTradeCase):
    """The company's qualification controls (licence gate on purchases,
    first-business review required): only a qualification manager changes
    them, on every path, and every change is logged for quality."""

    @classmethod
    def setUpClass(cls):
        super(TestControlSwitches, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.write({'meddev_purchase_gate': True,
                           'meddev_review_required': False})
        # Employees with Administration / Access Rights (and the stock
        # rights a new company's warehouse needs).
        access_rights = cls.env.ref('base.group_erp_manager') | cls.env.ref(
            'base.group_user') | cls.env.ref('stock.group_stock_manager')
        # Administration / Access Rights: may write res.company.
        cls.access_admin = cls._create_user('ctl_access_admin',
                                            access_rights)
        cls.settings_admin = cls._create_user(
            'ctl_settings_admin', access_rights | cls.env.ref(
                'base.group_system'))
        cls.qual_admin = cls._create_user(
            'ctl_qual_admin', access_rights | cls.group_manager)

    def _logs(self):
        return self.env['meddev.qualification.settings.log'].search(
            [('company_id', '=', self.company.id)])

    def test_access_rights_admin_cannot_switch_the_gate_off(self):
        for user in (self.access_admin, self.settings_admin):
            with self.assertRaisesRegex(
                    AccessError, 'only a qualification manager may change '
                    'Licence Gate on Purchases'), self.cr.savepoint():
                self.company.sudo(user).write({'meddev_purchase_gate': False})
        with self.assertRaises(AccessError), self.cr.savepoint():
            settings = self.env['res.config.settings'].sudo(
                self.settings_admin).create({'meddev_purchase_gate': False})
            settings.execute()
        self.company.invalidate_cache()
        self.assertTrue(self.company.meddev_purchase_gate)
        self.assertFalse(self._logs())

    def test_unchanged_values_and_other_fields_pass(self):
        # Saving the company form or any Settings page sends the current
        # values again: not a change, not logged.
        self.company.sudo(self.access_admin).write({
            'meddev_purchase_gate': True, 'meddev_review_required': False,
            'phone': '+86 10 1234 5678'})
        self.assertEqual(self.company.phone, '+86 10 1234 5678')
        self.assertFalse(self._logs())

    def test_manager_change_logged_and_read_by_quality(self):
        self.company.sudo(self.qual_admin).write(
            {'meddev_purchase_gate': False, 'meddev_review_required': True})
        self.assertFalse(self.company.meddev_purchase_gate)
        logs = self._logs()
        self.assertEqual(len(logs), 2)
        gate = logs.filtered(
            lambda log: log.field_name == 'meddev_purchase_gate')
        self.assertEqual(
            (gate.user_id, gate.field_label, gate.old_value, gate.new_value),
            (self.qual_admin, 'Licence Gate on Purchases', 'On', 'Off'))
        self.assertTrue(gate.date)
        # Quality staff read it; a salesperson with the Qualification user
        # group does not.
        self.assertEqual(
            self.env['meddev.qualification.settings.log'].sudo(
                self.reviewer).search([('id', 'in', logs.ids)]), logs)
        with self.assertRaises(AccessError):
            self.env['meddev.qualification.settings.log'].sudo(
                self.user).search([])
        # Nobody changes or deletes the evidence, nor creates a row.
        with self.assertRaises(UserError), self.cr.savepoint():
            gate.sudo().write({'new_value': 'On'})
        with self.assertRaisesRegex(UserError, 'cannot be deleted'), \
                self.cr.savepoint():
            logs.sudo().unlink()
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env['meddev.qualification.settings.log'].sudo(
                self.qual_admin).create({
                    'company_id': self.company.id,
                    'user_id': self.qual_admin.id,
                    'date': '2026-03-01 00:00:00',
                    'field_name': 'meddev_purchase_gate',
                    'field_label': 'forged', 'new_value': 'On'})
        self.assertEqual(self._logs(), logs)

    def test_new_company_with_gate_off_needs_a_manager(self):
        # With `resource` installed (meddev_service), a new company's working
        # calendar needs Administration / Settings: both users have it, so
        # the refusal can only be the qualification manager check.
        with self.assertRaisesRegex(
                AccessError, 'only a qualification manager may change'), \
                self.cr.savepoint():
            self.env['res.company'].sudo(self.settings_admin).create(
                {'name': 'Gate-less Branch', 'meddev_purchase_gate': False})
        creator = self._create_user(
            'ctl_qual_settings_admin',
            self.settings_admin.groups_id | self.group_manager)
        branch = self.env['res.company'].sudo(creator).create(
            {'name': 'Gate-less Branch', 'meddev_purchase_gate': False})
        log = self.env['meddev.qualification.settings.log'].search(
            [('company_id', '=', branch.id)])
        self.assertEqual((log.old_value, log.new_value), ('On', 'Off'))
