"""Who received a recalled lot is the recall's evidence: deleting the
customer, the delivery address, the delivery or the lot a recall line or a
recall names is refused (a clear UserError naming the recall, before the
``ondelete='restrict'`` foreign keys, which refuse it too), the line left
as it was. Through XML-RPC (``call_kw``), as users allowed to delete
partners, pickings and lots."""

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tests.common import rpc

from .common import MeddevManufacturingCase

# (table, column, referenced table): each foreign key a regulated record
# depends on, 'restrict' in PostgreSQL (confdeltype 'r').
RESTRICTED = [
    ('meddev_recall_line', 'partner_id', 'res_partner'),
    ('meddev_recall_line', 'shipping_partner_id', 'res_partner'),
    ('meddev_recall_line', 'picking_id', 'stock_picking'),
    ('meddev_recall_line', 'product_id', 'product_product'),
    ('meddev_recall_line', 'lot_id', 'stock_production_lot'),
    ('meddev_recall', 'recall_level_id', 'meddev_recall_level'),
    ('meddev_recall', 'company_id', 'res_company'),
    ('meddev_lot_link', 'parent_lot_id', 'stock_production_lot'),
    ('meddev_lot_link', 'child_lot_id', 'stock_production_lot'),
    ('meddev_lot_link', 'production_id', 'mrp_production'),
    ('meddev_lot_link', 'company_id', 'res_company'),
]


class TestRecallOndelete(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallOndelete, cls).setUpClass()
        cls.partner_admin = cls._create_user(
            'trace_partner_admin',
            cls.env.ref('base.group_user')
            | cls.env.ref('base.group_partner_manager'))
        cls.stock_manager = cls._create_user(
            'trace_stock_manager', cls.env.ref('stock.group_stock_manager'))
        cls.ward = cls.env['res.partner'].create({
            'name': 'Renji Hospital, Ward 3', 'type': 'delivery',
            'parent_id': cls.hospital_a.id})
        # A delivery without a sale order: nothing but the recall line
        # keeps the customer and the address.
        cls.picking = cls._deliver(cls.ward, [(cls.serial, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Ondelete recall',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })
        rpc(cls.manager, 'meddev.recall', 'action_launch', [cls.recall.ids])
        cls.line = cls.recall.line_ids.filtered(
            lambda line: line.picking_id == cls.picking)

    def _assert_line_intact(self):
        self.line.invalidate_cache()
        self.assertEqual(self.line.partner_id, self.hospital_a)
        self.assertEqual(self.line.shipping_partner_id, self.ward)
        self.assertEqual(self.line.picking_id, self.picking)
        self.assertEqual(self.line.lot_id, self.serial)

    def test_foreign_keys_restrict(self):
        """The database refuses too (raw SQL, a module's superuser code):
        the foreign keys are 'restrict', also on a database updated from
        a release where they were 'set null' (Odoo fixes them at -u)."""
        for table, column, target in RESTRICTED:
            self.env.cr.execute("""
                SELECT con.confdeltype
                  FROM pg_constraint con
                  JOIN pg_class c ON c.oid = con.conrelid
                  JOIN pg_attribute a ON a.attrelid = c.oid
                   AND a.attnum = con.conkey[1]
                  JOIN pg_class t ON t.oid = con.confrelid
                 WHERE con.contype = 'f' AND c.relname = %s
                   AND a.attname = %s AND t.relname = %s
            """, [table, column, target])
            self.assertEqual(
                [row[0] for row in self.env.cr.fetchall()], ['r'],
                '%s.%s' % (table, column))

    def test_partner_not_deleted(self):
        """Neither the customer nor the delivery address is deleted, by a
        user who may delete partners; archiving still works."""
        self.assertEqual(self.line.partner_id, self.hospital_a)
        # With meddev_service, the delivery also made the serial installed
        # equipment at the ward, and service's refusal (named for its
        # equipment) comes first; alone, this module's names the recall.
        cause, modules = 'the recall %s' % self.recall.name, [
            'meddev_traceability']
        if 'meddev.service.equipment' in self.env:
            cause = '(%s|the service tickets or installed equipment)' % cause
            modules.append('meddev_service')
        for partner in (self.ward, self.hospital_a):
            with self.assertRaisesRegex(
                    UserError, '%s cannot be deleted: %s' % (
                        partner.display_name, cause)):
                rpc(self.partner_admin, 'res.partner', 'unlink',
                    [partner.ids])
            self.assertTrue(partner.exists())
        self._assert_line_intact()
        # In the user's language.
        self.env['ir.translation'].load_module_terms(modules, ['zh_CN'])
        with self.assertRaisesRegex(
                UserError, '%s 不能删除' % self.ward.display_name):
            rpc(self.partner_admin, 'res.partner', 'unlink',
                [self.ward.ids], {'lang': 'zh_CN'})
        rpc(self.partner_admin, 'res.partner', 'write',
            [self.ward.ids, {'active': False}])
        self.assertFalse(self.ward.active)
        # A partner no recall names is deleted as before.
        other = self.env['res.partner'].create({'name': 'Not Recalled'})
        rpc(self.partner_admin, 'res.partner', 'unlink', [other.ids])
        self.assertFalse(other.exists())

    def test_delivery_not_deleted(self):
        """The delivery a line names is not deleted by a stock manager
        (stock refuses a done transfer; the foreign key backs it)."""
        with self.assertRaises((UserError, AccessError)):
            rpc(self.stock_manager, 'stock.picking', 'unlink',
                [self.picking.ids])
        self.assertTrue(self.picking.exists())
        self._assert_line_intact()

    def test_recalled_lot_not_deleted(self):
        """A lot a recall names, even a draft's with no stock nor move,
        is not deleted: the recall's lot table would drop it silently."""
        lot = self._create_lot(self.board, 'MB2-L999')
        draft = self.env['meddev.recall'].sudo(self.manager).create({
            'reason': 'Draft naming a bare lot',
            'recall_level_id': self.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'lot_ids': [(6, 0, lot.ids)],
        })
        with self.assertRaisesRegex(
                UserError, 'MB2-L999 cannot be deleted: the recall %s'
                % draft.name):
            rpc(self.stock_manager, 'stock.production.lot', 'unlink',
                [lot.ids])
        draft.invalidate_cache()
        self.assertEqual(draft.lot_ids, lot)
        # Not by the lot's side of the affected lots either: that would
        # lift the quarantine of an open recall.
        self.assertIn(self.serial, self.recall.reached_lot_ids)
        with self.assertRaises(UserError):
            rpc(self.stock_manager, 'stock.production.lot', 'write',
                [self.serial.ids, {'recall_ids': [(5, 0, 0)]}])
        self.recall.invalidate_cache()
        self.assertIn(self.serial, self.recall.reached_lot_ids)
        # A lot no recall names is deleted as before.
        other = self._create_lot(self.board, 'MB2-L998')
        rpc(self.stock_manager, 'stock.production.lot', 'unlink',
            [other.ids])
        self.assertFalse(other.exists())
