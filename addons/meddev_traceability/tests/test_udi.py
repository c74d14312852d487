"""Tests of the GS1 UDI parser: plain unit tests, no database needed."""
import calendar
import datetime
import pickle
import unittest

from .. import udi

from hypothesis import given, settings, strategies as st

UdiError = udi.UdiError
# A fixed "today" keeps the century window, and so every date, stable.
TODAY = datetime.date(2024, 6, 15)
GTIN = '09506000134352'
GS1_EXAMPLE = '(01)09506000134352(17)201225(10)ABC123'
CSET82 = (
    '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_'
    'abcdefghijklmnopqrstuvwxyz')


def parse(text, today=TODAY):
    return udi.parse_udi(text, today=today)


class UdiCase(unittest.TestCase):

    def assertUdiError(self, text, reason, ai, position, today=TODAY):
        """Assert that parsing ``text`` fails for ``reason`` at ``ai`` and
        ``position``; return the error."""
        with self.assertRaises(UdiError) as caught:
            udi.parse_udi(text, today=today)
        error = caught.exception
        self.assertEqual(
            (error.reason, error.ai, error.position), (reason, ai, position),
            str(error))
        return error

    def assertGtinRefused(self, elements, bad_gtin, bracketed):
        """Assert that ``elements`` with ``bad_gtin`` put in for their GTIN
        fail to parse for its check digit, pointed at."""
        index = [ai for ai, _value in elements].index('01')
        elements = list(elements)
        elements[index] = ('01', bad_gtin)
        text = udi.build_element_string(
            elements, bracketed=bracketed, validate=False)
        # The check digit ends the string built up to the faulty GTIN.
        position = len(udi.build_element_string(
            elements[:index + 1], bracketed=bracketed, validate=False)) - 1
        self.assertUdiError(text, 'check_digit', '01', position)

    def assertReadsOrSaysWhy(self, text):
        """Assert that ``text`` parses, or fails with a proper UdiError."""
        try:
            result = udi.parse_udi(text, today=TODAY)
        except UdiError as error:
            self.assertIn(error.reason, udi.REASONS)
            self.assertTrue(0 <= error.position <= len(text), text)
            self.assertTrue(str(error))
        else:
            self.assertIsInstance(result, udi.UdiData)


class TestCheckDigit(UdiCase):

    def test_check_digit(self):
        self.assertEqual(udi.gs1_check_digit('0950600013435'), '2')
        self.assertEqual(udi.gs1_check_digit('400638133393'), '1')
        # An SSCC's 17 data digits.
        self.assertEqual(udi.gs1_check_digit('10614141123456789'), '7')
        self.assertEqual(udi.gs1_check_digit('0000000000000'), '0')

    def test_check_digit_refuses_non_digits(self):
        for bad in ('', '12a4', '١٢٣', None, 123):
            with self.assertRaises(ValueError):
                udi.gs1_check_digit(bad)

    def test_is_valid_gtin(self):
        for code in ('96385074', '036000291452', '4006381333931', GTIN):
            self.assertTrue(udi.is_valid_gtin(code), code)
        for code in ('96385075', '4006381333932', '09506000134353',
                     '0950600013435', '1234567', '0' * 15, ' 96385074',
                     '9638507A', None, 96385074):
            self.assertFalse(udi.is_valid_gtin(code), code)

    def test_normalise_gtin14(self):
        self.assertEqual(udi.normalise_gtin14('96385074'), '00000096385074')
        self.assertEqual(
            udi.normalise_gtin14('036000291452'), '00036000291452')
        self.assertEqual(
            udi.normalise_gtin14('4006381333931'), '04006381333931')
        self.assertEqual(udi.normalise_gtin14(GTIN), GTIN)

    def test_normalise_gtin14_errors(self):
        cases = [
            ('', 'empty', 0),
            ('4006381333932', 'check_digit', 12),
            ('40063813339A1', 'syntax', 11),
            ('1234567', 'truncated', 7),
            ('123456789', 'syntax', 0),
            ('0' * 15, 'too_long', 14),
        ]
        for code, reason, position in cases:
            with self.assertRaises(UdiError) as caught:
                udi.normalise_gtin14(code)
            error = caught.exception
            self.assertEqual(
                (error.reason, error.ai, error.position),
                (reason, '01', position), code)


