import unittest

from .. import uscc

from hypothesis import given, settings, strategies as st

# Published codes, cited widely as valid examples.
PUBLISHED = (
    '91350100M000100Y43',
    '91110000802100433B',
    '91440300708461136T',
)


class TestUscc(unittest.TestCase):

    def assertReason(self, code, reason, message=None):
        with self.assertRaises(uscc.UsccError) as caught:
            uscc.validate(code)
        self.assertEqual(caught.exception.reason, reason)
        self.assertIsInstance(caught.exception, ValueError)
        if message:
            self.assertIn(message, str(caught.exception))
        return caught.exception

    def test_weights(self):
        self.assertEqual(uscc.WEIGHTS, (
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28))
        self.assertEqual(len(uscc.CHARSET), 31)
        for letter in 'IOZSV':
            self.assertNotIn(letter, uscc.CHARSET)

    def test_published_codes(self):
        for code in PUBLISHED:
            self.assertEqual(uscc.validate(code), code)
            self.assertTrue(uscc.is_valid(code))
            self.assertEqual(uscc.check_character(code[:17]), code[17])

    def test_check_value_31_is_zero(self):
        # The sum of these 17 characters is a multiple of 31: check '0'.
        self.assertEqual(uscc.check_character('91350100M000100Y4'), '3')
        first17 = '9111000010000000'
        for char in uscc.CHARSET:
            candidate = first17 + char
            total = sum(uscc.CHARSET.index(c) * w
                        for c, w in zip(candidate, uscc.WEIGHTS))
            if total % 31 == 0:
                self.assertEqual(uscc.check_character(candidate), '0')
                self.assertTrue(uscc.is_valid(candidate + '0'))
                break
        else:
            self.fail('no 17-character prefix with a sum of 0 mod 31')

    def test_normalise(self):
        self.assertEqual(
            uscc.normalise(' 9135 0100m000 100y43\u3000'), '91350100M000100Y43')
        self.assertEqual(
            uscc.normalise('９１３５０１００Ｍ０００１００Ｙ４３'),
            '91350100M000100Y43')
        self.assertEqual(uscc.normalise(None), '')
        # normalise does not validate.
        self.assertEqual(uscc.normalise('o i'), 'OI')
        with self.assertRaises(TypeError):
            uscc.normalise(91350100)

    def test_full_width_and_lower_case(self):
        self.assertEqual(
            uscc.validate('９１３５０１００ｍ０００１００ｙ４３'),
            '91350100M000100Y43')
        self.assertEqual(
            uscc.validate('91110000802100433b'), '91110000802100433B')
        self.assertTrue(uscc.is_valid(' 91110000 802100433b '))

    def test_length(self):
        error = self.assertReason(
            '91350100M000100Y4', 'length', 'has 18 characters, this one has 17')
        self.assertIsNone(error.position)
        self.assertReason('91350100M000100Y433', 'length')
        self.assertReason('', 'length', 'this one has 0')
        self.assertReason(None, 'length')

    def test_charset(self):
        error = self.assertReason(
            '9135O100M000100Y43', 'charset',
            "character 5 'O' is not allowed in a credit code")
        self.assertEqual(error.position, 5)
        self.assertIn("did you mean '0'", str(error))
        self.assertReason('91350100M000100V43', 'charset', "character 16 'V'")
        self.assertReason('91350100M-00100Y43', 'charset', "character 10 '-'")

    def test_registration_authority(self):
        error = self.assertReason(
            'B1350100M000100Y43', 'registration_authority',
            "character 1 'B' is not a registration authority code")
        self.assertEqual(error.position, 1)
        self.assertReason('01350100M000100Y43', 'registration_authority')

    def test_institution_category(self):
        self.assertReason(
            '90350100M000100Y43', 'institution_category',
            "character 2 '0' is not an institution category")

    def test_division(self):
        error = self.assertReason(
            '9135A100M000100Y43', 'division',
            "character 5 'A' should be a digit")
        self.assertEqual(error.position, 5)

    def test_check_character(self):
        error = self.assertReason(
            '91350100M000100Y4X', 'check_character',
            "check character should be '3', not 'X'")
        self.assertEqual(error.position, 18)
        self.assertFalse(uscc.is_valid('91110000802100433C'))

    def test_check_character_input(self):
        self.assertEqual(uscc.check_character('91110000 802100433'), 'B')
        with self.assertRaises(uscc.UsccError) as caught:
            uscc.check_character('9111000080210043')
        self.assertEqual(caught.exception.reason, 'length')
        with self.assertRaises(uscc.UsccError) as caught:
            uscc.check_character('91110000802I00433')
        self.assertEqual(caught.exception.reason, 'charset')

    def test_is_valid_never_raises(self):
        for value in (None, '', 123, b'91350100M000100Y43', ['x'], '\x00'):
            self.assertFalse(uscc.is_valid(value))

    def test_repair(self):
        self.assertEqual(
            uscc.repair('9135O1OOMOOO1OOY43')[0], '91350100M000100Y43')
        code, changes = uscc.repair('91350I00M000100Y43')
        self.assertEqual(code, '91350100M000100Y43')
        self.assertEqual(changes, [(6, 'I', '1')])
        # A 'B' in the division code can only be an '8'.
        first17 = '91350800M000100Y4'
        code = first17 + uscc.check_character(first17)
        self.assertEqual(
            uscc.repair(code[:5] + 'B' + code[6:]), (code, [(6, 'B', '8')]))
        # Outside the division code a 'B' is a legal character: kept.
        self.assertIsNone(uscc.repair(code[:16] + 'B' + code[17:]))
        self.assertEqual(uscc.repair('91350100M000100Y43'),
                         ('91350100M000100Y43', []))
        # Replacing look-alikes must make the code valid, or nothing is done.
        self.assertIsNone(uscc.repair('9135O100M000100Y44'))
        self.assertIsNone(uscc.repair('9135O100M000100Y4'))
        self.assertIsNone(uscc.repair(None))
        self.assertIsNone(uscc.repair(42))

    def test_every_single_substitution_changes_the_check_character(self):
        # Why the property below holds: 31 is prime and no weight is 0 mod
        # 31, so w * (a - b) is never 0 mod 31 for two different values.
        for weight in uscc.WEIGHTS:
            for delta in range(1, 31):
                self.assertNotEqual(weight * delta % 31, 0)
        # Adjacent transpositions are caught as well (neighbouring weights
        # differ, the check character weighs 1 against 28 before it).
        weights = uscc.WEIGHTS + (1,)
        for index in range(17):
            self.assertNotEqual(weights[index], weights[index + 1])


