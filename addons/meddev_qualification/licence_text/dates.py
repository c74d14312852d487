"""Dates and validity periods printed on Chinese licences.

Pure Python, no Odoo import.
"""

import datetime
import re

from .text import normalise_text

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


def find_dates(text):
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
    dates = find_dates(text)
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
    dates = find_dates(text)
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


# A line that is only a date (the issue date under the seal).
DATE_ONLY_RE = re.compile(
    r'^[ ()]*(?:(?:19|20)\d{2} *[年./\-] *\d{1,2} *[月./\-] *\d{1,2} *[日曰]?|'
    '[〇○零一二三四五六七八九]{4}年[〇○零一二三四五六七八九十]{1,3}月'
    '[〇○零一二三四五六七八九十]{1,4}日)[ ()]*$')
