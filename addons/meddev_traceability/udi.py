"""Read and write the GS1 element strings that carry medical-device UDIs.

A GS1 UDI is an element string: Application Identifiers (AIs), each followed
by its data. (01) holds the UDI-DI, a GTIN-14. The production identifiers are
(10) lot, (21) serial, (11) production date and (17) expiry date. Scanners
send the raw form, where the AIs run together, a GS character (ASCII 29, for
FNC1) ends variable-length data, and a symbology identifier such as ``]d2``
may come first. Labels and people use the bracketed form
``(01)09506000134352(17)201225(10)ABC123``.

Errors are ``UdiError``. ``position`` is a 0-based index into the normalised
string: the input with surrounding whitespace, the symbology identifier and
the visible separator substitutes ('<GS>', '{GS}', '^]') replaced by GS. It
points at:

- the offending character for 'charset' and 'syntax';
- the check digit for 'check_digit';
- the first character of the date or time for 'date';
- the first character past the maximum for 'too_long';
- where the data stops (end of input, separator, next AI) for 'truncated';
- the start of the AI for 'unknown_ai' and 'duplicate_ai', and 0 for 'empty';
- the start of the AI that a variable-length field seems to hold for
  'ambiguous' (a raw scan that lost a GS separator, see ``parse_udi``).

Standard library only, no ORM: usable from models, wizards, controllers and
scripts alike, on Python 3.5 to 3.7.
"""
import calendar
import collections
import datetime
import re

__all__ = [
    'GS', 'GS_SUBSTITUTES', 'REASONS', 'SYMBOLOGY_IDENTIFIERS', 'UdiData',
    'UdiError',
    'build_element_string', 'find_ambiguity', 'gs1_check_digit',
    'is_valid_gtin', 'normalise_gtin14', 'parse_udi',
]

GS = '\x1d'
# What scanners and keyboard wedges print instead of GS. None of them can be
# data: '{', '}', '^' and ']' are outside CSET 82; '<GS>' is read as a
# separator in the raw form even so (build_element_string refuses it there).
GS_SUBSTITUTES = ('<GS>', '{GS}', '^]')
# ]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code, ]e0 GS1 DataBar,
# ]J1 GS1 DotCode: the identifiers that announce GS1 element strings.
SYMBOLOGY_IDENTIFIERS = (']C1', ']d2', ']Q3', ']e0', ']J1')

REASONS = (
    'empty', 'syntax', 'charset', 'unknown_ai', 'duplicate_ai', 'truncated',
    'too_long', 'check_digit', 'date', 'ambiguous',
)

_DIGITS = frozenset('0123456789')
_CSET82 = frozenset(
    '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_'
    'abcdefghijklmnopqrstuvwxyz')
_CSET39 = frozenset('#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')
_CHARSETS = {'N': _DIGITS, 'X': _CSET82, 'Y': _CSET39}

# Length of an AI, known from its first two digits (GS1 General
# Specifications 3.2); any other prefix has two-digit AIs.
_AI_LENGTHS = {
    '23': 3, '24': 3, '25': 3, '31': 4, '32': 4, '33': 4, '34': 4, '35': 4,
    '36': 4, '39': 4, '40': 3, '41': 3, '42': 3, '43': 4, '70': 4, '71': 3,
    '72': 4, '80': 4, '81': 4, '82': 4,
}
# AIs starting with these digits have data of a predefined fixed length and
# need no separator after it (GS1 General Specifications 5.10.1.2); all
# others are ended by GS unless they come last.
_PREDEFINED_LENGTH = frozenset([
    '00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17',
    '18', '19', '20', '31', '32', '33', '34', '35', '36', '41',
])

