"""Reading and writing the XLSX files of the suite's go-live imports,
without the ORM.

The rows of the first sheet of an XLSX file come back as text, dates as
``YYYY-MM-DD``; the business checks of each row are made by the import
wizard that owns the records (see ``meddev.import.wizard``). Templates are
written with one header row, a note on each header and optional data rows.
"""
import datetime
import io
import math
import posixpath
import re
import unicodedata
import zipfile
from xml.etree import ElementTree

import xlrd
import xlsxwriter

DATE_RE = re.compile(
    r'^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$')
NUMBER_RE = re.compile(r'^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$')
TRUE_TEXTS = {'1', 'true', 'yes', 'y', 'x', '是', '长期'}
FALSE_TEXTS = {'', '0', 'false', 'no', 'n', '否'}

# Limits of a go-live file, checked before the sheet is read: a small
# compressed file can unpack to gigabytes (a "zip bomb") and the server
# reads it in memory. A larger data set is split into several files.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50
# Text of the error codes Excel stores in a cell (xlrd gives the code).
ERROR_TEXTS = {0x00: '#NULL!', 0x07: '#DIV/0!', 0x0F: '#VALUE!',
               0x17: '#REF!', 0x1D: '#NAME?', 0x24: '#NUM!', 0x2A: '#N/A'}


class SheetLimitError(ValueError):
    """The file is over one of the limits: ``kind`` is 'size', 'unpacked',
    'rows' or 'columns', ``value`` what it has, ``limit`` the limit."""

    def __init__(self, kind, value, limit):
        super(SheetLimitError, self).__init__(kind, value, limit)
        self.kind, self.value, self.limit = kind, value, limit


class CellProblem(object):
    """A cell whose text cannot be trusted: ``kind`` is 'error' (an Excel
    error such as #N/A, ``detail``) or 'formula' (a formula whose value the
    program that wrote the file did not save)."""

    def __init__(self, column, kind, detail=''):
        self.column, self.kind, self.detail = column, kind, detail

    def __repr__(self):
        return 'CellProblem(%r, %r, %r)' % (self.column, self.kind,
                                            self.detail)

    def __eq__(self, other):
        return (self.column, self.kind, self.detail) == (
            other.column, other.kind, other.detail)


def cell_text(cell, datemode):
    """Return the value of an xlrd ``cell`` as text: dates as ISO dates,
    whole numbers without their ``.0``. A date out of range or a number
    that is not finite comes back as the number's text (the row's check
    then names it), never as an exception."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
            return moment.date().isoformat()
        except (OverflowError, ValueError, xlrd.xldate.XLDateError):
            return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        if math.isfinite(cell.value) and cell.value == int(cell.value):
            return str(int(cell.value))
        return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return '1' if cell.value else '0'
    return str(cell.value).strip()


def read_rows(content):
    """Return the rows of the first sheet of the XLSX ``content`` (bytes)
    as lists of text, blank rows left out, each with its 1-based row
    number: [(row_number, [text, ...]), ...]. Raises ValueError when the
    content is not a spreadsheet, SheetLimitError when it is over a
    limit."""
    return read_sheet(content)[0]


def column_name(index):
    """Return the spreadsheet name of the 0-based column ``index``."""
    name = ''
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord('A') + rest) + name
    return name


def _unpacked_size(content):
    """Return the total unpacked size of the members of an XLSX (zip)
    file, or None when it is not a zip (an old .xls)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipfile:
        return None


def _first_sheet_path(archive):
    """Return the archive path of the first sheet in the workbook's order
    (the one xlrd reads), or None."""
    names = archive.namelist()
    try:
        workbook = ElementTree.fromstring(archive.read('xl/workbook.xml'))
        relations = ElementTree.fromstring(
            archive.read('xl/_rels/workbook.xml.rels'))
    except (KeyError, ElementTree.ParseError):
        return 'xl/worksheets/sheet1.xml' \
            if 'xl/worksheets/sheet1.xml' in names else None
    sheet = next((element for element in workbook.iter()
                  if element.tag.rsplit('}', 1)[-1] == 'sheet'), None)
    if sheet is None:
        return None
    relation_id = next((value for key, value in sheet.attrib.items()
                        if key.rsplit('}', 1)[-1] == 'id'), None)
    for relation in relations:
        if relation.get('Id') == relation_id:
            target = relation.get('Target') or ''
            path = target.lstrip('/') if target.startswith('/') else \
                posixpath.normpath(posixpath.join('xl', target))
            return path if path in names else None
    return None


