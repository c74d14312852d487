import base64
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevServiceTicketCase

# A valid GTIN-13 (check digit 2), stored as its GTIN-14.
GTIN = '6901234567892'


def _day(offset):
    return fields.Date.to_string(date.today() + timedelta(days=offset))


class GoLiveCase(MeddevServiceTicketCase):
    """A client company of its own (its equipment and vans are only the
    test's), where the service user and manager work."""

    @classmethod
    def setUpClass(cls):
        super(GoLiveCase, cls).setUpClass()
        cls.client = cls.env['res.company'].create(
            {'name': 'Go-Live Client Ltd'})
        for user in (cls.user, cls.manager):
            user.write({'company_ids': [(4, cls.client.id)],
                        'company_id': cls.client.id})
        cls.monitor.udi_di = GTIN

    def _workbook(self, wizard, rows, headers=None):
        headers = headers or self._template(wizard, False)[0]
        wizard.write({
            'data_file': base64.b64encode(xlsx_sheet.write_workbook(
                'Sheet1', headers, rows=rows)),
            'filename': 'go-live.xlsx'})
        return wizard

    def _template(self, wizard, with_current=True):
        """Return the rows of the downloaded template, as text."""
        wizard.with_current = with_current
        action = wizard.action_download_template()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        rows = xlsx_sheet.read_rows(base64.b64decode(wizard.template_file))
        return [row for _number, row in rows]