class TestParseValid(UdiCase):

    def test_gs1_example_bracketed(self):
        data = parse(GS1_EXAMPLE + '(21)S-1')
        self.assertEqual(data.gtin, GTIN)
        self.assertEqual(data.udi_di, GTIN)
        self.assertEqual(data.expiry_date, datetime.date(2020, 12, 25))
        self.assertEqual(data.lot, 'ABC123')
        self.assertEqual(data.serial, 'S-1')
        self.assertIsNone(data.production_date)
        self.assertIsNone(data.best_before_date)
        self.assertEqual(data.elements, [
            ('01', GTIN), ('17', '201225'), ('10', 'ABC123'), ('21', 'S-1')])
        self.assertEqual(data.extra, {})

    def test_raw_forms_read_as_bracketed(self):
        expected = parse(GS1_EXAMPLE + '(21)S-1')
        body = '0109506000134352172012251' + '0ABC123%s21S-1'
        for prefix in ('',) + udi.SYMBOLOGY_IDENTIFIERS:
            for separator in ('\x1d', '<GS>', '{GS}', '^]'):
                text = prefix + body % separator
                self.assertEqual(parse(text), expected, repr(text))
                # Scanners add a line end; people paste with spaces.
                self.assertEqual(parse(' %s\r\n' % text), expected)

    def test_bracketed_with_symbology_identifier(self):
        self.assertEqual(parse(']d2' + GS1_EXAMPLE), parse(GS1_EXAMPLE))

    def test_bytes_input(self):
        self.assertEqual(parse(GS1_EXAMPLE.encode('ascii')),
                         parse(GS1_EXAMPLE))

    def test_separators_at_either_end(self):
        # FNC1 in first position and a closing GS are both tolerated.
        expected = parse('(01)09506000134352(10)ABC123')
        self.assertEqual(parse('0109506000134352' + '10ABC123\x1d'), expected)
        self.assertEqual(parse('\x1d0109506000134352' + '10ABC123'), expected)
        self.assertEqual(parse(']C1' + '10ABC123\x1d0109506000134352'
                               + '\x1d').lot, 'ABC123')

    def test_separator_after_fixed_length_field(self):
        data = parse('0109506000134352\x1d17201225\x1d10L1')
        self.assertEqual(data.elements, [
            ('01', GTIN), ('17', '201225'), ('10', 'L1')])

    def test_real_world_style_labels(self):
        # Implant: DI, production and expiry dates, lot, serial.
        data = parse(']d2' '0110884521062856' '11141231' '17150707'
                     '10A213B1\x1d' '211234')
        self.assertEqual(data.gtin, '10884521062856')
        self.assertEqual(data.production_date, datetime.date(2014, 12, 31))
        self.assertEqual(data.expiry_date, datetime.date(2015, 7, 7))
        self.assertEqual((data.lot, data.serial), ('A213B1', '1234'))
        # Serialised capital equipment: no lot, serial only.
        data = parse('(01)00643169007222(21)BLC200461H')
        self.assertEqual((data.lot, data.serial), (None, 'BLC200461H'))
        # Consumable sold by the box: count and best-before date.
        data = parse(']C1' '0104006381333931' '15250800' '30144')
        self.assertEqual(data.best_before_date, datetime.date(2025, 8, 31))
        self.assertEqual(data.extra, {'30': '144'})

    def test_lot_and_serial_kept_apart(self):
        data = parse('(01)09506000134352(10)123(21)456')
        self.assertEqual((data.lot, data.serial), ('123', '456'))
        self.assertEqual(parse('(21)123').lot, None)
        self.assertEqual(parse('(10)123').serial, None)

    def test_other_known_ais_are_kept(self):
        text = ('(01)09506000134352(240)REF-42(7003)2512312359(8004)ASSET'
                '(8020)R1(253)4000001000005DOC(3103)001250')
        data = parse(text)
        self.assertEqual(data.extra, {
            '240': 'REF-42', '7003': '2512312359', '8004': 'ASSET',
            '8020': 'R1', '253': '4000001000005DOC', '3103': '001250'})
        raw = udi.build_element_string(data.elements, bracketed=False)
        self.assertEqual(parse(raw), data)

    def test_gtin_short_forms_padded_by_normalise(self):
        # Element (01) is always 14 digits; shorter GTINs are padded first.
        data = parse('(01)%s' % udi.normalise_gtin14('96385074'))
        self.assertEqual(data.gtin, '00000096385074')

    def test_day_00_is_last_day_of_month(self):
        cases = {
            '240200': datetime.date(2024, 2, 29),
            '230200': datetime.date(2023, 2, 28),
            '231100': datetime.date(2023, 11, 30),
            '251200': datetime.date(2025, 12, 31),
        }
        for value, expected in cases.items():
            self.assertEqual(parse('(17)' + value).expiry_date, expected)
            self.assertEqual(parse('11' + value).production_date, expected)
        # The label's own text is kept as it was.
        self.assertEqual(parse('(17)240200').elements, [('17', '240200')])

    def test_century_window(self):
        # GS1 General Specifications 7.12: from 49 years back to 50 ahead.
        cases = [
            (datetime.date(2024, 6, 15), '740101', 2074),
            (datetime.date(2024, 6, 15), '750101', 1975),
            (datetime.date(2024, 6, 15), '000101', 2000),
            (datetime.date(2095, 1, 1), '450101', 2145),
            (datetime.date(2095, 1, 1), '460101', 2046),
            (datetime.date(2001, 1, 1), '520101', 1952),
            (datetime.date(2001, 1, 1), '510101', 2051),
        ]
        for today, value, year in cases:
            data = parse('(17)' + value, today=today)
            self.assertEqual(data.expiry_date.year, year, (today, value))

    def test_leap_day_follows_the_century(self):
        self.assertEqual(parse('(11)000229', today=TODAY).production_date,
                         datetime.date(2000, 2, 29))
        # Seen from 2060, 00 is 2100, not a leap year.
        self.assertUdiError('(11)000229', 'date', '11', 4,
                            today=datetime.date(2060, 1, 1))

    def test_escaped_bracket_in_bracketed_data(self):
        data = parse('(10)A\\(12)B(21)x(y)')
        self.assertEqual((data.lot, data.serial), ('A(12)B', 'x(y)'))

    def test_result_is_dict_like(self):
        data = parse(GS1_EXAMPLE)
        values = data.as_dict()
        self.assertEqual(set(values), set(udi.UdiData.FIELDS))
        self.assertEqual(values['lot'], 'ABC123')
        self.assertEqual(data['gtin'], GTIN)
        self.assertEqual(data.get('nothing', 'x'), 'x')
        self.assertRaises(KeyError, data.__getitem__, 'nothing')
        # A copy: changing it leaves the result alone.
        values['elements'].append(('21', 'X'))
        self.assertEqual(len(data.elements), 3)


