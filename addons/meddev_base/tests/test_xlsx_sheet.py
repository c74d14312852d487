import datetime
import io
import re
import unittest
import zipfile
from unittest.mock import patch

import xlsxwriter

from ..tools import xlsx_sheet
from ..tools.xlsx_sheet import (
    CellProblem, SheetLimitError, column_name, map_columns, parse_bool,
    parse_date, parse_number, read_rows, read_sheet, write_workbook)


def _book(cells):
    """Return XLSX bytes with ``cells`` {(row, column): value or
    ('formula', text)} on the first sheet."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {'in_memory': True})
    sheet = book.add_worksheet()
    for (row, column), value in cells.items():
        if isinstance(value, tuple):
            # No saved value: what scripts and some programs write.
            sheet.write_formula(row, column, value[1], None, '')
        else:
            sheet.write(row, column, value)
    book.close()
    return stream.getvalue()


def _rewrite(content, changes):
    """Return the XLSX ``content`` with, in each member named in
    ``changes``, the regular expression replaced ({member: (pattern,
    replacement)}): files as other programs or a forger write them."""
    source = zipfile.ZipFile(io.BytesIO(content))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, 'w', zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in changes:
                pattern, replacement = changes[item.filename]
                data = re.sub(pattern.encode(), replacement.encode(), data)
            target.writestr(item, data)
    return stream.getvalue()


class TestXlsxSheet(unittest.TestCase):
    """The ORM-free reading and writing of the go-live import files."""

    def test_dates(self):
        for text in ('2026-03-01', '2026/3/1', '2026.03.01', '2026年3月1日'):
            self.assertEqual(parse_date(text), datetime.date(2026, 3, 1))
        self.assertIsNone(parse_date(''))
        for text in ('2026-02-30', '2026-13-01', '01/03/2026', 'soon'):
            with self.assertRaises(ValueError):
                parse_date(text)

    def test_yes_no(self):
        self.assertTrue(parse_bool('是'))
        self.assertTrue(parse_bool('Yes'))
        self.assertFalse(parse_bool(''))
        self.assertFalse(parse_bool('否'))
        with self.assertRaises(ValueError):
            parse_bool('maybe')

    def test_numbers(self):
        self.assertEqual(parse_number('1234.5'), 1234.5)
        self.assertEqual(parse_number(' -1,234,567.25 '), -1234567.25)
        self.assertEqual(parse_number('１２３４'), 1234.0)
        self.assertIsNone(parse_number(''))
        # Ambiguous or partly numeric amounts are refused, never guessed.
        for text in ('1.234,5', '1,23', '12abc', '¥100', '--1'):
            with self.assertRaises(ValueError):
                parse_number(text)

    def test_columns(self):
        aliases = {'partner': 'partner', '合作伙伴': 'partner',
                   'number': 'number'}
        self.assertEqual(
            map_columns(['合作伙伴', ' Number ', 'Colour', ''], aliases),
            ({'partner': 0, 'number': 1}, ['Colour'], []))
        # The same column twice (in two languages): refused, not the
        # first one silently used (review 6, base S3).
        self.assertEqual(
            map_columns(['Partner', 'Number', '合作伙伴'], aliases),
            ({'partner': 0, 'number': 1}, [], ['合作伙伴']))
        self.assertEqual([column_name(index) for index in (0, 25, 26, 27)],
                         ['A', 'Z', 'AA', 'AB'])

    def test_template_round_trip(self):
        content = write_workbook(
            'Credit Limits', ['Partner', '合作伙伴编号'], ['note', ''],
            [['康达医疗', '007'], ['Maikang', 12.5], ['', '']])
        # Text stays text (leading zeros kept), numbers come back as
        # text without a useless ".0", blank rows are left out.
        self.assertEqual(read_rows(content), [
            (1, ['Partner', '合作伙伴编号']), (2, ['康达医疗', '007']),
            (3, ['Maikang', '12.5'])])

    def test_error_and_formula_cells_named(self):
        content = _book({(0, 0): 'Amount', (1, 0): ('formula', '=1/0'),
                         (2, 0): 5})
        rows, problems = read_sheet(content)
        self.assertEqual(rows, [(1, ['Amount']), (2, ['']), (3, ['5'])])
        self.assertEqual(problems, {2: [CellProblem(0, 'formula')]})

    def test_limits(self):
        content = _book({(row, 0): 'x' for row in range(5)})
        with self.assertRaises(SheetLimitError) as raised:
            read_sheet(content, max_rows=3)
        self.assertEqual((raised.exception.kind, raised.exception.value,
                          raised.exception.limit), ('rows', 4, 3))
        with patch.object(xlsx_sheet, 'MAX_FILE_BYTES', 100):
            with self.assertRaises(SheetLimitError) as raised:
                read_sheet(content)
        self.assertEqual(raised.exception.kind, 'size')
        with self.assertRaises(ValueError):
            read_sheet(b'not a spreadsheet')

    def test_formula_cells_beyond_the_limits(self):
        # xlrd's size of the sheet leaves out formulas without value: one
        # such cell far down (or right) made the reader loop over every
        # row up to it (review 6, base S2).
        content = _rewrite(_book({(0, 0): 'Amount', (1, 0): 5}), {
            'xl/worksheets/sheet1.xml': (
                r'</sheetData>',
                '<row r="1000000"><c r="A1000000"><f>1</f></c></row>'
                '</sheetData>')})
        with self.assertRaises(SheetLimitError) as raised:
            read_sheet(content)
        self.assertEqual((raised.exception.kind, raised.exception.limit),
                         ('rows', xlsx_sheet.MAX_ROWS))
        content = _book({(0, 0): 'Amount', (1, 60): ('formula', '=1')})
        with self.assertRaises(SheetLimitError) as raised:
            read_sheet(content)
        self.assertEqual((raised.exception.kind, raised.exception.value),
                         ('columns', 61))
        # Within the limits they are still named.
        content = _book({(0, 0): 'Amount', (40, 3): ('formula', '=1')})
        rows, problems = read_sheet(content)
        self.assertEqual(problems, {41: [CellProblem(3, 'formula')]})
        self.assertEqual(rows[-1], (41, ['', '', '', '']))

    def test_first_sheet_in_workbook_order(self):
        # The sheets reordered: the formulas are looked for in the sheet
        # xlrd reads, not in sheet1.xml.
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream, {'in_memory': True})
        clean = book.add_worksheet('Clean')
        clean.write(0, 0, 'Amount')
        clean.write(1, 0, 5)
        data = book.add_worksheet('Data')
        data.write(0, 0, 'Amount')
        data.write_formula(1, 0, '=1/0', None, '')
        book.close()
        content = _rewrite(stream.getvalue(), {'xl/workbook.xml': (
            r'(<sheet name="Clean"[^>]*/>)(<sheet name="Data"[^>]*/>)',
            r'\2\1')})
        rows, problems = read_sheet(content)
        self.assertEqual(rows, [(1, ['Amount']), (2, [''])])
        self.assertEqual(problems, {2: [CellProblem(0, 'formula')]})

    def test_numbers_and_dates_out_of_range(self):
        # An infinite number or a date serial past year 9999 comes back as
        # text for the row's check to refuse, not as an OverflowError.
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream, {'in_memory': True})
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ['Amount', 'Date'])
        sheet.write_number(1, 0, 7)
        sheet.write_number(1, 1, 1e10, book.add_format(
            {'num_format': 'yyyy-mm-dd'}))
        book.close()
        content = _rewrite(stream.getvalue(), {
            'xl/worksheets/sheet1.xml': (r'<v>7</v>', '<v>inf</v>')})
        rows = read_rows(content)
        self.assertEqual(rows[1], (2, ['inf', '10000000000.0']))
        with self.assertRaises(ValueError):
            parse_number(rows[1][1][0])
        with self.assertRaises(ValueError):
            parse_date(rows[1][1][1])
