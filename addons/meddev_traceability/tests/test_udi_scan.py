import re

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevTraceabilityCase


class TestUdiScan(MeddevTraceabilityCase):
    """The scan box as users meet it: lot-tracked labels with a serial,
    lost separators, unknown GTINs, Digital Links, errors in Chinese."""

    @classmethod
    def setUpClass(cls):
        super(TestUdiScan, cls).setUpClass()
        cls.monitor.udi_di = '06901234567892'
        cls.board.udi_di = '06901234990010'
        cls.stock_user = cls._create_user(
            'trace_scanner', cls.env.ref('stock.group_stock_user'))
        cls.stock_manager = cls._create_user(
            'trace_stock_manager', cls.env.ref('stock.group_stock_manager'))
        supplier = cls.env.ref('stock.stock_location_suppliers')
        stock = cls.env.ref('stock.stock_location_stock')
        cls.receipt = cls.env['stock.picking'].create({
            'picking_type_id': cls.env.ref('stock.picking_type_in').id,
            'location_id': supplier.id,
            'location_dest_id': stock.id,
            'move_lines': [(0, 0, {
                'name': cls.board.name,
                'product_id': cls.board.id,
                'product_uom_qty': 5,
                'product_uom': cls.board.uom_id.id,
                'location_id': supplier.id,
                'location_dest_id': stock.id,
            })],
        })
        cls.receipt.action_confirm()

    def _wizard(self, barcode, user=None, **vals):
        vals['barcode'] = barcode
        return self.env['meddev.udi.scan'].sudo(
            user or self.stock_user).create(vals)

    def test_lot_tracked_label_with_serial(self):
        # Each board carries its own serial (21) under the lot (10).
        wizard = self._wizard('(01)06901234990010(10)MB2-L042(21)SN-77')
        wizard.action_scan()
        self.assertEqual((wizard.product_id, wizard.lot_id),
                         (self.board, self.board_lot))

    def test_second_unit_of_a_lot_received(self):
        lots = self.env['stock.production.lot']
        for serial in ('SN-1', 'SN-2'):
            self._wizard('(01)06901234990010(10)MB2-L777(21)%s' % serial,
                         picking_id=self.receipt.id).action_add_to_picking()
        new = lots.search([('name', '=', 'MB2-L777')])
        self.assertEqual(len(new), 1)
        lines = self.receipt.move_line_ids.filtered(
            lambda line: line.lot_id == new)
        self.assertEqual(sum(lines.mapped('qty_done')), 2.0)

    def test_lost_separator_refused_nothing_created(self):
        lots = self.env['stock.production.lot']
        before = lots.search_count([])
        with self.assertRaisesRegex(UserError, 'more than one way'):
            self._wizard('010690123499001010ABC21SN117271231',
                         picking_id=self.receipt.id).action_add_to_picking()
        self.assertEqual(lots.search_count([]), before)
        # Typed with brackets, the same label is clear.
        wizard = self._wizard('(01)06901234990010(10)ABC(21)SN1(17)271231')
        wizard.action_scan()
        self.assertEqual((wizard.lot_name, wizard.serial), ('ABC', 'SN1'))

    def test_unknown_gtin_proposes_product(self):
        wizard = self._wizard('(01)06901234000993(21)NEW-1')
        wizard.action_scan()
        self.assertIn('Create Product', wizard.message)
        with self.assertRaises(AccessError):
            wizard.action_create_product()
        wizard = self._wizard('(01)06901234000993(21)NEW-1',
                              user=self.stock_manager)
        wizard.action_scan()
        action = wizard.action_create_product()
        template = self.env['product.template'].sudo(
            self.stock_manager).with_context(**action['context']).create(
            {'name': 'Infusion Pump IP-3'})
        self.assertEqual(
            (template.udi_di, template.tracking, template.type),
            ('06901234000993', 'serial', 'product'))
        wizard = self._wizard('(01)06901234000993(21)NEW-1')
        wizard.action_scan()
        self.assertEqual(wizard.product_id.product_tmpl_id, template)

    def test_digital_link(self):
        wizard = self._wizard(
            'https://id.gs1.org/01/06901234567892/21/PM9-0001?17=281231')
        wizard.action_scan()
        self.assertEqual((wizard.lot_id, wizard.expiry_date),
                         (self.serial, '2028-12-31'))

    def test_errors_in_chinese(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_traceability'], ['zh_CN'])
        scan = self.env['meddev.udi.scan'].sudo(self.stock_user).with_context(
            lang='zh_CN')
        with self.assertRaisesRegex(
                UserError, r'AI \(01\).*17.*校验位错误'):
            scan.find_lot('(01)06901234567893(21)PM9-0001')
        with self.assertRaisesRegex(UserError, '分隔符'):
            scan.find_lot('010690123499001010ABC21SN117271231')

    def test_add_to_receipt_without_receipt(self):
        wizard = self._wizard('(01)06901234990010(10)MB2-L901')
        with self.assertRaisesRegex(
                UserError, r'Choose the receipt first: the scanned UDI '
                           r'\(01\)06901234990010\(10\)MB2-L901 can only'):
            wizard.action_add_to_picking()
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', '=', 'MB2-L901')]))
        self.env['ir.translation'].load_module_terms(
            ['meddev_traceability'], ['zh_CN'])
        with self.assertRaisesRegex(UserError, '先选择收货单'):
            wizard.with_context(lang='zh_CN').action_add_to_picking()

    def test_long_device_identifier_not_cut(self):
        """A HIBCC or ICCBBA label is not GS1 data: the scan refuses it,
        so a UDI-DI read from a scan is always a GTIN-14. A longer code
        given to a product (typed, over XML-RPC, or as the default the
        scan's Create Product passes on) is refused whole, never cut to
        14 characters and stored."""
        hibc = '+H123ABCDEFGHIJKLMNOPQR0'
        scan = self.env['meddev.udi.scan'].sudo(self.stock_user)
        for label in (hibc + '/$$3271231LOT42X', '=/A9999XYZ100T0944'):
            with self.assertRaisesRegex(
                    UserError, r'cannot be read: Position 0: these '
                               r'characters are not GS1 data'):
                scan.find_lot(label)
        templates = self.env['product.template'].sudo(self.stock_manager)
        # A GTIN-14 with a suffix: cut to 14, it was a valid GTIN.
        long_gtin = '06901234000993' + '12345'
        before = templates.search_count([])
        for vals, context in (
                ({'name': 'Pump HIBC', 'udi_di': hibc}, {}),
                ({'name': 'Pump long', 'udi_di': long_gtin}, {}),
                ({'name': 'Pump long'}, {'default_udi_di': long_gtin,
                                         'default_type': 'product'})):
            code = vals.get('udi_di') or context['default_udi_di']
            with self.assertRaisesRegex(
                    ValidationError, r'The UDI-DI %s of ' % re.escape(code)), \
                    self.env.cr.savepoint():
                # The savepoint undoes the insert, as the request would.
                api.call_kw(templates, 'create', [vals],
                            {'context': context})
        self.assertEqual(templates.search_count([]), before)
        board = templates.browse(self.board.product_tmpl_id.id)
        with self.assertRaisesRegex(
                ValidationError, r'The UDI-DI %s of .*14 at most' % long_gtin), \
                self.env.cr.savepoint():
            api.call_kw(board, 'write', [board.ids, {'udi_di': long_gtin}],
                        {})
        board.invalidate_cache()
        self.assertEqual(board.udi_di, '06901234990010')
