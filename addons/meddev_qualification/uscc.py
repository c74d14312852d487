"""Unified Social Credit Code (统一社会信用代码) of GB 32100-2015.

Pure Python, no Odoo import: partner licences, the OCR of licence scans and
the tests use it alike.

A code has 18 characters::

    9 1 350100 M000100Y4 3
    | | |      |         `- check character (GB 32100-2015, mod 31)
    | | |      `- organisation code (GB 11714, 9 characters)
    | | `- administrative division code (GB/T 2260, 6 digits)
    | `- institution category (1 enterprise, 2 individual business, ...)
    `- registration authority (1 staffing, 5 civil affairs, 9 market
       regulation, Y others, ...)
"""

import re

__all__ = [
    'CHARSET', 'WEIGHTS', 'UsccError', 'normalise', 'check_character',
    'validate', 'is_valid', 'repair',
]

# I, O, Z, S and V are left out: they are too easily confused with 1, 0, 2,
# 5 and U.
CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
# Weight of position i (0-based) is 3 ** i mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Registration authorities of GB 32100-2015, table 1: 1 staffing offices,
# 2 foreign affairs, 3 justice, 4 culture, 5 civil affairs, 6 tourism,
# 7 religion, 8 trade unions, 9 market regulation, A military staffing,
# N agriculture, Y others.
REGISTRATION_AUTHORITIES = '123456789ANY'
# Every authority numbers its institution categories from 1 and uses 9 for
# "other"; 0 and letters are never allocated.
INSTITUTION_CATEGORIES = '123456789'

# Letters outside the charset that a reader most likely meant as a digit.
_LOOKALIKES = {'I': '1', 'O': '0', 'S': '5', 'Z': '2'}
# Letters of the charset that OCR reads for a digit; only used where the
# code must hold a digit (institution category, division code).
_DIGIT_LOOKALIKES = {'B': '8', 'D': '0', 'G': '6', 'L': '1', 'Q': '0'}

_SPACES_RE = re.compile(r'\s+', re.UNICODE)
# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20


class UsccError(ValueError):
    """An invalid credit code; ``reason`` says which rule it breaks.

    Reasons: 'length', 'charset', 'registration_authority',
    'institution_category', 'division', 'check_character'.
    ``position`` is the 1-based position of the offending character, or
    None when the whole code is at fault (its length).
    """

    def __init__(self, reason, message, position=None, key=None, **params):
        super(UsccError, self).__init__(message)
        self.reason = reason
        self.message = message
        self.position = position
        # ``key`` and ``params`` let the caller say it in the user's
        # language; ``message`` is in English.
        self.key = key or reason
        self.params = params


def normalise(code):
    """Return ``code`` without spaces, in half-width upper case.

    Does not validate; None gives ''.
    """
    if code is None:
        return ''
    if not isinstance(code, str):
        raise TypeError('a credit code must be a string, not %s'
                        % type(code).__name__)
    return _SPACES_RE.sub('', code.translate(_FULL_WIDTH)).upper()


def _check_charset(code):
    for index, char in enumerate(code):
        if char not in CHARSET:
            hint = ''
            if char in _LOOKALIKES:
                hint = " (did you mean '%s'?)" % _LOOKALIKES[char]
            raise UsccError(
                'charset',
                "character %d %r is not allowed in a credit code%s"
                % (index + 1, char, hint),
                position=index + 1,
                key='charset_lookalike' if hint else 'charset',
                char=char, suggestion=_LOOKALIKES.get(char))


def _check_sum(first17):
    total = sum(CHARSET.index(char) * weight
                for char, weight in zip(first17, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def check_character(first17):
    """Return the check character (18th) for the first 17 characters.

    Raises UsccError when ``first17`` is not 17 characters of the charset.
    """
    first17 = normalise(first17)
    if len(first17) != 17:
        raise UsccError(
            'length',
            'the check character is computed from 17 characters, not %d'
            % len(first17), key='length17', length=len(first17))
    _check_charset(first17)
    return _check_sum(first17)


def validate(code):
    """Return the normalised ``code`` if it is a valid credit code.

    Raises UsccError (a ValueError) whose ``reason`` and message say what
    is wrong and where.
    """
    code = normalise(code)
    if len(code) != 18:
        raise UsccError(
            'length',
            'a credit code has 18 characters, this one has %d' % len(code),
            length=len(code))
    _check_charset(code)
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise UsccError(
            'registration_authority',
            "character 1 %r is not a registration authority code "
            "(1 to 9, A, N or Y)" % code[0],
            position=1, char=code[0])
    if code[1] not in INSTITUTION_CATEGORIES:
        raise UsccError(
            'institution_category',
            "character 2 %r is not an institution category (1 to 9)"
            % code[1],
            position=2, char=code[1])
    for index in range(2, 8):
        if not code[index].isdigit():
            raise UsccError(
                'division',
                "character %d %r should be a digit: characters 3 to 8 are "
                "the administrative division code" % (index + 1, code[index]),
                position=index + 1, char=code[index])
    expected = _check_sum(code[:17])
    if code[17] != expected:
        raise UsccError(
            'check_character',
            "check character should be %r, not %r" % (expected, code[17]),
            position=18, expected=expected, char=code[17])
    return code


def is_valid(code):
    """Tell whether ``code`` is a valid credit code (never raises)."""
    if code is not None and not isinstance(code, str):
        return False
    try:
        validate(code)
    except UsccError:
        return False
    return True


def repair(code):
    """Undo the usual OCR confusions in an 18-character ``code``.

    Returns ``(code, changes)`` where ``code`` is valid and ``changes`` lists
    ``(position, read, meant)`` tuples, or None when no unambiguous repair
    makes it valid. A valid code comes back unchanged with no changes.
    Only characters that cannot stand where they are get replaced, so the
    repair never guesses between two legal characters.
    """
    try:
        code = normalise(code)
    except TypeError:
        return None
    if len(code) != 18:
        return None
    if is_valid(code):
        return code, []
    chars = list(code)
    changes = []
    for index, char in enumerate(chars):
        meant = _LOOKALIKES.get(char)
        if meant is None and (index == 1 or 2 <= index < 8):
            meant = _DIGIT_LOOKALIKES.get(char)
        if meant is not None:
            chars[index] = meant
            changes.append((index + 1, char, meant))
    repaired = ''.join(chars)
    if changes and is_valid(repaired):
        return repaired, changes
    return None
