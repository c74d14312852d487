from odoo.exceptions import AccessError, ValidationError

from ..models.res_company import MANAGER_GROUP, SETTING_FIELDS
from .common import MeddevQualityCapaCase, frozen_now


class TestQualitySettings(MeddevQualityCapaCase):
    """Settings > Quality: every company-level option is read and written
    per company through the settings; only quality managers and
    administrators change them; the options take effect (jurisdictions
    switched off create no reports, the lead time moves the warning)."""

    @classmethod
    def setUpClass(cls):
        super(TestQualitySettings, cls).setUpClass()
        cls.main = cls.company
        cls.other = cls.env['res.company'].create(
            {'name': 'Quality Settings Client Ltd'})
        cls.admin = cls._create_user(
            'qa_settings_admin', cls.env.ref('base.group_system'))
        cls.admin.write({'company_ids': [(6, 0, (cls.main | cls.other).ids)],
                         'company_id': cls.main.id})
        # Can edit companies (Administration: Access Rights) but is not a
        # quality manager.
        cls.erp_manager = cls._create_user(
            'qa_settings_erp', cls.env.ref('base.group_erp_manager')
            | cls.group_employee)
        cls.values = {
            cls.main: {
                'meddev_quality_manager_id': cls.manager.id,
                'meddev_cluster_window_days': 14,
                'meddev_cluster_threshold': 2,
                'meddev_product_cluster_threshold': 6,
                'meddev_trend_threshold': 8,
                'meddev_reporting_country_ids': [cls.china.id],
                'meddev_deadline_warning_hours': 96,
            },
            cls.other: {
                'meddev_quality_manager_id': cls.regulatory.id,
                'meddev_cluster_window_days': 60,
                'meddev_cluster_threshold': 0,
                'meddev_product_cluster_threshold': 0,
                'meddev_trend_threshold': 0,
                'meddev_reporting_country_ids': [cls.germany.id,
                                                 cls.usa.id],
                'meddev_deadline_warning_hours': 0,
            },
        }

    def setUp(self):
        super(TestQualitySettings, self).setUp()
        # The users' environments may keep values of the previous test
        # after the rollback: clear theirs.
        self.env['res.company'].sudo(self.admin).invalidate_cache()

    def _settings(self, company, values=None, user=None):
        """Return the Settings of ``company`` as ``user`` (the
        administrator) sees them when working in it."""
        user = user or self.admin
        user.company_id = company
        vals = dict(values or {}, company_id=company.id)
        if 'meddev_reporting_country_ids' in vals:
            vals['meddev_reporting_country_ids'] = [
                (6, 0, vals['meddev_reporting_country_ids'])]
        return self.env['res.config.settings'].sudo(user).create(vals)

    @staticmethod
    def _value(value):
        if hasattr(value, 'ids'):
            return sorted(value.ids) if value._name == 'res.country' \
                else value.id
        return value

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
            settings = self._settings(company)
            for name, value in values.items():
                expected = sorted(value) if isinstance(value, list) \
                    else value
                self.assertEqual(self._value(settings[name]), expected,
                                 '%s of %s' % (name, company.name))
                self.assertEqual(self._value(company[name]), expected)

    def test_one_option_changed_leaves_the_other_company(self):
        before = {name: self._value(self._settings(self.other)[name])
                  for name in SETTING_FIELDS}
        self._settings(self.main, {'meddev_trend_threshold': 9}).execute()
        self.assertEqual(self.main.meddev_trend_threshold, 9)
        self.assertEqual({name: self._value(self._settings(self.other)[name])
                          for name in SETTING_FIELDS}, before)

    def test_only_quality_managers_and_admins_change_them(self):
        company = self.main.sudo(self.erp_manager)
        with self.assertRaisesRegex(
                AccessError, 'only a member of "Quality / Manager"'):
            company.write({'meddev_cluster_threshold': 10})
        with self.assertRaisesRegex(AccessError, 'Active Jurisdictions'):
            company.write({'meddev_reporting_country_ids': [
                (6, 0, self.usa.ids)]})
        with self.assertRaisesRegex(AccessError, 'Warn at Least'):
            company.write({'meddev_deadline_warning_hours': 1})
        with self.assertRaises(AccessError):
            self.env['res.company'].sudo(self.erp_manager).create(
                {'name': 'Lenient Ltd', 'meddev_cluster_threshold': 99})
        # Unchanged values (what Settings sends back) and other fields
        # pass.
        company.write({
            'meddev_cluster_threshold': self.main.meddev_cluster_threshold,
            'meddev_reporting_country_ids': [
                (6, 0, self.main.meddev_reporting_country_ids.ids)],
            'report_footer': 'Tel. 021-1234'})
        # A quality manager who may edit companies changes them.
        self.manager.groups_id |= self.env.ref('base.group_erp_manager')
        self.main.sudo(self.manager).write({'meddev_cluster_threshold': 4})
        self.main.invalidate_cache()
        self.assertEqual(self.main.meddev_cluster_threshold, 4)
        # The reporter role: administrators only, quality managers not.
        role = self.main.meddev_reporter_role
        other_role = 'distributor' if role != 'distributor' else 'importer'
        with self.assertRaisesRegex(
                AccessError, '"Administration / Settings" or an administrator'
                ' may change the options Reporter Role'):
            self.main.sudo(self.manager).write(
                {'meddev_reporter_role': other_role})
        self.main.sudo(self.manager).write({'meddev_reporter_role': role})
        self._settings(self.main, {'meddev_reporter_role': other_role})\
            .execute()
        self.main.invalidate_cache()
        self.assertEqual(self.main.meddev_reporter_role, other_role)
        with self.assertRaises(AccessError):
            self._settings(self.main, {'meddev_cluster_threshold': 7},
                           user=self.user).execute()
        self.main.invalidate_cache()
        self.assertEqual(self.main.meddev_cluster_threshold, 4)

    def test_bad_values_refused(self):
        for vals in ({'meddev_cluster_window_days': 0},
                     {'meddev_cluster_threshold': -1},
                     {'meddev_deadline_warning_hours': -2}):
            with self.assertRaisesRegex(ValidationError, 'cluster window'), \
                    self.cr.savepoint():
                self._settings(self.main, vals).execute()

    def test_options_left_the_company_form(self):
        arch = self.env['res.company'].fields_view_get(
            view_type='form')['arch']
        for name in SETTING_FIELDS:
            self.assertNotIn('name="%s"' % name, arch)

    def test_jurisdiction_switched_off_creates_no_report(self):
        self._settings(self.main, {
            'meddev_reporting_country_ids': [self.germany.id]}).execute()
        complaint = self._create_complaint(user=self.user)
        with self.assertRaisesRegex(ValidationError, 'not active'), \
                self.cr.savepoint():
            self._decide(complaint, self.china)
        self.assertFalse(complaint.report_ids)
        # Not reportable there: recorded, nothing due.
        self._decide(complaint, self.china, 'not_reportable',
                     rationale='不在中国销售')
        self.assertFalse(complaint.report_ids)
        self._settings(self.main, {
            'meddev_reporting_country_ids': []}).execute()
        other = self._create_complaint(user=self.user)
        self._decide(other, self.china)
        self.assertEqual(len(other.report_ids), 1)

    def test_jurisdiction_switched_off_keeps_running_reports(self):
        """Switching China off concerns later decisions: a report already
        due stays due, even when the complaint's clocks are synced again
        (review of issue 9, S1-4)."""
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(user=self.user)
            decision = self._decide(complaint, self.china)
            report = complaint.report_ids
            self.assertEqual(report.state, 'open')
            self._settings(self.main, {
                'meddev_reporting_country_ids': [self.germany.id]}).execute()
            decision.sudo(self.regulatory).write({'rationale': '严重伤害'})
            self.env['meddev.regulatory.report'].invalidate_cache()
            complaint.invalidate_cache()
            self.assertEqual(report.state, 'open')
            self.assertEqual(complaint.report_ids, report)

    def test_warning_lead_time(self):
        complaint = self._create_complaint(user=self.user)
        self._decide(complaint, self.china)
        report = complaint.report_ids
        # The rule warns 72 hours ahead.
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertEqual(report.warn_date, '2026-03-20 23:59:59')
        self._settings(self.main, {
            'meddev_deadline_warning_hours': 120}).execute()
        report.invalidate_cache()
        self.assertEqual(report.warn_date, '2026-03-18 23:59:59')
        with frozen_now('2026-03-19 12:00:00'):
            warned, _missed = self.env[
                'meddev.regulatory.report']._cron_check_deadlines()
        self.assertIn(report, warned)
        # A shorter lead time than the rule's leaves the rule's.
        self._settings(self.main, {
            'meddev_deadline_warning_hours': 24}).execute()
        report.invalidate_cache()
        self.assertEqual(report.warn_date, '2026-03-20 23:59:59')
