"""Licence fields proposed from the OCR text of Chinese licence scans.

Pure Python, no Odoo import. The OCR job feeds the tesseract output
(chi_sim+eng) of a 营业执照, 医疗器械经营许可证, 第二类医疗器械经营备案凭证,
医疗机构执业许可证 (or a similar licence) to :func:`extract_proposals`
and shows the reviewer what it proposes: each :class:`Proposal` carries the
line it came from and a confidence, so nothing is written without a human
seeing where it came from.

Confidence, from 0 to 1: a label read exactly and a value that validates
(a credit code with a good check character, a real date) score about 0.95;
a label read with an OCR slip, a value of doubtful shape, a credit code
repaired from OCR confusions or a value found without any label score less.
Only the best proposal of each field is returned.
"""

import datetime
import logging
import re

from . import uscc

_logger = logging.getLogger(__name__)

__all__ = [
    'FIELDS', 'Proposal', 'normalise_text', 'parse_date', 'parse_validity',
    'parse_scope', 'detect_kind', 'extract_proposals', 'normalise_name',
    'names_match', 'NOTE_KEYS',
]

FIELDS = (
    'number', 'holder', 'credit_code', 'issue_date', 'valid_from', 'valid_to',
    'long_term', 'issuing_authority', 'scope_codes', 'classes',
    'legal_representative', 'address',
)
# What a proposal's note may say (Proposal.note_key).
NOTE_KEYS = (
    'repaired', 'invalid_code', 'beside_authority', 'number_unlabelled',
    'date_unlabelled', 'credit_code_is_number', 'class2_filing',
)

# A licence is a page or two; more than this is not a licence, and the cap
# keeps a stray huge attachment from tying up the OCR job.
MAX_TEXT_LENGTH = 200000

# First-level categories of the 2017 NMPA classification catalogue.
CATALOGUE_2017 = {
    '01': '有源手术器械',
    '02': '无源手术器械',
    '03': '神经和心血管手术器械',
    '04': '骨科手术器械',
    '05': '放射治疗器械',
    '06': '医用成像器械',
    '07': '医用诊察和监护器械',
    '08': '呼吸、麻醉和急救器械',
    '09': '物理治疗器械',
    '10': '输血、透析和体外循环器械',
    '11': '医疗器械消毒灭菌器械',
    '12': '有源植入器械',
    '13': '无源植入器械',
    '14': '注输、护理和防护器械',
    '15': '患者承载器械',
    '16': '眼科器械',
    '17': '口腔科器械',
    '18': '妇产科、辅助生殖和避孕器械',
    '19': '医用康复器械',
    '20': '中医器械',
    '21': '医用软件',
    '22': '临床检验器械',
}

# The 43 categories of the 2002 catalogue (68xx); licences issued before
# 2018, and IVD reagents (6840) to this day, still cite them.
CATALOGUE_2002 = frozenset((
    '6801', '6802', '6803', '6804', '6805', '6806', '6807', '6808', '6809',
    '6810', '6812', '6813', '6815', '6816', '6820', '6821', '6822', '6823',
    '6824', '6825', '6826', '6827', '6828', '6830', '6831', '6832', '6833',
    '6834', '6840', '6841', '6845', '6846', '6854', '6855', '6856', '6857',
    '6858', '6863', '6864', '6865', '6866', '6870', '6877',
))

# Confidence factors (see the module docstring).
_LABEL_EXACT = 1.0
_LABEL_FUZZY = 0.85
_VALUE_VALID = 0.95
_VALUE_PLAUSIBLE = 0.85
_VALUE_DOUBTFUL = 0.65
_RANK_PENALTY = 0.05
_NO_LABEL_CODE = 0.7
_NO_LABEL = 0.6
_NO_LABEL_DATE = 0.5
_NO_LABEL_SCOPE = 0.65
_BESIDE_LABEL = 0.7
_REPAIRED = 0.75
_INVALID_CODE = 0.3

# --------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------

_CJK = '\u3400-\u4dbf\u4e00-\u9fff\u3007'
_TRANSLATION = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
for _code in (0x3000, 0xA0, 0x202F, 0x205F, 0x09, 0x0B, 0x0C) + tuple(
        range(0x2000, 0x200B)):
    _TRANSLATION[_code] = ' '
for _code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _TRANSLATION[_code] = None
for _code in tuple(range(0x00, 0x09)) + tuple(range(0x0E, 0x20)) + (0x7F,):
    _TRANSLATION[_code] = ' '
