import base64

from odoo.exceptions import AccessError, UserError

from .common import MeddevCapaCase, call_button, rpc


class TestReview6Fixes(MeddevCapaCase):
    """Cold review 6: only a reviewer rejects a CAPA's approval (the
    rejection is posted in its chatter); refusals do not name records the
    user may not read."""

    def _rejections(self, capa):
        return capa.message_ids.filtered(
            lambda message: 'was rejected by' in (message.body or ''))

    def test_only_a_reviewer_rejects(self):
        capa = self._to_approval(self._capa())
        reviews = capa.sudo().review_ids
        for user in (self.user, self.verifier, self.regulatory):
            with self.assertRaisesRegex(UserError, 'not a reviewer'):
                call_button(capa.sudo(user), 'reject_tier')
        self.assertFalse(self._rejections(capa))
        self.assertEqual(set(reviews.mapped('status')), {'pending'})
        self.assertEqual(capa.state, 'approval')
        # The reviewer (the quality manager's tier) rejects.
        call_button(capa.sudo(self.manager), 'reject_tier')
        self.assertEqual(len(self._rejections(capa)), 1)
        self.assertIn('rejected', reviews.mapped('status'))

    def test_refusals_do_not_name_unreadable_records(self):
        capa = self._to_approval(self._capa())
        definition = capa.sudo().review_ids[0].definition_id
        # A service user may not read CAPAs: the refusal says what, not
        # which.
        with self.assertRaises(AccessError) as caught:
            rpc(self.env['tier.review'].sudo(self.service_user), 'create',
                [{'model': capa._name, 'res_id': capa.id,
                  'definition_id': definition.id}])
        self.assertNotIn(capa.name, str(caught.exception))
        self.assertIn('CAPA', str(caught.exception))
        # A quality user reads it: named.
        with self.assertRaisesRegex(AccessError, capa.name):
            rpc(self.env['tier.review'].sudo(self.user), 'create',
                [{'model': capa._name, 'res_id': capa.id,
                  'definition_id': definition.id}])
        # A closed complaint a service user cannot read is not named.
        complaint = self._create_complaint(patient_outcome='no_harm')
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        upload = self.env['ir.attachment'].sudo(self.service_user).create({
            'name': 'note.pdf', 'datas_fname': 'note.pdf',
            'datas': base64.b64encode(b'%PDF')})
        with self.assertRaises(UserError) as caught:
            rpc(upload.sudo(self.service_user), 'write', [upload.ids, {
                'res_model': complaint._name, 'res_id': complaint.id}])
        self.assertNotIn(complaint.name, str(caught.exception))
        self.assertIn('is closed', str(caught.exception))

    def test_queued_mails_of_quality_notes_hidden(self):
        # A complaint the service user opened: they read it and its
        # ordinary messages, not the mails of its quality notes.
        complaint = self._create_complaint(user=self.service_user,
                                           patient_outcome='no_harm')
        subtype = self.env.ref('meddev_quality_capa.mt_complaint_quality')
        mails = self.env['mail.mail']
        for body, message_subtype in (('根因：焊点虚焊', subtype),
                                      ('工程师已到现场',
                                       self.env.ref('mail.mt_note'))):
            message = complaint.sudo().message_post(
                body=body, subtype_id=message_subtype.id)
            # Queued (or failed) for a follower: kept in mail.mail.
            mails |= mails.create({
                'mail_message_id': message.id, 'body_html': body,
                'email_to': 'follower@example.com', 'state': 'exception'})
        quality, ordinary = mails
        domain = [('model', '=', 'meddev.complaint'),
                  ('res_id', '=', complaint.id)]
        as_service = self.env['mail.mail'].sudo(self.service_user)
        found = rpc(as_service, 'search_read', [domain, ['body_html']])
        self.assertEqual([row['id'] for row in found], ordinary.ids)
        with self.assertRaisesRegex(AccessError, 'quality groups'):
            rpc(as_service, 'read', [quality.ids, ['body_html']])
        groups = rpc(as_service, 'read_group',
                     [domain, ['body_html'], ['body_html']])
        self.assertEqual([group['body_html'] for group in groups],
                         ['工程师已到现场'])
        # The quality groups read both.
        found = rpc(self.env['mail.mail'].sudo(self.user), 'search_read',
                    [domain, ['body_html']])
        self.assertEqual(sorted(row['id'] for row in found),
                         sorted(mails.ids))
