from odoo.exceptions import AccessError

from .common import MeddevQualityCapaCase, call_button, rpc


class TestServiceUserAccess(MeddevQualityCapaCase):
    """Service users open complaints from their tickets but do not handle
    them: they read the complaints they opened or that belong to the
    tickets they may read, never the others, and never the quality
    handling in the complaint's chatter (review 3, N5; SECURITY.md F1)."""

    @classmethod
    def setUpClass(cls):
        super(TestServiceUserAccess, cls).setUpClass()
        cls.other_engineer = cls._create_user(
            'qa_service_other', cls.group_service)
        cls.team = cls.env['meddev.service.team'].create({
            'name': '上海服务组',
            'member_ids': [(6, 0, cls.service_user.ids)]})
        cls.other_team = cls.env['meddev.service.team'].create({
            'name': '北京服务组',
            'member_ids': [(6, 0, cls.other_engineer.ids)]})
        cls.ticket = cls.env['meddev.service.ticket'].create({
            'title': '输液泵报警失灵', 'partner_id': cls.hospital.id,
            'lot_id': cls.serial.id, 'product_id': cls.pump.id,
            'team_id': cls.team.id})
        # Opened by the ticket's triage (the server), not by the engineer.
        cls.complaint = cls.ticket._create_complaint()
        cls.complaint.write({'patient_outcome': 'serious_injury'})
        cls.unrelated = cls._create_complaint()

    def _readable(self, user, complaints):
        return rpc(self.env['meddev.complaint'].sudo(user), 'search',
                   [[('id', 'in', complaints.ids)]])

    def test_service_user_reads_the_complaints_of_their_tickets(self):
        both = self.complaint | self.unrelated
        self.assertEqual(self._readable(self.service_user, both),
                         self.complaint.ids)
        rpc(self.complaint.sudo(self.service_user), 'read',
            [self.complaint.ids, ['description', 'patient_outcome']])
        for user, complaint in ((self.service_user, self.unrelated),
                                (self.other_engineer, self.complaint)):
            with self.assertRaises(AccessError):
                rpc(complaint.sudo(user), 'read',
                    [complaint.ids, ['description']])
        self.assertFalse(self._readable(self.other_engineer, both))
        # The complaint the engineer opens from another ticket is theirs.
        ticket = self.env['meddev.service.ticket'].create({
            'title': '面板裂开', 'partner_id': self.hospital.id,
            'team_id': self.other_team.id})
        action = call_button(ticket.sudo(self.other_engineer),
                             'action_open_complaint')
        self.assertEqual(self._readable(self.other_engineer, both | (
            self.env['meddev.complaint'].browse(action['res_id']))),
            [action['res_id']])
        # Quality users read every complaint, service groups or not.
        both_roles = self._create_user(
            'qa_user_service', self.group_user | self.group_service)
        for user in (self.user, both_roles):
            self.assertEqual(sorted(self._readable(user, both)),
                             sorted(both.ids))

    def test_quality_handling_not_in_the_service_users_chatter(self):
        complaint = self.complaint
        self._decide(complaint, self.china, rationale='输液过量，严重伤害须报告')
        report = complaint.report_ids
        report.sudo(self.regulatory).write({'reference': 'NMPA-2026-0815'})
        call_button(report.sudo(self.regulatory), 'action_submit')
        investigation = self.env['meddev.complaint.investigation'].create({
            'name': '报警模块调查', 'complaint_id': complaint.id,
            'findings': '报警模块焊点虚焊',
            'root_cause': '供应商批次 MB2-L042 焊接工艺缺陷'})
        call_button(investigation.sudo(self.user), 'action_conclude')
        action = call_button(complaint.sudo(self.user), 'action_open_capa')
        capa = self.env['meddev.capa'].browse(action['res_id'])
        secrets = ('输液过量，严重伤害须报告', 'NMPA-2026-0815',
                   '焊接工艺缺陷', capa.name)
        domain = [('model', '=', 'meddev.complaint'),
                  ('res_id', '=', complaint.id)]

        def bodies(user):
            messages = rpc(self.env['mail.message'].sudo(user),
                           'search_read', [domain, ['body']])
            return ' '.join(message['body'] for message in messages)

        quality_side = bodies(self.user)
        for secret in secrets:
            self.assertIn(secret, quality_side)
        service_side = bodies(self.service_user)
        for secret in secrets:
            self.assertNotIn(secret, service_side)
        # The complaint's own thread, as its form loads it.
        message_ids = rpc(complaint.sudo(self.service_user), 'read',
                          [complaint.ids, ['message_ids']])[0]['message_ids']
        self.assertTrue(message_ids)
        hidden = self.env['mail.message'].search(domain + [
            ('subtype_id', '=', self.env.ref(
                'meddev_quality_capa.mt_complaint_quality').id)])
        self.assertGreaterEqual(len(hidden), 4)
        self.assertFalse(hidden & self.env['mail.message'].browse(
            message_ids))
        # Read by id: refused.
        with self.assertRaises(AccessError):
            rpc(self.env['mail.message'].sudo(self.service_user), 'read',
                [hidden[:1].ids, ['body']])
        rpc(self.env['mail.message'].sudo(self.user), 'read',
            [hidden.ids, ['body']])