# Colon look-alikes that tesseract returns for the full-width colon.
for _code in (0xFE13, 0xFE55, 0x2236, 0x02D0, 0xA789, 0x0589):
    _TRANSLATION[_code] = ':'
for _code in tuple(range(0x2010, 0x2016)) + (0x2212, 0xFE58, 0xFE63):
    _TRANSLATION[_code] = '-'
del _code

_NEWLINES_RE = re.compile(r'\r\n?|[\u2028\u2029\x85]')
_SPACES_RE = re.compile(r' {2,}')
_COLON_RE = re.compile(r' ?: ?')
# tesseract puts spaces between CJK characters ('营 业 执 照') and around
# digits next to them ('许 20150035 号'); none of them mean anything.
_CJK_SPACE_RE = re.compile('(?<=[%s]) +| +(?=[%s])' % (_CJK, _CJK))


def _normalise_line(line):
    line = _SPACES_RE.sub(' ', line).strip()
    line = _COLON_RE.sub(':', line)
    return _CJK_SPACE_RE.sub('', line)


def normalise_text(text):
    """Return OCR ``text`` in the canonical form the parsers read.

    Full-width ASCII becomes half-width, colon and dash look-alikes become
    ':' and '-', spaces around colons and next to CJK characters go, blank
    lines are dropped. Anything that is not text gives ''.
    """
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    if not isinstance(text, str):
        return ''
    text = _NEWLINES_RE.sub('\n', text[:MAX_TEXT_LENGTH])
    text = text.translate(_TRANSLATION)
    lines = (_normalise_line(line) for line in text.split('\n'))
    return '\n'.join(line for line in lines if line)


# --------------------------------------------------------------------------
# Dates and validity
# --------------------------------------------------------------------------

# 2023年01月01日, 2023-1-1, 2023/1/1, 2023.1.1, 2023. 01. 01; OCR reads
# '日' as '曰' and a dash between digits as '一'.
_DATE_RE = re.compile(
    r'(?<!\d)((?:19|20)\d{2}) *[年./\-一] *(\d{1,2}) *[月./\-一] *'
    r'(\d{1,2})(?!\d) *[日曰]?')
