import datetime
import unittest

from ..licence_import_file import map_columns, parse_bool, parse_date


class TestLicenceImportFile(unittest.TestCase):
    """The ORM-free reading of the licence import file."""

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

    def test_columns(self):
        aliases = {'partner': 'partner', '合作伙伴': 'partner',
                   'number': 'number'}
        self.assertEqual(
            map_columns(['合作伙伴', ' Number ', 'Colour', ''], aliases),
            ({'partner': 0, 'number': 1}, ['Colour']))
