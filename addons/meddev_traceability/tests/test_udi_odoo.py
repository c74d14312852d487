from odoo.exceptions import UserError, ValidationError

from .common import MeddevTraceabilityCase


class TestUdiInOdoo(MeddevTraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestUdiInOdoo, cls).setUpClass()
        cls.monitor.udi_di = '06901234567892'
        cls.serial.write({
            'production_date': '2026-03-15', 'udi_batch': 'B2603'})

    def test_udi_di_validated(self):
        with self.assertRaisesRegex(ValidationError, 'not a valid GTIN-14'):
            self.board.udi_di = '06901234567893'
        with self.assertRaisesRegex(ValidationError, 'non-digit'):
            self.board.udi_di = '0690123456789X'

    def test_udi_di_normalised(self):
        # A GTIN-13 is stored as the GTIN-14 of the UDI-DI.
        self.board.write({'udi_di': ' 6901234567809 '})
        self.board.invalidate_cache()
        self.assertEqual(self.board.udi_di, '06901234567809')

    def test_udi_di_unique(self):
        with self.assertRaisesRegex(ValidationError, 'already used by'):
            self.board.udi_di = '06901234567892'

    def test_element_string(self):
        self.assertEqual(
            self.serial.udi_element_string,
            '(01)06901234567892(11)260315(10)B2603(21)PM9-0001')

    def test_scan_finds_lot(self):
        scan = self.env['meddev.udi.scan'].sudo(self.user)
        product, lot, data = scan.find_lot(
            ']d20106901234567892112603151721123110B2603\x1d21PM9-0001')
        self.assertEqual((product, lot), (self.monitor, self.serial))
        self.assertEqual(str(data.expiry_date), '2021-12-31')
        lots = self.env['stock.production.lot'].sudo(self.user).search(
            [('udi_scan', '=', '(01)06901234567892(21)PM9-0001')])
        self.assertEqual(lots, self.serial)

    def test_scan_wizard(self):
        wizard = self.env['meddev.udi.scan'].sudo(self.user).create({
            'barcode': '(01)06901234567892(21)PM9-0001'})
        wizard.action_scan()
        self.assertEqual(wizard.lot_id, self.serial)
        self.assertEqual(wizard.action_open_lot()['res_id'], self.serial.id)

    def test_scan_proposes_new_lot(self):
        wizard = self.env['meddev.udi.scan'].create({
            'barcode': '(01)06901234567892(17)281231(10)B2701(21)PM9-0777'})
        wizard.action_scan()
        self.assertEqual(wizard.product_id, self.monitor)
        self.assertFalse(wizard.lot_id)
        wizard.action_create_lot()
        self.assertEqual(
            (wizard.lot_id.name, wizard.lot_id.udi_batch,
             wizard.lot_id.life_date[:10]),
            ('PM9-0777', 'B2701', '2028-12-31'))

    def test_malformed_scan(self):
        scan = self.env['meddev.udi.scan'].sudo(self.user)
        with self.assertRaisesRegex(
                UserError, r'AI \(01\) at position 17: .*check digit'):
            scan.find_lot('(01)06901234567893(21)PM9-0001')
        with self.assertRaisesRegex(UserError, r'AI \(17\)'):
            self.env['stock.production.lot'].search(
                [('udi_scan', '=', '(01)06901234567892(17)261332')])


class TestUdiReceipt(MeddevTraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestUdiReceipt, cls).setUpClass()
        cls.monitor.udi_di = '06901234567892'
        cls.stock_user = cls._create_user(
            'trace_receiver', cls.env.ref('stock.group_stock_user'))
        supplier = cls.env.ref('stock.stock_location_suppliers')
        stock = cls.env.ref('stock.stock_location_stock')
        cls.receipt = cls.env['stock.picking'].create({
            'picking_type_id': cls.env.ref('stock.picking_type_in').id,
            'location_id': supplier.id,
            'location_dest_id': stock.id,
            'move_lines': [(0, 0, {
                'name': cls.monitor.name,
                'product_id': cls.monitor.id,
                'product_uom_qty': 2,
                'product_uom': cls.monitor.uom_id.id,
                'location_id': supplier.id,
                'location_dest_id': stock.id,
            })],
        })
        cls.receipt.action_confirm()

    def _scan(self, barcode):
        wizard = self.env['meddev.udi.scan'].sudo(self.stock_user).create({
            'barcode': barcode, 'picking_id': self.receipt.id})
        return wizard.action_add_to_picking()

    def test_scan_into_receipt(self):
        action = self._scan('(01)06901234567892(11)260301(10)B2603(21)SN-1')
        following = self.env['meddev.udi.scan'].browse(action['res_id'])
        self.assertEqual(following.picking_id, self.receipt)
        self.assertIn('SN-1 added', following.message)
        # The known serial is reused, the new one recorded with its dates.
        self._scan('(01)06901234567892(21)PM9-0001')
        lines = self.receipt.move_line_ids
        self.assertEqual(
            sorted(lines.mapped('lot_id.name')), ['PM9-0001', 'SN-1'])
        self.assertEqual(lines.mapped('qty_done'), [1.0, 1.0])
        new = lines.mapped('lot_id').filtered(lambda lot: lot.name == 'SN-1')
        self.assertEqual(
            (new.production_date, new.udi_batch), ('2026-03-01', 'B2603'))
        with self.assertRaisesRegex(UserError, 'already in'):
            self._scan('(01)06901234567892(21)SN-1')
        self.receipt.sudo(self.stock_user).action_done()
        self.assertEqual(self.serial.product_qty, 1.0)

    def test_scan_wrong_product(self):
        self.board.udi_di = '06901234990010'
        with self.assertRaisesRegex(UserError, 'nothing to receive'):
            self._scan('(01)06901234990010(10)L1')
        with self.assertRaisesRegex(UserError, 'No product has'):
            self._scan('(01)06901234990027(10)L1')
        with self.assertRaisesRegex(UserError, 'position'):
            self._scan('(01)0690123499001(10)L1')
