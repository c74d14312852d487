import io
from contextlib import contextmanager

from werkzeug.datastructures import FileStorage

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_traceability.tests.common import \
    MeddevManufacturingCase

from ..controllers import complaint_portal

from .common import (
    MeddevQualityCapaCase, call_button, frozen_now, portal_request, rpc)


class ComplaintIntakeCase(MeddevQualityCapaCase):
    """A portal user at the hospital; serial 0001 delivered to the
    hospital, 0002 to another customer."""

    @classmethod
    def setUpClass(cls):
        super(ComplaintIntakeCase, cls).setUpClass()
        cls.nurse = cls.env['res.partner'].create({
            'name': '王护士', 'parent_id': cls.hospital.id,
            'email': 'wang@ruijin.example.com'})
        cls.portal_user = cls.env['res.users'].create({
            'name': '王护士', 'login': 'qa_portal_nurse',
            'partner_id': cls.nurse.id,
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})
        cls.other_customer = cls.env['res.partner'].create({
            'name': '杭州市第一人民医院', 'is_company': True})
        # The hospital received serial 0001, the other customer 0002.
        ref = cls.env.ref
        cls.stock_location = ref('stock.stock_location_stock')
        cls.customer_location = ref('stock.stock_location_customers')
        cls.picking_type_out = ref('stock.picking_type_out')
        cls.other_serial = cls.env['stock.production.lot'].create({
            'name': 'IP300-0002', 'product_id': cls.pump.id})
        for lot, partner in ((cls.serial, cls.hospital),
                             (cls.other_serial, cls.other_customer)):
            cls.env['stock.quant']._update_available_quantity(
                cls.pump, cls.stock_location, 1, lot_id=lot)
            MeddevManufacturingCase._deliver.__func__(
                cls, partner, [(lot, 1)])
        cls.pump.udi_di = '06901234567892'

    def _portal(self):
        return self.env['meddev.complaint'].sudo(self.portal_user)


