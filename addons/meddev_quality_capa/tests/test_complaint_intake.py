from odoo.exceptions import AccessError, UserError

from .common import MeddevQualityCapaCase, frozen_now


class TestComplaintIntake(MeddevQualityCapaCase):
    """Customers and distributors open complaints themselves: the portal
    form and the distributors' mail alias."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintIntake, cls).setUpClass()
        cls.nurse = cls.env['res.partner'].create({
            'name': '王护士', 'parent_id': cls.hospital.id,
            'email': 'wang@ruijin.example.com'})
        cls.portal_user = cls.env['res.users'].create({
            'name': '王护士', 'login': 'qa_portal_nurse',
            'partner_id': cls.nurse.id,
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})
        cls.other_customer = cls.env['res.partner'].create({
            'name': '杭州市第一人民医院', 'is_company': True})

    def _portal(self):
        return self.env['meddev.complaint'].sudo(self.portal_user)

    def test_portal_form_opens_a_complaint(self):
        with frozen_now('2026-03-03 10:30:00'):
            complaint = self._portal()._portal_create_complaint({
                'description': '输液泵运行中突然停机',
                'serial': 'IP300-0001', 'patient_involved': 'on',
                'patient_outcome': 'malfunction'})
        complaint = complaint.sudo()
        self.assertRegex(complaint.name, r'^CMP/')
        self.assertEqual(complaint.channel, 'portal')
        self.assertEqual(complaint.partner_id, self.hospital)
        self.assertEqual(complaint.reporter_id, self.nurse)
        self.assertEqual(complaint.lot_id, self.serial)
        self.assertEqual(complaint.product_id, self.pump)
        self.assertTrue(complaint.patient_involved)
        self.assertEqual(complaint.patient_outcome, 'malfunction')
        self.assertEqual(complaint.awareness_date, '2026-03-03 10:30:00')
        self.assertEqual(complaint.user_id, self.manager)
        self.assertEqual(complaint.message_ids[0].author_id, self.nurse)
        # The portal user lists their company's complaints only.
        self._create_complaint(partner_id=self.other_customer.id)
        self.assertEqual(self._portal()._portal_my_complaints(), complaint)
        # They still cannot read or write complaints through the ORM.
        with self.assertRaises(AccessError):
            complaint.sudo(self.portal_user).read(['description'])

    def test_portal_form_refuses_bad_input_and_keeps_the_rest(self):
        with self.assertRaisesRegex(UserError, 'Describe'):
            self._portal()._portal_create_complaint({'description': '  '})
        with self.assertRaisesRegex(UserError, 'outcome'):
            self._portal()._portal_create_complaint(
                {'description': 'x', 'patient_outcome': 'cured'})
        # Unknown serial: kept in the description for quality to find.
        complaint = self._portal()._portal_create_complaint({
            'description': '显示屏闪烁', 'serial': 'NO-SUCH-9',
            'distributor': 'on'}).sudo()
        self.assertFalse(complaint.lot_id)
        self.assertIn('NO-SUCH-9', complaint.description)
        self.assertEqual(complaint.channel, 'distributor')
        # Fields outside the form are not taken from the post.
        complaint = self._portal()._portal_create_complaint({
            'description': '报警声音小', 'state': 'closed',
            'partner_id': self.other_customer.id}).sudo()
        self.assertEqual(complaint.state, 'intake')
        self.assertEqual(complaint.partner_id, self.hospital)

    def test_internal_users_use_the_back_office(self):
        with self.assertRaises(AccessError):
            self.env['meddev.complaint'].sudo(
                self.service_user)._portal_create_complaint(
                {'description': 'x'})

    def test_distributor_alias_opens_distributor_feedback(self):
        distributor = self.env['res.partner'].create({
            'name': '国药器械上海', 'is_company': True,
            'email': 'qa@sinopharm.example.com'})
        mail = (
            'From: 国药器械上海 <qa@sinopharm.example.com>\r\n'
            'To: quality-distributors@example.com\r\n'
            'Subject: feedback\r\n'
            'Message-ID: <dist-1@sinopharm.example.com>\r\n'
            'Content-Type: text/plain; charset=utf-8\r\n\r\n'
            'Hospital reports the pump IP300-0001 alarms late.\r\n')
        # Routed by the alias, as the mail gateway does.
        complaint_id = self.env['mail.thread'].message_process(False, mail)
        complaint = self.env['meddev.complaint'].browse(complaint_id)
        self.assertEqual(complaint._name, 'meddev.complaint')
        self.assertEqual(complaint.channel, 'distributor')
        self.assertEqual(complaint.partner_id, distributor)
        self.assertIn('alarms late', complaint.description)