class TestParseErrors(UdiCase):

    def test_empty(self):
        for text in ('', '   \r\n', ']d2', ']C1  ', '\x1d', '<GS>', None,
                     False):
            self.assertUdiError(text, 'empty', None, 0)

    def test_symbology_identifier_without_gs1_data(self):
        error = self.assertUdiError(']d1' + GS1_EXAMPLE, 'syntax', None, 0)
        self.assertIn("']d1'", str(error))
        self.assertUdiError(']', 'syntax', None, 0)

    def test_documented_message(self):
        error = self.assertUdiError(
            '0109506000134352' '17231300', 'date', '17', 18)
        self.assertEqual(
            str(error),
            'AI (17) at position 18: impossible date 231300 (month 13)')
        self.assertIsInstance(error, ValueError)

    def test_check_digit(self):
        error = self.assertUdiError(
            '(01)09506000134353(17)201225', 'check_digit', '01', 17)
        self.assertIn('expected 2', str(error))
        self.assertUdiError(']d2' '0109506000134353', 'check_digit', '01', 15)
        # Other keys with a check digit: SSCC, GLN.
        self.assertUdiError('(00)106141411234567890', 'check_digit', '00', 21)
        self.assertUdiError('(414)4000001000006', 'check_digit', '414', 17)

    def test_impossible_dates(self):
        cases = [
            ('231300', 'month 13'),
            ('230015', 'month 00'),
            ('230230', 'day 30; 2023-02 has 28 days'),
            ('230229', 'day 29; 2023-02 has 28 days'),
            ('230431', 'day 31; 2023-04 has 30 days'),
            ('230199', 'day 99'),
        ]
        for value, why in cases:
            error = self.assertUdiError(
                '(01)09506000134352(17)' + value, 'date', '17', 22)
            self.assertIn('impossible date %s (%s' % (value, why), str(error))

    def test_day_00_only_where_gs1_allows_it(self):
        self.assertUdiError('(7006)240100', 'date', '7006', 6)

    def test_impossible_time(self):
        self.assertUdiError('(7003)2401012400', 'date', '7003', 12)
        self.assertUdiError('(7003)2401011260', 'date', '7003', 12)

    def test_unknown_ai(self):
        error = self.assertUdiError(
            '0109506000134352' '05123', 'unknown_ai', '05', 16)
        self.assertEqual(
            str(error),
            'AI (05) at position 16: not a GS1 AI this module knows')
        # A 4-digit AI is read as one, by its first two digits.
        self.assertUdiError('10A\x1d' '7299X', 'unknown_ai', '7299', 4)
        self.assertUdiError(GS1_EXAMPLE + '(170)201225', 'unknown_ai', '170',
                            38)

    def test_duplicate_ai(self):
        self.assertUdiError('(10)A(10)A', 'duplicate_ai', '10', 5)
        self.assertUdiError(
            '0109506000134352' '0109506000134352', 'duplicate_ai', '01', 16)

    def test_lot_too_long(self):
        lot = 'L' * 21
        self.assertUdiError('(01)09506000134352(10)' + lot, 'too_long', '10',
                            42)
        self.assertUdiError('0109506000134352' '10' + lot + '\x1d17201225',
                            'too_long', '10', 38)
        self.assertUdiError('(21)' + 'S' * 25, 'too_long', '21', 24)
        # Twenty characters are fine.
        self.assertEqual(parse('(10)' + 'L' * 20).lot, 'L' * 20)

    def test_missing_separator_makes_data_too_long(self):
        # 7003 has a fixed length but no predefined one: GS must follow it.
        self.assertUdiError('7003' '2401011200' '10ABC', 'too_long', '7003',
                            14)

    def test_truncated(self):
        self.assertUdiError('0109506000134', 'truncated', '01', 13)
        self.assertUdiError('(01)0950600013435(17)201225', 'truncated', '01',
                            17)
        self.assertUdiError('0109506000134\x1d10ABC', 'truncated', '01', 13)
        self.assertUdiError('0109506000134352' '17', 'truncated', '17', 18)
        self.assertUdiError('0109506000134352' '1720122', 'truncated', '17',
                            23)
        self.assertUdiError('(10)(21)X', 'truncated', '10', 4)
        self.assertUdiError('0109506000134352' '7', 'truncated', None, 17)
        self.assertUdiError('(7007)240101240', 'truncated', '7007', 15)

    def test_charset(self):
        self.assertUdiError('(10)AB#C', 'charset', '10', 6)
        self.assertUdiError('(01)09506000134352(21)S 1', 'charset', '21', 23)
        self.assertUdiError('10ABC\xe9', 'charset', '10', 5)
        # A backslash that escapes nothing is not GS1 data.
        self.assertUdiError('(10)A\\B', 'charset', '10', 5)

    def test_syntax(self):
        self.assertUdiError('(01)0950600013435A', 'syntax', '01', 17)
        self.assertUdiError('(17)2012A5', 'syntax', '17', 8)
        self.assertUdiError('AB123', 'syntax', None, 0)
        self.assertUdiError('(1A)23', 'syntax', None, 0)
        self.assertUdiError('01ABC', 'syntax', '01', 2)
        # Raw and bracketed forms mixed.
        self.assertUdiError('0109506000134352(17)201225', 'syntax', None, 16)
        # An empty element between two separators.
        self.assertUdiError('10ABC\x1d\x1d21X', 'syntax', None, 6)
        self.assertUdiError('10ABC<GS><GS>21X', 'syntax', None, 6)

    def test_first_fault_in_reading_order(self):
        # The bad check digit comes before the unknown AI.
        self.assertUdiError('(01)09506000134353(05)X', 'check_digit', '01',
                            17)

    def test_error_is_picklable(self):
        error = self.assertUdiError(GS1_EXAMPLE + '(10)X', 'duplicate_ai',
                                    '10', 38)
        copy = pickle.loads(pickle.dumps(error))
        self.assertEqual(
            (copy.reason, copy.ai, copy.position, str(copy)),
            (error.reason, error.ai, error.position, str(error)))

    def test_not_text(self):
        with self.assertRaises(TypeError):
            udi.parse_udi(12345)


