"""Licence fields proposed from the OCR text of a licence scan.

Pure Python, no Odoo import: :func:`extract_proposals` reads the labelled
values (see labels.py), validates them (dates, scope, credit codes) and
keeps the most confident proposal of each field.
"""

import datetime
import logging
import re

from .. import uscc
from .dates import DATE_ONLY_RE, find_dates, parse_date, parse_validity
from .labels import VALUE_STRIP, find_segments
from .scope import CLASS_RE, parse_scope
from .text import CJK, normalise_text

_logger = logging.getLogger(__name__)

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

# Confidence factors of a value (see the package docstring).
_VALUE_VALID = 0.95
_VALUE_PLAUSIBLE = 0.85
_VALUE_DOUBTFUL = 0.65
_NO_LABEL_CODE = 0.7
_NO_LABEL = 0.6
_NO_LABEL_DATE = 0.5
_NO_LABEL_SCOPE = 0.65
_BESIDE_LABEL = 0.7
_REPAIRED = 0.75
_INVALID_CODE = 0.3


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
    '[%s][%s]{0,3}?药监械?(?:经营|生产)?[许备]\\d{8}号' % (_PROVINCES, CJK))
_HOSPITAL_NUMBER_RE = re.compile(r'^[A-Z0-9]{5,}(?:-[A-Z0-9]+)*$')
_PERSON_RE = re.compile('^(?:[%s·]{2,5}|[A-Za-z][A-Za-z .\'-]{1,40})$' % CJK)
_HOLDER_END_RE = re.compile(
    '(?:公司|医院|中心|诊所|门诊部|卫生院|卫生室|药店|药房|商店|店|厂|部|所|站'
    '|院|社|合作社|集团|商行)(?:\\([^)]*\\))?$')
_ADDRESS_RE = re.compile('[省市区县镇乡路街道号楼室村]')
_AUTHORITY_END_RE = re.compile('(?:局|委员会|委|厅|部门|政府)$')
_TRAILING_RE = re.compile(r'[\s:;,.、|_]+$')


def _clean(value):
    return _TRAILING_RE.sub('', value.strip(VALUE_STRIP))


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
    dates = find_dates(value)
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
    segments = find_segments(lines)
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
            if index not in used and DATE_ONLY_RE.match(lines[index]):
                date = parse_date(lines[index])
                if date is not None:
                    proposals.append(Proposal(
                        'issue_date', date, lines[index], _NO_LABEL_DATE,
                        'date found without a label', 'date_unlabelled'))
                    break
    if not any(segment.label.field == 'scope' for segment in segments):
        for index, line in enumerate(lines):
            if index not in used and CLASS_RE.search(line):
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
