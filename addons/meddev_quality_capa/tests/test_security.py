from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevQualityCapaCase, call_button, rpc


# After all modules load: menu visibility reads every menu's action model, and
# companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestSecurity(MeddevQualityCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.complaint = cls._create_complaint()
        cls._decide(cls.complaint, cls.china)
        cls.report = cls.complaint.report_ids
        cls.capa = cls.env['meddev.capa'].create({
            'problem': '报警失灵', 'complaint_ids': [(6, 0, cls.complaint.ids)]})
        cls.investigation = cls.env['meddev.complaint.investigation'].create({
            'name': '调查', 'complaint_id': cls.complaint.id})
        cls.root_menu = cls.env.ref(
            'meddev_quality_capa.meddev_quality_capa_root_menu')
        cls.config_menu = cls.env.ref(
            'meddev_quality_capa.meddev_quality_capa_config_menu')

    def test_group_hierarchy(self):
        self.assertIn(self.group_employee, self.group_user.implied_ids)
        self.assertIn(self.group_user, self.group_regulatory.implied_ids)
        self.assertIn(self.group_regulatory, self.group_manager.implied_ids)
        self.assertNotIn(
            self.group_manager, self.group_user.trans_implied_ids)
        for group in self.group_user | self.group_regulatory \
                | self.group_manager:
            self.assertEqual(group.category_id, self.category)
        # Quality staff trace lots.
        self.assertTrue(self.user.has_group(
            'meddev_traceability.group_meddev_traceability_user'))
        self.assertTrue(self.env.ref('base.user_root').has_group(
            'meddev_quality_capa.group_meddev_quality_capa_manager'))

    def test_menus(self):
        menus = self.root_menu | self.config_menu
        visible = self.env['ir.ui.menu'].sudo(self.user).search(
            [('id', 'in', menus.ids)])
        self.assertEqual(visible, self.root_menu)
        visible = self.env['ir.ui.menu'].sudo(self.manager).search(
            [('id', 'in', menus.ids)])
        self.assertEqual(visible, menus)
        for user in (self.employee, self.service_user):
            self.assertFalse(self.env['ir.ui.menu'].sudo(user).search(
                [('id', 'in', menus.ids)]))

    def test_employee_sees_nothing(self):
        for record in (self.complaint, self.report, self.capa,
                       self.investigation):
            with self.assertRaises(AccessError):
                record.sudo(self.employee).read(['id'])

    def test_service_user(self):
        # Opens complaints and reads them, nothing else.
        complaint = self._create_complaint(user=self.service_user)
        self.assertTrue(complaint.sudo(self.service_user).read(['name']))
        with self.assertRaises(AccessError):
            complaint.sudo(self.service_user).write({'description': 'x'})
        for record in (self.report, self.capa, self.investigation):
            with self.assertRaises(AccessError):
                record.sudo(self.service_user).read(['id'])
        # On the complaint they may read, the quality handling stays
        # hidden field by field (the fields' groups, not the record rule).
        for name in ('report_ids', 'decision_ids', 'capa_ids'):
            with self.assertRaises(AccessError):
                rpc(complaint.sudo(self.service_user), 'read',
                    [complaint.ids, [name]])

    def test_quality_user(self):
        complaint = self.complaint.sudo(self.user)
        complaint.write({'description': '补充：报警声音很小'})
        self.report.sudo(self.user).read(['due_date'])
        with self.assertRaises(AccessError):
            self.report.sudo(self.user).write({'reference': 'X'})
        with self.assertRaises(AccessError):
            self._decide(self.complaint, self.germany, user=self.user)
        with self.assertRaises(AccessError):
            self.env.ref('meddev_quality_capa.reporting_rule_cn_death').sudo(
                self.user).write({'deadline_amount': 5})
        self.capa.sudo(self.user).write({'containment': '隔离库存'})
        self.investigation.sudo(self.user).write({'findings': '虚焊'})
        # Nobody deletes regulated records, whatever their rights: as the
        # superuser (no access right stops it) the regulated-record rule
        # itself refuses, naming the record.
        decision = self.complaint.decision_ids[:1]
        self.assertTrue(decision)
        for record in (self.complaint, self.capa, self.investigation,
                       self.report, decision):
            with self.assertRaisesRegex(
                    UserError, 'regulated record that must be kept'):
                record.sudo().unlink()
            self.assertTrue(record.exists())

    def test_regulatory_and_manager(self):
        self._decide(self.complaint, self.germany, user=self.regulatory)
        self.report.sudo(self.regulatory).write({'reference': 'NMPA-9'})
        self.env.ref('meddev_quality_capa.reporting_rule_cn_death').sudo(
            self.manager).write({'warning_hours': 24})
        with self.assertRaises(AccessError):
            self.env.ref('meddev_quality_capa.reporting_rule_cn_death').sudo(
                self.regulatory).write({'warning_hours': 12})

    def test_company_rules(self):
        other = self.env['res.company'].create({'name': 'MedDev 质量子公司'})
        outsider = self._create_user('qa_sub', self.group_manager,
                                     company=other)
        for record in (self.complaint, self.report, self.capa,
                       self.investigation, self.complaint.decision_ids):
            with self.assertRaises(AccessError):
                record.sudo(outsider).read(['create_date'])
        self.assertFalse(self.env['meddev.complaint'].sudo(outsider).search(
            [('id', '=', self.complaint.id)]))
        # Shared rules stay visible.
        self.assertTrue(self.env['meddev.reporting.rule'].sudo(
            outsider).search([('country_id', '=', self.china.id)]))

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_base', 'meddev_quality_capa'], ['zh_CN'])
        self.env['ir.ui.menu'].invalidate_cache()
        self.assertEqual(
            self.root_menu.with_context(lang='zh_CN').name, '质量管理')
        fields = self.env['meddev.complaint'].with_context(
            lang='zh_CN').fields_get(['awareness_date', 'patient_outcome'],
                                     ['string', 'selection'])
        self.assertEqual(fields['awareness_date']['string'], '获知日期')
        self.assertIn(('serious_injury', '严重伤害'),
                      fields['patient_outcome']['selection'])
        # Refusals speak the user's language too.
        with self.assertRaisesRegex(ValidationError, '书面理由'), \
                self.cr.savepoint():
            self.env['meddev.reportability.decision'].sudo(
                self.regulatory).with_context(lang='zh_CN').create({
                    'complaint_id': self.complaint.id,
                    'country_id': self.usa.id,
                    'decision': 'not_reportable'})
        with self.assertRaisesRegex(UserError, '受监管'):
            call_button(self.capa.with_context(lang='zh_CN'), 'unlink')