# The AIs this module knows, written as in GS1's Barcode Syntax Dictionary:
# components N (digits), X (CSET 82) or Y (CSET 39) of fixed length (N6) or
# up to a maximum (X..20), [optional] at the end, with checks after commas:
# csum (GS1 check digit), yymmd0 (date, day 00 allowed), yymmdd (date),
# hhmi (time). The rest of a line is GS1's data title, for the reader.
_AI_DICTIONARY = """
00          N18,csum            SSCC
01          N14,csum            GTIN
02          N14,csum            CONTENT
10          X..20               BATCH/LOT
11          N6,yymmd0           PROD DATE
12          N6,yymmd0           DUE DATE
13          N6,yymmd0           PACK DATE
15          N6,yymmd0           BEST BEFORE or BEST BY
16          N6,yymmd0           SELL BY
17          N6,yymmd0           USE BY OR EXPIRY
20          N2                  VARIANT
21          X..20               SERIAL
22          X..20               CPV
235         X..28               TPX
240         X..30               ADDITIONAL ID
241         X..30               CUST. PART No.
242         N..6                MTO VARIANT
243         X..20               PCN
250         X..30               SECONDARY SERIAL
251         X..30               REF. TO SOURCE
253         N13,csum [X..17]    GDTI
254         X..20               GLN EXTENSION COMPONENT
255         N13,csum [N..12]    GCN
30          N..8                VAR. COUNT
37          N..8                COUNT
3900-3909   N..15               AMOUNT
3910-3919   N3 N..15            AMOUNT (with ISO currency)
3920-3929   N..15               PRICE
3930-3939   N3 N..15            PRICE (with ISO currency)
400         X..30               ORDER NUMBER
401         X..30               GINC
402         N17,csum            GSIN
403         X..30               ROUTE
410-417     N13,csum            SHIP TO LOC ... PARTY (GLNs)
420         X..20               SHIP TO POST
421         N3 X..9             SHIP TO POST (with ISO country)
422         N3                  ORIGIN
423         N3 [N..12]          COUNTRY - INITIAL PROCESS.
424         N3                  COUNTRY - PROCESS.
425         N3 [N..12]          COUNTRY - DISASSEMBLY
426         N3                  COUNTRY - FULL PROCESS
427         X..3                ORIGIN SUBDIVISION
7001        N13                 NSN
7002        X..30               MEAT CUT
7003        N6,yymmdd N4,hhmi   EXPIRY TIME
7004        N..4                ACTIVE POTENCY
7005        X..12               CATCH AREA
7006        N6,yymmdd           FIRST FREEZE DATE
7007        N6,yymmdd [N6,yymmdd]  HARVEST DATE
7008        X..3                AQUATIC SPECIES
7009        X..10               FISHING GEAR TYPE
7010        X..2                PROD METHOD
7011        N6,yymmdd [N4,hhmi]  TEST BY DATE
7020        X..20               REFURB LOT
7021        X..20               FUNC STAT
7022        X..20               REV STAT
7023        X..30               GIAI - ASSEMBLY
710-716     X..20               NHRN (PZN, CIP, CN, DRN, AIM, NDC, AIC)
8001        N14                 DIMENSIONS
8002        X..20               CMT No.
8003        N1 N13,csum [X..16]  GRAI
8004        X..30               GIAI
8005        N6                  PRICE PER UNIT
8006        N14,csum N2 N2      ITIP
8007        X..34               IBAN
8008        N8 [N..4]           PROD TIME
8009        X..50               OPTSEN
8010        Y..30               CPID
8011        N..12               CPID SERIAL
8012        X..20               VERSION
8013        X..25               GMN
8017        N18,csum            GSRN - PROVIDER
8018        N18,csum            GSRN - RECIPIENT
8019        N..10               SRIN
8020        X..25               REF No.
8026        N14,csum N2 N2      ITIP CONTENT
8110        X..70               (coupon code)
8111        N4                  POINTS
8112        X..70               (paperless coupon code)
8200        X..70               PRODUCT URL
90          X..30               INTERNAL
91-99       X..90               INTERNAL
"""
# Trade measures (31nn to 36nn): six digits, the AI's last digit (0-5)
# places the decimal point.
_MEASURE_STEMS = (
    list(range(310, 317)) + list(range(320, 330)) + list(range(330, 338))
    + list(range(340, 350)) + list(range(350, 358)) + list(range(360, 370)))

# The elements a UDI names, by attribute of UdiData.
_UDI_AIS = {
    '01': 'gtin', '10': 'lot', '21': 'serial', '11': 'production_date',
    '17': 'expiry_date', '15': 'best_before_date',
}

_Part = collections.namedtuple(
    '_Part', 'kind min_length max_length optional checks')
