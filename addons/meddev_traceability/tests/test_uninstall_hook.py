from odoo import fields

from odoo.addons.meddev_base.tests.common import archived, archived_count

from ..hooks import uninstall_hook
from .common import MeddevTraceabilityCase


class TestUninstallHook(MeddevTraceabilityCase):
    """Uninstalling the module never loses recalls and genealogy (review
    S2-5): the hook copies the module's tables, the columns it adds to
    lots and the recalls' chatter into an archive schema, which Odoo's
    clean-up leaves. Run on a savepoint, rolled back."""

    def test_uninstall_keeps_recalls_genealogy_and_lot_columns(self):
        link = self._create_link(self.serial, self.board_lot)
        self.serial.write({'udi_batch': 'ARCH-B7'})
        recall = self.env['meddev.recall'].create({
            'reason': 'Battery swells.',
            'recall_level_id': self.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'decision_date': fields.Date.today(),
            'user_id': self.manager.id,
            'lot_ids': [(6, 0, self.serial.ids)]})
        hospital = self.env['res.partner'].create({
            'name': '华山医院', 'customer': True, 'is_company': True})
        line = self.env['meddev.recall.line'].create({
            'recall_id': recall.id, 'partner_id': hospital.id,
            'lot_id': self.serial.id, 'product_id': self.monitor.id,
            'quantity_shipped': 1.0, 'quantity_at_customer': 1.0})
        recall.message_post(body='已电话通知华山医院设备科')
        with archived(self, uninstall_hook) as schema:
            self.assertTrue(schema.startswith('meddev_traceability_archive'))
            cr = self.cr
            for table, key in (('meddev_recall', recall.id),
                               ('meddev_recall_line', line.id),
                               ('meddev_lot_link', link.id)):
                self.assertEqual(archived_count(
                    cr, schema, table, 'id = %s', (key,)), 1, table)
            self.assertEqual(archived_count(
                cr, schema, 'stock_production_lot__columns',
                'id = %s AND udi_batch = %s', (self.serial.id, 'ARCH-B7')),
                1)
            self.assertEqual(archived_count(
                cr, schema, 'mail_message',
                "model = 'meddev.recall' AND res_id = %s AND body LIKE %s",
                (recall.id, '%已电话通知华山医院设备科%')), 1)