def _formulas_without_value(content, max_rows=None, max_columns=None):
    """Return {row: set of columns} (0-based) of the cells of the first
    sheet that hold a formula but no saved value (files written by scripts
    or by programs that do not compute formulas). Raises SheetLimitError
    as soon as one lies beyond ``max_rows`` data rows or ``max_columns``
    (xlrd's size of the sheet leaves these cells out)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipfile:
        return {}
    name = _first_sheet_path(archive)
    if not name:
        return {}
    found = {}
    ref_re = re.compile(r'^([A-Z]+)([0-9]+)$')
    for _event, element in ElementTree.iterparse(archive.open(name)):
        if not element.tag.endswith('}c'):
            continue
        tags = [child.tag.rsplit('}', 1)[-1] for child in element]
        value = [child for child in element if child.tag.endswith('}v')]
        if 'f' in tags and (not value or not (value[0].text or '')):
            match = ref_re.match(element.get('r') or '')
            if match:
                column = 0
                for letter in match.group(1):
                    column = column * 26 + ord(letter) - ord('A') + 1
                row = int(match.group(2)) - 1
                if max_rows is not None and row > max_rows:
                    raise SheetLimitError('rows', row, max_rows)
                if max_columns is not None and column > max_columns:
                    raise SheetLimitError('columns', column, max_columns)
                found.setdefault(row, set()).add(column - 1)
        element.clear()
    return found


def read_sheet(content, max_rows=None, max_columns=None):
    """Return (rows, problems) for the first sheet of the XLSX ``content``
    (bytes): ``rows`` as ``read_rows`` gives them, ``problems`` as
    {row number: [CellProblem, ...]} for the cells holding an Excel error
    or a formula without saved value (their text is ''). Raises
    SheetLimitError for a file over the limits (checked before the sheet
    is read), ValueError when it is not a spreadsheet."""
    max_rows = max_rows or MAX_ROWS
    max_columns = max_columns or MAX_COLUMNS
    if len(content) > MAX_FILE_BYTES:
        raise SheetLimitError('size', len(content), MAX_FILE_BYTES)
    unpacked = _unpacked_size(content)
    if unpacked is not None and unpacked > MAX_UNPACKED_BYTES:
        raise SheetLimitError('unpacked', unpacked, MAX_UNPACKED_BYTES)
    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as error:
        raise ValueError(str(error))
    if sheet.nrows > max_rows + 1:
        raise SheetLimitError('rows', sheet.nrows - 1, max_rows)
    if sheet.ncols > max_columns:
        raise SheetLimitError('columns', sheet.ncols, max_columns)
    formulas = _formulas_without_value(content, max_rows, max_columns)
    # xlrd leaves out the cells of a formula without value: a row or a
    # column made of them only is found through the formulas (within the
    # limits, checked above).
    last_row = max([sheet.nrows - 1] + list(formulas))
    rows = []
    problems = {}
    for index in range(last_row + 1):
        cells = sheet.row(index) if index < sheet.nrows else []
        row_formulas = formulas.get(index, ())
        width = max([len(cells)] + [col + 1 for col in row_formulas])
        values = []
        for column in range(width):
            cell = cells[column] if column < len(cells) else None
            if column in row_formulas:
                problems.setdefault(index + 1, []).append(
                    CellProblem(column, 'formula'))
                values.append('')
            elif cell is None:
                values.append('')
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                problems.setdefault(index + 1, []).append(CellProblem(
                    column, 'error', ERROR_TEXTS.get(cell.value, '#?')))
                values.append('')
            else:
                values.append(cell_text(cell, book.datemode))
        if any(values) or index + 1 in problems:
            rows.append((index + 1, values))
    return rows, problems


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


def parse_number(text):
    """Return the number written in ``text`` (``1234.5``, ``-1,234.5``,
    ``１２３４``), None for an empty text. Raises ValueError for anything
    else (``1.234,5``, ``12abc``): a misread amount is worse than a
    refused row."""
    value = unicodedata.normalize('NFKC', text or '').strip()
    if not value:
        return None
    if not NUMBER_RE.match(value):
        raise ValueError(text)
    return float(value.replace(',', ''))


def write_workbook(sheet_name, headers, notes=None, rows=None, width=22):
    """Return the bytes of an XLSX file with one sheet named
    ``sheet_name``: the bold ``headers`` row, a note on each header from
    ``notes`` (same order, empty ones left out) and the ``rows`` (lists of
    text or numbers) under it. Text cells stay text (a licence number or a
    partner reference is never turned into a number)."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {'in_memory': True})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({'bold': True, 'bg_color': '#D9E1F2'})
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold)
        note = notes[column] if notes and column < len(notes) else ''
        if note:
            sheet.write_comment(0, column, note)
        sheet.set_column(column, column, width)
    for row, values in enumerate(rows or [], start=1):
        for column, value in enumerate(values):
            if isinstance(value, (int, float)) and not isinstance(
                    value, bool):
                sheet.write_number(row, column, value)
            elif value not in (None, False, ''):
                sheet.write_string(row, column, str(value))
    book.close()
    return stream.getvalue()


def map_columns(headers, aliases):
    """Return ({key: column index}, [unknown headers], [duplicate headers])
    for the header row ``headers``, where ``aliases`` maps lower-case
    header texts (labels in every language, technical names) to column
    keys. A second column for the same key is a duplicate (which of the
    two holds the data is anybody's guess: the import refuses it)."""
    columns = {}
    unknown = []
    duplicates = []
    for index, header in enumerate(headers):
        key = aliases.get((header or '').strip().lower())
        if key and key in columns:
            duplicates.append(header)
        elif key:
            columns[key] = index
        elif header:
            unknown.append(header)
    return columns, unknown, duplicates
