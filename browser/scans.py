"""A licence scan to upload: the text of a Chinese trading licence drawn
with a CJK font, as a distributor's scanner would deliver it (PNG)."""
import datetime
import importlib.util
import os

# The OCR tests' drawing of a licence (a pure module of the addon, loaded by
# its path: the browser tests run outside Odoo).
_spec = importlib.util.spec_from_file_location('licence_scan', os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'addons',
    'meddev_qualification', 'tests', 'licence_scan.py'))
licence_scan = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(licence_scan)


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
    image = licence_scan.draw(lines)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, 'PNG')
    return lines, valid_from, valid_to