class TestBuild(UdiCase):

    ELEMENTS = [('01', GTIN), ('10', 'ABC'), ('17', '201225'),
                ('21', 'S-1')]

    def test_bracketed(self):
        self.assertEqual(udi.build_element_string(self.ELEMENTS),
                         '(01)09506000134352(10)ABC(17)201225(21)S-1')

    def test_raw_separators(self):
        # GS after the lot (variable, not last); none after fixed-length
        # fields nor after the last one.
        self.assertEqual(
            udi.build_element_string(self.ELEMENTS, bracketed=False),
            '0109506000134352' '10ABC\x1d' '17201225' '21S-1')
        # 7003 is fixed-length but not of predefined length: it needs GS.
        self.assertEqual(
            udi.build_element_string(
                [('7003', '2401011200'), ('01', GTIN)], bracketed=False),
            '70032401011200\x1d' '0109506000134352')

    def test_escapes_brackets(self):
        text = udi.build_element_string([('10', 'A(12)B')])
        self.assertEqual(text, '(10)A\\(12)B')
        self.assertEqual(parse(text).lot, 'A(12)B')

    def test_validation(self):
        with self.assertRaises(UdiError) as caught:
            udi.build_element_string([('01', '09506000134353')])
        self.assertEqual(caught.exception.reason, 'check_digit')
        # Without validation, faulty strings can be built on purpose.
        self.assertEqual(
            udi.build_element_string([('01', '09506000134353')],
                                     validate=False),
            '(01)09506000134353')
        cases = [
            ([('01', '0950600013435'), ('10', 'A')], 'truncated', '01', 15),
            ([('01', GTIN + '1')], 'too_long', '01', 16),
            ([('10', 'A<GS>B')], 'charset', '10', 3),
            ([('10', 'A\x1dB')], 'charset', '10', 3),
            ([('10', 'A'), ('10', 'B')], 'duplicate_ai', '10', 4),
        ]
        for elements, reason, ai, position in cases:
            with self.assertRaises(UdiError) as caught:
                udi.build_element_string(elements, bracketed=False)
            error = caught.exception
            self.assertEqual((error.reason, error.ai, error.position),
                             (reason, ai, position), elements)

    def test_unknown_ai(self):
        for validate in (True, False):
            with self.assertRaises(UdiError) as caught:
                udi.build_element_string([('01', GTIN), ('05', '1')],
                                         validate=validate)
            self.assertEqual(
                (caught.exception.reason, caught.exception.position),
                ('unknown_ai', 18))


