"""Business scope of a licence: catalogue codes and device classes.

Pure Python, no Odoo import.
"""

import re

from .text import normalise_text

# First-level categories of the 2017 NMPA classification catalogue.
CATALOGUE_2017 = {
    '01': '有源手术器械',
    '02': '无源手术器械',
    '03': '神经和心血管手术器械',
    '04': '骨科手术器械',
    '05': '放射治疗器械',
    '06': '医用成像器械',
    '07': '医用诊察和监护器械',
    '08': '呼吸、麻醉和急救器械',
    '09': '物理治疗器械',
    '10': '输血、透析和体外循环器械',
    '11': '医疗器械消毒灭菌器械',
    '12': '有源植入器械',
    '13': '无源植入器械',
    '14': '注输、护理和防护器械',
    '15': '患者承载器械',
    '16': '眼科器械',
    '17': '口腔科器械',
    '18': '妇产科、辅助生殖和避孕器械',
    '19': '医用康复器械',
    '20': '中医器械',
    '21': '医用软件',
    '22': '临床检验器械',
}

# The 43 categories of the 2002 catalogue (68xx); licences issued before
# 2018, and IVD reagents (6840) to this day, still cite them.
CATALOGUE_2002 = frozenset((
    '6801', '6802', '6803', '6804', '6805', '6806', '6807', '6808', '6809',
    '6810', '6812', '6813', '6815', '6816', '6820', '6821', '6822', '6823',
    '6824', '6825', '6826', '6827', '6828', '6830', '6831', '6832', '6833',
    '6834', '6840', '6841', '6845', '6846', '6854', '6855', '6856', '6857',
    '6858', '6863', '6864', '6865', '6866', '6870', '6877',
))

_OLD_CODE_RE = re.compile(r'(?<!\d)(68\d\d)(?:-\d{1,2})?(?!\d)')
_OLD_CODE_BEFORE_RE = re.compile(r'68\d\d[ .、]?$')
_NEW_CODE_RE = re.compile(r'(?<![\d.\-])(0[1-9]|1\d|2[0-2])(?!\d)')
# Before a bare code: start, a list separator or the ':' after "Ⅲ类".
_LIST_BEFORE = set(':,、;/(类 ')
_LIST_AFTER = set(',、;/) ')
_NAME_PREFIX = 3
# I, II, III: Roman numeral characters, or letters OCR makes of them.
_CLASS_ITEM = '(?:第 ?)?(?:[ⅠⅡⅢ]|[IiLl1|]{1,3}|[一二三])'
CLASS_RE = re.compile(
    r'(?<![0-9A-Za-z])(%s(?: ?[、,/和及与] ?%s)*) ?类' % (_CLASS_ITEM, _CLASS_ITEM))
_CLASS_ITEM_RE = re.compile(_CLASS_ITEM)
_CLASS_VALUES = {
    'Ⅰ': 'I', 'Ⅱ': 'II', 'Ⅲ': 'III', '一': 'I', '二': 'II', '三': 'III',
}
_CLASS_ORDER = ('I', 'II', 'III')
# Catalogue names with OCR-tolerant list punctuation ('、' read as ',');
# parts escaped one by one: before 3.7 re.escape escapes '、' too.
_NAME_RES = [
    (code, re.compile(r'(?<![\d.])' + '[、,]?'.join(
        re.escape(part) for part in name.split('、'))))
    for code, name in sorted(CATALOGUE_2017.items())
]


def _strip_punctuation(text):
    return re.sub(r'[、,.:\s\-]', '', text)


def _new_code_accepted(text, match):
    """Tell whether a two-digit number in scope text is a catalogue code.

    A code followed by a name is accepted only with its own catalogue name,
    so "03内科" (a hospital department) or "01月" never count; a bare code
    must stand in a list ("Ⅲ类:01,02,06").
    """
    code = match.group(1)
    # Bounded slices: a long text must not cost a copy per number.
    after = text[match.end():match.end() + 20]
    name = _strip_punctuation(CATALOGUE_2017[code])[:_NAME_PREFIX]
    if _strip_punctuation(after[:_NAME_PREFIX + 2]).startswith(name):
        return True
    before = text[max(0, match.start() - 20):match.start()].rstrip(' ')
    if before and before[-1] not in _LIST_BEFORE:
        return False
    if not after.strip(' '):
        return True
    return after[0] in _LIST_AFTER and not re.match(r' ?[.\-]\d', after)


def parse_scope(text, named_only=False):
    """Return ``(codes, classes)`` read from licence scope text.

    ``codes`` is the sorted list of catalogue codes: '01'..'22' for the 2017
    catalogue (written as codes or names), '68xx' for the 2002 one (6815-1
    counts as 6815). ``classes`` lists the device classes named ('I', 'II',
    'III'). With ``named_only``, a two-digit number counts only when
    followed by its catalogue name: for hospital 诊疗科目, whose department
    numbers would otherwise read as codes. Never raises.
    """
    text = normalise_text(text)
    codes = set()
    for match in _OLD_CODE_RE.finditer(text):
        if match.group(1) in CATALOGUE_2002:
            codes.add(match.group(1))
    for match in _NEW_CODE_RE.finditer(text):
        code = match.group(1)
        if named_only:
            name = _strip_punctuation(CATALOGUE_2017[code])[:_NAME_PREFIX]
            after = _strip_punctuation(text[match.end():match.end() + 5])
            if after.startswith(name):
                codes.add(code)
        elif _new_code_accepted(text, match):
            codes.add(code)
    for code, name_re in _NAME_RES:
        # A name after a 68xx code is the 2002 category of the same name
        # (6827中医器械), not the 2017 one.
        for match in name_re.finditer(text):
            start = match.start()
            if not _OLD_CODE_BEFORE_RE.search(text[max(0, start - 6):start]):
                codes.add(code)
    classes = set()
    for match in CLASS_RE.finditer(text):
        for item in _CLASS_ITEM_RE.findall(match.group(1)):
            item = item.lstrip('第 ')
            value = _CLASS_VALUES.get(item, 'I' * len(item))
            classes.add(value)
    return sorted(codes), [c for c in _CLASS_ORDER if c in classes]
