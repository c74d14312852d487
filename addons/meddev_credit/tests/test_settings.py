from odoo import api
from odoo.exceptions import AccessError, ValidationError

from ..models.res_company import MANAGER_GROUP, SETTING_FIELDS
from .common import MeddevCreditCase


class TestSettings(MeddevCreditCase):
    """Settings > Credit Control: every company-level option is read and
    written per company through the settings; only credit managers and
    administrators change them; the company form no longer shows them."""

    @classmethod
    def setUpClass(cls):
        super(TestSettings, cls).setUpClass()
        cls.main = cls.env.user.company_id
        cls.other = cls.env['res.company'].create(
            {'name': 'Settings Client Ltd'})
        cls.admin = cls._create_user(
            'credit_settings_admin', cls.env.ref('base.group_system'))
        cls.admin.write({'company_ids': [(6, 0, (cls.main | cls.other).ids)],
                         'company_id': cls.main.id})
        cls.manager_in_both = cls._create_user(
            'credit_settings_manager', cls.group_manager
            | cls.env.ref('base.group_erp_manager'))
        cls.manager_in_both.company_ids = cls.main | cls.other
        cls.erp_manager = cls._create_user(
            'credit_settings_erp', cls.env.ref('base.group_erp_manager')
            | cls.group_employee)
        cls.values = {
            cls.main: {
                'credit_rating_window_days': 200,
                'credit_full_risk_days': 45,
                'credit_hold_overdue_days': 60,
                'credit_default_tolerance_days': 20,
                'credit_overdue_tolerance_amount': 50.0,
                'credit_overdue_mode': 'warn',
                'credit_no_limit_policy': 'default',
                'credit_default_limit': 5000.0,
                'credit_override_validity_days': 3,
                'credit_history_score_step': 2.5,
                'credit_manager_id': cls.manager.id,
            },
            cls.other: {
                'credit_rating_window_days': 400,
                'credit_full_risk_days': 90,
                'credit_hold_overdue_days': 0,
                'credit_default_tolerance_days': 10,
                'credit_overdue_tolerance_amount': 5.0,
                'credit_overdue_mode': 'block',
                'credit_no_limit_policy': 'block',
                'credit_default_limit': 0.0,
                'credit_override_validity_days': 14,
                'credit_history_score_step': 10.0,
                'credit_manager_id': cls.manager_in_both.id,
            },
        }

    def setUp(self):
        super(TestSettings, self).setUp()
        # The users' environments of a test may not share the class
        # environment's cache, which the rollback clears: clear theirs.
        self.env['res.company'].sudo(self.admin).invalidate_cache()

    def _settings(self, company, values=None):
        """Return the Settings of ``company`` as the administrator sees
        them when working in it."""
        self.admin.company_id = company
        return self.env['res.config.settings'].sudo(self.admin).create(
            dict(values or {}, company_id=company.id))

    def _read(self, company, name):
        value = self._settings(company)[name]
        return value.id if hasattr(value, 'ids') else value

    def test_every_option_is_a_setting(self):
        settings = self.env['res.config.settings']
        # meddev_base's guard lets only this group change them.
        guarded = self.env['res.company']._meddev_guarded_settings()
        for name in SETTING_FIELDS:
            self.assertEqual(guarded[name], MANAGER_GROUP, name)
            self.assertEqual(settings._fields[name].related,
                             ('company_id', name))

    def test_each_option_read_and_written_per_company(self):
        for company, values in self.values.items():
            self._settings(company, values).execute()
        for company, values in self.values.items():
            for name, value in values.items():
                self.assertEqual(self._read(company, name), value,
                                 '%s of %s' % (name, company.name))
                stored = company[name]
                self.assertEqual(
                    stored.id if hasattr(stored, 'ids') else stored, value)

    def test_one_option_changed_leaves_the_other_company(self):
        before = {name: self._read(self.other, name)
                  for name in SETTING_FIELDS}
        self._settings(self.main, {'credit_overdue_mode': 'warn'}).execute()
        self.assertEqual(self.main.credit_overdue_mode, 'warn')
        self.assertEqual({name: self._read(self.other, name)
                          for name in SETTING_FIELDS}, before)

    def test_only_credit_managers_and_admins_change_them(self):
        company = self.main.sudo(self.erp_manager)
        with self.assertRaisesRegex(
                AccessError, 'only a member of "Credit Control / Manager"'):
            company.write({'credit_overdue_mode': 'warn'})
        with self.assertRaisesRegex(AccessError, 'Default Credit Limit'):
            company.write({'credit_default_limit': 1.0})
        with self.assertRaises(AccessError):
            self.env['res.company'].sudo(self.erp_manager).create(
                {'name': 'Lenient Ltd', 'credit_overdue_mode': 'warn'})
        # Unchanged values (what a form sends back) and other fields pass.
        company.write({'credit_overdue_mode': self.main.credit_overdue_mode,
                       'report_footer': 'Tel. 010-1234'})
        self.main.sudo(self.manager_in_both).write(
            {'credit_overdue_mode': 'warn'})
        self.main.invalidate_cache()
        self.assertEqual(self.main.credit_overdue_mode, 'warn')
        # Over XML-RPC as well (Settings themselves save for
        # administrators only, whom the guard lets through).
        with self.assertRaisesRegex(
                AccessError, 'only a member of "Credit Control / Manager"'):
            api.call_kw(self.main.sudo(self.erp_manager), 'write', [
                self.main.ids, {'credit_no_limit_policy': 'block'}], {})
        self.main.invalidate_cache()
        self.assertEqual(self.main.credit_no_limit_policy, 'unlimited')

    def test_credit_manager_is_a_credit_manager_of_the_company(self):
        before = self.other.credit_manager_id
        for user, reason in ((self.erp_manager, 'are not a credit manager'),
                             (self.manager, 'do not work in this company')):
            # Each refusal rolls back its request, as the server does.
            with self.assertRaisesRegex(
                    ValidationError, '%s cannot be the credit manager of '
                    'Settings Client Ltd: they %s' % (user.name, reason)), \
                    self.env.cr.savepoint():
                self._settings(self.other, {
                    'credit_manager_id': user.id}).execute()
            with self.assertRaisesRegex(ValidationError, reason), \
                    self.env.cr.savepoint():
                self.other.sudo(self.manager_in_both).write(
                    {'credit_manager_id': user.id})
        self.other.invalidate_cache()
        self.assertEqual(self.other.credit_manager_id, before)
        self._settings(self.other, {
            'credit_manager_id': self.manager_in_both.id}).execute()
        self.assertEqual(self.other.credit_manager_id, self.manager_in_both)

    def test_options_left_the_company_form(self):
        arch = self.env['res.company'].fields_view_get(
            view_type='form')['arch']
        for name in SETTING_FIELDS:
            self.assertNotIn('name="%s"' % name, arch)
