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

The package holds one idea per module: ``text`` (canonical OCR text and
holder names), ``dates`` (dates and validity), ``scope`` (catalogue codes
and device classes), ``labels`` (the labels printed on licences) and
``extract`` (proposals and their confidence).
"""

from .dates import parse_date, parse_validity
from .extract import (  # noqa: F401 (_extract: the never-raises test)
    FIELDS, NOTE_KEYS, Proposal, _extract, detect_kind, extract_proposals)
from .scope import CATALOGUE_2002, CATALOGUE_2017, parse_scope
from .text import MAX_TEXT_LENGTH, names_match, normalise_name, normalise_text

__all__ = [
    'FIELDS', 'Proposal', 'normalise_text', 'parse_date', 'parse_validity',
    'parse_scope', 'detect_kind', 'extract_proposals', 'normalise_name',
    'names_match', 'NOTE_KEYS', 'CATALOGUE_2017', 'CATALOGUE_2002',
    'MAX_TEXT_LENGTH',
]
