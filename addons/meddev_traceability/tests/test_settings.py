from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.res_company import MANAGER_GROUP, SETTING_FIELDS
from .common import MeddevManufacturingCase, MeddevTraceabilityCase


def call_button(records, method):
    """Call a button method as the web client does: through call_kw, with
    the ids and the context as positional arguments."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


class TestSettings(MeddevTraceabilityCase):
    """Settings > Traceability: every company-level option read and
    written per company through the settings; only recall managers and
    administrators change them; the company form no longer shows them."""

    @classmethod
    def setUpClass(cls):
        super(TestSettings, cls).setUpClass()
        cls.main = cls.env.user.company_id
        cls.other = cls.env['res.company'].create(
            {'name': 'Trace Settings Client Ltd'})
        cls.admin = cls._create_user(
            'trace_settings_admin', cls.env.ref('base.group_system'))
        cls.admin.write({'company_ids': [(6, 0, (cls.main | cls.other).ids)],
                         'company_id': cls.main.id})
        cls.manager_erp = cls._create_user(
            'trace_settings_manager', cls.group_manager
            | cls.env.ref('base.group_erp_manager'))
        cls.erp_manager = cls._create_user(
            'trace_settings_erp', cls.env.ref('base.group_erp_manager'))
        tags = cls.env['res.partner.category']
        locations = cls.env['stock.location']
        parent = cls.env.ref('stock.stock_location_locations')
        cls.values = {}
        for company, grace, channel, auto in (
                (cls.main, 2, 'root.recall.main', False),
                (cls.other, 0, 'root.recall', True)):
            tag = tags.create({'name': '召回联系人 %s' % company.name})
            location = locations.create({
                'name': '召回隔离区 %s' % company.name,
                'location_id': parent.id, 'usage': 'internal',
                'recall_quarantine': True, 'company_id': company.id})
            cls.values[company] = {
                'recall_contact_category_id': tag.id,
                'recall_quarantine_location_id': location.id,
                'recall_overdue_grace_days': grace,
                'recall_notice_channel': channel,
                'recall_auto_quarantine': auto,
            }

    def setUp(self):
        super(TestSettings, self).setUp()
        # The users' environments may keep values of a rolled back test.
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
        self.assertEqual(set(self.values[self.main]), set(SETTING_FIELDS))
        # meddev_base's guard lets only this group change them.
        guarded = self.env['res.company']._meddev_guarded_settings()
        for name in SETTING_FIELDS:
            self.assertEqual(guarded[name], MANAGER_GROUP, name)
            self.assertEqual(settings._fields[name].related,
                             ('company_id', name))
            self.assertTrue(self.env['res.company']._fields[name].help, name)

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
        self._settings(self.main, {'recall_overdue_grace_days': 4}).execute()
        self.assertEqual(self.main.recall_overdue_grace_days, 4)
        self.assertEqual({name: self._read(self.other, name)
                          for name in SETTING_FIELDS}, before)

    def test_only_recall_managers_and_admins_change_them(self):
        company = self.main.sudo(self.erp_manager)
        with self.assertRaisesRegex(
                AccessError, 'only a member of "Traceability / Recall Manager"'):
            company.write({'recall_auto_quarantine': False})
        with self.assertRaisesRegex(AccessError, 'Overdue Grace'):
            company.write({'recall_overdue_grace_days': 30})
        with self.assertRaisesRegex(AccessError, 'Recall Quarantine Location'):
            company.write({'recall_quarantine_location_id': self.values[
                self.main]['recall_quarantine_location_id']})
        with self.assertRaises(AccessError):
            self.env['res.company'].sudo(self.erp_manager).create(
                {'name': 'Lenient Ltd', 'recall_auto_quarantine': False})
        # Unchanged values (what a form sends back) and other fields pass.
        company.write({
            'recall_auto_quarantine': self.main.recall_auto_quarantine,
            'recall_contact_category_id':
                self.main.recall_contact_category_id.id,
            'report_footer': 'Tel. 021-1234'})
        self.main.sudo(self.manager_erp).write(
            {'recall_overdue_grace_days': 6})
        self.main.invalidate_cache()
        self.assertEqual(self.main.recall_overdue_grace_days, 6)
        # Settings themselves are for administrators (Odoo's own check).
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].sudo(self.manager_erp).create(
                {'recall_overdue_grace_days': 1}).execute()
        self.assertEqual(self.main.recall_overdue_grace_days, 6)

    def test_bad_values_refused(self):
        with self.assertRaisesRegex(ValidationError, 'root'):
            self._settings(self.main, {
                'recall_notice_channel': 'recall'}).execute()
        with self.assertRaisesRegex(ValidationError, 'negative'):
            self._settings(self.main, {
                'recall_overdue_grace_days': -1}).execute()
        stock = self.env.ref('stock.stock_location_stock')
        with self.assertRaisesRegex(ValidationError, 'not marked'):
            self._settings(self.main, {
                'recall_quarantine_location_id': stock.id}).execute()
        with self.assertRaisesRegex(ValidationError, 'belongs to'):
            self._settings(self.main, {
                'recall_quarantine_location_id': self.values[self.other][
                    'recall_quarantine_location_id']}).execute()

    def test_quarantine_location_of_the_settings_is_used(self):
        locations = self.env['stock.location']
        chosen = self.values[self.main]['recall_quarantine_location_id']
        self.assertNotEqual(
            locations._recall_quarantine_location(self.main).id, chosen)
        self._settings(self.main, {
            'recall_quarantine_location_id': chosen}).execute()
        self.assertEqual(
            locations._recall_quarantine_location(self.main).id, chosen)

    def test_options_left_the_company_form(self):
        arch = self.env['res.company'].fields_view_get(
            view_type='form')['arch']
        for name in SETTING_FIELDS:
            self.assertNotIn('name="%s"' % name, arch)


class TestSettingsTakeEffect(MeddevManufacturingCase):
    """The switches change what a recall does: quarantine at launch or by
    the recall manager's button; the notices' job channel."""

    @classmethod
    def setUpClass(cls):
        super(TestSettingsTakeEffect, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.level = cls.env.ref('meddev_traceability.recall_level_cn_2')
        # Both monitors contain the module lot; one is already out.
        cls.picking = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Module connector corrodes.',
            'recall_level_id': cls.level.id,
            'lot_ids': [(6, 0, cls.module_lot.ids)]})

    def test_quarantine_by_hand_when_the_company_says_so(self):
        self.company.recall_auto_quarantine = False
        call_button(self.recall.sudo(self.manager), 'action_launch')
        self.assertEqual(self.recall.state, 'open')
        self.assertFalse(self.recall.quarantined)
        self.assertFalse(self.serial_2.recall_quarantine)
        self.assertIn('not quarantined yet',
                      self.recall.message_ids[0].body)
        # Not held yet: the warehouse may still deliver the serial.
        picking = self._deliver(
            self.hospital_b, [(self.serial_2, 1)], user=self.stock_user,
            validate=False)
        self.assertEqual(picking.state, 'assigned')
        picking.do_unreserve()
        with self.assertRaises(AccessError):
            call_button(self.recall.sudo(self.user), 'action_quarantine')
        self.assertFalse(self.recall.quarantined)
        call_button(self.recall.sudo(self.manager), 'action_quarantine')
        self.assertTrue(self.recall.quarantined)
        self.serial_2.invalidate_cache()
        self.assertTrue(self.serial_2.recall_quarantine)
        with self.assertRaisesRegex(UserError, self.recall.name):
            self._deliver(self.hospital_b, [(self.serial_2, 1)],
                          user=self.stock_user)

    def test_quarantine_at_launch_by_default(self):
        self.assertTrue(self.company.recall_auto_quarantine)
        call_button(self.recall.sudo(self.manager), 'action_launch')
        self.assertTrue(self.recall.quarantined)
        self.assertTrue(self.serial_2.recall_quarantine)
        with self.assertRaisesRegex(UserError, self.recall.name):
            self._deliver(self.hospital_b, [(self.serial_2, 1)],
                          user=self.stock_user)

    def test_notices_queued_in_the_company_channel(self):
        self.company.recall_notice_channel = 'root.recall.acme'
        call_button(self.recall.sudo(self.manager), 'action_launch')
        jobs = self.env['queue.job'].search([])
        call_button(self.recall.sudo(self.manager), 'action_send_notices')
        new = self.env['queue.job'].search([]) - jobs
        self.assertEqual(len(new), 1)
        self.assertEqual(new.channel, 'root.recall.acme')
