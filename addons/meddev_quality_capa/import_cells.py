"""Reading the cells of the open-complaints import template: moments
(a date, or a date and a time of day) and choices written as their code or
their label in any language. Standard library only, no ORM.
"""
import datetime
import re

__all__ = ['parse_moment', 'match_choice', 'gtin_candidates']

MOMENT_RE = re.compile(
    r'^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?'
    r'(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?'
    r'\s*分?)?\s*$')


def parse_moment(text):
    """Return the naive ``datetime`` written in ``text``: a date
    (2026-03-01, 2026/3/1, 2026年3月1日: midnight) or a date and a time
    (2026-03-01 10:30, 2026-03-01T10:30:15, 2026年3月1日 10时30分); None for
    an empty text. Raises ValueError for anything else or an impossible
    date or time (2026-02-30, 25:00)."""
    if not (text or '').strip():
        return None
    match = MOMENT_RE.match(text)
    if not match:
        raise ValueError(text)
    parts = [int(part) if part else 0 for part in match.groups()]
    return datetime.datetime(*parts)


def match_choice(text, choices):
    """Return the code of the choice written in ``text``: ``choices`` is a
    list of (code, [labels]); code and labels compare without case and
    surrounding spaces. None for an empty text; raises ValueError when
    nothing matches."""
    value = (text or '').strip().lower()
    if not value:
        return None
    for code, labels in choices:
        if value == code.lower() or value in (
                label.strip().lower() for label in labels):
            return code
    raise ValueError(text)


def gtin_candidates(text):
    """Return the codes a product may be stored under for what a cell
    holds: the text itself, and for digits a GTIN-14 with its leading zeros
    restored (a spreadsheet that read the GTIN as a number dropped
    them)."""
    value = (text or '').strip()
    if not value:
        return []
    candidates = [value]
    if value.isdigit() and len(value) < 14:
        candidates.append(value.zfill(14))
    return candidates