class TestEquipmentImport(GoLiveCase):
    """Installed equipment: the template exports the company's installed
    base and imports back to the same records; the dry run names every
    bad row with its reason and writes nothing; service managers only
    import."""

    _model = 'meddev.service.equipment.import'

    def _wizard(self, user=None):
        return self.env[self._model].sudo(user or self.manager).create({})

    def _equipment(self, serial, **vals):
        values = {'lot_id': self._create_lot(self.monitor, serial).id,
                  'partner_id': self.hospital.id,
                  'company_id': self.client.id, 'install_date': _day(-30)}
        values.update(vals)
        return self.env['meddev.service.equipment'].create(values)

    def _state(self, equipments):
        return sorted(
            (equipment.lot_id.name, equipment.product_id.id,
             equipment.partner_id.id, equipment.install_date,
             equipment.warranty_end, equipment.warranty_end_agreed or False,
             equipment.company_id.id) for equipment in equipments)

    def test_round_trip(self):
        equipments = self._equipment('RT-0001') | self._equipment(
            'RT-0002', install_date=_day(-400),
            warranty_end_agreed=_day(300))
        before = self._state(equipments)
        # Service users may export the installed base they read anyway.
        export = self._wizard(self.user)
        rows = self._template(export)
        self.assertEqual(export.template_filename,
                         'installed_equipment_template.xlsx')
        self.assertEqual(rows[0], ['Serial Number', 'Product', 'GTIN',
                                   'Customer', 'Installation Date',
                                   'Warranty End'])
        self.assertEqual(rows[1:], [
            ['RT-0001', 'Monitor X1', '0' + GTIN, 'Test Hospital',
             _day(-30), ''],
            ['RT-0002', 'Monitor X1', '0' + GTIN, 'Test Hospital',
             _day(-400), _day(300)]])
        content = base64.b64decode(export.template_file)
        # The records are gone (say, a new database); the export brings
        # them back as they were.
        equipments.unlink()
        wizard = self._wizard()
        wizard.write({'data_file': base64.b64encode(content),
                      'filename': 'installed_equipment_template.xlsx'})
        wizard.action_check()
        self.assertEqual((wizard.row_count, wizard.error_count), (2, 0),
                         wizard.report)
        result = wizard.action_import()
        imported = self.env['meddev.service.equipment'].browse(
            result['domain'][0][2])
        self.assertEqual(self._state(imported), before)
        self.assertEqual(wizard.state, 'done')

    def test_new_serials_by_gtin_in_chinese_headers(self):
        lang = self.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'zh_CN')])
        if lang:
            lang.active = True
        else:
            self.env['res.lang'].load_lang('zh_CN')
        translations = self.env['ir.translation']
        for source, value in (('Serial Number', '序列号'),
                              ('GTIN', '商品条码'),
                              ('Warranty End', '保修截止日期')):
            translations.create({
                'type': 'code', 'lang': 'zh_CN', 'name': 'addons/meddev_'
                'service/wizards/meddev_service_equipment_import.py',
                'src': source, 'value': value, 'module': 'meddev_service',
                'state': 'translated'})
        translations.clear_caches()
        wizard = self._wizard()
        chinese = self._template(wizard.with_context(lang='zh_CN'), False)[0]
        self.assertEqual(chinese[0], '序列号')
        self.assertEqual(chinese[5], '保修截止日期')
        self._workbook(wizard, [
            ['NEW-0001', '', GTIN, 'Test Hospital', _day(-10), ''],
            ['NEW-0002', 'Monitor X1', '', 'Test Hospital', _day(-10),
             _day(500)]],
            headers=['序列号', 'product_id', '商品条码', 'partner_id',
                     'install_date', '保修截止日期'])
        wizard.action_check()
        self.assertEqual(wizard.error_count, 0, wizard.report)
        result = wizard.action_import()
        imported = self.env['meddev.service.equipment'].browse(
            result['domain'][0][2]).sorted(lambda e: e.lot_id.name)
        self.assertEqual(imported.mapped('lot_id.name'),
                         ['NEW-0001', 'NEW-0002'])
        self.assertEqual(imported.mapped('product_id'), self.monitor)
        self.assertEqual(imported.mapped('company_id'), self.client)
        # The product's 12 months, and the agreed end where given.
        self.assertFalse(imported[0].warranty_end_agreed)
        self.assertEqual(imported[1].warranty_end, _day(500))

    def test_dry_run_names_bad_rows_and_writes_nothing(self):
        self._create_lot(self.board, 'BOARD-LOT-1')
        count = self.env['meddev.service.equipment'].search_count([])
        wizard = self._workbook(self._wizard(), [
            ['OK-0001', 'Monitor X1', '', 'Test Hospital', _day(-5), ''],
            ['OK-0002', '', '4006381333931', 'Test Hospital', _day(-5), ''],
            ['X1-0001', 'Monitor X1', '', 'Test Hospital', _day(-5), ''],
            ['OK-0003', 'Monitor X1', '', 'Test Hospital', _day(-900),
             _day(-20)],
            ['OK-0004', 'Monitor X1', '', 'Nobody Hospital', _day(-5), ''],
            ['BOARD-LOT-1', 'Monitor X1', '', 'Test Hospital', _day(-5), ''],
            ['OK-0005', 'Monitor X1', '', 'Test Hospital', '2026-02-30',
             ''],
            ['OK-0001', 'Monitor X1', '', 'Test Hospital', _day(-5), ''],
            ['OK-0006', 'Board B1', '', 'Test Hospital', _day(-5), ''],
        ])
        wizard.action_check()
        report = wizard.report
        self.assertEqual((wizard.row_count, wizard.error_count), (9, 8),
                         report)
        self.assertNotIn('Row 2:', report)
        self.assertIn('Row 3: unknown GTIN "4006381333931"', report)
        self.assertIn('Row 4: serial X1-0001 is already installed at '
                      'Test Hospital', report)
        self.assertIn('Row 5: warranty end %s is in the past' % _day(-20),
                      report)
        self.assertIn('Row 6: unknown customer "Nobody Hospital"', report)
        self.assertIn('Row 7: serial BOARD-LOT-1 is a serial of Board B1, '
                      'not of Monitor X1', report)
        self.assertIn('Row 8: "2026-02-30" is not a date', report)
        self.assertIn('Row 9: the same serial number as row 2', report)
        self.assertIn('Row 10: Board B1 is not tracked by serial numbers',
                      report)
        with self.assertRaisesRegex(UserError, 'Nothing was imported from '
                                    'go-live.xlsx:.*Row 3: unknown GTIN'):
            wizard.action_import()
        self.assertEqual(
            self.env['meddev.service.equipment'].search_count([]), count)
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', '=', 'OK-0001')]))

    def test_service_managers_only_import(self):
        wizard = self._workbook(self._wizard(self.user), [
            ['OK-0001', 'Monitor X1', '', 'Test Hospital', _day(-5), '']])
        with self.assertRaisesRegex(
                AccessError, 'Only a member of "Field Service / Manager"'):
            wizard.action_check()
        with self.assertRaises(AccessError):
            wizard.action_import()
        with self.assertRaises(AccessError):
            self._wizard(self.employee).action_download_template()


