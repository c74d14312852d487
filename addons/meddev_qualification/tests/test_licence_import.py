import base64
import io
import re
import zipfile
from unittest.mock import patch

import xlrd
import xlsxwriter

from odoo.exceptions import UserError

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevTradeCase

GOOD_CODE = '91110000100000000R'
BAD_CODE = '91110000100000000X'
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


class LicenceImportCase(MeddevTradeCase):
    """The template and files built from it."""

    @classmethod
    def setUpClass(cls):
        super(LicenceImportCase, cls).setUpClass()
        content = cls.env['meddev.licence.import'].create(
            {})._import_template_content()
        cls.template = content
        sheet = xlrd.open_workbook(file_contents=content).sheet_by_index(0)
        cls.headers = [cell.value for cell in sheet.row(0)]

    def _file(self, rows, headers=None):
        """Return the template filled with ``rows`` (lists of text), as the
        wizard's base64 field value."""
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream)
        sheet = book.add_worksheet()
        for row, values in enumerate([headers or self.headers] + rows):
            for column, value in enumerate(values):
                sheet.write_string(row, column, value)
        book.close()
        return base64.b64encode(stream.getvalue())

    def _wizard(self, rows, headers=None):
        return self.env['meddev.licence.import'].sudo(self.user).create({
            'data_file': self._file(rows, headers),
            'filename': 'licences.xlsx'})

    def _licences(self):
        return self.env['meddev.partner.licence'].search(
            [('partner_id', 'in', (self.distributor | self.supplier).ids)])


