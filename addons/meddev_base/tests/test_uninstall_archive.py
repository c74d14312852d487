from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tools.uninstall_archive import (
    archive_module_records, archived_table_name, clear_document_rows)

from ..hooks import uninstall_hook
from .common import MeddevBaseCase, archived, archived_count


def archive_base(cr, registry):
    """meddev_base's records, with the partners' trail as documents."""
    return archive_module_records(cr, registry, 'meddev_base',
                                  ('res.partner', 'meddev.esignature'))


# After all modules load: the users created here need the columns that
# later modules add to partners.
@at_install(False)
@post_install(True)
class TestUninstallArchive(MeddevBaseCase):
    """The addons' uninstall hooks keep their regulated records (issue 11,
    items 6 and 7; review S2-5): ``archive_module_records`` copies a
    module's tables, the columns it adds to other modules' tables and its
    documents' chatter into a schema Odoo's clean-up leaves alone. Run on a
    savepoint, rolled back."""

    def _sign(self):
        action = self.env['meddev.esignature.wizard']._action_open(
            self.partner, 'toggle_active', 'approval')
        wizard = self.env['meddev.esignature.wizard'].sudo(
            self.signer).with_context(**action['context']).create(
            {'password': self.PASSWORD, 'comment': 'OK'})
        wizard.action_sign()
        return self.env['meddev.esignature'].search([
            ('res_model', '=', 'res.partner'),
            ('res_id', '=', self.partner.id)])

    def test_tables_added_columns_and_chatter_archived(self):
        signature = self._sign()
        self.assertEqual(len(signature), 1)
        # A column of another module's table that the module declares, as
        # ir.model.data records it (what Odoo drops at the uninstall).
        field = self.env['ir.model.fields'].search([
            ('model', '=', 'res.partner'), ('name', '=', 'ref')])
        self.env['ir.model.data'].create({
            'module': 'meddev_base', 'name': 'field_res_partner_ref_test',
            'model': 'ir.model.fields', 'res_id': field.id})
        self.partner.write({'ref': 'ARCH-1'})
        self.partner.message_post(body='签字前的核对记录')
        with archived(self, archive_base) as schema:
            self.assertEqual(schema, 'meddev_base_archive')
            cr = self.cr
            self.assertEqual(archived_count(
                cr, schema, 'meddev_esignature', 'id = %s AND res_id = %s',
                (signature.id, self.partner.id)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'res_partner__columns', 'id = %s AND ref = %s',
                (self.partner.id, 'ARCH-1')), 1)
            # Only the module's columns, with the row's id.
            cr.execute("SELECT column_name FROM information_schema.columns "
                       "WHERE table_schema = %s AND table_name = %s",
                       (schema, 'archived_res_partner__columns'))
            self.assertEqual(sorted(row[0] for row in cr.fetchall()),
                             ['id', 'ref'])
            self.assertEqual(archived_count(
                cr, schema, 'mail_message',
                "model = 'res.partner' AND res_id = %s AND body LIKE %s",
                (self.partner.id, '%签字前的核对记录%')), 1)
            # No archived table is named like a live one: Odoo 11 reads
            # information_schema by table name in every schema.
            cr.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = %s AND table_name IN ("
                "  SELECT table_name FROM information_schema.tables "
                "  WHERE table_schema = 'public')", (schema,))
            self.assertFalse(cr.fetchall())
            # A second uninstall (after a reinstall) gets its own schema.
            second, counts = archive_base(cr, self.registry)
            self.assertEqual(second, 'meddev_base_archive_2')
            self.assertEqual(counts['meddev.esignature'], archived_count(
                cr, schema, 'meddev_esignature'))
        self.cr.execute("SELECT 1 FROM pg_namespace "
                        "WHERE nspname LIKE 'meddev_base_archive%%'")
        self.assertFalse(self.cr.fetchall())

    def test_uninstall_hook_keeps_the_signatures(self):
        signature = self._sign()
        with archived(self, uninstall_hook) as schema:
            self.assertTrue(schema.startswith('meddev_base_archive'))
            self.assertEqual(archived_count(
                self.cr, schema, 'meddev_esignature',
                'id = %s AND signature_hash = %s',
                (signature.id, signature.signature_hash)), 1)

    def test_activities_of_the_documents_cleared(self):
        """Activities would stay behind pointing at a dropped model; those
        of other models stay."""
        todo = self.env.ref('mail.mail_activity_data_todo')
        channel = self.env['mail.channel'].create({'name': 'archive test'})
        activities = self.env['mail.activity']
        for record in (self.partner, channel):
            activities += self.env['mail.activity'].create({
                'res_model_id': self.env['ir.model']._get(record._name).id,
                'res_id': record.id, 'summary': '回访',
                'activity_type_id': todo.id, 'user_id': self.signer.id})
        self.assertGreaterEqual(clear_document_rows(
            self.cr, ('res.partner', 'meddev.esignature')), 1)
        self.cr.execute("SELECT res_model FROM mail_activity WHERE id IN %s",
                        (tuple(activities.ids),))
        self.assertEqual(self.cr.fetchall(), [('mail.channel',)])

    def test_long_names_stay_apart(self):
        """PostgreSQL cuts names at 63 bytes: two long relation tables
        alike up to there would have collided and failed the uninstall."""
        self.assertEqual(archived_table_name('meddev_recall'),
                         'archived_meddev_recall')
        first, second = (archived_table_name('meddev_%s_rel' % ('x' * 60 + end))
                         for end in ('a', 'b'))
        self.assertNotEqual(first, second)
        self.assertEqual([len(first), len(second)], [63, 63])
