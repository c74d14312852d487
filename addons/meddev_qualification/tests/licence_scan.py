"""Scans of a licence drawn on the fly with a CJK font, for the OCR tests,
bench case 5, the workers-mode check and the browser flows (pure: PIL
only, no ORM; the scripts outside Odoo load this file by its path)."""
import io

from PIL import Image, ImageDraw, ImageFont
from PIL import PdfImagePlugin  # noqa: F401 pylint: disable=unused-import

FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FONT_SC = 2  # the Simplified Chinese face of the collection
A4_200DPI = (1654, 2339)
# The lines of a Chinese trading licence, as a distributor's scanner
# would deliver them.
LICENCE_LINES = [
    '医疗器械经营许可证',
    '许可证编号：京食药监械经营许20150035号',
    '企业名称：北京康达医疗器械有限公司',
    '统一社会信用代码：91110105MA01ABCD39',
    '有效期限：2020年06月18日至2025年06月17日',
    '经营范围：2017年分类目录：Ⅲ类：06 医用成像器械',
]


def draw(lines, size=None, margin=(60, 40), step=70):
    """Return a white RGB image with ``lines`` written in black, 40 px
    CJK type, one every ``step`` pixels from ``margin``; ``size`` defaults
    to just fit the lines."""
    font = ImageFont.truetype(FONT, 40, index=FONT_SC)
    size = size or (1500, 2 * margin[1] + step * len(lines))
    image = Image.new('RGB', size, 'white')
    pen = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        pen.text((margin[0], margin[1] + step * index), line, font=font,
                 fill='black')
    return image


def encode(images, fmt):
    """Return the bytes of ``images`` (one image, or a list of pages for a
    PDF) in ``fmt`` ('PNG', 'JPEG', 'PDF')."""
    pages = images if isinstance(images, list) else [images]
    out = io.BytesIO()
    if fmt == 'PDF':
        pages[0].save(out, 'PDF', resolution=200.0, save_all=True,
                      append_images=pages[1:])
    else:
        pages[0].save(out, fmt)
    return out.getvalue()
