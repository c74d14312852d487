import base64

from odoo.exceptions import AccessError, UserError

from .common import MeddevCapaCase, call_button, rpc


class TestEvidenceRehome(MeddevCapaCase):
    """Files become evidence only from the user's own uploads or the
    document's own files: a file is moved onto a quality document by
    whoever uploaded it or by a quality manager (review 4, N1), and the
    files of a cancelled complaint are frozen like a closed one's."""

    def _upload(self, user, name='pending.pdf'):
        return self.env['ir.attachment'].sudo(user).create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(b'%PDF pending')})

    def test_foreign_file_not_moved_onto_open_action(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids[0].sudo(self.owner)
        foreign = self._upload(self.manager)
        # The owner moves someone else's unattached file onto the open
        # action, to link it as evidence and then freeze it by marking the
        # action done: refused at the move, whichever quality document.
        for record in (action, self.complaint, capa):
            with self.assertRaisesRegex(UserError, 'only the user who'):
                rpc(foreign.sudo(self.owner), 'write', [foreign.ids, {
                    'res_model': record._name, 'res_id': record.id}])
        with self.assertRaisesRegex(UserError, 'only the user who'):
            rpc(foreign.sudo(self.user), 'write', [foreign.ids, {
                'res_model': 'meddev.capa.action', 'res_id': action.id}])
        self.assertFalse(foreign.res_id)
        with self.assertRaisesRegex(UserError, 'cannot be linked'):
            rpc(action, 'write', [action.ids, {
                'attachment_ids': [(4, foreign.id)]}])
        with self.assertRaisesRegex(UserError, 'needs evidence'):
            call_button(action, 'action_done')
        self.assertEqual(action.state, 'open')
        # The file stays its uploader's to change or delete.
        foreign.sudo(self.manager).write({'name': 'renamed.pdf'})
        foreign.sudo(self.manager).unlink()

    def test_own_upload_moved_linked_and_done(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids[0].sudo(self.owner)
        own = self._upload(self.owner, 'test-report.pdf')
        rpc(own.sudo(self.owner), 'write', [own.ids, {
            'res_model': 'meddev.capa.action', 'res_id': action.id}])
        rpc(action, 'write', [action.ids, {'attachment_ids': [(4, own.id)]}])
        call_button(action, 'action_done')
        self.assertEqual(action.state, 'done')
        self.assertEqual(action.attachment_ids, own)
        with self.assertRaisesRegex(UserError, 'evidence of a done'):
            rpc(own.sudo(self.owner), 'unlink', [own.ids])

    def test_manager_moves_a_file_onto_a_document(self):
        foreign = self._upload(self.user)
        rpc(foreign.sudo(self.manager), 'write', [foreign.ids, {
            'res_model': 'meddev.complaint', 'res_id': self.complaint.id}])
        self.assertEqual((foreign.res_model, foreign.res_id),
                         ('meddev.complaint', self.complaint.id))
        # Files of other documents are not concerned (a user who may
        # edit contacts).
        self.user.groups_id |= self.env.ref('base.group_partner_manager')
        other = self._upload(self.manager)
        rpc(other.sudo(self.user), 'write', [other.ids, {
            'res_model': 'res.partner', 'res_id': self.hospital.id}])
        self.assertEqual(other.res_id, self.hospital.id)

    def test_cancelled_complaint_files_frozen(self):
        complaint = self._create_complaint(user=self.user)
        linked = self._upload(self.user, 'photo.jpg')
        complaint.sudo(self.user).write({'evidence_ids': [(4, linked.id)]})
        complaint.sudo(self.user).message_post(
            body='现场照片', attachments=[('panel.jpg', b'JPEG-PANEL')])
        files = self.env['ir.attachment'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])
        self.assertEqual(sorted(files.mapped('name')),
                         ['panel.jpg', 'photo.jpg'])
        # Before the cancellation the user still corrects a file.
        rpc(linked.sudo(self.user), 'write',
            [linked.ids, {'name': 'photo-1.jpg'}])
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        self.assertEqual(complaint.state, 'cancel')
        for attachment in files:
            for user in (self.user, self.manager):
                with self.assertRaisesRegex(UserError, 'cancelled one'):
                    rpc(attachment.sudo(user), 'unlink', [attachment.ids])
                with self.assertRaisesRegex(UserError, 'cancelled one'):
                    rpc(attachment.sudo(user), 'write', [
                        attachment.ids,
                        {'datas': base64.b64encode(b'other')}])
        self.assertEqual(len(files.exists()), 2)
        # Nor is another file moved onto it.
        loose = self._upload(self.user)
        with self.assertRaisesRegex(UserError, 'is closed'):
            rpc(loose.sudo(self.user), 'write', [loose.ids, {
                'res_model': 'meddev.complaint', 'res_id': complaint.id}])

    def test_chatter_reply_with_upload_on_cancelled_complaint(self):
        # The chatter uploads to mail.compose.message, then message_post
        # moves the poster's own file onto the document as superuser.
        complaint = self._create_complaint(user=self.user)
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        upload = self.env['ir.attachment'].sudo(self.user).create({
            'name': 'reply.pdf', 'datas_fname': 'reply.pdf',
            'res_model': 'mail.compose.message', 'res_id': 0,
            'datas': base64.b64encode(b'%PDF reply')})
        complaint.sudo(self.user).message_post(
            body='医院补充材料', attachment_ids=upload.ids)
        self.assertEqual((upload.res_model, upload.res_id),
                         ('meddev.complaint', complaint.id))
        # Another user's pending upload is not taken (nor linked: its
        # owner could still replace it, meddev_base's post check).
        other = self.env['ir.attachment'].sudo(self.manager).create({
            'name': 'other.pdf', 'datas_fname': 'other.pdf',
            'res_model': 'mail.compose.message', 'res_id': 0,
            'datas': base64.b64encode(b'%PDF other')})
        with self.assertRaisesRegex(AccessError, 'attach a new file'):
            complaint.sudo(self.user).message_post(
                body='再补充', attachment_ids=other.ids)
        self.assertEqual(other.res_model, 'mail.compose.message')