def _code_strategy():
    digits = '0123456789'
    return st.tuples(
        st.sampled_from(uscc.REGISTRATION_AUTHORITIES),
        st.sampled_from(uscc.INSTITUTION_CATEGORIES),
        st.text(alphabet=digits, min_size=6, max_size=6),
        st.text(alphabet=uscc.CHARSET, min_size=9, max_size=9),
    ).map(''.join)


class TestUsccProperties(unittest.TestCase):

    @settings(max_examples=300, deadline=None)
    @given(_code_strategy())
    def test_appending_the_check_character_gives_a_valid_code(
            self, first17):
        code = first17 + uscc.check_character(first17)
        self.assertEqual(uscc.validate(code), code)
        self.assertEqual(uscc.validate(code.lower()), code)

    @settings(max_examples=300, deadline=None)
    @given(_code_strategy(), st.integers(0, 17), st.integers(1, 30))
    def test_any_single_substitution_is_caught(
            self, first17, position, shift):
        code = first17 + uscc.check_character(first17)
        index = uscc.CHARSET.index(code[position])
        other = uscc.CHARSET[(index + shift) % 31]
        changed = code[:position] + other + code[position + 1:]
        self.assertNotEqual(changed, code)
        self.assertFalse(uscc.is_valid(changed))
        # The check character alone catches it, whatever else is wrong.
        self.assertNotEqual(
            uscc.check_character(changed[:17]), changed[17])

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=40))
    def test_never_raises_anything_but_usccerror(self, text):
        try:
            uscc.validate(text)
        except uscc.UsccError as error:
            self.assertIn(error.reason, (
                'length', 'charset', 'registration_authority',
                'institution_category', 'division', 'check_character'))
            self.assertTrue(str(error))
        self.assertIn(uscc.is_valid(text), (True, False))
