"""Canonical form of OCR text and of holder names.

Pure Python, no Odoo import: what tesseract returns (full-width forms, colon
and dash look-alikes, spaces between CJK characters) becomes the one form
the licence parsers read, and two spellings of a holder compare equal.
"""

import re

# A licence is a page or two; more than this is not a licence, and the cap
# keeps a stray huge attachment from tying up the OCR job.
MAX_TEXT_LENGTH = 200000

CJK = '\u3400-\u4dbf\u4e00-\u9fff\u3007'
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
_CJK_SPACE_RE = re.compile('(?<=[%s]) +| +(?=[%s])' % (CJK, CJK))


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