def _draw_dated(draw):
    """Draw a date and its YYMMDD, with day 00 for some month ends."""
    date = draw(_DATES)
    text = '%02d%02d%02d' % (date.year % 100, date.month, date.day)
    last = calendar.monthrange(date.year, date.month)[1]
    if date.day == last and draw(st.booleans()):
        text = text[:4] + '00'
    return date, text


def _draw_udi(draw):
    """Draw UDI parts, and the (AI, data) pairs that say them, in any
    order."""
    parts = {'gtin': draw(_GTINS)}
    elements = [('01', parts['gtin'])]
    for ai, field, strategy in (('10', 'lot', _PI_TEXT),
                                ('21', 'serial', _PI_TEXT),
                                ('11', 'production_date', _dated()),
                                ('17', 'expiry_date', _dated())):
        value = draw(st.none() | strategy)
        if value is None:
            parts[field] = None
            continue
        if isinstance(value, tuple):
            parts[field], value = value
        else:
            parts[field] = value
        elements.append((ai, value))
    return parts, draw(st.permutations(elements))


_GTINS = st.text('0123456789', min_size=13, max_size=13).map(
    lambda body: body + udi.gs1_check_digit(body))
# Lot and serial: CSET 82, 1 to 20 characters; '<GS>' reads as a
# separator in the raw form, so it cannot be data there.
_PI_TEXT = st.text(CSET82, min_size=1, max_size=20).filter(
    lambda value: '<GS>' not in value)
