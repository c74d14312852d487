"""Lost separators and GS1 Digital Link: plain unit tests, no database."""
import datetime
import unittest

from .. import udi
from ..lib import gs1_digital_link as link

TODAY = datetime.date(2026, 12, 1)


class TestAmbiguity(unittest.TestCase):

    def test_lost_separator_reported(self):
        text = '010950600013435210ABC21SN117271231'
        error = udi.find_ambiguity(text, TODAY)
        self.assertEqual((error.reason, error.ai, error.position),
                         ('ambiguous', '10', 21))
        self.assertIn('(21)SN117271231', str(error))
        with self.assertRaises(udi.UdiError) as raised:
            udi.parse_udi(text, today=TODAY, strict=True)
        self.assertEqual(raised.exception.reason, 'ambiguous')
        # Without strict, the reading stays the literal one.
        self.assertEqual(udi.parse_udi(text, today=TODAY).lot,
                         'ABC21SN117271231')

    def test_clear_strings_read_one_way(self):
        for text in (
                '(01)09506000134352(10)ABC21SN117271231',
                '010950600013435210ABC123',
                '010950600013435210ABC\x1d21SN1\x1d17271231',
                # Data that holds an AI already given is no ambiguity.
                '010690123456789210L1012345\x1d21SN1',
                'not a UDI'):
            self.assertIsNone(udi.find_ambiguity(text, TODAY), text)
            self.assertIn('ambiguous', udi.REASONS)

    def test_separator_lost_in_the_middle(self):
        # GS kept after the serial, lost between lot and serial.
        for text in ('0109506000134352' '10ABC21SN1\x1d17271231',
                     '0109506000134352' '10ABC2199\x1d11260101'):
            error = udi.find_ambiguity(text, TODAY)
            self.assertEqual((error.ai, error.reason, error.position),
                             ('10', 'ambiguous', 21), text)


class TestDigitalLink(unittest.TestCase):

    def test_path_and_query(self):
        data = link.parse_digital_link(
            'https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/SN1'
            '?17=271231&linkType=gs1:pip', today=TODAY)
        self.assertEqual(
            (data.gtin, data.lot, data.serial, data.expiry_date),
            ('09506000134352', 'ABC/1', 'SN1', datetime.date(2027, 12, 31)))

    def test_short_names_prefix_and_short_gtin(self):
        data = link.parse_digital_link(
            'https://resolver.example.com/dl/gtin/9506000134352/lot/L1'
            '?exp=271231', today=TODAY)
        self.assertEqual((data.gtin, data.lot), ('09506000134352', 'L1'))
        self.assertTrue(link.is_digital_link(' HTTPS://x/01/1 '))
        self.assertFalse(link.is_digital_link('(01)09506000134352'))

    def test_bad_links(self):
        for uri, reason in (
                ('https://id.gs1.org/10/ABC', 'empty'),
                ('https://id.gs1.org/01/09506000134352/10', 'syntax'),
                ('https://id.gs1.org/01/09506000134353', 'check_digit'),
                ('https://id.gs1.org/01/09506000134352/10/A?10=B',
                 'duplicate_ai')):
            with self.assertRaises(udi.UdiError) as raised:
                link.parse_digital_link(uri, today=TODAY)
            self.assertEqual(raised.exception.reason, reason, uri)
