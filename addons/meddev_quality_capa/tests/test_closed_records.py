import base64
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from odoo.exceptions import UserError

from .common import MeddevCapaCase, PASSWORD, call_button, rpc, rpc_write


def mail_with_photo(message_id, reply_to=None):
    """Return a mail from the hospital to the quality alias with a photo
    attached."""
    mail = MIMEMultipart()
    mail['From'] = 'Ward 3 <ward3@ruijin.example.com>'
    mail['To'] = 'quality-complaints@example.com'
    mail['Subject'] = 'Pump alarm failed'
    mail['Message-ID'] = message_id
    if reply_to:
        mail['In-Reply-To'] = reply_to
        mail['References'] = reply_to
    mail.attach(MIMEText('The pump IP300-0001 did not alarm.', 'plain',
                         'utf-8'))
    photo = MIMEApplication(b'JPEG-PHOTO', Name='photo.jpg')
    photo['Content-Disposition'] = 'attachment; filename="photo.jpg"'
    mail.attach(photo)
    return mail.as_string()


class TestClosedRecords(MeddevCapaCase):
    """Closed complaints and CAPAs, and the evidence of done actions, are
    the record of what was done: frozen for every user and every path;
    only the chatter and activities go on. Duplicates start afresh."""

    def _closed_complaint(self):
        complaint = self._create_complaint(
            patient_outcome='no_harm', closure_note='已回复医院')
        manager = complaint.sudo(self.manager)
        call_button(manager, 'action_start_assessment')
        self._decide(complaint, self.china, 'not_reportable',
                     rationale='无伤害，外观问题')
        call_button(manager, 'action_start_investigation')
        call_button(manager, 'action_close')
        self.assertEqual(complaint.state, 'closed')
        return complaint

    def test_closed_complaint_is_frozen(self):
        complaint = self._closed_complaint()
        attachment = self.env['ir.attachment'].create({
            'name': 'photo.jpg', 'datas_fname': 'photo.jpg',
            'datas': base64.b64encode(b'jpeg')})
        for user in (self.user, self.regulatory, self.manager):
            for vals in ({'description': '改写的描述'},
                         {'closure_note': '另一个结论'},
                         {'lot_id': False},
                         {'awareness_date': '2026-03-01 00:00:00',
                          'clock_change_reason': '更正'},
                         {'evidence_ids': [(4, attachment.id)]}):
                with self.assertRaisesRegex(UserError, 'closed or cancelled'):
                    rpc_write(complaint.sudo(user), vals)
        self.assertEqual(complaint.closure_note, '已回复医院')
        # The chatter and the activities go on.
        complaint.sudo(self.user).message_post(body='医院再次来电致谢')
        self.env['mail.activity'].sudo(self.user).create({
            'res_model_id': self.env['ir.model']._get(complaint._name).id,
            'res_id': complaint.id, 'summary': '归档',
            'activity_type_id': self.env.ref(
                'mail.mail_activity_data_todo').id})
        self.assertEqual(complaint.activity_ids.summary, '归档')
        self.assertEqual(complaint.message_ids[0].body, '<p>医院再次来电致谢</p>')

    def test_loose_attachment_not_moved_onto_closed_records(self):
        # Review 4, N1: re-homing someone else's unattached file onto a
        # closed complaint or a done action would freeze it at once.
        complaint = self._closed_complaint()
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids[0]
        self._evidence(action.sudo(self.owner))
        call_button(action.sudo(self.owner), 'action_done')
        loose = self.env['ir.attachment'].sudo(self.manager).create({
            'name': 'pending.pdf', 'datas_fname': 'pending.pdf',
            'datas': base64.b64encode(b'%PDF')})
        for record in (complaint, action):
            with self.assertRaisesRegex(UserError, 'is closed'):
                rpc(loose.sudo(self.user), 'write', [loose.ids, {
                    'res_model': record._name, 'res_id': record.id}])
        self.assertFalse(loose.res_id)
        # Still deletable by its owner: not evidence.
        loose.sudo(self.manager).unlink()

    def test_cancelled_complaint_is_frozen(self):
        complaint = self._create_complaint()
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        with self.assertRaisesRegex(UserError, 'closed or cancelled'):
            rpc_write(complaint.sudo(self.regulatory),
                      {'patient_outcome': 'death'})
        self.assertFalse(complaint.sudo().report_ids)

    def test_closed_capa_is_frozen(self):
        capa = self._close(self._to_approval(self._capa()))
        self.assertEqual(capa.state, 'closed')
        for user in (self.user, self.manager):
            for vals in ({'problem': '改写的问题'}, {'root_cause': '另一个原因'},
                         {'effectiveness_note': '改写'},
                         {'effectiveness_criteria': '改写'},
                         {'complaint_ids': [(5, 0, 0)]},
                         {'severity': '1'}):
                with self.assertRaisesRegex(UserError, 'closed or cancelled'):
                    rpc_write(capa.sudo(user), vals)
        self.assertEqual(capa.complaint_ids, self.complaint)
        # Nor from the complaints' side (review 3, N2).
        other = self._create_complaint(patient_outcome='no_harm')
        for complaint, vals in (
                (self.complaint, {'capa_ids': [(5, 0, 0)]}),
                (self.complaint, {'capa_ids': [(3, capa.id)]}),
                (self.complaint, {'capa_ids': [(6, 0, [])]}),
                (other, {'capa_ids': [(4, capa.id)]}),
                (other, {'capa_ids': [(6, 0, capa.ids)]})):
            with self.assertRaisesRegex(UserError, 'closed or cancelled'):
                rpc_write(complaint.sudo(self.user), vals)
        with self.assertRaisesRegex(UserError, 'closed or cancelled'):
            self._create_complaint(user=self.user,
                                   capa_ids=[(6, 0, capa.ids)])
        self.assertEqual(capa.complaint_ids, self.complaint)
        capa.sudo(self.user).message_post(body='复核完成')
        self.assertIn('复核完成', capa.message_ids[0].body)

    def test_evidence_of_done_actions_frozen(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        done, still_open = capa.action_ids
        evidence = self._evidence(done.sudo(self.owner))
        call_button(done.sudo(self.owner), 'action_done')
        draft = self._evidence(still_open.sudo(self.owner))
        attachments = self.env['ir.attachment']
        for user in (self.user, self.owner, self.manager):
            with self.assertRaisesRegex(UserError, 'evidence of a done'):
                rpc_write(attachments.sudo(user).browse(evidence.id),
                          {'datas': base64.b64encode(b'forged')})
            with self.assertRaisesRegex(UserError, 'evidence of a done'):
                rpc_write(attachments.sudo(user).browse(evidence.id),
                          {'name': 'other.pdf'})
            with self.assertRaisesRegex(UserError, 'evidence of a done'):
                attachments.sudo(user).browse(evidence.id).unlink()
        # Not even the superuser.
        with self.assertRaisesRegex(UserError, 'evidence of a done'):
            evidence.sudo().unlink()
        # Nor taken off the done action.
        with self.assertRaisesRegex(UserError, 'no longer change'):
            rpc_write(done.sudo(self.user),
                      {'attachment_ids': [(3, evidence.id)]})
        self.assertEqual(done.attachment_ids, evidence)
        self.assertEqual(base64.b64decode(evidence.datas), b'%PDF evidence')
        # The evidence of an open action may still be replaced.
        draft.sudo(self.owner).write({'datas': base64.b64encode(b'%PDF v2')})
        draft.sudo(self.owner).unlink()
        self.assertFalse(still_open.attachment_ids)

    def test_foreign_attachment_not_pinned_as_evidence(self):
        # Review 3, N1: evidence freezes its files; only the record's own
        # files or the user's fresh uploads become evidence.
        capa = self._capa()
        action = capa.action_ids[0].sudo(self.owner)
        attachments = self.env['ir.attachment']
        others = attachments.sudo(self.manager).create({
            'name': 'manager.pdf', 'datas_fname': 'manager.pdf',
            'datas': base64.b64encode(b'%PDF other')})
        others |= attachments.create({
            'name': 'pump.png', 'datas_fname': 'pump.png',
            'res_model': 'product.product', 'res_id': self.pump.id,
            'datas': base64.b64encode(b'png')})
        for other in others:
            with self.assertRaisesRegex(UserError, 'cannot be linked'):
                rpc_write(action, {'attachment_ids': [(4, other.id)]})
            with self.assertRaisesRegex(UserError, 'cannot be linked'):
                rpc_write(self.complaint.sudo(self.user),
                          {'evidence_ids': [(6, 0, other.ids)]})
            with self.assertRaisesRegex(UserError, 'cannot be linked'):
                self.env['meddev.capa.action'].sudo(self.user).create({
                    'capa_id': capa.id, 'name': '另一项',
                    'owner_id': self.owner.id, 'due_date': '2026-04-30',
                    'attachment_ids': [(6, 0, other.ids)]})
        self.assertFalse(action.attachment_ids)
        # The owner's own upload is linked and attached to the action.
        own = self._evidence(action)
        self.assertEqual((own.res_model, own.res_id),
                         ('meddev.capa.action', action.id))
        # The other documents stay free to change.
        others.sudo().write({'name': 'renamed.pdf'})
        self.assertEqual(set(others.mapped('name')), {'renamed.pdf'})

    def test_evidence_of_closed_complaint_frozen(self):
        complaint = self._create_complaint(
            patient_outcome='no_harm', closure_note='已回复医院')
        photo = self.env['ir.attachment'].sudo(self.user).create({
            'name': 'photo.jpg', 'datas_fname': 'photo.jpg',
            'datas': base64.b64encode(b'jpeg')})
        complaint.sudo(self.user).write({'evidence_ids': [(4, photo.id)]})
        manager = complaint.sudo(self.manager)
        call_button(manager, 'action_start_assessment')
        self._decide(complaint, self.china, 'not_reportable',
                     rationale='无伤害')
        call_button(manager, 'action_start_investigation')
        call_button(manager, 'action_close')
        with self.assertRaisesRegex(UserError, 'closed complaint'):
            photo.sudo(self.user).unlink()

    def test_mailed_and_chatter_evidence_of_closed_complaint_frozen(self):
        """Photos mailed to the quality alias, or added in the chatter,
        are evidence like the linked files (review 3, N12)."""
        threads = self.env['mail.thread']
        complaint = self.env['meddev.complaint'].browse(
            threads.message_process(False, mail_with_photo(
                '<pump-1@ruijin.example.com>')))
        self.assertEqual(complaint.channel, 'email')
        complaint.sudo(self.user).message_post(
            body='现场照片', attachments=[('panel.jpg', b'JPEG-PANEL')])
        attachments = self.env['ir.attachment'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])
        self.assertEqual(sorted(attachments.mapped('name')),
                         ['panel.jpg', 'photo.jpg'])
        # Before closure a file is still corrected.
        rpc(attachments[:1].sudo(self.user), 'write',
            [attachments[:1].ids, {'name': attachments[0].name}])
        manager = complaint.sudo(self.manager)
        call_button(manager, 'action_start_assessment')
        self._decide(complaint, self.china, 'not_reportable',
                     rationale='无伤害')
        call_button(manager, 'action_start_investigation')
        complaint.sudo(self.user).write({'closure_note': '已回复医院'})
        call_button(manager, 'action_close')
        # The hospital mails again after closure: that photo is kept too.
        self.assertEqual(threads.message_process(False, mail_with_photo(
            '<pump-2@ruijin.example.com>',
            reply_to='<pump-1@ruijin.example.com>')), complaint.id)
        attachments = self.env['ir.attachment'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])
        self.assertEqual(len(attachments), 3)
        for attachment in attachments:
            for user in (self.user, self.manager):
                with self.assertRaisesRegex(UserError, 'closed complaint'):
                    rpc(attachment.sudo(user), 'unlink', [attachment.ids])
                with self.assertRaisesRegex(UserError, 'closed complaint'):
                    rpc(attachment.sudo(user), 'write', [
                        attachment.ids,
                        {'datas': base64.b64encode(b'other')}])
        self.assertEqual(len(attachments.exists()), 3)

    def test_copy_of_a_verified_capa_starts_afresh(self):
        capa = self._to_approval(self._capa())
        self.assertEqual(capa.effectiveness_result, 'effective')
        copy = capa.sudo(self.user).copy()
        self.assertEqual(copy.state, 'draft')
        self.assertEqual(copy.effectiveness_result, 'pending')
        self.assertFalse(copy.effectiveness_date)
        self.assertEqual((copy.reopen_count, copy.ineffective_count), (0, 0))
        self.assertFalse(copy.action_ids)
        self.assertNotEqual(copy.name, capa.name)
        self.assertEqual(copy.problem, capa.problem)

    def test_copy_of_concluded_investigation_and_approved_change(self):
        investigation = self.env['meddev.complaint.investigation'].sudo(
            self.user).create({'name': '调查', 'complaint_id':
                               self.complaint.id, 'findings': '虚焊',
                               'root_cause': '工艺'})
        call_button(investigation, 'action_conclude')
        self.assertEqual(investigation.copy().state, 'open')
        record = self.env['meddev.change.record'].sudo(self.user).create({
            'title': '报警模块更换供应商', 'change_type': 'supplier',
            'product_ids': [(6, 0, self.pump.ids)], 'description': '变更'})
        action = call_button(record.sudo(self.manager),
                             'action_request_approval_signature')
        self.env['meddev.esignature.wizard'].sudo(self.manager).with_context(
            **action['context']).create({'password': PASSWORD}).action_sign()
        self.assertEqual(record.state, 'approved')
        copy = record.sudo(self.user).copy()
        self.assertEqual(copy.state, 'draft')
        self.assertFalse(copy.approved_by_id)
        self.assertFalse(copy.approved_date)