# The dates the GS1 century window places right, seen from TODAY.
_DATES = st.dates(datetime.date(1975, 1, 1), datetime.date(2074, 12, 31))
_dated = st.composite(_draw_dated)
_udis = st.composite(_draw_udi)
_PREFIXES = st.sampled_from(('',) + udi.SYMBOLOGY_IDENTIFIERS)
_SEPARATORS = st.sampled_from(('\x1d',) + udi.GS_SUBSTITUTES)
# Element-shaped noise reaches deeper into the parser than random text.
_NOISE = st.lists(st.tuples(
    st.text('0123456789', min_size=1, max_size=4),
    st.text('0123456789' + CSET82[:20] + '\\\x1d #', max_size=22)),
    min_size=1, max_size=5)
# No example database: it would leave a .hypothesis folder in the repo.
_SETTINGS = dict(deadline=None, database=None)


class TestUdiProperties(UdiCase):

    @settings(max_examples=300, **_SETTINGS)
    @given(_udis(), st.booleans(), _PREFIXES, _SEPARATORS)
    def test_built_from_valid_parts_parses_back(
            self, udi_parts, bracketed, prefix, separator):
        parts, elements = udi_parts
        text = udi.build_element_string(elements, bracketed=bracketed)
        if not bracketed:
            text = text.replace('\x1d', separator)
        data = parse(prefix + text)
        for field, value in parts.items():
            self.assertEqual(getattr(data, field), value, field)
        self.assertEqual(data.elements, elements)

    @settings(max_examples=200, **_SETTINGS)
    @given(_udis(), st.integers(1, 9), st.booleans())
    def test_changed_check_digit_is_refused(
            self, udi_parts, shift, bracketed):
        gtin = udi_parts[0]['gtin']
        bad = gtin[:13] + str((int(gtin[13]) + shift) % 10)
        self.assertGtinRefused(udi_parts[1], bad, bracketed)

    @settings(max_examples=200, **_SETTINGS)
    @given(_udis(), st.integers(0, 13), st.integers(1, 9),
           st.booleans())
    def test_any_changed_gtin_digit_is_refused(
            self, udi_parts, index, shift, bracketed):
        gtin = udi_parts[0]['gtin']
        digit = str((int(gtin[index]) + shift) % 10)
        bad = gtin[:index] + digit + gtin[index + 1:]
        self.assertGtinRefused(udi_parts[1], bad, bracketed)

    @settings(max_examples=300, **_SETTINGS)
    @given(st.text())
    def test_any_text_reads_or_raises_udi_error(self, text):
        self.assertReadsOrSaysWhy(text)

    @settings(max_examples=300, **_SETTINGS)
    @given(_PREFIXES, _NOISE, st.booleans())
    def test_gs1_like_text_reads_or_raises_udi_error(
            self, prefix, pieces, bracketed):
        form = '(%s)%s' if bracketed else '%s%s\x1d'
        self.assertReadsOrSaysWhy(
            prefix + ''.join(form % piece for piece in pieces))