class TestComplaintIntake(ComplaintIntakeCase):
    """Customers and distributors open complaints themselves: the portal
    form and the distributors' mail alias."""

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
        # The portal user lists the complaints they reported (here or by
        # phone), not the company's others (a colleague's may describe a
        # patient) nor another customer's.
        by_phone = self._create_complaint(channel='phone',
                                          reporter_id=self.nurse.id)
        self._create_complaint(channel='phone')
        colleague = self.env['res.partner'].create({
            'name': '李医生', 'parent_id': self.hospital.id})
        self._create_complaint(partner_id=colleague.id,
                               reporter_id=colleague.id)
        self._create_complaint(partner_id=self.other_customer.id,
                               channel='portal')
        self.assertEqual(self._portal()._portal_my_complaints(),
                         complaint | by_phone)
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

    def test_automatic_mail_opens_no_complaint(self):
        """An out-of-office answering a quality mail opens no complaint (a
        complaint is never deleted); the same mail from a person does."""
        mail = (
            'From: Dr. Li <li@hospital.example.com>\r\n'
            'To: quality-distributors@example.com\r\n'
            'Subject: Out of office\r\n'
            'Message-ID: <%s@hospital.example.com>\r\n'
            '%s'
            'Content-Type: text/plain; charset=utf-8\r\n\r\n'
            'I am away until Monday.\r\n')
        complaints = self.env['meddev.complaint'].search([])
        for number, header in enumerate((
                'Auto-Submitted: auto-replied\r\n', 'X-Autoreply: yes\r\n',
                'Precedence: auto_reply\r\n')):
            self.assertFalse(self.env['mail.thread'].message_process(
                False, mail % ('auto-%d' % number, header)), header)
        self.assertEqual(self.env['meddev.complaint'].search([]), complaints)
        complaint_id = self.env['mail.thread'].message_process(
            False, mail % ('person', ''))
        self.assertEqual(
            self.env['meddev.complaint'].search([]) - complaints,
            self.env['meddev.complaint'].browse(complaint_id))

    def test_portal_serial_of_another_customer_not_linked(self):
        # Serial 0002 went to another hospital: not linked, not shown back,
        # but kept in the text for quality.
        for values in ({'serial': 'IP300-0002'},
                       {'udi': '(01)06901234567892(21)IP300-0002'}):
            values['description'] = '报警失灵'
            complaint = self._portal()._portal_create_complaint(
                values).sudo()
            self.assertFalse(complaint.lot_id)
            self.assertFalse(complaint.udi)
            self.assertIn('IP300-0002', complaint.description)
        listed = self._portal()._portal_my_complaints()
        self.assertFalse(listed.mapped('lot_id'))
        # Its own serial, by UDI: linked.
        complaint = self._portal()._portal_create_complaint({
            'description': '报警失灵',
            'udi': '(01)06901234567892(21)IP300-0001'}).sudo()
        self.assertEqual(complaint.lot_id, self.serial)
        self.assertEqual(complaint.product_id, self.pump)

    def test_portal_attachments(self):
        complaint = self._portal()._portal_create_complaint(
            {'description': '外壳开裂'},
            files=[('照片1.jpg', b'\xff\xd8jpeg'), ('log.txt', b'E42')])
        complaint = complaint.sudo()
        self.assertEqual(sorted(complaint.evidence_ids.mapped('name')),
                         ['log.txt', '照片1.jpg'])
        self.assertEqual(set(complaint.evidence_ids.mapped('res_id')),
                         {complaint.id})
        count = self.env['meddev.complaint'].sudo().search_count([])
        for files, reason in (
                ([('setup.exe', b'MZ')], 'only photos'),
                ([('empty.jpg', b'')], 'empty'),
                ([('big.pdf', b'x' * (10 * 1024 * 1024 + 1))], '10 MB'),
                ([('p%d.jpg' % n, b'x') for n in range(6)], 'at most 5')):
            with self.assertRaisesRegex(UserError, reason):
                self._portal()._portal_create_complaint(
                    {'description': '外壳开裂'}, files=files)
        # Refused before anything is stored.
        self.assertEqual(
            self.env['meddev.complaint'].sudo().search_count([]), count)

    def test_portal_complaints_count_for_alerts_once_accepted(self):
        self.company.meddev_cluster_threshold = 2
        self.company.meddev_trend_threshold = 0
        mine = self._create_complaint(channel='phone')
        with frozen_now('2026-03-03 11:00:00'):
            for _index in range(3):
                posted = self._portal()._portal_create_complaint({
                    'description': '报警失灵', 'serial': 'IP300-0001'})
        # Repeated portal posts raise no group event on the lot.
        self.assertFalse(mine.group_event)
        self.assertFalse(posted.sudo().cluster_alert)
        # Quality accepts one: now it counts.
        call_button(posted.sudo(self.user), 'action_start_assessment')
        self.assertTrue(mine.group_event)
        self.assertTrue(posted.sudo().cluster_alert)

    def test_straight_to_investigation_runs_the_cluster_check(self):
        """A complaint from outside moved from intake straight to the
        investigation is accepted too: the cluster check runs (review of
        issue 9, S2 b)."""
        self.company.meddev_cluster_threshold = 2
        self.company.meddev_trend_threshold = 0
        mine = self._create_complaint(channel='phone')
        with frozen_now('2026-03-03 11:00:00'):
            posted = self._portal()._portal_create_complaint({
                'description': '报警失灵', 'serial': 'IP300-0001'})
            self.assertFalse(mine.group_event)
            self._decide(posted.sudo(), self.china,
                         decision='not_reportable', rationale='无伤害')
            call_button(posted.sudo(self.user), 'action_start_investigation')
        self.assertEqual(posted.sudo().state, 'investigation')
        self.assertTrue(mine.group_event)
        self.assertTrue(posted.sudo().cluster_alert)