# One element as cut from the input: its AI, its data, where the AI starts,
# the input index of each data character, and where the data stops.
_Token = collections.namedtuple('_Token', 'ai value ai_pos positions end')

_COMPONENT_RE = re.compile(
    r'(\[)?([NXY])(\.\.)?([0-9]+)((?:,[a-z0-9]+)*)(\])?$')
_BRACKET_AI_RE = re.compile(r'\(([0-9]{2,4})\)')


class UdiError(ValueError):
    """A GS1 element string that cannot be read: which AI, where, and why.

    ``reason`` is one of REASONS, for programs (and for translating the
    message); ``ai`` the Application Identifier concerned, or None when the
    fault lies outside any element; ``position`` a 0-based index into the
    normalised input (see the module's docstring); ``detail`` the English
    explanation that ``str(error)`` prefixes with the AI and position.
    """

    def __init__(self, reason, detail, ai=None, position=0):
        self.reason = reason
        self.detail = detail
        self.ai = ai
        self.position = position
        if ai:
            message = 'AI (%s) at position %d: %s' % (ai, position, detail)
        else:
            message = 'Position %d: %s' % (position, detail)
        super(UdiError, self).__init__(message)

    def __reduce__(self):
        # Keeps the error picklable (queue_job, multiprocessing).
        return (
            self.__class__, (self.reason, self.detail, self.ai, self.position))


class UdiData(object):
    """What a GS1 UDI element string says.

    ``gtin`` is the UDI-DI (14 digits); ``lot``, ``serial`` strings;
    ``production_date`` (11), ``expiry_date`` (17), ``best_before_date`` (15)
    ``datetime.date``; any of them None when absent. ``elements`` lists every
    (AI, data) pair in input order, as read; ``extra`` maps the AIs that are
    valid GS1 AIs but not UDI attributes (240, 30, 7003 ...) to their data.
    """

    FIELDS = (
        'gtin', 'lot', 'serial', 'production_date', 'expiry_date',
        'best_before_date', 'elements', 'extra',
    )

    def __init__(self, gtin=None, lot=None, serial=None,
                 production_date=None, expiry_date=None,
                 best_before_date=None, elements=None, extra=None):
        self.gtin = gtin
        self.lot = lot
        self.serial = serial
        self.production_date = production_date
        self.expiry_date = expiry_date
        self.best_before_date = best_before_date
        self.elements = list(elements or [])
        self.extra = dict(extra or {})

    @property
    def udi_di(self):
        """The UDI device identifier: the GTIN-14."""
        return self.gtin

    def as_dict(self):
        """Return the fields as a plain dict (elements and extra copied)."""
        values = {name: getattr(self, name) for name in self.FIELDS}
        values['elements'] = list(self.elements)
        values['extra'] = dict(self.extra)
        return values

    def __getitem__(self, name):
        if name not in self.FIELDS:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name, default=None):
        """Return field ``name``, or ``default`` when it is not a field."""
        return getattr(self, name) if name in self.FIELDS else default

    def keys(self):
        """Return the field names, as a dict would."""
        return list(self.FIELDS)

    def __eq__(self, other):
        if not isinstance(other, UdiData):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __repr__(self):
        return 'UdiData(%s)' % ', '.join(
            '%s=%r' % (name, getattr(self, name)) for name in self.FIELDS)


def gs1_check_digit(digits):
    """Return the GS1 mod-10 check digit, as one character, for ``digits``.

    ``digits`` is the data of a GTIN, GLN, SSCC ... without its check digit.
    Raises ValueError when it is empty or holds anything but ASCII digits.
    """
    if not isinstance(digits, str) or not digits or not _is_digits(digits):
        raise ValueError(
            'a GS1 check digit needs a string of digits, not %r' % (digits,))
    total = 0
    # Weights 3, 1, 3 ... from the rightmost digit of the data.
    for index, char in enumerate(reversed(digits)):
        total += (ord(char) - 48) * (1 if index % 2 else 3)
    return str(-total % 10)


def is_valid_gtin(code):
    """Tell whether ``code`` is a GTIN-8, -12, -13 or -14 with a valid check
    digit (a string of digits, nothing else, not even spaces)."""
    return (
        isinstance(code, str) and len(code) in (8, 12, 13, 14)
        and _is_digits(code) and gs1_check_digit(code[:-1]) == code[-1])


