import datetime
import io
import unittest
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
            ({'partner': 0, 'number': 1}, ['Colour']))
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