class TestComplaintPortalRoutes(ComplaintIntakeCase):
    """The portal routes as the web server calls them: the controller's
    methods with the request of a portal user (its env, uploaded files),
    returning what Odoo sends back (a lazy page or a redirect)."""

    @contextmanager
    def _route(self, user, files=()):
        with portal_request(self.env, user, complaint_portal, files):
            yield complaint_portal.ComplaintPortal()

    def _upload(self, name, data=b'\x89PNG\r\n\x1a\n photo'):
        return FileStorage(stream=io.BytesIO(data), filename=name,
                           content_type='application/octet-stream')

    def test_submit_route_opens_a_complaint_with_its_photo(self):
        with self._route(self.portal_user, [
                self._upload('photo.png'), self._upload('')]) as routes:
            response = routes.portal_submit_complaint(
                description='输液泵运行中突然停机', serial='IP300-0001',
                patient_outcome='malfunction', attachments='ignored')
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.location.endswith('/my/complaints'))
        complaint = self.env['meddev.complaint'].search(
            [('reporter_id', '=', self.nurse.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, 'portal')
        self.assertEqual(complaint.lot_id, self.serial)
        self.assertEqual(complaint.evidence_ids.mapped('name'),
                         ['photo.png'])
        with self._route(self.portal_user) as routes:
            page = routes.portal_my_complaints()
        self.assertEqual(page.template,
                         'meddev_quality_capa.portal_my_complaints')
        self.assertEqual(page.qcontext['complaints'], complaint)
        self.assertEqual(page.qcontext['complaint_count'], 1)

    def test_submit_route_gives_the_form_back_with_the_reason(self):
        with self._route(self.portal_user, [
                self._upload('setup.exe', b'MZ')]) as routes:
            page = routes.portal_submit_complaint(
                description='显示屏闪烁', serial='IP300-0001')
        self.assertEqual(page.template,
                         'meddev_quality_capa.portal_new_complaint')
        self.assertIn('setup.exe', page.qcontext['error'])
        self.assertEqual(page.qcontext['form']['description'], '显示屏闪烁')
        self.assertFalse(self.env['meddev.complaint'].search(
            [('reporter_id', '=', self.nurse.id)]))

    def test_internal_user_is_sent_back_to_my_account(self):
        with self._route(self.service_user) as routes:
            response = routes.portal_submit_complaint(description='x')
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.location.endswith('/my'))


class TestPortalColleagueComplaints(ComplaintIntakeCase):
    """Two portal users of the same hospital: each sees the complaints
    they reported, never the colleague's (patient data), on the portal
    page and over RPC (issue 11 follow-up)."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalColleagueComplaints, cls).setUpClass()
        cls.doctor = cls.env['res.partner'].create({
            'name': '李医生', 'parent_id': cls.hospital.id,
            'email': 'li@ruijin.example.com'})
        cls.colleague_user = cls.env['res.users'].create({
            'name': '李医生', 'login': 'qa_portal_doctor',
            'partner_id': cls.doctor.id,
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})
        cls.theirs = cls.env['meddev.complaint'].sudo(
            cls.colleague_user)._portal_create_complaint({
                'description': '患者张三输液过量，住院观察',
                'serial': 'IP300-0001', 'patient_involved': 'on',
                'patient_outcome': 'serious_injury'}).sudo()
        cls.mine = cls.env['meddev.complaint'].sudo(
            cls.portal_user)._portal_create_complaint({
                'description': '报警声音小',
                'serial': 'IP300-0001'}).sudo()

    def test_portal_page_lists_only_own_complaints(self):
        with portal_request(self.env, self.portal_user,
                            complaint_portal):
            page = complaint_portal.ComplaintPortal().portal_my_complaints()
        self.assertEqual(page.template,
                         'meddev_quality_capa.portal_my_complaints')
        self.assertEqual(page.qcontext['complaints'], self.mine)
        self.assertEqual(page.qcontext['complaint_count'], 1)
        with portal_request(self.env, self.colleague_user,
                            complaint_portal):
            page = complaint_portal.ComplaintPortal().portal_my_complaints()
        self.assertEqual(page.qcontext['complaints'], self.theirs)

    def test_colleague_complaint_refused_over_rpc(self):
        """search_read and read of a colleague's complaint, and of its
        chatter, as the web client or an RPC client sends them."""
        complaints = self.env['meddev.complaint'].sudo(self.portal_user)
        with self.assertRaises(AccessError):
            rpc(complaints, 'search_read',
                [[('id', '=', self.theirs.id)], ['description']])
        with self.assertRaises(AccessError):
            rpc(complaints, 'read', [[self.theirs.id], ['description']])
        messages = self.env['mail.message'].sudo(self.portal_user)
        self.assertEqual(rpc(messages, 'search_read', [
            [('model', '=', 'meddev.complaint'),
             ('res_id', '=', self.theirs.id)], ['body']]), [])
