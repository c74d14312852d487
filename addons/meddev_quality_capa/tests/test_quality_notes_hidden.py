from odoo import api
from odoo.exceptions import AccessError, ValidationError

from .common import MeddevQualityCapaCase, call_button, rpc

ROOT_CAUSE = '供应商批次 MB2-L042 焊接工艺缺陷'


class TestQualityNotesHidden(MeddevQualityCapaCase):
    """The quality notes of a complaint stay with the quality groups on
    the paths search/read do not cover (review 4, S1-a and S1-b): grouped
    reads of mail.message, and subscriptions to the hidden quality
    subtype (then notified by e-mail); and the quality subtype itself,
    which every employee may otherwise delete or make public (review
    issue 11 c, S1-7)."""

    @classmethod
    def setUpClass(cls):
        super(TestQualityNotesHidden, cls).setUpClass()
        cls.subtype = cls.env.ref('meddev_quality_capa.mt_complaint_quality')
        cls.team = cls.env['meddev.service.team'].create({
            'name': '上海服务组',
            'member_ids': [(6, 0, cls.service_user.ids)]})
        cls.ticket = cls.env['meddev.service.ticket'].create({
            'title': '输液泵报警失灵', 'partner_id': cls.hospital.id,
            'lot_id': cls.serial.id, 'product_id': cls.pump.id,
            'team_id': cls.team.id})
        # Opened by the ticket's triage: the service user reads it.
        cls.complaint = cls.ticket._create_complaint()
        cls.unrelated = cls._create_complaint()

    def _conclude_investigation(self, complaint):
        investigation = self.env['meddev.complaint.investigation'].create({
            'name': '报警模块调查', 'complaint_id': complaint.id,
            'findings': '报警模块焊点虚焊', 'root_cause': ROOT_CAUSE})
        call_button(investigation.sudo(self.user), 'action_conclude')

    def _grouped_bodies(self, user):
        groups = api.call_kw(
            self.env['mail.message'].sudo(user), 'read_group',
            [[('model', '=', 'meddev.complaint')], ['body'], ['body']],
            {'context': {'lang': 'en_US', 'tz': 'UTC'}})
        return ' '.join(group['body'] or '' for group in groups)

    def test_read_group_hides_quality_notes_and_unreadable_complaints(self):
        self._conclude_investigation(self.complaint)
        self.unrelated.message_post(body='另一家医院的患者信息',
                                    subtype='mail.mt_note')
        quality_side = self._grouped_bodies(self.user)
        self.assertIn(ROOT_CAUSE, quality_side)
        self.assertIn('另一家医院的患者信息', quality_side)
        service_side = self._grouped_bodies(self.service_user)
        self.assertNotIn(ROOT_CAUSE, service_side)
        # Nor the messages of a complaint the service user may not read.
        self.assertNotIn('另一家医院的患者信息', service_side)
        # The messages they may read are still grouped.
        self.complaint.message_post(body='工程师现场检查完毕',
                                    subtype='mail.mt_note')
        self.assertIn('工程师现场检查完毕',
                      self._grouped_bodies(self.service_user))

    def _subscribe(self, user, subtypes):
        return api.call_kw(
            self.complaint.sudo(user), 'message_subscribe',
            [self.complaint.ids],
            {'partner_ids': user.partner_id.ids, 'subtype_ids': subtypes.ids,
             'context': {'lang': 'en_US'}})

    def _notified(self, partner):
        """The quality notes of the complaint notified to ``partner`` (by
        e-mail with the default preference: the mail itself is sent at
        once under test and deleted, its notification row stays)."""
        return self.env['mail.notification'].search([
            ('res_partner_id', '=', partner.id),
            ('mail_message_id.model', '=', 'meddev.complaint'),
            ('mail_message_id.res_id', '=', self.complaint.id),
            ('mail_message_id.subtype_id', '=', self.subtype.id)])

    def test_service_user_may_not_subscribe_to_quality_notes(self):
        note = self.env.ref('mail.mt_note')
        with self.assertRaises(ValidationError):
            self._subscribe(self.service_user, self.subtype | note)
        # Creating or editing their own follower row: refused too.
        followers = self.env['mail.followers'].sudo(self.service_user)
        with self.assertRaises(ValidationError):
            rpc(followers, 'create', [{
                'res_model': 'meddev.complaint',
                'res_id': self.unrelated.id,
                'partner_id': self.service_user.partner_id.id,
                'subtype_ids': [(6, 0, self.subtype.ids)]}])
        self._subscribe(self.service_user, note)
        follower = self.env['mail.followers'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', self.complaint.id),
            ('partner_id', '=', self.service_user.partner_id.id)])
        self.assertEqual(follower.subtype_ids, note)
        with self.assertRaises(ValidationError):
            rpc(follower.sudo(self.service_user), 'write',
                [follower.ids, {'subtype_ids': [(4, self.subtype.id)]}])
        with self.assertRaises(ValidationError):
            rpc(self.complaint.sudo(self.user), 'write', [
                self.complaint.ids, {'message_follower_ids': [
                    (1, follower.id, {'subtype_ids': [
                        (4, self.subtype.id)]})]}])
        self._conclude_investigation(self.complaint)
        self.assertFalse(self._notified(self.service_user.partner_id))

    def test_follower_who_left_quality_no_longer_gets_the_notes(self):
        former = self._create_user('qa_former', self.group_user)
        self._subscribe(self.manager, self.subtype)
        self._subscribe(former, self.subtype)
        # Moved to the service team: the subscription stays in the table.
        former.write({'groups_id': [(3, self.group_user.id),
                                    (4, self.group_service.id)]})
        self._conclude_investigation(self.complaint)
        self.assertFalse(self._notified(former.partner_id))
        follower = self.complaint.message_follower_ids.filtered(
            lambda f: f.partner_id == former.partner_id)
        self.assertNotIn(self.subtype, follower.subtype_ids)
        # The quality manager still receives them.
        notified = self._notified(self.manager.partner_id)
        self.assertEqual(notified.mapped('is_email'), [True])
        self.assertIn('MB2-L042', notified.mail_message_id.body)

    def test_composer_with_a_quality_note_id_is_not_refused(self):
        """mail.compose.message inherits mail.message: a service user's
        composer whose id happens to be the id of a hidden quality note is
        the user's own wizard, not that note (the check read the ids in
        mail_message whatever the model)."""
        self._conclude_investigation(self.complaint)
        note = self.env['mail.message'].search([
            ('subtype_id', '=', self.subtype.id)], order='id desc', limit=1)
        self.assertTrue(note)
        self.env.cr.execute(
            "SELECT setval('mail_compose_message_id_seq', %s, false)",
            [note.id])
        composer = self.env['mail.compose.message'].sudo(
            self.service_user).with_context(
                default_model='meddev.service.ticket',
                default_res_id=self.ticket.id).create(
                    {'body': '已联系医院'})
        self.assertEqual(composer.id, note.id)
        self.assertEqual(composer.read(['body'])[0]['body'], '<p>已联系医院</p>')

    def _service_bodies(self):
        """The bodies of the complaint's messages a service user reads
        over RPC."""
        messages = rpc(
            self.env['mail.message'].sudo(self.service_user), 'search_read',
            [[('model', '=', 'meddev.complaint'),
              ('res_id', '=', self.complaint.id)], ['body']])
        return ' '.join(message['body'] or '' for message in messages)

    def test_quality_subtype_kept_by_employees(self):
        """Mail gives every employee full rights on subtypes: the quality
        subtype is neither deleted (its notes would lose it and be read by
        service users) nor made visible, by an employee, a service user or
        a quality manager; its wording stays editable."""
        self._conclude_investigation(self.complaint)
        self.assertNotIn(ROOT_CAUSE, self._service_bodies())
        for user in (self.employee, self.service_user, self.manager):
            subtypes = self.env['mail.message.subtype'].sudo(user)
            with self.subTest(user=user.login), self.assertRaisesRegex(
                    AccessError, 'Quality Handling keeps the quality '
                                 'handling of complaints with the quality '
                                 'groups: it cannot be deleted'):
                rpc(subtypes, 'unlink', [self.subtype.ids])
            for vals in ({'internal': False}, {'hidden': False},
                         {'default': True}, {'res_model': False},
                         {'res_model': 'meddev.service.ticket'},
                         {'parent_id': self.env.ref('mail.mt_note').id},
                         {'relation_field': 'complaint_id'}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaisesRegex(
                            AccessError, 'Quality Handling keeps .* its .* '
                                         'cannot change'):
                    rpc(subtypes, 'write', [self.subtype.ids, vals])
        self.subtype.invalidate_cache()
        self.assertTrue(self.subtype.exists())
        self.assertEqual(
            (self.subtype.res_model, self.subtype.internal,
             self.subtype.hidden, self.subtype.default),
            ('meddev.complaint', True, True, False))
        self.assertNotIn(ROOT_CAUSE, self._service_bodies())
        # Unchanged flags and the wording pass, and other subtypes stay
        # the employees' to manage, as in mail.
        rpc(self.env['mail.message.subtype'].sudo(self.employee), 'write',
            [self.subtype.ids, {'internal': True, 'hidden': True,
                                'description': 'Quality handling'}])
        other = rpc(self.env['mail.message.subtype'].sudo(self.employee),
                    'create', [{'name': 'Site visit',
                                'res_model': 'meddev.complaint'}])
        rpc(self.env['mail.message.subtype'].sudo(self.employee), 'unlink',
            [[other]])
