import base64

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_traceability.tests.common import \
    MeddevManufacturingCase

from .common import PASSWORD, MeddevQualityCapaCase, call_button, frozen_now


class TestTicketToRecall(MeddevQualityCapaCase):
    """Flow 4: a ticket reveals an injury, the complaint opens with its
    clock, the investigation finds a component lot, the CAPA launches the
    recall, and closes after its effectiveness check."""

    @classmethod
    def setUpClass(cls):
        super(TestTicketToRecall, cls).setUpClass()
        ref = cls.env.ref
        cls.stock_location = ref('stock.stock_location_stock')
        cls.customer_location = ref('stock.stock_location_customers')
        cls.picking_type_out = ref('stock.picking_type_out')
        cls.monitor = cls.env['product.product'].create({
            'name': '监护仪 PM-9', 'type': 'product', 'tracking': 'serial'})
        cls.board = cls.env['product.product'].create({
            'name': '主板 MB-2', 'type': 'product', 'tracking': 'lot'})
        cls.serial = cls.env['stock.production.lot'].create({
            'name': 'PM9-0001', 'product_id': cls.monitor.id})
        cls.board_lot = cls.env['stock.production.lot'].create({
            'name': 'MB2-L042', 'product_id': cls.board.id})
        # The board lot went into the serial, delivered to the hospital.
        cls.env['meddev.lot.link'].create({
            'parent_lot_id': cls.serial.id, 'child_lot_id': cls.board_lot.id})
        cls.env['stock.quant']._update_available_quantity(
            cls.monitor, cls.stock_location, 1, lot_id=cls.serial)
        cls.hospital_a = cls.hospital
        # The traceability module's delivery builder, reused.
        MeddevManufacturingCase._deliver.__func__(
            cls, cls.hospital_a, [(cls.serial, 1)])
        cls.recall_manager = cls._create_user(
            'qa_recall', cls.group_manager | ref(
                'meddev_traceability.group_meddev_traceability_manager'))
        cls.verifier = cls._create_user('qa_verifier', cls.group_user)

    def _ticket(self, user, **vals):
        values = {'title': '监护仪报警失灵', 'partner_id': self.hospital_a.id,
                  'lot_id': self.serial.id, 'product_id': self.monitor.id,
                  'description': '护士报告：报警未响，患者血氧过低未被发现'}
        values.update(vals)
        return self.env['meddev.service.ticket'].sudo(user).create(values)

    def test_flagged_ticket_opens_complaint_once(self):
        ticket = self._ticket(self.service_user)
        self.assertFalse(ticket.complaint_ids)
        with frozen_now('2026-03-03 10:30:00'):
            ticket.write({'triage_adverse_event': True,
                          'triage_patient_involved': True})
        complaint = ticket.sudo().complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, 'service_ticket')
        self.assertEqual(complaint.partner_id, self.hospital_a)
        self.assertEqual(complaint.lot_id, self.serial)
        self.assertEqual(complaint.product_id, self.monitor)
        self.assertEqual(complaint.awareness_date, '2026-03-03 10:30:00')
        self.assertEqual(complaint.patient_outcome, 'malfunction')
        self.assertTrue(complaint.patient_involved)
        self.assertIn('报警未响', complaint.description)
        # The flag again: no second complaint.
        ticket.write({'triage_complaint': True})
        self.assertEqual(ticket.sudo().complaint_ids, complaint)
        self.assertEqual(ticket.complaint_count, 1)

    def test_service_user_button_but_no_investigation(self):
        ticket = self._ticket(self.service_user)
        action = call_button(ticket, 'action_open_complaint')
        complaint = self.env['meddev.complaint'].sudo(
            self.service_user).browse(action['res_id'])
        self.assertEqual(complaint.ticket_id, ticket)
        self.assertEqual(complaint.reporter_id, self.hospital_a)
        # The same button later shows the same complaint.
        self.assertEqual(
            call_button(ticket, 'action_open_complaint')['res_id'],
            complaint.id)
        # The service user's complaint form opens (quality-only fields are
        # left out of it)...
        view = complaint.fields_view_get(view_type='form')
        for name in ('report_ids', 'decision_ids', 'capa_ids'):
            self.assertNotIn(name, view['fields'])
        complaint.read(list(view['fields']))
        # ...but investigations stay closed to service users.
        investigation = self.env['meddev.complaint.investigation'].create({
            'name': 'Alarm', 'complaint_id': complaint.id})
        with self.assertRaises(AccessError):
            investigation.sudo(self.service_user).read(['findings'])
        with self.assertRaises(AccessError):
            complaint.sudo(self.service_user).write({'description': 'x'})

    def test_ticket_paths_ignore_client_defaults(self):
        # A service user sends the complaint's guarded fields as context
        # defaults: the complaint the server creates is born at intake.
        defaults = {'default_state': 'closed',
                    'default_closed_date': '2026-03-04 00:00:00',
                    'default_cluster_alert': True,
                    'default_new_information_date': '2026-03-04 00:00:00'}
        ticket = self._ticket(self.service_user).with_context(**defaults)
        action = call_button(ticket, 'action_open_complaint')
        by_button = self.env['meddev.complaint'].browse(action['res_id'])
        flagged = self._ticket(self.service_user).with_context(
            default_state='cancel')
        flagged.write({'triage_adverse_event': True})
        by_triage = flagged.sudo().complaint_ids
        for complaint in (by_button, by_triage):
            self.assertEqual(complaint.state, 'intake')
            self.assertFalse(complaint.closed_date)
            self.assertFalse(complaint.cluster_alert)
            self.assertFalse(complaint.new_information_date)
            # Still open to assessment: the clock starts.
            complaint.sudo(self.user).write(
                {'patient_outcome': 'serious_injury'})
            self._decide(complaint, self.china)
            self.assertTrue(complaint.report_ids)

    def test_360_lists_complaints(self):
        ticket = self._ticket(self.service_user, triage_complaint=True)
        by_name = dict((section['name'], section)
                       for section in self.hospital_a._service_360_sections())
        self.assertEqual(by_name['Complaints']['count'], 1)
        action = by_name['Complaints']['action']
        self.assertEqual(self.env[action['res_model']].search(
            action['domain']), ticket.sudo().complaint_ids)
        names = [section['name']
                 for section in ticket.sudo()._service_360_sections()]
        self.assertIn('Complaints on PM9-0001', names)

    def test_mail_to_quality_alias_opens_complaint(self):
        sender = self.env['res.partner'].create({
            'name': '王护士', 'parent_id': self.hospital_a.id,
            'email': 'wang@renji.example.com'})
        mail = (
            'From: 王护士 <wang@renji.example.com>\r\n'
            'To: quality-complaints@example.com\r\n'
            'Subject: =?utf-8?b?5L6b5rOo5rOm5oql6K2m?=\r\n'
            'Message-ID: <cmp-1@renji.example.com>\r\n'
            'Content-Type: text/plain; charset=utf-8\r\n\r\n'
            'Pump PM9-0001 stopped during infusion.\r\n')
        complaint_id = self.env['mail.thread'].message_process(
            'meddev.complaint', mail)
        complaint = self.env['meddev.complaint'].browse(complaint_id)
        self.assertRegex(complaint.name, r'^CMP/')
        self.assertEqual(complaint.channel, 'email')
        self.assertEqual(complaint.reporter_id, sender)
        self.assertEqual(complaint.partner_id, self.hospital_a)
        self.assertIn('stopped during infusion', complaint.description)

    def test_ticket_complaint_capa_recall_end_to_end(self):
        with frozen_now('2026-03-03 10:30:00'):
            ticket = self._ticket(self.service_user, triage_adverse_event=True,
                                  triage_patient_involved=True)
        complaint = ticket.sudo().complaint_ids.sudo(self.user)
        complaint.write({'patient_outcome': 'serious_injury'})
        call_button(complaint, 'action_start_assessment')
        self._decide(complaint, self.china)
        self.assertEqual(complaint.report_ids.due_date, '2026-03-23 23:59:59')
        call_button(complaint, 'action_start_investigation')
        investigation = self.env['meddev.complaint.investigation'].sudo(
            self.user).create({
                'name': '报警失灵调查', 'complaint_id': complaint.id,
                'suspected_lot_ids': [(6, 0, self.board_lot.ids)],
                'findings': '主板批次 MB2-L042 蜂鸣器焊点虚焊',
                'root_cause_method': 'fishbone',
                'root_cause_category': 'material',
                'root_cause': '供应商焊接工艺缺陷'})
        # The suspected lot's trace opens from the investigation.
        trace = call_button(investigation.suspected_lot_ids,
                            'action_trace_forward')
        self.assertEqual(trace['res_model'], 'meddev.trace.line')
        call_button(investigation, 'action_conclude')
        action = call_button(complaint, 'action_open_capa')
        capa = self.env['meddev.capa'].sudo(self.recall_manager).browse(
            action['res_id'])
        capa.write({'root_cause': investigation.root_cause,
                    'root_cause_lot_ids': [(6, 0, self.board_lot.ids)],
                    'severity': '4', 'occurrence': '4'})
        # A quality user without recall rights cannot launch it.
        with self.assertRaisesRegex(UserError, 'only recall managers'):
            call_button(capa.sudo(self.user), 'action_launch_recall')
        action = call_button(capa, 'action_launch_recall')
        recall = self.env['meddev.recall'].sudo(self.recall_manager).browse(
            action['res_id'])
        self.assertEqual(recall.source, 'capa')
        self.assertEqual(recall.capa_id, capa)
        self.assertEqual(recall.lot_ids, self.board_lot)
        self.assertEqual(recall.recall_level_id.code, 'CN-1')
        call_button(recall, 'action_launch')
        # Forward trace: the board lot reaches the delivered serial.
        self.assertIn(self.serial, recall.reached_lot_ids)
        self.assertEqual(recall.line_ids.partner_id, self.hospital_a)
        self.assertEqual(capa.recall_count, 1)
        self.assertEqual(capa.recall_progress, 0.0)
        call_button(recall.line_ids, 'action_mark_notified')
        call_button(recall.line_ids, 'action_mark_acknowledged')
        capa.invalidate_cache()
        self.assertEqual(capa.recall_progress, 100.0)
        self.assertIn(recall.name, capa.recall_state)
        # Actions, effectiveness, approval and signed closure.
        attachments = self.env['ir.attachment'].sudo(self.recall_manager)
        attachment = attachments.create({
            'name': 'scar.pdf', 'datas_fname': 'scar.pdf',
            'datas': base64.b64encode(b'%PDF')})
        capa.write({
            'action_ids': [(0, 0, {
                'name': '供应商整改焊接工艺', 'owner_id': self.user.id,
                'due_date': '2026-04-30',
                'attachment_ids': [(6, 0, attachment.ids)]})],
            'verifier_id': self.verifier.id,
            'effectiveness_criteria': '六个月内无同类报警失灵'})
        call_button(capa, 'action_open')
        call_button(capa.action_ids.sudo(self.user), 'action_done')
        capa.implementation_note = '现场核查：焊接工艺已整改'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        capa.sudo(self.verifier).effectiveness_note = '六个月无复发'
        call_button(capa.sudo(self.verifier), 'action_effective')
        self._sign(self.recall_manager, capa,
                   'action_request_approval_signature', 'approval')
        self._sign(self.recall_manager, capa,
                   'action_request_closure_signature', 'closure',
                   password=PASSWORD)
        self.assertEqual(capa.state, 'closed')
