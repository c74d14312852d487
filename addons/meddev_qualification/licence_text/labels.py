"""The labels printed on Chinese licences and the values after them.

Pure Python, no Odoo import. OCR reads labels with slips (a character
dropped or misread): :func:`find_segments` finds them anyway and says how
far the reading can be trusted (``_Segment.factor``).
"""

import re

from .dates import DATE_ONLY_RE
from .text import CJK

# Confidence factors of a label (see the package docstring).
_LABEL_EXACT = 1.0
_LABEL_FUZZY = 0.85
_RANK_PENALTY = 0.05
# Characters around a value that belong to the layout, not to the value.
VALUE_STRIP = ' :;|_'


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
                re.escape(text[:index]), CJK, re.escape(text[index + 1:]))))
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


# Scope lists wrap over a few lines, never over a whole page.
_MAX_SCOPE_LINES = 12


def find_segments(lines):
    """Return the _Segment of every label found in ``lines``."""
    matches = [_label_matches(line) for line in lines]
    segments = []
    for index, line in enumerate(lines):
        found = matches[index]
        for position, (start, end, label, fuzzy) in enumerate(found):
            last = position + 1 == len(found)
            stop = len(line) if last else found[position + 1][0]
            parts = [line[end:stop].strip(VALUE_STRIP)]
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
                if label.field == 'scope' and DATE_ONLY_RE.match(
                        lines[following]):
                    break
                next_stop = labels[0][0] if labels else None
                parts.append(
                    lines[following][:next_stop].strip(VALUE_STRIP))
                sources.append(lines[following])
                following += 1
                if labels or label.field != 'scope':
                    break
            segments.append(_Segment(
                label, fuzzy, ' '.join(part for part in parts if part),
                '\n'.join(sources), index, len(sources)))
    return segments
