from odoo import SUPERUSER_ID
from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tools.context import (
    FORCE_KEYS, SWITCH_KEYS, context_defaults, create_values,
    server_context, without_keys, workflow_context, workflow_sudo)

from .common import MeddevBaseCase, rpc, save_default

# A caller's context over RPC: its own keys, defaults, switches and keys
# forcing values in other modules (stock valuation, company properties).
CALLER_CONTEXT = {
    'lang': 'zh_CN', 'tz': 'Asia/Shanghai', 'force_company': 3,
    'default_state': 'closed', 'default_user_id': 7, 'recompute': False,
    'tracking_disable': True, 'mail_notrack': True,
    'mail_create_nolog': True, 'meddev_auto_mail': True,
    'force_valuation_amount': 0.01, 'forced_quantity': 1000,
    'force_period_date': '2001-01-01', 'meddev_skip_recalled': True,
    'active_test': False}
# What the workflow keeps (an allow-list).
KEPT = {'lang': 'zh_CN', 'tz': 'Asia/Shanghai'}
# What the records' own writes keep (the caller's defaults, switches and
# forcing keys dropped).
SERVER_KEPT = {'lang': 'zh_CN', 'tz': 'Asia/Shanghai', 'force_company': 3,
               'meddev_auto_mail': True, 'active_test': False}


@at_install(False)
@post_install(True)
class TestWorkflowContextHelpers(MeddevBaseCase):
    """The context the server writes in for a user (pure helpers)."""

    def test_workflow_keeps_an_allow_list(self):
        self.assertEqual(workflow_context(CALLER_CONTEXT), KEPT)
        self.assertEqual(workflow_context({}), {})
        # The module's own keys, when it names them.
        self.assertEqual(
            workflow_context(CALLER_CONTEXT, keep=('meddev_auto_mail',)),
            dict(KEPT, meddev_auto_mail=True))

    def test_server_context_drops_defaults_switches_and_forcing(self):
        self.assertEqual(server_context(CALLER_CONTEXT), SERVER_KEPT)
        self.assertEqual(SWITCH_KEYS, frozenset((
            'recompute', 'tracking_disable', 'mail_notrack',
            'mail_create_nolog')))
        self.assertIn('force_valuation_amount', FORCE_KEYS)

    def test_workflow_sudo(self):
        partners = self.partner.sudo(self.signer).with_env(
            self.partner.sudo(self.signer).env(context=CALLER_CONTEXT))
        records = workflow_sudo(partners)
        self.assertEqual(records.env.uid, SUPERUSER_ID)
        self.assertEqual(records.env.context, KEPT)
        self.assertEqual(records, self.partner)
        # An empty model too (the workflow creates with it).
        model = workflow_sudo(self.env['res.partner'].with_env(
            self.env(context=CALLER_CONTEXT)))
        self.assertEqual(model.env.context, KEPT)
        # The server mark survives (records marked before).
        marked = self.env['meddev.guarded.mixin']._meddev_as_server()
        self.assertTrue(workflow_sudo(marked)._meddev_is_server())

    def test_without_keys(self):
        partner = self.partner.with_env(self.env(context=CALLER_CONTEXT))
        stripped = without_keys(partner, ('tracking_disable', 'recompute'))
        self.assertNotIn('tracking_disable', stripped.env.context)
        self.assertNotIn('recompute', stripped.env.context)
        self.assertTrue(stripped.env.context['mail_notrack'])
        # Nothing to drop: the same records, the same environment.
        self.assertIs(without_keys(stripped, ('recompute',)), stripped)

    def test_context_defaults(self):
        # The defaults default_get would give the named fields, falsy ones
        # included (a create compares them like its vals).
        self.assertEqual(
            context_defaults(dict(CALLER_CONTEXT, default_note=False),
                             ('state', 'note', 'name')),
            {'state': 'closed', 'note': False})
        self.assertEqual(context_defaults(CALLER_CONTEXT, ()), {})

    def test_create_values_see_saved_defaults(self):
        """What a create will give the named fields: the vals, else the
        caller's default_* key, else the user's saved default (which a
        plain employee sets for themselves), else the field's own."""
        save_default(self, self.signer, 'res.partner', 'function', 'CEO')
        save_default(self, self.signer, 'res.partner', 'comment', 'saved')
        partners = self.env['res.partner'].sudo(self.signer).with_context(
            default_comment='from context')
        names = ('function', 'comment', 'name', 'active', 'website')
        self.assertEqual(
            create_values(partners, {'name': 'X'}, names),
            {'name': 'X', 'function': 'CEO', 'comment': 'from context',
             'active': True})
        # The vals win, and fields not named are not looked up.
        self.assertEqual(
            create_values(partners, {'function': False}, ('function',)),
            {'function': False})
        self.assertEqual(create_values(partners, {'name': 'X'}, ()),
                         {'name': 'X'})
        # Another user does not get the signer's default; and create
        # really applies it (what the helper reports is what is stored).
        self.assertNotIn('function', create_values(
            self.env['res.partner'], {}, ('function',)))
        partner_id = rpc(self.signer, 'res.partner', 'create',
                         [{'name': 'Saved default'}])
        self.assertEqual(
            self.env['res.partner'].browse(partner_id).function, 'CEO')


@at_install(False)
@post_install(True)
class TestServerMarkContext(MeddevBaseCase):
    """``_meddev_as_server()`` (meddev.guarded.mixin) drops the caller's
    defaults and switches: what the server writes gets its values from the
    server's code, its computed fields stored and its changes tracked."""

    def _as_server(self, context):
        mixin = self.env['meddev.guarded.mixin'].sudo(self.signer)
        return mixin.with_env(mixin.env(context=context))._meddev_as_server()

    def test_caller_defaults_and_switches_dropped(self):
        records = self._as_server(CALLER_CONTEXT)
        self.assertTrue(records._meddev_is_server())
        self.assertEqual(records.env.uid, self.signer.id)
        for key in SWITCH_KEYS | FORCE_KEYS | {'default_state',
                                               'default_user_id'}:
            self.assertNotIn(key, records.env.context)
        for key, value in SERVER_KEPT.items():
            self.assertEqual(records.env.context[key], value)

    def test_server_code_may_switch_after(self):
        # The server's own choice (one note instead of tracking) stays.
        records = self._as_server(CALLER_CONTEXT).with_context(
            tracking_disable=True)
        self.assertTrue(records._meddev_is_server())
        self.assertTrue(records.env.context['tracking_disable'])

    def test_created_with_its_trail_without_the_callers_defaults(self):
        # A record the server creates for a caller who sent
        # tracking_disable, mail_create_nolog and a default: it is created
        # with its creation message and without the caller's default.
        caller_context = dict(CALLER_CONTEXT, lang='en_US',
                              force_company=False, active_test=True,
                              default_comment='forged')
        mixin = self.env['meddev.guarded.mixin'].with_env(
            self.env(context=caller_context))
        partners = self.env['res.partner'].with_env(
            mixin._meddev_as_server().env)
        partner = partners.create({'name': '华山医院 (server mark test)'})
        self.assertFalse(partner.comment)
        self.assertEqual(len(partner.message_ids), 1)
        self.assertIn('created', partner.message_ids.body)
        # The same create in the caller's context: no trail, the default.
        plain = self.env['res.partner'].with_env(
            self.env(context=caller_context)).create(
                {'name': '华山医院 (caller context)'})
        self.assertEqual(plain.comment, 'forged')
        self.assertFalse(plain.message_ids)
