"""A licence scan to upload: the text of a Chinese trading licence drawn
with a CJK font, as a distributor's scanner would deliver it (PNG)."""
import datetime
import os

from PIL import Image, ImageDraw, ImageFont

FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FONT_SC = 2  # the Simplified Chinese face of the collection


def cn_date(day):
    return '%d年%02d月%02d日' % (day.year, day.month, day.day)


def trading_licence(path, number, holder, credit_code, scope, today=None):
    """Write the scan of a trading licence valid from ten days ago for
    five years; return the lines drawn and the validity dates."""
    today = today or datetime.date.today()
    valid_from = today - datetime.timedelta(days=10)
    valid_to = valid_from.replace(year=valid_from.year + 5) \
        - datetime.timedelta(days=1)
    lines = [
        '医疗器械经营许可证',
        '许可证编号：%s' % number,
        '企业名称：%s' % holder,
        '统一社会信用代码：%s' % credit_code,
        '有效期限：%s至%s' % (cn_date(valid_from), cn_date(valid_to)),
        '经营范围：2017年分类目录：%s' % scope,
    ]
    font = ImageFont.truetype(FONT, 40, index=FONT_SC)
    image = Image.new('RGB', (1500, 80 + 70 * len(lines)), 'white')
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 40 + 70 * index), line, font=font, fill='black')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, 'PNG')
    return lines, valid_from, valid_to