def normalise_gtin14(code):
    """Return GTIN-8, -12, -13 or -14 ``code`` as a GTIN-14 (zeros in front),
    the form of a UDI-DI; raise UdiError (AI '01') when it is not a GTIN."""
    if code is None or code is False or code == '':
        raise UdiError('empty', 'no GTIN given', '01', 0)
    if not isinstance(code, str):
        raise TypeError('a GTIN is a string of digits, not %r' % (code,))
    for index, char in enumerate(code):
        if char not in _DIGITS:
            raise UdiError(
                'syntax', 'non-digit %r in GTIN %r' % (char, code), '01', index)
    if len(code) > 14:
        raise UdiError(
            'too_long', 'GTIN of %d digits, 14 at most' % len(code), '01', 14)
    if len(code) < 8:
        raise UdiError(
            'truncated', 'GTIN of %d digits, 8 at least' % len(code), '01',
            len(code))
    if len(code) not in (8, 12, 13, 14):
        raise UdiError(
            'syntax', 'GTIN of %d digits: a GTIN has 8, 12, 13 or 14'
            % len(code), '01', 0)
    _check_digit_or_raise(code, '01', len(code) - 1)
    return code.zfill(14)


def parse_udi(text, today=None, strict=False):
    """Read a GS1 element string, bracketed or raw, into a UdiData.

    ``text`` may carry a symbology identifier (``]d2``, ``]C1``, ``]Q3``,
    ``]e0``, ``]J1``), GS or a visible substitute between elements, and
    surrounding whitespace; bytes are read as Latin-1. ``today`` (a date,
    default the current date) places two-digit years in their century.
    With ``strict``, a raw string that could also be read with a lost GS
    separator (see ``find_ambiguity``) raises UdiError 'ambiguous'
    instead of being guessed. Raises UdiError, and nothing else, for any
    text that is not a valid element string; None or False count as empty
    text.
    """
    if today is None:
        today = datetime.date.today()
    if strict:
        ambiguity = find_ambiguity(text, today)
        if ambiguity:
            raise ambiguity
    normalised = _normalise(text)
    if normalised.startswith('('):
        tokens = _split_bracketed(normalised)
    else:
        tokens = _split_raw(normalised)
    elements = []
    values = {}
    first_seen = {}
    # Tokens come lazily, so the first fault in reading order is reported.
    for token in tokens:
        if token.ai in first_seen:
            raise UdiError(
                'duplicate_ai', 'AI given twice (first at position %d)'
                % first_seen[token.ai], token.ai, token.ai_pos)
        first_seen[token.ai] = token.ai_pos
        values[token.ai] = _check_element(token, today)
        elements.append((token.ai, token.value))
    data = UdiData(elements=elements)
    for ai, value in elements:
        field = _UDI_AIS.get(ai)
        if field is None:
            data.extra[ai] = value
        elif field.endswith('_date'):
            setattr(data, field, values[ai][0])
        else:
            setattr(data, field, value)
    return data


def find_ambiguity(text, today=None):
    """Return an UdiError 'ambiguous' when the raw element string ``text``
    could also be read had a GS separator been lost: the data of a
    variable-length element ends with what reads as further UDI elements
    (lot, serial, dates, GTIN) valid by themselves and not given
    elsewhere, as in ``010950600013435210ABC21SN117271231`` (lot
    ``ABC21SN117271231``, or lot ``ABC`` and serial ``SN117271231``, or
    ...). Return None when the text reads one way only, is bracketed
    (brackets say where data ends) or does not read at all (parse_udi
    says why).
    """
    if today is None:
        today = datetime.date.today()
    try:
        normalised = _normalise(text)
        if normalised.startswith('('):
            return None
        tokens = list(_split_raw(normalised))
    except UdiError:
        return None
    present = set(token.ai for token in tokens)
    for token in tokens:
        if token.ai[:2] in _PREDEFINED_LENGTH:
            continue
        for cut in range(1, len(token.value)):
            elements = _udi_elements_or_none(
                token.value[cut:], present, today)
            if elements:
                return UdiError(
                    'ambiguous', 'the data %r may hold %s: a GS separator '
                    'may have been lost; scan again or type the UDI with '
                    'brackets' % (token.value, ''.join(
                        '(%s)%s' % element for element in elements)),
                    token.ai, token.positions[cut])
    return None


