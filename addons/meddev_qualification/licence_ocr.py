"""Read the text of a licence scan (PNG, JPEG, PDF) with tesseract.

No Odoo import: the OCR job of partner licences and the tests use it. Every
refusal raises OcrError with a ``reason`` code and a message for the user.
"""

import io

__all__ = ['OcrError', 'sniff_kind', 'read_text', 'MAX_BYTES', 'MAX_PAGES']

# Scans above this size are refused before any decoding (a phone photo of a
# licence is 2-5 MB).
MAX_BYTES = 20 * 1024 * 1024
# Licences have one or two pages; the cap bounds the time of one job.
MAX_PAGES = 5
# Tesseract reads clean licence lines best at 150-200 dpi.
PDF_DPI = 200
LANGUAGES = 'chi_sim+eng'

_MAGIC = (
    (b'%PDF', 'pdf'),
    (b'\x89PNG\r\n\x1a\n', 'png'),
    (b'\xff\xd8\xff', 'jpeg'),
)


class OcrError(ValueError):
    """A scan that cannot be read; ``reason`` is one of 'empty',
    'too_large', 'unsupported', 'unreadable', 'no_text', 'engine'.

    ``message`` is in English; ``key`` (the reason, or 'unreadable_pdf' /
    'unreadable_image') and ``params`` let the caller say it in the user's
    language."""

    def __init__(self, reason, message, key=None, **params):
        super(OcrError, self).__init__(message)
        self.reason = reason
        self.message = message
        self.key = key or reason
        self.params = params


def sniff_kind(data):
    """Return 'pdf', 'png' or 'jpeg' from the first bytes, else None."""
    for magic, kind in _MAGIC:
        if data[:len(magic)] == magic:
            return kind
    return None


def _images(data, kind, max_pages):
    from PIL import Image
    if kind == 'pdf':
        import pdf2image
        try:
            return pdf2image.convert_from_bytes(
                data, dpi=PDF_DPI, first_page=1, last_page=max_pages)
        except Exception as error:  # poppler reports damage many ways
            raise OcrError('unreadable',
                           'the PDF cannot be rendered: %s' % error,
                           key='unreadable_pdf', detail=str(error))
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # PIL raises OSError, SyntaxError ...
        raise OcrError('unreadable',
                       'the image cannot be decoded: %s' % error,
                       key='unreadable_image', detail=str(error))
    return [image]


def read_text(data, max_bytes=MAX_BYTES, max_pages=MAX_PAGES):
    """Return the text tesseract reads on the scan ``data`` (bytes), pages
    separated by form feeds. Raise OcrError when it cannot."""
    if not data:
        raise OcrError('empty', 'the file is empty')
    if len(data) > max_bytes:
        raise OcrError(
            'too_large', 'the file has %d bytes, more than the %d allowed'
            % (len(data), max_bytes), size=len(data), limit=max_bytes)
    kind = sniff_kind(data)
    if not kind:
        raise OcrError(
            'unsupported', 'the file is not a PDF, PNG or JPEG scan')
    pages = _images(data, kind, max_pages)
    try:
        import pytesseract
        texts = [pytesseract.image_to_string(page, lang=LANGUAGES)
                 for page in pages]
    except Exception as error:  # missing binary, language data, timeout
        raise OcrError('engine', 'tesseract failed: %s' % error,
                       detail=str(error))
    text = '\f'.join(texts)
    if not text.strip():
        raise OcrError('no_text', 'no text was found on the scan')
    return text
