"""Read GS1 Digital Link URIs, the web form of a UDI printed in QR codes:
``https://id.gs1.org/01/09506000134352/10/ABC123/21/SN1?17=271231``.

The path holds the GTIN (key ``01``) and its qualifiers (``22``, ``10``,
``21``), the query the other data (dates ...); short names such as
``gtin``, ``lot``, ``ser`` and ``exp`` are read too. The URI is turned into
the bracketed element string that ``udi.parse_udi`` reads, so that every
check of the element strings applies. Standard library only, no ORM.
"""
from urllib.parse import parse_qsl, unquote, urlsplit

from ..udi import UdiError, build_element_string, parse_udi

__all__ = ['is_digital_link', 'digital_link_elements', 'parse_digital_link']

# GS1 Digital Link 1.0 short names of the AIs a UDI uses.
SHORT_NAMES = {
    'gtin': '01', 'cpv': '22', 'lot': '10', 'ser': '21', 'exp': '17',
}


def is_digital_link(text):
    """Tell whether ``text`` looks like a GS1 Digital Link URI."""
    return isinstance(text, str) and text.strip().lower().startswith(
        ('http://', 'https://'))


def _ai(key):
    key = SHORT_NAMES.get(key.lower(), key)
    return key if key.isdigit() else None


def digital_link_elements(uri):
    """Return the (AI, data) pairs of the Digital Link ``uri``, the GTIN
    first (as 14 digits); raise UdiError ('syntax', 'empty' or
    'duplicate_ai') when it names no GTIN or cannot be read."""
    parts = urlsplit(uri.strip())
    segments = [unquote(segment) for segment in parts.path.split('/')
                if segment]
    # A resolver may put its own path before the keys: start at the GTIN.
    starts = [index for index, segment in enumerate(segments)
              if _ai(segment) == '01']
    if not starts:
        raise UdiError('empty', 'the Digital Link names no GTIN (01)',
                       '01', 0)
    keys = segments[starts[0]:]
    if len(keys) % 2:
        raise UdiError(
            'syntax', 'the Digital Link path ends with a key without its '
            'value: %r' % keys[-1], None, 0)
    elements = []
    for key, value in zip(keys[::2], keys[1::2]):
        ai = _ai(key)
        if not ai:
            raise UdiError('syntax', 'unknown Digital Link path key %r'
                           % key, None, 0)
        elements.append((ai, value))
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        ai = _ai(key)
        # Other parameters (linkType, context ...) are for the resolver.
        if ai:
            elements.append((ai, value))
    seen = set()
    for ai, _value in elements:
        if ai in seen:
            raise UdiError('duplicate_ai', 'AI given twice in the Digital '
                           'Link', ai, 0)
        seen.add(ai)
    gtin = elements[0][1]
    if gtin.isdigit() and len(gtin) in (8, 12, 13):
        # Digital Link allows the short GTINs; a UDI-DI has 14 digits.
        elements[0] = ('01', gtin.zfill(14))
    return elements


def parse_digital_link(uri, today=None):
    """Read the Digital Link ``uri`` into a UdiData (see udi.parse_udi);
    positions in errors refer to its bracketed element string."""
    elements = digital_link_elements(uri)
    text = build_element_string(elements, bracketed=True, validate=False)
    return parse_udi(text, today=today)