def _udi_elements_or_none(text, taken, today):
    """Return the (AI, data) pairs that ``text`` reads as, raw, when they
    are all valid UDI elements whose AIs are not in ``taken``; else
    None."""
    try:
        tokens = list(_split_raw(text))
        for token in tokens:
            if token.ai not in _UDI_AIS or token.ai in taken:
                return None
            _check_element(token, today)
    except UdiError:
        return None
    if len(set(token.ai for token in tokens)) != len(tokens):
        return None
    return [(token.ai, token.value) for token in tokens]


def build_element_string(elements, bracketed=True, validate=True):
    """Write (AI, data) pairs as a GS1 element string, for labels and tests.

    The bracketed form escapes '(' in data as '\\(', as GS1's Barcode Syntax
    Engine does; the raw form puts GS after each element that has no
    predefined length (variable-length and some fixed-length AIs) unless it
    comes last. ``elements`` is a sequence of pairs (or a mapping). With
    ``validate``, the result must read back to the same pairs, or UdiError
    says which AI is at fault and why (position in the result); without it,
    only unknown AIs are refused, so tests can build faulty strings.
    """
    if hasattr(elements, 'items'):
        elements = list(elements.items())
    pairs = [(ai, value) for ai, value in elements]
    pieces = []
    length = 0
    for index, (ai, value) in enumerate(pairs):
        if not isinstance(ai, str) or not isinstance(value, str):
            raise TypeError(
                'AI and data must be strings, not %r' % ((ai, value),))
        if ai not in _AIS:
            raise UdiError('unknown_ai', 'not a GS1 AI this module knows', ai,
                           length)
        if bracketed:
            piece = '(%s)%s' % (ai, value.replace('(', '\\('))
        else:
            if validate:
                _check_raw_value(ai, value, length + len(ai))
            piece = ai + value
            last = index == len(pairs) - 1
            if not last and ai[:2] not in _PREDEFINED_LENGTH:
                piece += GS
        pieces.append(piece)
        length += len(piece)
    result = ''.join(pieces)
    if validate:
        read = parse_udi(result).elements
        if read != pairs:
            # Only a value the checks above let through could cause this.
            raise UdiError('syntax', 'the element string reads back as %r'
                           % (read,), None, 0)
    return result


def _is_digits(text):
    return all(char in _DIGITS for char in text)


def _check_digit_or_raise(digits, ai, position):
    """Raise UdiError when the last of ``digits`` (at ``position``) is not
    their GS1 check digit."""
    expected = gs1_check_digit(digits[:-1])
    if digits[-1] != expected:
        raise UdiError(
            'check_digit', 'bad check digit %s in %s (expected %s)'
            % (digits[-1], digits, expected), ai, position)


def _load_dictionary():
    """Return {AI: tuple of _Part} from _AI_DICTIONARY and the measures."""
    table = {}
    for line in _AI_DICTIONARY.strip().splitlines():
        words = line.split()
        parts = []
        for word in words[1:]:
            match = _COMPONENT_RE.match(word)
            if not match:
                break
            opening, kind, variable, size, checks, _closing = match.groups()
            size = int(size)
            parts.append(_Part(
                kind, 1 if variable else size, size, bool(opening),
                tuple(check for check in checks.split(',') if check)))
        first, _sep, last = words[0].partition('-')
        for number in range(int(first), int(last or first) + 1):
            table[str(number).zfill(len(first))] = tuple(parts)
    for stem in _MEASURE_STEMS:
        for decimals in range(6):
            table['%d%d' % (stem, decimals)] = (_Part('N', 6, 6, False, ()),)
    for ai, parts in table.items():
        # The readers rely on these; a wrong table line must not load.
        fixed = all(part.min_length == part.max_length for part in parts)
        if (len(ai) != _AI_LENGTHS.get(ai[:2], 2)
                or not all(p.min_length == p.max_length for p in parts[:-1])
                or (ai[:2] in _PREDEFINED_LENGTH and not fixed)):
            raise ValueError('inconsistent GS1 AI table entry %s' % ai)
    return table