class TestLicenceImport(LicenceImportCase):
    """The go-live import of partner licences: the template's headers are
    recognised by Odoo's import; the dry run names every bad row with its
    reason and writes nothing; a good file is imported in one go."""

    def test_template_headers_recognised_by_odoo_import(self):
        self.assertEqual(self.headers[:3],
                         ['Partner', 'Licence Type', 'Licence Number'])
        # Odoo's import previews the rows after the header: one is filled.
        filled = base64.b64decode(self._file(
            [['Kangda Medical', 'T-BL', GOOD_CODE]]))
        importer = self.env['base_import.import'].create({
            'res_model': 'meddev.partner.licence', 'file': filled,
            'file_name': 'template.xlsx', 'file_type': XLSX})
        preview = importer.parse_preview({
            'headers': True, 'quoting': '"', 'separator': ',',
            'encoding': 'utf-8'})
        self.assertEqual(
            [preview['matches'][index][0] for index in range(
                len(self.headers))],
            ['partner_id', 'licence_type_id', 'number', 'holder_name',
             'credit_code', 'valid_from', 'valid_to', 'long_term'])

    def test_template_downloaded_by_the_button(self):
        wizard = self.env['meddev.licence.import'].sudo(self.user).create({})
        action = wizard.action_download_template()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        self.assertIn('model=meddev.licence.import&id=%s&field=template_file'
                      % wizard.id, action['url'])
        self.assertEqual(wizard.template_filename,
                         'partner_licence_template.xlsx')
        book = xlrd.open_workbook(file_contents=base64.b64decode(
            wizard.template_file))
        self.assertEqual([cell.value for cell in book.sheet_by_index(0).row(
            0)], self.headers)
        self.assertEqual(book.sheet_by_index(0).name, 'Partner Licences')

    def test_bad_rows_named_nothing_written(self):
        wizard = self._wizard([
            ['Kangda Medical', 'T-BL', GOOD_CODE, '', GOOD_CODE,
             '2020-01-01', '', '1'],
            ['Kangda Medical', 'T-BL', BAD_CODE, '', BAD_CODE,
             '2020-01-01', '', '1'],
            ['Kangda Medical', 'Test Trading Licence', '12345', '', '',
             '2020-01-01', '2099-12-31', '0'],
            ['Nobody Trading', 'T-OPL', '京食药监械经营许20150035号', '', '',
             '2020-01-01', '2099-12-31', '0'],
            ['Maikang Devices', 'T-OPL', '京食药监械经营许20150036号', '', '',
             '2020-01-01', '2026-02-30', '0'],
            ['Maikang Devices', 'T-OPL', '京食药监械经营许20150037号', '', '',
             '2020-01-01', '2021-12-31', '0'],
        ])
        wizard.with_context(tz='Asia/Shanghai').action_check()
        self.assertEqual(wizard.state, 'checked')
        self.assertEqual((wizard.row_count, wizard.error_count), (6, 5))
        report = wizard.report
        self.assertNotIn('Row 2:', report)
        self.assertIn('Row 3: credit code "%s": check character should be '
                      "'R', not 'X'" % BAD_CODE, report)
        self.assertIn('Row 4: licence number "12345" does not match the '
                      'pattern of Test Trading Licence', report)
        self.assertIn('Row 5: unknown partner "Nobody Trading"', report)
        self.assertIn('Row 6: valid-to date "2026-02-30" is not a date',
                      report)
        self.assertIn('Row 7: valid-to date 2021-12-31 is already past',
                      report)
        self.assertFalse(self._licences())
        with self.assertRaisesRegex(UserError, 'Nothing was imported from '
                                    'licences.xlsx:.*Row 3'):
            wizard.action_import()
        self.assertFalse(self._licences())

    def test_good_file_imported(self):
        wizard = self._wizard([
            ['Kangda Medical', 'T-BL', GOOD_CODE, '康达医疗', GOOD_CODE,
             '2020-01-01', '', '1'],
            ['Maikang Devices', 'Test Trading Licence',
             '京食药监械经营许20150035号', '', '', '2020/1/1', '2099年12月31日',
             '否'],
        ])
        wizard.action_check()
        self.assertEqual(wizard.error_count, 0)
        action = wizard.action_import()
        licences = self._licences()
        self.assertEqual(len(licences), 2)
        self.assertEqual(sorted(action['domain'][0][2]), sorted(licences.ids))
        business = licences.filtered(
            lambda licence: licence.partner_id == self.distributor)
        self.assertEqual(
            (business.licence_type_id, business.number, business.holder_name,
             business.credit_code, business.valid_from, business.long_term,
             business.state),
            (self.type_business, GOOD_CODE, '康达医疗', GOOD_CODE,
             '2020-01-01', True, 'draft'))
        trading = licences - business
        self.assertEqual(
            (trading.partner_id, trading.licence_type_id, trading.valid_to,
             trading.long_term),
            (self.supplier, self.type_trading, '2099-12-31', False))

    def test_header_by_field_name(self):
        names = ['partner_id', 'licence_type_id', 'number']
        wizard = self._wizard(
            [['Kangda Medical', 'T-BL', GOOD_CODE]], headers=names)
        wizard.action_import()
        self.assertEqual(self._licences().number, GOOD_CODE)
        with self.assertRaisesRegex(UserError, 'unknown: Colour'):
            self._wizard([['x']], headers=['Colour']).action_check()

    def test_chinese_headers(self):
        """A file with the Chinese labels is read whatever the importing
        user's language."""
        lang = self.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'zh_CN')])
        if lang:
            lang.active = True
        else:
            self.env['res.lang'].load_lang('zh_CN')
        labels = {'partner_id': '合作伙伴', 'licence_type_id': '许可证类型',
                  'number': '许可证编号'}
        translations = self.env['ir.translation']
        for field in self.env['ir.model.fields'].search([
                ('model', '=', 'meddev.partner.licence'),
                ('name', 'in', list(labels))]):
            key = {'type': 'model', 'lang': 'zh_CN', 'res_id': field.id,
                   'name': 'ir.model.fields,field_description'}
            existing = translations.search(
                [(name, '=', value) for name, value in key.items()])
            values = {'src': field.field_description,
                      'value': labels[field.name], 'state': 'translated'}
            if existing:
                existing.write(values)
            else:
                translations.create(dict(key, **values))
        translations.clear_caches()
        wizard = self._wizard([['Kangda Medical', 'T-BL', GOOD_CODE]],
                              headers=['合作伙伴', '许可证类型', '许可证编号'])
        wizard.action_import()
        self.assertEqual(self._licences().number, GOOD_CODE)


