from unittest.mock import patch

from odoo import api
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevBaseCase

GROUP = 'base.group_erp_manager'
SYSTEM = 'base.group_system'


@at_install(False)
@post_install(True)
class TestAliasGuard(MeddevBaseCase):
    """Protected aliases (meddev_base's generic guard): a model declaring
    ``_meddev_alias_manager_group`` has its aliases managed by that group
    only. Here ``mail.channel`` (a ``mail.alias.mixin`` model, the only one
    meddev_base's dependencies offer) declares it for the test, exactly as
    a module declares it on its own model."""

    @classmethod
    def setUpClass(cls):
        super(TestAliasGuard, cls).setUpClass()
        cls.employee = cls._create_user('alias_guard_employee')
        cls.manager = cls._create_user(
            'alias_guard_manager', groups=('base.group_user', GROUP))
        cls.channel = cls.env['mail.channel'].create({
            'name': 'Alias Guard Channel', 'public': 'public',
            'alias_name': 'guarded-channel-test'})
        cls.alias = cls.channel.alias_id
        cls.channel_model = cls.env.ref('mail.model_mail_channel')
        cls.partner_model = cls.env.ref('base.model_res_partner')

    def setUp(self):
        super(TestAliasGuard, self).setUp()
        declaration = patch.object(
            type(self.env['mail.channel']), '_meddev_alias_manager_group',
            GROUP, create=True)
        declaration.start()
        self.addCleanup(declaration.stop)

    def _rpc(self, user, method, args):
        """Call ``method`` of mail.alias as ``user`` through call_kw, as the
        web client does."""
        aliases = self.env['mail.alias'].sudo(user)
        return api.call_kw(aliases, method, args, {'context': {}})

    def _refused(self, method, args, name='guarded-channel-test'):
        """The employee's call is refused, naming the alias and group."""
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._rpc(self.employee, method, args)
        self.assertIn(name, caught.exception.name)
        self.assertIn(self.env.ref(GROUP).full_name, caught.exception.name)

    def test_declared_models_collected(self):
        groups = self.env['mail.alias']._meddev_alias_manager_groups()
        self.assertEqual(groups.get('mail.channel'), GROUP)
        self.assertNotIn('res.partner', groups)

    def test_employee_may_not_change_a_protected_alias(self):
        victim = self.env['mail.channel'].create({'name': 'Victim Channel'})
        for values in ({'alias_force_thread_id': victim.id},
                       {'alias_name': 'hijacked-channel-test'},
                       {'alias_model_id': self.partner_model.id},
                       {'alias_parent_model_id': self.partner_model.id},
                       {'alias_parent_thread_id': 0},
                       {'alias_contact': 'partners'},
                       {'alias_defaults': repr({'name': 'forged'})}):
            with self.subTest(values=values):
                self._refused('write', [self.alias.ids, values])
        self._refused('unlink', [self.alias.ids])
        self.alias.invalidate_cache()
        self.assertEqual(self.alias.alias_name, 'guarded-channel-test')
        self.assertEqual(self.alias.alias_model_id, self.channel_model)
        # A channel's alias posts into the channel itself.
        self.assertEqual(self.alias.alias_force_thread_id, self.channel.id)
        self.assertEqual(self.alias.alias_contact, 'everyone')
        self.assertEqual(self.alias.alias_defaults, '{}')
        # Through the owning record's fields (_inherits) as well.
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            channels = self.env['mail.channel'].sudo(self.employee)
            api.call_kw(channels, 'write', [
                self.channel.ids, {'alias_contact': 'followers'}],
                {'context': {}})
        self.assertIn('guarded-channel-test', caught.exception.name)
        self.assertEqual(self.alias.alias_contact, 'everyone')

    def test_employee_may_not_point_an_alias_at_a_protected_model(self):
        self._refused('create', [{
            'alias_name': 'sneaky-channel-test',
            'alias_model_id': self.channel_model.id}],
            name='sneaky-channel-test')
        self.assertFalse(self.env['mail.alias'].search(
            [('alias_name', '=', 'sneaky-channel-test')]))
        # The model named by the context (as mail.alias.mixin does).
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            aliases = self.env['mail.alias'].sudo(self.employee)
            api.call_kw(aliases, 'create', [{
                'alias_name': 'context-channel-test'}],
                {'context': {'alias_model_name': 'mail.channel'}})
        # An own alias for an unprotected model is free, until it is
        # turned into a protected one (model or parent).
        own = self.env['mail.alias'].browse(self._rpc(
            self.employee, 'create', [{
                'alias_name': 'own-channel-test',
                'alias_model_id': self.partner_model.id}]))
        self._rpc(self.employee, 'write', [
            own.ids, {'alias_name': 'own-renamed-test'}])
        for values in ({'alias_model_id': self.channel_model.id},
                       {'alias_parent_model_id': self.channel_model.id,
                        'alias_parent_thread_id': self.channel.id}):
            with self.subTest(values=values):
                self._refused('write', [own.ids, values],
                              name='own-renamed-test')
        own.invalidate_cache()
        self.assertEqual(own.alias_model_id, self.partner_model)
        self.assertFalse(own.alias_parent_model_id)
        self._rpc(self.employee, 'unlink', [own.ids])
        self.assertFalse(own.exists())

    def test_alias_owned_by_a_protected_record(self):
        # Pointed elsewhere by the superuser: the channel still owns it
        # (its alias_id), so it stays protected.
        self.alias.write({'alias_model_id': self.partner_model.id,
                          'alias_parent_model_id': False})
        self.assertEqual(self.alias._meddev_alias_guards(),
                         {self.alias.sudo(): {GROUP}})
        self._refused('write', [self.alias.ids,
                                {'alias_name': 'owned-renamed-test'}])

    def test_group_member_and_superuser_manage_it(self):
        self._rpc(self.manager, 'write', [
            self.alias.ids, {'alias_name': 'manager-renamed-test'}])
        self.assertEqual(self.alias.alias_name, 'manager-renamed-test')
        alias = self.env['mail.alias'].browse(self._rpc(
            self.manager, 'create', [{
                'alias_name': 'manager-channel-test',
                'alias_model_id': self.channel_model.id}]))
        self.assertEqual(alias.alias_model_id, self.channel_model)
        self._rpc(self.manager, 'unlink', [alias.ids])
        self.assertFalse(alias.exists())
        # Module code and data files (superuser).
        self.alias.sudo(self.employee).sudo().write(
            {'alias_name': 'server-renamed-test'})
        self.assertEqual(self.alias.alias_name, 'server-renamed-test')

    def test_undeclared_models_stay_free(self):
        # Without the declaration the same change goes through: the
        # guard is what the models declare, nothing else.
        with patch.object(type(self.env['mail.channel']),
                          '_meddev_alias_manager_group', None):
            self._rpc(self.employee, 'write', [
                self.alias.ids, {'alias_name': 'free-channel-test'}])
        self.assertEqual(self.alias.alias_name, 'free-channel-test')


