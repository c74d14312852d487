from odoo.exceptions import AccessError

from .common import MeddevBaseCase, rpc

REFUSED = 'leads outside your access rights'
EDITORS = 'Only a Settings administrator'
# Each reached the superuser, SQL or the operating system from a render
# any employee or portal user asked for over XML-RPC.
ESCAPES = (
    "${object.sudo().env['res.users'].search([]).mapped('login')}",
    "${user.env['res.users'].sudo().search([]).mapped('login')}",
    "${object.env(user=1)['res.users'].search([]).mapped('login')}",
    "${object.pool.cursor()}",
    "${datetime.sys.modules}",
    "${(object|attr('sudo'))()}",
    "% set su = object.sudo()\n${su.name}",
    # jinja's |attr calls getattr itself (no rebinding): user is a record
    # of the superuser's environment in Odoo 11.
    "${(user|attr('write'))({'name': 'Owned'})}",
    "${user|attr('name')}",
    # str.format follows __globals__ past the sandbox: the master and
    # database passwords.
    "${str.format('{0.__globals__[tools].config.options[db_password]}', "
    "format_date)}",
    "${map('{0.env.uid}'.format, [user])|first}",
    "${ '{0.env}'.format(user) }",
    "${object[object.name]}",
)


class TestMailTemplateSandbox(MeddevBaseCase):
    """Template text rendered for anyone but a Settings administrator
    stays inside the caller's rights (mail.template's and the composer's
    public render_template, and stored templates every employee may
    write)."""

    @classmethod
    def setUpClass(cls):
        super(TestMailTemplateSandbox, cls).setUpClass()
        cls.employee = cls._create_user('template_employee')
        cls.portal = cls._create_user(
            'template_portal', ('base.group_portal',))
        cls.admin = cls._create_user(
            'template_admin', ('base.group_user', 'base.group_system'))
        cls.partner = cls.env['res.partner'].create(
            {'name': 'Clinic Template', 'email': 'clinic@example.com'})

    def _render(self, user, text, model='mail.template'):
        return rpc(user, model, 'render_template',
                   [text, 'res.partner', [self.partner.id]])

    def test_escapes_refused(self):
        for user in (self.employee, self.portal):
            for text in ESCAPES:
                with self.assertRaisesRegex(AccessError, REFUSED,
                                            msg='%s: %s' % (user.login,
                                                            text)):
                    self._render(user, text)
        with self.assertRaisesRegex(AccessError, REFUSED):
            self._render(self.employee, ESCAPES[0], 'mail.compose.message')
        # Odoo renders ustr() of what came: bytes or a list (an XML-RPC
        # <base64> arrives as a Binary) are the same text.
        for text in (ESCAPES[9].encode(), [ESCAPES[9]]):
            with self.assertRaisesRegex(AccessError, REFUSED,
                                        msg=repr(text)):
                self._render(self.employee, text)

    def test_user_rights_unchanged(self):
        """What the user may read still renders, methods included."""
        text = ("${object.name} <${object.email|lower}>\n"
                "% if object.email:\n${ctx['lang'] if 'lang' in ctx "
                "else 'en'} ${user.login}\n% endif\n")
        result = self._render(self.employee, text)
        self.assertEqual(
            result[self.partner.id],
            'Clinic Template <clinic@example.com>\nen template_employee\n')

    def test_administrator_renders_as_odoo(self):
        result = self._render(self.admin, "${object.sudo().name}")
        self.assertIn('Clinic Template', list(result.values()))

    def test_records_read_as_the_caller(self):
        """Core hands templates ``user`` in the superuser's environment:
        every record a narrowed render touches is read and called as the
        caller (``${user.write(...)}`` made the caller an administrator,
        ``${user.search(...)}`` read other companies' users)."""
        other = self.env['res.company'].create({'name': 'Template Co B'})
        stranger = self._create_user('template_stranger', company=other)
        count = ("${user.search_count([('id', '=', %d)])} "
                 "${user.company_id.search_count([('id', '=', %d)])}") % (
                     stranger.id, other.id)
        # Saved by an administrator: the text of a saved template may call
        # methods, as the caller.
        template = self.env['mail.template'].sudo(self.admin).create({
            'name': 'Counts', 'model_id': self.env.ref(
                'base.model_res_partner').id, 'body_html': count})
        self.assertEqual(self._render(self.admin, count.replace(
            'user.', 'user.sudo().'))[self.partner.id], '1 1')
        self.assertEqual(self._render(
            self.employee, template.body_html)[self.partner.id], '0 0')
        system = self.env.ref('base.group_system')
        with self.assertRaisesRegex(AccessError, REFUSED):
            self._render(self.employee, (
                "${user.write({'groups_id': [(4, %d)]})}" % system.id))
        self.employee.invalidate_cache()
        self.assertNotIn(system, self.employee.groups_id)

    def test_templates_written_by_administrators(self):
        """Every employee could write templates in Odoo 11, and the
        notification layout renders as the superuser: templates, and
        the translations of their text, are the administrators'."""
        values = {'name': 'Escape', 'model_id': self.env.ref(
            'base.model_res_partner').id, 'subject': 'Logins',
            'body_html': ESCAPES[0]}
        with self.assertRaisesRegex(AccessError, EDITORS):
            rpc(self.employee, 'mail.template', 'create', [values])
        layout = self.env.ref(
            'mail.mail_template_data_notification_email_default')
        with self.assertRaisesRegex(AccessError, EDITORS):
            rpc(self.employee, 'mail.template', 'write',
                [layout.ids, {'body_html': ESCAPES[0]}])
        with self.assertRaises(AccessError):
            rpc(self.employee, 'ir.translation', 'create', [{
                'name': 'mail.template,body_html', 'type': 'model',
                'lang': 'en_US', 'res_id': layout.id,
                'src': layout.body_html, 'value': ESCAPES[0]}])
        self.assertNotIn('sudo', layout.body_html)
        self.assertFalse(rpc(self.employee, 'mail.template',
                             'check_access_rights', ['write', False]))
        rpc(self.admin, 'mail.template', 'create', [values])

    def test_stored_template_narrowed(self):
        """A template an administrator saved renders narrowed when an
        employee sends it."""
        template = self.env['mail.template'].sudo(self.admin).create({
            'name': 'Escape', 'model_id': self.env.ref(
                'base.model_res_partner').id,
            'subject': 'Logins',
            'body_html': ESCAPES[0]})
        with self.assertRaisesRegex(AccessError, REFUSED):
            rpc(self.employee, 'mail.template', 'generate_email',
                [template.ids, self.partner.id])
        # A Settings administrator's send renders it as Odoo does.
        mail = template.sudo(self.admin).generate_email(self.partner.id)
        self.assertIn(self.admin.login, mail['body_html'])