class TestVanStockImport(GoLiveCase):
    """Spare parts in the vans: the template exports what the vans hold
    and imports back to the same quantities; the dry run names every bad
    row with its reason and writes nothing."""

    _model = 'meddev.service.van.stock.import'

    @classmethod
    def setUpClass(cls):
        super(TestVanStockImport, cls).setUpClass()
        warehouse = cls.env['stock.warehouse'].search(
            [('company_id', '=', cls.client.id)], limit=1)
        cls.van = cls.env['stock.location'].create({
            'name': 'Van Zhang', 'usage': 'internal',
            'location_id': warehouse.lot_stock_id.id,
            'company_id': cls.client.id})
        cls.engineer = cls.env['meddev.service.engineer'].create({
            'name': 'Zhang Go-Live', 'company_id': cls.client.id,
            'calendar_id': cls.calendar.id,
            'van_location_id': cls.van.id})
        cls.fuse = cls.env['product.product'].create({
            'name': 'Fuse F2', 'default_code': 'F2', 'type': 'product'})
        cls.board_lot = cls._create_lot(cls.board, 'B1-LOT-7')
        cls.monitor_lot = cls._create_lot(cls.monitor, 'X1-SPARE')
        quants = cls.env['stock.quant']
        quants._update_available_quantity(cls.fuse, cls.van, 10)
        quants._update_available_quantity(
            cls.board, cls.van, 3, lot_id=cls.board_lot)

    def _wizard(self, user=None):
        return self.env[self._model].sudo(user or self.manager).create({})

    def _stock(self):
        quants = self.env['stock.quant'].search(
            [('location_id', '=', self.van.id)])
        result = {}
        for quant in quants:
            key = (quant.product_id.name, quant.lot_id.name or False)
            result[key] = result.get(key, 0.0) + quant.quantity
        return {key: value for key, value in result.items() if value}

    def test_round_trip(self):
        before = self._stock()
        self.assertEqual(before, {('Fuse F2', False): 10.0,
                                  ('Board B1', 'B1-LOT-7'): 3.0})
        export = self._wizard(self.user)
        rows = self._template(export)
        self.assertEqual(rows[0], ['Van Location', 'Product',
                                   'Lot/Serial Number', 'Quantity'])
        self.assertEqual(sorted(rows[1:]), [
            [self.van.complete_name, 'Board B1', 'B1-LOT-7', '3'],
            [self.van.complete_name, 'F2', '', '10']])
        content = base64.b64decode(export.template_file)
        # Parts used without being recorded: the count brings them back.
        self.env['stock.quant']._update_available_quantity(
            self.fuse, self.van, -8)
        wizard = self._wizard()
        wizard.write({'data_file': base64.b64encode(content),
                      'filename': 'van_stock_template.xlsx'})
        wizard.action_check()
        self.assertEqual((wizard.row_count, wizard.error_count), (2, 0),
                         wizard.report)
        wizard.action_import()
        self.assertEqual(self._stock(), before)
        self.assertEqual(wizard.state, 'done')

    def test_new_lot_and_engineer_name(self):
        wizard = self._workbook(self._wizard(), [
            ['Zhang Go-Live', 'Board B1', 'B1-LOT-NEW', '4'],
            ['Van Zhang', 'F2', '', '0']])
        wizard.action_check()
        self.assertEqual(wizard.error_count, 0, wizard.report)
        wizard.action_import()
        self.assertEqual(self._stock(), {
            ('Board B1', 'B1-LOT-7'): 3.0, ('Board B1', 'B1-LOT-NEW'): 4.0})

    def test_dry_run_names_bad_rows_and_writes_nothing(self):
        before = self._stock()
        wizard = self._workbook(self._wizard(), [
            [self.van.complete_name, 'F2', '', '12'],
            ['Van Nobody', 'F2', '', '1'],
            ['Van Zhang', 'Board B1', 'X1-SPARE', '1'],
            ['Van Zhang', 'F2', 'F-LOT', '1'],
            ['Van Zhang', 'Board B1', '', '1'],
            ['Van Zhang', 'Nothing', '', '1'],
            ['Van Zhang', 'F2', '', '-2'],
            ['Van Zhang', 'Monitor X1', 'X1-SPARE', '2'],
            ['Van Zhang', 'F2', '', '3'],
        ])
        wizard.action_check()
        report = wizard.report
        self.assertEqual((wizard.row_count, wizard.error_count), (9, 8),
                         report)
        self.assertNotIn('Row 2:', report)
        self.assertIn('Row 3: unknown van "Van Nobody"', report)
        self.assertIn('Row 4: lot X1-SPARE is not a lot of Board B1', report)
        self.assertIn('Row 5: [F2] Fuse F2 is not tracked by lots', report)
        self.assertIn('Row 6: Board B1 is tracked by lots', report)
        self.assertIn('Row 7: unknown product "Nothing"', report)
        self.assertIn('Row 8: quantity -2 is negative', report)
        self.assertIn('Row 9: quantity 2 of serial X1-SPARE', report)
        self.assertIn('Row 10: the same van, product and lot as row 2',
                      report)
        with self.assertRaisesRegex(UserError, 'Nothing was imported'):
            wizard.action_import()
        self.assertEqual(self._stock(), before)
        self.assertFalse(self.env['stock.inventory'].search(
            [('name', 'like', 'go-live.xlsx')]))

    def test_service_managers_only_import(self):
        wizard = self._workbook(self._wizard(self.user), [
            ['Van Zhang', 'F2', '', '1']])
        with self.assertRaisesRegex(
                AccessError, 'Only a member of "Field Service / Manager"'):
            wizard.action_check()
        self.assertEqual(self._stock()[('Fuse F2', False)], 10.0)