@at_install(False)
@post_install(True)
class TestSuiteAliases(MeddevBaseCase):
    """The mail gateway creates an alias's records with its defaults as the
    alias's user or the superuser, whom the suite's checks let through:
    outside Settings administrators, no alias creates records of a suite
    model, sets a field of the suite in its defaults (on any model), or
    runs as another user (review 6, base S1)."""

    @classmethod
    def setUpClass(cls):
        super(TestSuiteAliases, cls).setUpClass()
        cls.employee = cls._create_user('suite_alias_employee')
        cls.admin = cls._create_user(
            'suite_alias_admin', groups=('base.group_user', SYSTEM))
        cls.partner_model = cls.env.ref('base.model_res_partner')
        cls.signature_model = cls.env.ref(
            'meddev_base.model_meddev_esignature')

    def _create(self, user, **vals):
        aliases = self.env['mail.alias'].sudo(user)
        return aliases.browse(api.call_kw(
            aliases, 'create', [vals], {'context': {}}))

    def _suite_field(self, model, name):
        """Make the field ``name`` of ``model`` one a meddev addon defines
        (meddev_base's dependencies have none on Odoo's models)."""
        field = self.env[model]._fields[name]
        self.addCleanup(setattr, field, '_module', field._module)
        field._module = 'meddev_test_addon'

    def test_suite_model_alias_for_administrators_only(self):
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._create(self.employee, alias_name='sig-alias-test',
                         alias_model_id=self.signature_model.id)
        self.assertIn('sig-alias-test', caught.exception.name)
        self.assertIn(self.env.ref(SYSTEM).full_name, caught.exception.name)
        # Nor does an own alias become one (as parent either).
        own = self._create(self.employee, alias_name='own-suite-test',
                           alias_model_id=self.partner_model.id)
        for values in ({'alias_model_id': self.signature_model.id},
                       {'alias_parent_model_id': self.signature_model.id}):
            with self.subTest(values=values), \
                    self.assertRaises(AccessError), self.env.cr.savepoint():
                api.call_kw(own.sudo(self.employee), 'write',
                            [own.ids, values], {'context': {}})
        alias = self._create(self.admin, alias_name='sig-admin-test',
                             alias_model_id=self.signature_model.id)
        self.assertEqual(alias.alias_model_id, self.signature_model)

    def test_suite_fields_refused_in_defaults(self):
        self._suite_field('res.partner', 'comment')
        for defaults in ({'comment': 'Limit 1e12'},
                         {'child_ids': [(0, 0, {'comment': 'Nested'})]}):
            with self.subTest(defaults=defaults), \
                    self.assertRaises(AccessError) as caught, \
                    self.env.cr.savepoint():
                self._create(self.employee, alias_name='limit-alias-test',
                             alias_model_id=self.partner_model.id,
                             alias_defaults=repr(defaults))
            self.assertIn('res.partner.comment', caught.exception.name)
        # Written afterwards on an own alias: refused as well.
        own = self._create(self.employee, alias_name='own-limit-test',
                           alias_model_id=self.partner_model.id,
                           alias_defaults=repr({'customer': True}))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            api.call_kw(own.sudo(self.employee), 'write', [
                own.ids, {'alias_defaults': repr({'comment': 'x'})}],
                {'context': {}})
        self.assertEqual(own.alias_defaults, repr({'customer': True}))
        # An administrator may.
        alias = self._create(self.admin, alias_name='admin-limit-test',
                             alias_model_id=self.partner_model.id,
                             alias_defaults=repr({'comment': 'Set'}))
        self.assertEqual(alias.alias_defaults, repr({'comment': 'Set'}))

    def test_alias_runs_as_its_creator_only(self):
        root = self.env.ref('base.user_root')
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._create(self.employee, alias_name='root-alias-test',
                         alias_model_id=self.partner_model.id,
                         alias_user_id=root.id)
        self.assertIn(root.name, caught.exception.name)
        own = self._create(self.employee, alias_name='self-alias-test',
                           alias_model_id=self.partner_model.id,
                           alias_user_id=self.employee.id)
        self.assertEqual(own.alias_user_id, self.employee)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            api.call_kw(own.sudo(self.employee), 'write', [
                own.ids, {'alias_user_id': root.id}], {'context': {}})
        self.assertEqual(own.alias_user_id, self.employee)
        self._create(self.admin, alias_name='admin-root-test',
                     alias_model_id=self.partner_model.id,
                     alias_user_id=root.id)