# 二〇二三年一月一日, as printed on older licences.
_CN_DIGITS = {
    '〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4,
    '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}
_CN_DATE_RE = re.compile(
    '([〇○零一二三四五六七八九]{4}) *年 *([〇○零一二三四五六七八九十]{1,3}) *月 *'
    '([〇○零一二三四五六七八九十]{1,4}) *[日曰]')
_LONG_TERM_RE = re.compile(
    r'长期|永久|无固定期限|不约定期限|(?<!\d)9999 *[年./\-] *12 *[月./\-] *31')
_UNTIL_BEFORE_RE = re.compile(r'(?:至|到|止|截止|截至|有效期限?) *:?$')
_UNTIL_AFTER_RE = re.compile(r' *(?:止|前|为止)')
_FROM_BEFORE_RE = re.compile(r'(?:自|从|起) *:?$')
_FROM_AFTER_RE = re.compile(r' *(?:起|至|到|~|-)')


def _cn_number(numeral):
    """Return the int written in Chinese numerals, or None."""
    if '十' in numeral:
        head, _sep, tail = numeral.partition('十')
        if len(head) > 1 or len(tail) > 1 or head in ('〇', '○', '零'):
            return None
        tens = _CN_DIGITS.get(head, 1 if not head else None)
        units = _CN_DIGITS.get(tail, 0 if not tail else None)
        if tens is None or units is None:
            return None
        return tens * 10 + units
    value = 0
    for char in numeral:
        if char not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[char]
    return value


def _make_date(year, month, day):
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _find_dates(text):
    """Return (start, end, date) of the date-shaped spans of ``text``.

    ``date`` is None for an impossible date (2023-02-30), so that callers
    still see where a date was printed.
    """
    found = []
    for match in _DATE_RE.finditer(text):
        found.append((match.start(), match.end(), _make_date(
            int(match.group(1)), int(match.group(2)), int(match.group(3)))))
    for match in _CN_DATE_RE.finditer(text):
        found.append((match.start(), match.end(), _make_date(
            _cn_number(match.group(1)), _cn_number(match.group(2)),
            _cn_number(match.group(3)))))
    found.sort(key=lambda span: span[0])
    return found


def parse_date(text):
    """Return the first date written in ``text`` as a datetime.date.

    Reads 2023年01月01日, 2023年1月1日, 2023-01-01, 2023/1/1, 2023.1.1,
    2023. 01. 01, full-width digits and 二〇二三年一月一日. Returns None
    when there is no date or the first one is impossible; never raises.
    """
    text = normalise_text(text)
    dates = _find_dates(text)
    return dates[0][2] if dates else None


def parse_validity(text):
    """Return ``(valid_from, valid_to, long_term)`` read from ``text``.

    Understands "2020年01月01日至2025年12月31日", "自2020年1月1日至长期",
    "2020-01-01 至 长期", "有效期至2025年12月31日" and "长期". A lone
    date is the end of validity unless the text marks it as the start
    ("自…", "…起", "…至长期"). With long term, ``valid_to`` is None.
    Missing or impossible dates are None; never raises.
    """
    text = normalise_text(text)
    long_term = bool(_LONG_TERM_RE.search(text))
    dates = _find_dates(text)
    valid_from = valid_to = None
    if len(dates) >= 2:
        valid_from, valid_to = dates[0][2], dates[1][2]
    elif dates:
        start, end, date = dates[0]
        before, after = text[:start], text[end:]
        if _UNTIL_BEFORE_RE.search(before) or _UNTIL_AFTER_RE.match(after):
            valid_to = date
        elif (long_term or _FROM_BEFORE_RE.search(before)
              or _FROM_AFTER_RE.match(after)):
            valid_from = date
        else:
            valid_to = date
    if long_term:
        valid_to = None
    return valid_from, valid_to, long_term


# --------------------------------------------------------------------------
# Scope: catalogue codes and device classes
# --------------------------------------------------------------------------

_OLD_CODE_RE = re.compile(r'(?<!\d)(68\d\d)(?:-\d{1,2})?(?!\d)')
_OLD_CODE_BEFORE_RE = re.compile(r'68\d\d[ .、]?$')
_NEW_CODE_RE = re.compile(r'(?<![\d.\-])(0[1-9]|1\d|2[0-2])(?!\d)')
# Before a bare code: start, a list separator or the ':' after "Ⅲ类".
_LIST_BEFORE = set(':,、;/(类 ')
_LIST_AFTER = set(',、;/) ')
_NAME_PREFIX = 3
# I, II, III: Roman numeral characters, or letters OCR makes of them.
_CLASS_ITEM = '(?:第 ?)?(?:[ⅠⅡⅢ]|[IiLl1|]{1,3}|[一二三])'
_CLASS_RE = re.compile(
    r'(?<![0-9A-Za-z])(%s(?: ?[、,/和及与] ?%s)*) ?类' % (_CLASS_ITEM, _CLASS_ITEM))
_CLASS_ITEM_RE = re.compile(_CLASS_ITEM)
_CLASS_VALUES = {
    'Ⅰ': 'I', 'Ⅱ': 'II', 'Ⅲ': 'III', '一': 'I', '二': 'II', '三': 'III',
}
_CLASS_ORDER = ('I', 'II', 'III')
# Catalogue names with OCR-tolerant list punctuation ('、' read as ',');
# parts escaped one by one: before 3.7 re.escape escapes '、' too.
_NAME_RES = [
    (code, re.compile(r'(?<![\d.])' + '[、,]?'.join(
        re.escape(part) for part in name.split('、'))))
    for code, name in sorted(CATALOGUE_2017.items())
]


def _strip_punctuation(text):
    return re.sub(r'[、,.:\s\-]', '', text)


def _new_code_accepted(text, match):
    """Tell whether a two-digit number in scope text is a catalogue code.

    A code followed by a name is accepted only with its own catalogue name,
    so "03内科" (a hospital department) or "01月" never count; a bare code
    must stand in a list ("Ⅲ类:01,02,06").
    """
    code = match.group(1)
    # Bounded slices: a long text must not cost a copy per number.
    after = text[match.end():match.end() + 20]
    name = _strip_punctuation(CATALOGUE_2017[code])[:_NAME_PREFIX]
    if _strip_punctuation(after[:_NAME_PREFIX + 2]).startswith(name):
        return True
    before = text[max(0, match.start() - 20):match.start()].rstrip(' ')
    if before and before[-1] not in _LIST_BEFORE:
        return False
    if not after.strip(' '):
        return True
    return after[0] in _LIST_AFTER and not re.match(r' ?[.\-]\d', after)


def parse_scope(text, named_only=False):
    """Return ``(codes, classes)`` read from licence scope text.

    ``codes`` is the sorted list of catalogue codes: '01'..'22' for the 2017
    catalogue (written as codes or names), '68xx' for the 2002 one (6815-1
    counts as 6815). ``classes`` lists the device classes named ('I', 'II',
    'III'). With ``named_only``, a two-digit number counts only when
    followed by its catalogue name: for hospital 诊疗科目, whose department
    numbers would otherwise read as codes. Never raises.
    """
    text = normalise_text(text)
    codes = set()
    for match in _OLD_CODE_RE.finditer(text):
        if match.group(1) in CATALOGUE_2002:
            codes.add(match.group(1))
    for match in _NEW_CODE_RE.finditer(text):
        code = match.group(1)
        if named_only:
            name = _strip_punctuation(CATALOGUE_2017[code])[:_NAME_PREFIX]
            after = _strip_punctuation(text[match.end():match.end() + 5])
            if after.startswith(name):
                codes.add(code)
        elif _new_code_accepted(text, match):
            codes.add(code)
    for code, name_re in _NAME_RES:
        # A name after a 68xx code is the 2002 category of the same name
        # (6827中医器械), not the 2017 one.
        for match in name_re.finditer(text):
            start = match.start()
            if not _OLD_CODE_BEFORE_RE.search(text[max(0, start - 6):start]):
                codes.add(code)
    classes = set()
    for match in _CLASS_RE.finditer(text):
        for item in _CLASS_ITEM_RE.findall(match.group(1)):
            item = item.lstrip('第 ')
            value = _CLASS_VALUES.get(item, 'I' * len(item))
            classes.add(value)
    return sorted(codes), [c for c in _CLASS_ORDER if c in classes]


# --------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------

class _Label(object):
    __slots__ = ('text', 'field', 'rank')

    def __init__(self, text, field, rank):
        self.text = text
        self.field = field
        self.rank = rank


# (label, what it introduces, rank among the labels of that field: 0 is the
# label to trust first). Field None: a label we do not read, listed so that
# it ends the value printed before it on the same line.
_LABELS = [_Label(*entry) for entry in (
    ('统一社会信用代码', 'credit_code', 0),
    ('社会信用代码', 'credit_code', 0),
    ('信用代码', 'credit_code', 1),
    ('企业名称', 'holder', 0),
    ('机构名称', 'holder', 0),
    ('经营企业', 'holder', 1),
    ('名称', 'holder', 0),
    ('许可证编号', 'number', 0),
    ('备案编号', 'number', 0),
    ('登记号', 'number', 0),
    ('编号', 'number', 1),
    ('证号', 'number', 1),
    ('注册号', 'number', 2),
    ('法定代表人', 'legal_representative', 0),
    ('企业负责人', 'legal_representative', 1),
    ('主要负责人', 'legal_representative', 1),
    ('负责人', 'legal_representative', 2),
    ('住所', 'address', 0),
    ('注册地址', 'address', 0),
    ('经营场所', 'address', 1),
    ('经营地址', 'address', 1),
    ('地址', 'address', 1),
    ('发证机关', 'issuing_authority', 0),
    ('发证部门', 'issuing_authority', 0),
    ('登记机关', 'issuing_authority', 0),
    ('备案部门', 'issuing_authority', 0),
    ('发证日期', 'issue_date', 0),
    ('备案日期', 'issue_date', 0),
    ('发证时间', 'issue_date', 0),
    ('核准日期', 'issue_date', 1),
    ('有效期限', 'validity', 0),
    ('有效期至', 'validity', 0),
    ('有效期', 'validity', 0),
    ('营业期限', 'validity', 0),
    ('经营期限', 'validity', 0),
    ('经营范围', 'scope', 0),
    ('诊疗科目', 'scope', 0),
    # A 营业执照's founding date, not the date the licence was issued.
    ('成立日期', None, 0),
    ('注册日期', None, 0),
    ('注册资本', None, 0),
    ('主体类型', None, 0),
    ('类型', None, 0),
    ('经营方式', None, 0),
    ('经营模式', None, 0),
    ('库房地址', None, 0),
    ('仓库地址', None, 0),
    ('质量负责人', None, 0),
    ('质量管理人', None, 0),
    ('证照编号', None, 0),
    ('组成形式', None, 0),
    ('经营者', None, 0),
    ('医疗机构类别', None, 0),
    ('类别', None, 0),
    ('所有制形式', None, 0),
    ('服务对象', None, 0),
    ('床位', None, 0),
    ('联系电话', None, 0),
    ('电话', None, 0),
    ('邮政编码', None, 0),
    ('备注', None, 0),
)]


def _label_variants():
    """Map each spelling we accept to (label, fuzzy) and build the regex.

    OCR drops or misreads (as another CJK character) one character of a
    label of four or more characters: both are accepted as fuzzy. Shorter
    labels must be read exactly, or every other word would be a label.
    """
    literal = {}
    patterns = []
    for label in _LABELS:
        literal[label.text] = (label, False)
        patterns.append((len(label.text), 0, re.escape(label.text)))
    for label in _LABELS:
        text = label.text
        if len(text) < 4:
            continue
        for index in range(len(text)):
            variant = text[:index] + text[index + 1:]
            if variant not in literal:
                literal[variant] = (label, True)
                patterns.append((len(variant), 1, re.escape(variant)))
            patterns.append((len(text), 2, '%s[%s]%s' % (
                re.escape(text[:index]), _CJK, re.escape(text[index + 1:]))))
    # Longest first, exact before fuzzy: an alternation takes the first
    # alternative that matches at a position.
    patterns.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
    regex = re.compile('|'.join(pattern for _l, _k, pattern in patterns))
    return literal, regex


_LABEL_LITERALS, _LABEL_RE = _label_variants()


def _resolve_label(matched):
    """Return (label, fuzzy) for the text a label alternative matched."""
    if matched in _LABEL_LITERALS:
        return _LABEL_LITERALS[matched]
    # One substituted character: the label of the same length closest to it.
    for label in _LABELS:
        if len(label.text) == len(matched) and sum(
                a != b for a, b in zip(label.text, matched)) == 1:
            return label, True
    return None, True


class _Segment(object):
    """A label found in a line and the value printed after it.

    ``lines`` is how many lines the value spans (continuation lines).
    """

    __slots__ = ('label', 'fuzzy', 'value', 'source', 'index', 'lines')

    def __init__(self, label, fuzzy, value, source, index, lines=1):
        self.label = label
        self.fuzzy = fuzzy
        self.value = value
        self.source = source
        self.index = index
        self.lines = lines

    @property
    def factor(self):
        return ((_LABEL_FUZZY if self.fuzzy else _LABEL_EXACT)
                - _RANK_PENALTY * self.label.rank)


def _label_matches(line):
    """Return (start, end, label, fuzzy) for the labels printed in ``line``.

    A fuzzy spelling counts only at the start of a line or before a colon:
    three characters left of a four-character label are often a word of
    the value (经营业务 holds 经营业, a fuzzy 经营企业).
    """
    found = []
    for match in _LABEL_RE.finditer(line):
        label, fuzzy = _resolve_label(match.group())
        if label is None:
            continue
        if fuzzy and match.start() > 0 and not line.startswith(
                ':', match.end()):
            continue
        found.append((match.start(), match.end(), label, fuzzy))
    return found


_VALUE_STRIP = ' :;|_'
# Scope lists wrap over a few lines, never over a whole page.
_MAX_SCOPE_LINES = 12


def _segments(lines):
    """Return the _Segment of every label found in ``lines``."""
    matches = [_label_matches(line) for line in lines]
    segments = []
    for index, line in enumerate(lines):
        found = matches[index]
        for position, (start, end, label, fuzzy) in enumerate(found):
            last = position + 1 == len(found)
            stop = len(line) if last else found[position + 1][0]
            parts = [line[end:stop].strip(_VALUE_STRIP)]
            sources = [line]
            following = index + 1
            # The value of a label printed alone is on the next line; scope
            # lists go on until the next label or a line that is only a
            # date (the issue date under the seal).
            while last and following < len(lines) and (
                    len(sources) < _MAX_SCOPE_LINES):
                if label.field != 'scope' and parts[0]:
                    break
                labels = matches[following]
                if labels and labels[0][0] == 0:
                    break
                if label.field == 'scope' and _DATE_ONLY_RE.match(
                        lines[following]):
                    break
                next_stop = labels[0][0] if labels else None
                parts.append(
                    lines[following][:next_stop].strip(_VALUE_STRIP))
                sources.append(lines[following])
                following += 1
                if labels or label.field != 'scope':
                    break
            segments.append(_Segment(
                label, fuzzy, ' '.join(part for part in parts if part),
                '\n'.join(sources), index, len(sources)))
    return segments


_DATE_ONLY_RE = re.compile(
    r'^[ ()]*(?:(?:19|20)\d{2} *[年./\-] *\d{1,2} *[月./\-] *\d{1,2} *[日曰]?|'
    '[〇○零一二三四五六七八九]{4}年[〇○零一二三四五六七八九十]{1,3}月'
    '[〇○零一二三四五六七八九十]{1,4}日)[ ()]*$')


# --------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------

class Proposal(object):
    """A value proposed for a licence field, with where it came from.

    ``field`` is one of FIELDS; ``value`` a str, a datetime.date, a bool or
    a list of str (scope codes, classes); ``source`` the normalised line(s)
    of OCR text it was read from; ``confidence`` 0.0 to 1.0; ``note`` says
    what was assumed or corrected ('' when nothing was), in English;
    ``note_key`` (one of NOTE_KEYS) and ``note_params`` let the caller say
    it in the user's language.
    """

    __slots__ = ('field', 'value', 'source', 'confidence', 'note',
                 'note_key', 'note_params')

    def __init__(self, field, value, source, confidence, note='',
                 note_key=None, note_params=None):
        self.field = field
        self.value = value
        self.source = source
        self.confidence = round(max(0.0, min(1.0, confidence)), 2)
        self.note = note
        self.note_key = note_key
        self.note_params = note_params or {}

    def as_dict(self):
        """Return the proposal as JSON-friendly dict (dates in ISO form)."""
        value = self.value
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return {
            'field': self.field, 'value': value, 'source': self.source,
            'confidence': self.confidence, 'note': self.note,
        }

    def __eq__(self, other):
        return isinstance(other, Proposal) and self.as_dict() == other.as_dict()

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return 'Proposal(%r, %r, confidence=%.2f%s)' % (
            self.field, self.value, self.confidence,
            ', note=%r' % self.note if self.note else '')


_CREDIT_TOKEN_RE = re.compile(
    r'(?<![0-9A-Za-z])(?:[0-9A-Za-z] ?){17}[0-9A-Za-z](?![0-9A-Za-z])')
# 京食药监械经营许20150035号, 粤穗食药监械经营许20170123号,
# 京朝药监械经营备20190001号: province, city, authority, kind, year, serial.
_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台'
_LICENCE_NUMBER_RE = re.compile(
    '[%s][%s]{0,3}?药监械?(?:经营|生产)?[许备]\\d{8}号' % (_PROVINCES, _CJK))
_HOSPITAL_NUMBER_RE = re.compile(r'^[A-Z0-9]{5,}(?:-[A-Z0-9]+)*$')
_PERSON_RE = re.compile('^(?:[%s·]{2,5}|[A-Za-z][A-Za-z .\'-]{1,40})$' % _CJK)
_HOLDER_END_RE = re.compile(
    '(?:公司|医院|中心|诊所|门诊部|卫生院|卫生室|药店|药房|商店|店|厂|部|所|站'
    '|院|社|合作社|集团|商行)(?:\\([^)]*\\))?$')
_ADDRESS_RE = re.compile('[省市区县镇乡路街道号楼室村]')
_AUTHORITY_END_RE = re.compile('(?:局|委员会|委|厅|部门|政府)$')
_TRAILING_RE = re.compile(r'[\s:;,.、|_]+$')


def _clean(value):
    return _TRAILING_RE.sub('', value.strip(_VALUE_STRIP))


def _group_changes(changes):
    """Return [(read, meant, [positions])] of uscc.repair's changes,
    grouped by confusion."""
    groups = {}
    for position, read, meant in changes:
        groups.setdefault((read, meant), []).append(position)
    return [(read, meant, positions)
            for (read, meant), positions in sorted(groups.items())]


def _describe_changes(changes):
    """Say which characters uscc.repair replaced, grouped by confusion."""
    return '; '.join(
        "'%s' read for '%s' at character%s %s" % (
            read, meant, 's' if len(positions) > 1 else '',
            ', '.join(str(position) for position in positions))
        for read, meant, positions in _group_changes(changes))


def _credit_code_proposal(token, source, factor, labelled):
    """Propose the credit code read as ``token``, or None."""
    code = uscc.normalise(token)
    note = ''
    note_key, note_params = None, None
    if uscc.is_valid(code):
        quality = _VALUE_VALID if labelled else _NO_LABEL_CODE
    else:
        repaired = uscc.repair(code) if len(code) == 18 else None
        if repaired:
            code, changes = repaired
            quality = _REPAIRED if labelled else _NO_LABEL
            note = 'OCR confusion corrected: %s' % _describe_changes(changes)
            note_key = 'repaired'
            note_params = {'changes': _group_changes(changes)}
        elif labelled and len(code) >= 15:
            try:
                uscc.validate(code)
            except uscc.UsccError as error:
                note = 'not a valid credit code: %s' % error
                note_key = 'invalid_code'
                note_params = {'error': error}
            quality = _INVALID_CODE
        else:
            return None
    return Proposal('credit_code', code, source, quality * factor, note,
                    note_key, note_params)


def _propose_segment(segment):
    """Return the proposals read from one labelled segment."""
    field = segment.label.field
    value = _clean(segment.value)
    source, factor = segment.source, segment.factor
    if not value or field is None:
        return []
    if field == 'credit_code':
        match = re.match(r'[0-9A-Za-z ]+', value)
        token = match.group().replace(' ', '') if match else ''
        proposal = _credit_code_proposal(token[:18], source, factor, True)
        return [proposal] if proposal else []
    if field == 'number':
        number = re.sub(r'\s+', '', value)
        number = re.split(r'[;,]', number)[0]
        valid = (_LICENCE_NUMBER_RE.fullmatch(number)
                 or _HOSPITAL_NUMBER_RE.match(number))
        quality = _VALUE_VALID if valid else _VALUE_DOUBTFUL
        return [Proposal('number', number, source, quality * factor)]
    if field in ('holder', 'address', 'legal_representative'):
        pattern = {'holder': _HOLDER_END_RE, 'address': _ADDRESS_RE,
                   'legal_representative': _PERSON_RE}[field]
        quality = _VALUE_PLAUSIBLE if pattern.search(value) else _VALUE_DOUBTFUL
        return [Proposal(field, value, source, quality * factor)]
    if field == 'issuing_authority':
        return _propose_authority(value, source, factor)
    if field == 'issue_date':
        date = parse_date(value)
        if date is None:
            return []
        return [Proposal('issue_date', date, source, _VALUE_VALID * factor)]
    if field == 'validity':
        return _propose_validity(segment, value, source, factor)
    if field == 'scope':
        named_only = segment.label.text == '诊疗科目'
        return _propose_scope(value, source, factor, named_only)
    return []


def _propose_authority(value, source, factor):
    """Propose the authority, and the date printed beside it (营业执照)."""
    proposals = []
    dates = _find_dates(value)
    name = value
    if dates:
        start, end, date = dates[0]
        name = _clean(value[:start] + ' ' + value[end:])
        if date is not None:
            # The registration date stands under the 登记机关 seal.
            proposals.append(Proposal(
                'issue_date', date, source, _BESIDE_LABEL * factor,
                'date printed beside the issuing authority',
                'beside_authority'))
    name = re.sub(r'\((?:盖章|章|印章|签章)\)', '', name).strip()
    if name:
        quality = (_VALUE_PLAUSIBLE if _AUTHORITY_END_RE.search(name)
                   else _VALUE_DOUBTFUL)
        proposals.append(Proposal(
            'issuing_authority', name, source, quality * factor))
    return proposals


def _propose_validity(segment, value, source, factor):
    label = segment.label.text
    text = (label + value) if label.endswith('至') else value
    valid_from, valid_to, long_term = parse_validity(text)
    proposals = []
    if valid_from is not None:
        proposals.append(Proposal(
            'valid_from', valid_from, source, _VALUE_VALID * factor))
    if valid_to is not None:
        proposals.append(Proposal(
            'valid_to', valid_to, source, _VALUE_VALID * factor))
    if long_term or valid_to is not None:
        proposals.append(Proposal(
            'long_term', long_term, source, _VALUE_VALID * factor))
    return proposals


def _propose_scope(value, source, factor, named_only=False):
    codes, classes = parse_scope(value, named_only=named_only)
    proposals = []
    if codes:
        # Codes read in a list under a class or catalogue heading are the
        # usual layout; codes alone are a little less certain.
        context = re.search('类|目录|器械', value)
        quality = _VALUE_VALID if context else _VALUE_PLAUSIBLE
        proposals.append(Proposal(
            'scope_codes', codes, source, quality * factor))
    if classes:
        proposals.append(Proposal(
            'classes', classes, source, _VALUE_PLAUSIBLE * factor))
    return proposals


_KIND_TITLES = (
    ('device_class2_filing', ('医疗器械经营备案凭证', '经营备案凭证')),
    ('device_trading_licence', ('医疗器械经营许可证',)),
    ('device_production_licence', ('医疗器械生产许可证',)),
    ('medical_institution_licence', ('医疗机构执业许可证',)),
    ('business_licence', ('营业执照',)),
)
_KIND_LABELS = (
    ('medical_institution_licence', ('诊疗科目',)),
    ('device_class2_filing', ('备案编号', '备案部门', '备案日期')),
    ('device_trading_licence', ('许可证编号',)),
    ('business_licence', ('营业期限', '成立日期', '注册资本')),
)


def detect_kind(text):
    """Return which licence ``text`` is, or None when it cannot tell.

    One of 'business_licence' (营业执照), 'device_trading_licence'
    (医疗器械经营许可证), 'device_class2_filing' (第二类医疗器械经营备案凭证),
    'device_production_licence' (医疗器械生产许可证),
    'medical_institution_licence' (医疗机构执业许可证). Never raises.
    """
    compact = re.sub(r'\s+', '', normalise_text(text))
    for kinds in (_KIND_TITLES, _KIND_LABELS):
        for kind, phrases in kinds:
            if any(phrase in compact for phrase in phrases):
                return kind
    return None


def _best(proposals):
    """Keep the most confident proposal of each field, in FIELDS order."""
    best = {}
    for proposal in proposals:
        current = best.get(proposal.field)
        if current is None or proposal.confidence > current.confidence:
            best[proposal.field] = proposal
    return [best[field] for field in FIELDS if field in best]


def _extract(text):
    """Do the work of extract_proposals; may raise on a bug."""
    lines = normalise_text(text).split('\n')
    lines = [line for line in lines if line]
    if not lines:
        return []
    kind = detect_kind('\n'.join(lines))
    segments = _segments(lines)
    proposals = []
    for segment in segments:
        proposals.extend(_propose_segment(segment))
    fields = set(proposal.field for proposal in proposals)
    proposals.extend(_unlabelled(lines, fields, segments))
    proposals = _best(proposals)
    return _adjust_for_kind(proposals, kind)


def _unlabelled(lines, fields, segments):
    """Propose what a licence prints without a label (or OCR lost it)."""
    proposals = []
    for line in lines:
        for match in _CREDIT_TOKEN_RE.finditer(line):
            proposal = _credit_code_proposal(
                match.group().replace(' ', ''), line, 1.0, False)
            if proposal:
                proposals.append(proposal)
        if 'number' not in fields:
            match = _LICENCE_NUMBER_RE.search(line)
            if match:
                proposals.append(Proposal(
                    'number', match.group(), line, _NO_LABEL,
                    'found without its label', 'number_unlabelled'))
    used = set()
    for segment in segments:
        used.update(range(segment.index, segment.index + segment.lines))
    if 'issue_date' not in fields:
        # The last date standing alone on a line is the one under the seal.
        for index in reversed(range(len(lines))):
            if index not in used and _DATE_ONLY_RE.match(lines[index]):
                date = parse_date(lines[index])
                if date is not None:
                    proposals.append(Proposal(
                        'issue_date', date, lines[index], _NO_LABEL_DATE,
                        'date found without a label', 'date_unlabelled'))
                    break
    if not any(segment.label.field == 'scope' for segment in segments):
        for index, line in enumerate(lines):
            if index not in used and _CLASS_RE.search(line):
                proposals.extend(_propose_scope(line, line, _NO_LABEL_SCOPE))
                break
    return proposals


def _adjust_for_kind(proposals, kind):
    """Apply what the kind of licence implies about its fields."""
    by_field = {proposal.field: proposal for proposal in proposals}
    credit = by_field.get('credit_code')
    if kind == 'business_licence' and credit and credit.confidence >= 0.5:
        # A 营业执照 has no number of its own: the credit code is its number
        # (证照编号 is the serial of the paper).
        by_field['number'] = Proposal(
            'number', credit.value, credit.source, credit.confidence * 0.95,
            'the credit code is the number of a business licence',
            'credit_code_is_number')
    if kind == 'device_class2_filing' and 'classes' not in by_field:
        by_field['classes'] = Proposal(
            'classes', ['II'], '', _NO_LABEL,
            'a 第二类医疗器械经营备案凭证 covers class II devices',
            'class2_filing')
    return [by_field[field] for field in FIELDS if field in by_field]


def extract_proposals(text):
    """Return the Proposals read from the OCR ``text`` of a licence.

    At most one proposal per field (the most confident), in FIELDS order.
    Never raises: text that cannot be read gives an empty list.
    """
    try:
        return _extract(text)
    except Exception:  # a bad scan must not fail the OCR job
        _logger.exception('Could not read licence fields from OCR text')
        return []


# --------------------------------------------------------------------------
# Comparing names
# --------------------------------------------------------------------------

def normalise_name(name):
    """Return ``name`` in a form where print and typing differences vanish.

    Full-width and half-width forms, spaces and letter case do not count,
    so that a scanned holder can be compared with the partner's name.
    """
    if not isinstance(name, str):
        return ''
    name = name.translate(_TRANSLATION)
    name = name.replace('〔', '(').replace('〕', ')')
    return re.sub(r'\s+', '', name).upper()


def names_match(name, other):
    """Tell whether two holder names are the same once normalised."""
    first, second = normalise_name(name), normalise_name(other)
    return bool(first) and first == second