_AIS = _load_dictionary()


def _normalise(text):
    """Return ``text`` stripped of whitespace and symbology identifier, with
    GS for its separator substitutes."""
    if text is None or text is False:
        text = ''
    if isinstance(text, bytes):
        text = text.decode('latin-1')
    if not isinstance(text, str):
        raise TypeError('an element string is text, not %r' % (text,))
    text = text.strip()
    if text.startswith(']'):
        if text[:3] not in SYMBOLOGY_IDENTIFIERS:
            raise UdiError(
                'syntax', 'symbology identifier %r does not announce GS1 '
                'data (expected one of %s)'
                % (text[:3], ', '.join(SYMBOLOGY_IDENTIFIERS)), None, 0)
        text = text[3:]
    for substitute in GS_SUBSTITUTES:
        text = text.replace(substitute, GS)
    if not text.strip(GS):
        raise UdiError('empty', 'no element string', None, 0)
    return text


def _split_bracketed(text):
    """Yield the _Token of each '(AI)data' of a bracketed element string."""
    match = _BRACKET_AI_RE.match(text)
    if not match:
        raise UdiError(
            'syntax', "expected an AI in brackets such as '(01)', found %r"
            % text[:6], None, 0)
    while match:
        if match.group(1) not in _AIS:
            raise UdiError('unknown_ai', 'not a GS1 AI this module knows',
                           match.group(1), match.start())
        chars, positions = [], []
        index = match.end()
        following = None
        while index < len(text):
            char = text[index]
            if char == '\\' and text.startswith('(', index + 1):
                chars.append('(')
                positions.append(index + 1)
                index += 2
                continue
            if char == '(':
                following = _BRACKET_AI_RE.match(text, index)
                if following:
                    break
            chars.append(char)
            positions.append(index)
            index += 1
        yield _Token(match.group(1), ''.join(chars), match.start(), positions,
                     index)
        match = following


def _split_raw(text):
    """Yield the _Token of each element of a raw (scanned) element string."""
    size = len(text)
    # A leading GS is the FNC1 in first position that some scanners send.
    index = 1 if text.startswith(GS) else 0
    while index < size:
        ai_pos = index
        if text[index] == GS:
            raise UdiError('syntax', 'empty element between two separators',
                           None, index)
        ai_length = _AI_LENGTHS.get(text[index:index + 2], 2)
        ai = text[index:index + ai_length]
        for offset, char in enumerate(ai):
            if char not in _DIGITS:
                raise UdiError(
                    'syntax', 'expected an AI (digits), found %r' % char,
                    None, index + offset)
        if len(ai) < ai_length:
            raise UdiError(
                'truncated', 'AI cut short: %r at the end' % ai, None, size)
        if ai not in _AIS:
            raise UdiError('unknown_ai', 'not a GS1 AI this module knows', ai,
                           ai_pos)
        start = index + ai_length
        if ai[:2] in _PREDEFINED_LENGTH:
            end = min(start + _AIS[ai][0].max_length, size)
            # A separator inside a fixed-length field cuts it short.
            separator = text.find(GS, start, end)
            if separator != -1:
                end = separator
        else:
            end = text.find(GS, start)
            if end == -1:
                end = size
        yield _Token(ai, text[start:end], ai_pos, list(range(start, end)),
                     end)
        index = end
        if index < size and text[index] == GS:
            # The separator that ends this element; a final one is harmless.
            index += 1


def _length_text(minimum, maximum):
    if minimum == maximum:
        return '%d' % minimum
    return '%d to %d' % (minimum, maximum)


