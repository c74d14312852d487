from unittest.mock import patch

from odoo import api
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevBaseCase

# The groups of the options declared for the test: Contact Creation, which
# the writer below lacks, and Access to Private Addresses for a second
# group.
GROUP = 'base.group_partner_manager'
OTHER_GROUP = 'base.group_private_addresses'
WRITER_GROUPS = ('base.group_user', 'base.group_erp_manager')


@at_install(False)
@post_install(True)
class TestSettingsGuard(MeddevBaseCase):
    """meddev_base's company settings guard: options declared in
    ``_meddev_guarded_settings`` (here three of Odoo's own company fields,
    declared for the test exactly as an app declares its options) are
    changed only by their group, administrators and the superuser, on
    write and on create; unchanged values pass."""

    @classmethod
    def setUpClass(cls):
        super(TestSettingsGuard, cls).setUpClass()
        cls.company = cls.env['res.company'].create({
            'name': 'Guarded Settings Ltd', 'report_footer': 'Tel. 1',
            'sequence': 10})
        cls.other = cls.env['res.company'].create({
            'name': 'Second Settings Ltd', 'report_footer': 'Tel. 2'})
        companies = [(6, 0, (cls.env.user.company_id | cls.company
                             | cls.other).ids)]
        # Company managers (they may write companies), without the group.
        cls.writer = cls._create_user(
            'guard_writer', groups=WRITER_GROUPS, company_ids=companies)
        cls.member = cls._create_user(
            'guard_member', groups=WRITER_GROUPS + (GROUP,),
            company_ids=companies)
        cls.admin = cls._create_user(
            'guard_admin', groups=('base.group_user', 'base.group_system'),
            company_ids=companies)

    def setUp(self):
        super(TestSettingsGuard, self).setUp()
        declaration = patch.object(
            type(self.env['res.company']), '_meddev_guarded_settings',
            lambda model: {'report_footer': GROUP, 'sequence': GROUP,
                           'user_ids': OTHER_GROUP})
        declaration.start()
        self.addCleanup(declaration.stop)
        self.assertFalse(self.writer.has_group(GROUP))
        self.assertTrue(self.member.has_group(GROUP))
        self.assertFalse(self.writer.has_group(OTHER_GROUP))

    def _group_name(self, xmlid):
        return self.env.ref(xmlid).full_name

    def _create_as(self, user, vals):
        """Create a company as ``user`` and return it; None when Odoo's
        own access rights refuse it after the guard passed (a new company
        creates its partner, and with the resource module its working
        calendar, which only administrators create)."""
        try:
            with self.env.cr.savepoint():
                return self.env['res.company'].sudo(user).create(vals)
        except AccessError as error:
            self.assertNotIn('may change the options', error.name)
            # Odoo's access rights name the model they refuse.
            self.assertIn('(Document model: res', error.name)
            return None

    def test_write_without_the_group_is_refused(self):
        company = self.company.sudo(self.writer)
        with self.assertRaises(AccessError) as refusal:
            company.write({'report_footer': 'Tel. 9'})
        self.assertEqual(
            str(refusal.exception.name),
            'Guarded Settings Ltd: only a member of "%s" or an '
            'administrator may change the options Report Footer.'
            % self._group_name(GROUP))
        # Over XML-RPC alike.
        with self.assertRaisesRegex(AccessError, 'options Sequence'):
            api.call_kw(company, 'write', [company.ids, {'sequence': 3}], {})
        with self.assertRaisesRegex(AccessError, 'Accepted Users'):
            company.write({'user_ids': [(3, self.writer.id)]})
        self.company.invalidate_cache()
        self.assertEqual(self.company.report_footer, 'Tel. 1')
        self.assertEqual(self.company.sequence, 10)
        # Options of two groups: each group named with its options.
        with self.assertRaises(AccessError) as refusal:
            company.write({'report_footer': 'Tel. 9', 'sequence': 4,
                           'user_ids': [(5,)]})
        message = str(refusal.exception.name)
        self.assertIn('"%s" or an administrator may change the options '
                      'Report Footer, Sequence.' % self._group_name(GROUP),
                      message)
        self.assertIn('"%s" or an administrator may change the options '
                      'Accepted Users.' % self._group_name(OTHER_GROUP),
                      message)

    def test_create_without_the_group_is_refused(self):
        companies = self.env['res.company'].sudo(self.writer)
        with self.assertRaisesRegex(
                AccessError, 'Lenient Ltd: only a member of .* Sequence'):
            companies.create({'name': 'Lenient Ltd', 'sequence': 1})
        self.assertFalse(self.env['res.company'].search(
            [('name', '=', 'Lenient Ltd')]))
        # The defaults (or none of the options) are no change.
        created = self._create_as(
            self.writer, {'name': 'Plain Ltd', 'sequence': 10.0})
        self.assertEqual(created.sequence if created else 10, 10)
        self._create_as(self.writer, {'name': 'Plainer Ltd'})

    def test_members_of_the_group_and_administrators_change_them(self):
        self.company.sudo(self.member).write({'report_footer': 'Tel. 3'})
        self.assertEqual(self.company.report_footer, 'Tel. 3')
        created = self._create_as(
            self.member, {'name': 'Member Ltd', 'sequence': 2})
        self.assertEqual(created.sequence if created else 2, 2)
        # Administrators (Settings) and the superuser (sudo) change all.
        self.company.sudo(self.admin).write(
            {'sequence': 4, 'user_ids': [(4, self.admin.id)]})
        self.company.sudo().write({'report_footer': 'Tel. 4'})
        self.company.invalidate_cache()
        self.assertEqual(self.company.sequence, 4)
        self.assertEqual(self.company.report_footer, 'Tel. 4')

    def test_unchanged_values_pass(self):
        """What a form or Settings sends back unchanged, and other fields,
        pass; values are compared company by company."""
        company = self.company.sudo(self.writer)
        company.write({
            'report_footer': 'Tel. 1', 'sequence': 10.0,
            'user_ids': [(6, 0, self.company.user_ids.ids)],
            'report_header': 'Medical devices'})
        self.company.invalidate_cache()
        self.assertEqual(self.company.report_header, 'Medical devices')
        # The value of the first company, not of the second: a change.
        both = (self.company | self.other).sudo(self.writer)
        with self.assertRaisesRegex(
                AccessError, 'Guarded Settings Ltd, Second Settings Ltd'):
            both.write({'report_footer': 'Tel. 1'})
        self.other.invalidate_cache()
        self.assertEqual(self.other.report_footer, 'Tel. 2')
