"""Reading the partner licence import file, without the ORM.

The rows of the first sheet of an XLSX file come back as text, dates as
``YYYY-MM-DD``; the business checks (partner, licence type, pattern, credit
code) are made by the wizard that owns the records.
"""
import datetime
import re

import xlrd

DATE_RE = re.compile(
    r'^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$')
TRUE_TEXTS = {'1', 'true', 'yes', 'y', 'x', '是', '长期'}
FALSE_TEXTS = {'', '0', 'false', 'no', 'n', '否'}


def cell_text(cell, datemode):
    """Return the value of an xlrd ``cell`` as text: dates as ISO dates,
    whole numbers without their ``.0``."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        return moment.date().isoformat()
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        if cell.value == int(cell.value):
            return str(int(cell.value))
        return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return '1' if cell.value else '0'
    return str(cell.value).strip()


def read_rows(content):
    """Return the rows of the first sheet of the XLSX ``content`` (bytes)
    as lists of text, blank rows left out, each with its 1-based row
    number: [(row_number, [text, ...]), ...]. Raises ValueError when the
    content is not a spreadsheet."""
    try:
        book = xlrd.open_workbook(file_contents=content)
    except Exception as error:
        raise ValueError(str(error))
    sheet = book.sheet_by_index(0)
    rows = []
    for index in range(sheet.nrows):
        values = [cell_text(cell, book.datemode) for cell in sheet.row(index)]
        if any(values):
            rows.append((index + 1, values))
    return rows


def parse_date(text):
    """Return the ``datetime.date`` written in ``text`` (2026-03-01,
    2026/3/1, 2026.3.1, 2026年3月1日), None for an empty text. Raises
    ValueError for a text that is not a date or names an impossible one
    (2026-02-30)."""
    if not text:
        return None
    match = DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


def parse_bool(text):
    """Return the yes/no written in ``text`` (1/0, yes/no, 是/否, 长期);
    raises ValueError for anything else."""
    value = (text or '').strip().lower()
    if value in TRUE_TEXTS:
        return True
    if value in FALSE_TEXTS:
        return False
    raise ValueError(text)


def map_columns(headers, aliases):
    """Return ({key: column index}, [unknown headers]) for the header row
    ``headers``, where ``aliases`` maps lower-case header texts (labels in
    every language, technical names) to column keys."""
    columns = {}
    unknown = []
    for index, header in enumerate(headers):
        key = aliases.get((header or '').strip().lower())
        if key:
            columns.setdefault(key, index)
        elif header:
            unknown.append(header)
    return columns, unknown
