import base64

from odoo import api
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevTraceabilityCase


def call_button(records, method):
    """Call a button method as the web client does (call_kw, context as
    the only argument)."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


class TestGtinImport(MeddevTraceabilityCase):
    """Go-live UDI-DIs: the template exports the products' GTINs and
    imports back to the same records; the dry run names every bad row
    with its reason (check digit included) and writes nothing; recall
    managers who may edit products import, traceability users export."""

    @classmethod
    def setUpClass(cls):
        super(TestGtinImport, cls).setUpClass()
        cls.product_manager = cls._create_user(
            'trace_gtin_manager', cls.group_manager
            | cls.env.ref('stock.group_stock_manager'))
        cls.pump = cls.env['product.template'].create({
            'name': '输液泵 IP-1', 'default_code': 'GTIN-IP-1',
            'type': 'product', 'tracking': 'serial'})
        cls.stent = cls.env['product.template'].create({
            'name': '支架 ST-3', 'default_code': 'GTIN-ST-3',
            'type': 'product', 'tracking': 'lot'})
        cls.holder = cls.env['product.template'].create({
            'name': 'GTIN Holder', 'default_code': 'GTIN-HOLD',
            'type': 'product', 'tracking': 'lot',
            'udi_di': '04006381333931'})
        for _index in range(2):
            cls.env['product.template'].create(
                {'name': 'Twin Catheter', 'type': 'product'})

    def _wizard(self, user=None, rows=None, headers=None):
        wizard = self.env['meddev.gtin.import'].sudo(
            user or self.product_manager).create({})
        if rows is not None:
            headers = headers or [
                'Internal Reference', 'Product', 'UDI-DI (GTIN-14)']
            wizard.write({
                'data_file': base64.b64encode(xlsx_sheet.write_workbook(
                    'Sheet1', headers, rows=rows)),
                'filename': 'gtins.xlsx'})
        return wizard

    def _gtins(self):
        return [(self.pump.udi_di or False), (self.stent.udi_di or False),
                self.holder.udi_di]

    def test_round_trip(self):
        self.pump.udi_di = '06901234567892'
        self.stent.udi_di = '6901234567809'
        self.stent.invalidate_cache()
        before = self._gtins()
        self.assertEqual(before[1], '06901234567809')
        # Traceability users may export the template with the GTINs.
        export = self._wizard(self.user)
        action = call_button(export, 'action_download_template')
        self.assertEqual(action['type'], 'ir.actions.act_url')
        self.assertEqual(export.template_filename, 'gtin_template.xlsx')
        content = base64.b64decode(export.template_file)
        rows = [row for _number, row in xlsx_sheet.read_rows(content)]
        self.assertEqual(rows[0], [
            'Product ID', 'Internal Reference', 'Product', 'UDI-DI (GTIN-14)'])
        self.assertIn([str(self.pump.id), 'GTIN-IP-1', '输液泵 IP-1',
                       '06901234567892'], rows)
        self.assertIn([str(self.stent.id), 'GTIN-ST-3', '支架 ST-3',
                       '06901234567809'], rows)
        # Cleared, then the exported file brings them back as they were.
        self.pump.udi_di = False
        self.stent.udi_di = False
        wizard = self._wizard()
        wizard.write({'data_file': base64.b64encode(content),
                      'filename': 'gtin_template.xlsx'})
        call_button(wizard, 'action_check')
        self.assertEqual(wizard.error_count, 0, wizard.report)
        action = call_button(wizard, 'action_import')
        self.assertEqual(wizard.state, 'done')
        self.assertIn(self.pump.id, action['domain'][0][2])
        self.pump.invalidate_cache()
        self.assertEqual(self._gtins(), before)

    def test_dry_run_names_every_bad_row_and_writes_nothing(self):
        wizard = self._wizard(rows=[
            ['GTIN-IP-1', '', '06901234567893'],      # 2: check digit
            ['GTIN-ST-3', '', '0690123456789X'],      # 3: not digits
            ['', '支架 ST-3', '69012345678'],          # 4: 11 digits
            ['NO-SUCH', '', '06901234567908'],        # 5: unknown product
            ['', 'Twin Catheter', '06901234567915'],  # 6: two products
            ['', 'GTIN Holder', ''],                  # 7: no GTIN
            ['GTIN-ST-3', '', '04006381333931'],      # 8: held by another
            ['GTIN-IP-1', '', '06901234567892'],      # 9: good
            ['GTIN-IP-1', '', '06901234567892'],      # 10: same product
        ])
        call_button(wizard, 'action_check')
        report = wizard.report
        for expected in (
                'Row 2: UDI-DI "06901234567893" has the check digit 3, '
                'expected 2',
                'Row 3: UDI-DI "0690123456789X" holds characters other '
                'than digits',
                'Row 4: UDI-DI "69012345678" has 11 digits',
                'Row 5: unknown product internal reference "NO-SUCH"',
                'Row 6: 2 products match "Twin Catheter"',
                'Row 7: no UDI-DI given',
                'Row 8: the UDI-DI 04006381333931 is already the one of',
                'Row 10: the same product as row 9'):
            self.assertIn(expected, report)
        self.assertNotIn('Row 9:', report)
        self.assertEqual((wizard.row_count, wizard.error_count), (9, 8))
        with self.assertRaisesRegex(UserError, 'Nothing was imported'):
            call_button(wizard, 'action_import')
        self.assertEqual(self._gtins(), [False, False, '04006381333931'])

    def test_product_by_id_first(self):
        # The ID of an exported row wins over a reference or name that
        # another product shares; an unknown ID is named.
        self.stent.default_code = False
        wizard = self._wizard(rows=[
            [str(self.stent.id), '', 'Twin Catheter', '06901234567908'],
            ['999999999', '', '', '06901234567915'],
        ], headers=['Product ID', 'Internal Reference', 'Product',
                    'UDI-DI (GTIN-14)'])
        call_button(wizard, 'action_check')
        self.assertEqual(wizard.report,
                         'Row 3: unknown product ID "999999999"')
        wizard = self._wizard(rows=[
            [str(self.stent.id), '', 'Twin Catheter', '06901234567908']],
            headers=['Product ID', 'Internal Reference', 'Product',
                     'UDI-DI (GTIN-14)'])
        call_button(wizard, 'action_import')
        self.assertEqual(self.stent.udi_di, '06901234567908')

    def test_same_gtin_twice_in_the_file(self):
        wizard = self._wizard(rows=[
            ['GTIN-IP-1', '', '06901234567892'],
            ['GTIN-ST-3', '', '6901234567892'],
        ])
        call_button(wizard, 'action_check')
        self.assertIn('Row 3: the UDI-DI 06901234567892 is also given on '
                      'row 2', wizard.report)

    def test_who_may_import(self):
        rows = [['GTIN-IP-1', '', '06901234567892']]
        # A recall manager without product rights, a traceability user,
        # a plain employee: refused on the server.
        for user in (self.manager, self.user, self.employee):
            wizard = self._wizard(user, rows=rows)
            with self.assertRaises(AccessError, msg=user.login):
                call_button(wizard, 'action_import')
        with self.assertRaises(AccessError):
            call_button(self._wizard(self.employee),
                        'action_download_template')
        self.assertFalse(self.pump.udi_di)
        call_button(self._wizard(rows=rows), 'action_import')
        self.assertEqual(self.pump.udi_di, '06901234567892')