def _check_element(token, today):
    """Check ``token``'s data against its AI's format; return the value of
    each component present (a date or time for dated ones, else the text)."""
    parts = _AIS[token.ai]
    value = token.value
    minimum = sum(part.min_length for part in parts if not part.optional)
    maximum = sum(part.max_length for part in parts)
    # Cut the data into its components, as far as the maximum length goes.
    pieces = []
    offset = 0
    for part in parts:
        length = min(part.max_length, min(len(value), maximum) - offset)
        if length <= 0:
            break
        pieces.append((part, offset, length))
        offset += length
    # Faults are reported in reading order: characters, then length, then
    # what the characters mean.
    for part, offset, length in pieces:
        _check_charset(part.kind, value[offset:offset + length],
                       token.positions[offset:offset + length], token.ai)
    if len(value) > maximum:
        raise UdiError(
            'too_long', 'data longer than %d characters' % maximum, token.ai,
            token.positions[maximum])
    # An optional last component is all there or not there.
    partial = pieces and pieces[-1][2] < pieces[-1][0].min_length
    if len(value) < minimum or partial:
        raise UdiError(
            'truncated', '%s (%s characters needed)' % (
                'data cut short after %d characters' % len(value) if value
                else 'no data', _length_text(minimum, maximum)),
            token.ai, token.end)
    return [
        _apply_checks(part, value[offset:offset + length],
                      token.positions[offset:offset + length], token.ai,
                      today)
        for part, offset, length in pieces]


def _check_charset(kind, chunk, positions, ai):
    allowed = _CHARSETS[kind]
    for char, position in zip(chunk, positions):
        if char not in allowed:
            if kind == 'N':
                raise UdiError('syntax', 'non-digit %r in numeric data'
                               % char, ai, position)
            raise UdiError(
                'charset', 'character %r is not allowed (GS1 character set '
                '%s)' % (char, '82' if kind == 'X' else '39'), ai, position)


def _apply_checks(part, chunk, positions, ai, today):
    """Run ``part``'s checks on ``chunk``; return its value."""
    result = chunk
    for check in part.checks:
        if check == 'csum':
            _check_digit_or_raise(chunk, ai, positions[-1])
        elif check in ('yymmd0', 'yymmdd'):
            result = _read_date(
                chunk, check == 'yymmd0', today, ai, positions[0])
        elif check == 'hhmi':
            hour, minute = int(chunk[:2]), int(chunk[2:])
            if hour > 23 or minute > 59:
                raise UdiError(
                    'date', 'impossible time %s (%s)' % (
                        chunk, 'hour %02d' % hour if hour > 23
                        else 'minute %02d' % minute), ai, positions[0])
            result = datetime.time(hour, minute)
    return result


def _gs1_year(two_digits, today):
    """Place a two-digit year in its century by GS1's sliding window
    (General Specifications 7.12): 49 years back to 50 years ahead."""
    century = today.year - today.year % 100
    difference = two_digits - today.year % 100
    if difference >= 51:
        century -= 100
    elif difference <= -50:
        century += 100
    return century + two_digits


def _read_date(chunk, day_zero_allowed, today, ai, position):
    """Return the date YYMMDD ``chunk`` stands for; day 00 (where allowed)
    means the month only is known, read as its last day."""
    month, day = int(chunk[2:4]), int(chunk[4:6])
    if not 1 <= month <= 12:
        raise UdiError('date', 'impossible date %s (month %02d)'
                       % (chunk, month), ai, position)
    year = _gs1_year(int(chunk[:2]), today)
    month_length = calendar.monthrange(year, month)[1]
    if day == 0 and day_zero_allowed:
        day = month_length
    elif day == 0:
        raise UdiError('date', 'impossible date %s (day 00 is not allowed '
                       'for this AI)' % chunk, ai, position)
    elif day > month_length:
        raise UdiError(
            'date', 'impossible date %s (day %02d; %04d-%02d has %d days)'
            % (chunk, day, year, month, month_length), ai, position)
    return datetime.date(year, month, day)


def _check_raw_value(ai, value, position):
    """Refuse raw-form data that would be read back differently: a
    separator inside it, or a predefined length not met."""
    for separator in (GS,) + GS_SUBSTITUTES:
        found = value.find(separator)
        if found != -1:
            raise UdiError(
                'charset', '%r in data would read as a separator'
                % separator, ai, position + found)
    if ai[:2] in _PREDEFINED_LENGTH:
        length = _AIS[ai][0].max_length
        if len(value) < length:
            raise UdiError(
                'truncated', 'data cut short after %d characters (%d needed)'
                % (len(value), length), ai, position + len(value))
        if len(value) > length:
            raise UdiError('too_long', 'data longer than %d characters'
                           % length, ai, position + length)
