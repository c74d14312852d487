from odoo.exceptions import AccessError

from .common import MeddevQualityCapaCase, rpc


def complaint_mail(to, message_id):
    return (
        'From: 华山医院设备科 <device@huashan.example.com>\r\n'
        'To: %s\r\n'
        'Subject: 报警失灵\r\n'
        'Message-ID: %s\r\n'
        'Content-Type: text/plain; charset=utf-8\r\n\r\n'
        'The pump IP300-0001 did not alarm.\r\n') % (to, message_id)


class TestAliasGuard(MeddevQualityCapaCase):
    """The quality aliases (and any alias opening complaints) are created,
    changed and deleted only by quality managers: Odoo 11 lets every
    employee edit any mail.alias, which would divert the complaints
    (meddev_base's protected aliases, registered by meddev.complaint)."""

    @classmethod
    def setUpClass(cls):
        super(TestAliasGuard, cls).setUpClass()
        ref = cls.env.ref
        cls.aliases = ref('meddev_quality_capa.mail_alias_quality_complaints') \
            | ref('meddev_quality_capa.mail_alias_quality_distributors')
        cls.complaint_model = cls.env['ir.model']._get('meddev.complaint')
        cls.partner_model = cls.env['ir.model']._get('res.partner')
        cls.target = cls._create_complaint()

    def setUp(self):
        super(TestAliasGuard, self).setUp()
        self.env['mail.alias'].invalidate_cache()

    def _changes(self):
        return (
            {'alias_defaults': "{'channel': 'regulator'}"},
            {'alias_force_thread_id': self.target.id},
            {'alias_name': 'diverted'},
            {'alias_model_id': self.partner_model.id},
            {'alias_contact': 'followers'},
        )

    def test_employees_and_quality_users_cannot_touch_them(self):
        before = [(alias.alias_name, alias.alias_defaults,
                   alias.alias_force_thread_id, alias.alias_model_id)
                  for alias in self.aliases]
        for user in (self.employee, self.user, self.regulatory,
                     self.service_user):
            aliases = self.aliases.sudo(user)
            for alias in aliases:
                for vals in self._changes():
                    with self.assertRaisesRegex(AccessError,
                                                'Only members of'):
                        rpc(alias, 'write', [alias.ids, vals])
                with self.assertRaisesRegex(AccessError, 'Only members of'):
                    rpc(alias, 'unlink', [alias.ids])
            with self.assertRaisesRegex(AccessError, 'Only members of'):
                rpc(aliases, 'create', [{
                    'alias_name': 'quality-other-%s' % user.id,
                    'alias_model_id': self.complaint_model.id}])
            # Nor is an alias of their own turned into a complaint alias.
            own = self.env['mail.alias'].sudo(user).create({
                'alias_name': 'own-%s' % user.id,
                'alias_model_id': self.partner_model.id})
            with self.assertRaisesRegex(AccessError, 'Only members of'):
                rpc(own, 'write', [own.ids, {
                    'alias_model_id': self.complaint_model.id}])
        self.aliases.invalidate_cache()
        self.assertEqual([(alias.alias_name, alias.alias_defaults,
                           alias.alias_force_thread_id, alias.alias_model_id)
                          for alias in self.aliases], before)

    def test_quality_managers_manage_them(self):
        alias = self.aliases[0].sudo(self.manager)
        rpc(alias, 'write', [alias.ids, {'alias_name': 'qa-complaints',
                                         'alias_contact': 'partners'}])
        self.assertEqual(alias.alias_name, 'qa-complaints')
        new = rpc(self.env['mail.alias'].sudo(self.manager), 'create', [{
            'alias_name': 'quality-eu', 'alias_model_id':
            self.complaint_model.id,
            'alias_defaults': "{'channel': 'regulator'}"}])
        created = self.env['mail.alias'].browse(new)
        self.assertEqual(created.alias_model_id, self.complaint_model)
        rpc(created.sudo(self.manager), 'unlink', [created.ids])
        self.assertFalse(created.exists())

    def test_mail_gateway_still_routes(self):
        threads = self.env['mail.thread']
        for to, channel in (
                ('quality-complaints@example.com', 'email'),
                ('quality-distributors@example.com', 'distributor')):
            complaint = self.env['meddev.complaint'].browse(
                threads.message_process(False, complaint_mail(
                    to, '<%s@huashan.example.com>' % channel)))
            self.assertEqual(complaint._name, 'meddev.complaint')
            self.assertEqual(complaint.channel, channel)
            self.assertIn('did not alarm', complaint.description)
            self.assertNotEqual(complaint, self.target)
