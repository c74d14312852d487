from odoo import SUPERUSER_ID

from ..hooks import uninstall_hook
from .common import MeddevCapaCase, call_button


class UndoHook(Exception):
    """Raised to roll the hook's deletions back."""


class TestUninstallHook(MeddevCapaCase):
    """The uninstall hook clears what Odoo's clean-up cannot delete (it
    logged errors and kept the module's users and rules): activities of
    the documents and of the module's users, regulatory reports, required
    links of the documents to the module's users. Run on a savepoint,
    rolled back."""

    def _count(self, query, params):
        self.cr.execute(query, params)
        return self.cr.fetchone()[0]

    def test_hook_clears_what_blocks_the_clean_up(self):
        # A user created by the module (its demo users are).
        module_user = self._create_user('qa_hook_owner', self.group_user)
        self.env['ir.model.data'].create({
            'module': 'meddev_quality_capa', 'name': 'qa_hook_owner_test',
            'model': 'res.users', 'res_id': module_user.id})
        self._decide(self.complaint, self.china)
        self.assertTrue(self.complaint.report_ids)
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids[0]
        action.sudo().write({'owner_id': module_user.id})
        partner_todo = self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get('res.partner').id,
            'res_id': self.hospital.id, 'summary': '回访',
            'user_id': module_user.id, 'activity_type_id': self.env.ref(
                'mail.mail_activity_data_todo').id})
        self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get(
                'meddev.complaint').id,
            'res_id': self.complaint.id, 'summary': '补充调查',
            'user_id': self.manager.id, 'activity_type_id': self.env.ref(
                'mail.mail_activity_data_todo').id})
        other_todo = self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get('res.partner').id,
            'res_id': self.hospital.id, 'summary': '对账',
            'user_id': self.manager.id, 'activity_type_id': self.env.ref(
                'mail.mail_activity_data_todo').id})
        with self.assertRaises(UndoHook), self.cr.savepoint():
            uninstall_hook(self.cr, self.registry)
            self.assertEqual(self._count(
                "SELECT COUNT(*) FROM mail_activity WHERE res_model IN "
                "('meddev.complaint', 'meddev.capa', "
                "'meddev.capa.action') OR id = %s",
                (partner_todo.id,)), 0)
            self.assertEqual(self._count(
                "SELECT COUNT(*) FROM mail_activity WHERE id = %s",
                (other_todo.id,)), 1)
            self.assertEqual(self._count(
                "SELECT COUNT(*) FROM meddev_regulatory_report "
                "WHERE id > %s", (0,)), 0)
            self.assertEqual(self._count(
                "SELECT owner_id FROM meddev_capa_action WHERE id = %s",
                (action.id,)), SUPERUSER_ID)
            # Nothing else of the documents goes.
            self.assertEqual(self._count(
                "SELECT COUNT(*) FROM meddev_complaint WHERE id = %s",
                (self.complaint.id,)), 1)
            raise UndoHook()
        action.invalidate_cache()
        self.assertEqual(action.owner_id, module_user)
        self.assertTrue(self.complaint.report_ids)

    def test_uninstall_keeps_the_regulated_records(self):
        """Uninstalling never loses complaints and CAPAs: the hook copies
        the module's tables, the chatter and the attachments' rows of its
        documents into an archive schema, which Odoo's clean-up leaves
        (review of issue 9, S2 h)."""
        self._decide(self.complaint, self.china)
        self.complaint.with_context(tracking_disable=False).message_post(
            body='医院回访记录')
        capa = self._capa()
        with self.assertRaises(UndoHook), self.cr.savepoint():
            self.cr.execute("SELECT nspname FROM pg_namespace "
                            "WHERE nspname LIKE 'meddev_quality_capa_arch%%'")
            before = set(row[0] for row in self.cr.fetchall())
            uninstall_hook(self.cr, self.registry)
            self.cr.execute("SELECT nspname FROM pg_namespace "
                            "WHERE nspname LIKE 'meddev_quality_capa_arch%%'")
            schemas = set(row[0] for row in self.cr.fetchall()) - before
            self.assertEqual(len(schemas), 1)
            schema = schemas.pop()
            for table, key in (('meddev_complaint', self.complaint.id),
                               ('meddev_capa', capa.id)):
                self.assertEqual(self._count(
                    'SELECT COUNT(*) FROM "%s"."archived_%s" WHERE id = %%s'
                    % (schema, table), (key,)), 1)
            # The reports the hook deletes are in the archive.
            self.assertEqual(self._count(
                'SELECT COUNT(*) FROM "%s".archived_meddev_regulatory_report '
                'WHERE complaint_id = %%s' % schema,
                (self.complaint.id,)), 1)
            self.assertEqual(self._count(
                'SELECT COUNT(*) FROM "%s".archived_meddev_capa_complaint_rel '
                'WHERE capa_id = %%s' % schema, (capa.id,)), 1)
            self.assertEqual(self._count(
                'SELECT COUNT(*) FROM "%s".archived_mail_message WHERE model = '
                '\'meddev.complaint\' AND res_id = %%s AND body LIKE %%s'
                % schema, (self.complaint.id, '%医院回访记录%')), 1)
            # No archived table is named like a live one: Odoo 11 reads
            # information_schema by table name in every schema, and a
            # reinstall took the copies' columns for its new tables'.
            self.cr.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = %s AND table_name IN ("
                "  SELECT table_name FROM information_schema.tables "
                "  WHERE table_schema = 'public')", (schema,))
            self.assertFalse(self.cr.fetchall())
            raise UndoHook()