class TestLicenceImportLimits(LicenceImportCase):
    """Bad files: over the size/row limits, cells with Excel errors or
    formulas without saved values, duplicate rows, a header-only file."""

    def _book(self, rows, strip_formula_values=False):
        """Return the base64 XLSX of the template's header and ``rows``,
        whose cells are text, ('formula', formula) or ('error', code)."""
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream)
        sheet = book.add_worksheet()
        for row, values in enumerate([self.headers] + rows):
            for column, value in enumerate(values):
                if isinstance(value, tuple) and value[0] == 'formula':
                    sheet.write_formula(row, column, value[1])
                elif isinstance(value, tuple):
                    sheet.write_formula(row, column, '=NA()', None, value[1])
                else:
                    sheet.write_string(row, column, value)
        book.close()
        content = stream.getvalue()
        if strip_formula_values:
            # What scripts and some programs write: the formula, no value.
            source = zipfile.ZipFile(io.BytesIO(content))
            target_stream = io.BytesIO()
            target = zipfile.ZipFile(target_stream, 'w')
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == 'xl/worksheets/sheet1.xml':
                    data = re.sub(rb'(</f>)<v>[^<]*</v>', rb'\1', data)
                target.writestr(item, data)
            target.close()
            content = target_stream.getvalue()
        return base64.b64encode(content)

    def _wizard_for(self, data):
        return self.env['meddev.licence.import'].sudo(self.user).create({
            'data_file': data, 'filename': 'licences.xlsx'})

    def test_file_over_the_size_limit_refused(self):
        with patch.object(xlsx_sheet, 'MAX_FILE_BYTES', 1000):
            with self.assertRaisesRegex(
                    UserError, 'licences.xlsx is .* MB: the import takes '
                    'files up to 0 MB'):
                self._wizard([['Kangda Medical', 'T-BL', GOOD_CODE]]
                             ).action_check()

    def test_zip_bomb_refused_before_reading(self):
        # A sheet of 60 MB of blanks compresses to a few hundred KB.
        stream = io.BytesIO()
        archive = zipfile.ZipFile(stream, 'w', zipfile.ZIP_DEFLATED)
        archive.writestr('xl/worksheets/sheet1.xml', b' ' * (60 * 1024 * 1024))
        archive.close()
        self.assertLess(len(stream.getvalue()), 1024 * 1024)
        wizard = self._wizard_for(base64.b64encode(stream.getvalue()))
        with patch.object(xlrd, 'open_workbook') as open_workbook, \
                self.assertRaisesRegex(UserError, 'unpacks to 60.0 MB'):
            wizard.action_check()
        open_workbook.assert_not_called()

    def test_too_many_rows_refused(self):
        rows = [['Kangda Medical', 'T-BL', GOOD_CODE]] * 4
        with patch.object(xlsx_sheet, 'MAX_ROWS', 3), \
                self.assertRaisesRegex(
                    UserError, 'has 4 rows: the import takes up to 3 '
                    'rows per file'):
            self._wizard(rows).action_check()
        self.assertFalse(self._licences())

    def test_header_only_file(self):
        wizard = self._wizard([])
        with self.assertRaisesRegex(UserError, 'header row but no data '
                                    'rows'):
            wizard.action_check()
        with self.assertRaisesRegex(UserError, 'header row but no data '
                                    'rows'):
            wizard.action_import()

    def test_error_cells_named(self):
        wizard = self._wizard_for(self._book([
            ['Kangda Medical', 'T-BL', ('error', '#N/A')],
        ]))
        wizard.action_check()
        self.assertIn('Row 2: cell C2 (Licence Number) holds the error #N/A',
                      wizard.report)
        self.assertEqual(wizard.error_count, 1)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self._licences())

    def test_formula_without_value_named(self):
        wizard = self._wizard_for(self._book([
            [('formula', '="Kangda "&"Medical"'), 'T-BL', GOOD_CODE],
        ], strip_formula_values=True))
        wizard.action_check()
        self.assertIn('Row 2: cell A2 (Partner) holds a formula without a '
                      'saved value', wizard.report)
        self.assertNotIn('no partner given', wizard.report)
        self.assertFalse(self._licences())

    def test_duplicates_in_the_file_and_in_the_database(self):
        self._create_licence(
            self.supplier, self.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=self.cat_imaging)
        wizard = self._wizard([
            ['Kangda Medical', 'T-BL', GOOD_CODE, '', '', '', '', '1'],
            ['Kangda Medical', 'T-BL', GOOD_CODE, '', '', '', '', '1'],
            ['Maikang Devices', 'T-OPL', '京食药监械经营许20150035号', '', '',
             '2020-01-01', '2099-12-31', '0'],
        ])
        wizard.action_check()
        self.assertIn('Row 3: the same licence as row 2', wizard.report)
        self.assertIn('Row 4: licence 京食药监械经营许20150035号 of Maikang '
                      'Devices is already recorded (Approved)', wizard.report)
        self.assertNotIn('Row 2:', wizard.report)
        self.assertEqual(wizard.error_count, 2)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(len(self._licences()), 1)

    def test_long_term_with_end_date(self):
        wizard = self._wizard([
            ['Kangda Medical', 'T-BL', GOOD_CODE, '', '', '', '2099-12-31',
             '1']])
        wizard.action_check()
        self.assertIn('Row 2: a long-term licence has no valid-to date '
                      '(2099-12-31 given)', wizard.report)
