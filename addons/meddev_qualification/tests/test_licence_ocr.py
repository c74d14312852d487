import base64
import io

from PIL import Image, ImageDraw, ImageFont
from PIL import PdfImagePlugin  # noqa: F401 pylint: disable=unused-import

from odoo.tools import mute_logger

from .. import licence_ocr
from .common import MeddevTradeCase

FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FONT_SC = 2  # the Simplified Chinese face of the collection
LINES = [
    '医疗器械经营许可证',
    '许可证编号：京食药监械经营许20150035号',
    '企业名称：北京康达医疗器械有限公司',
    '统一社会信用代码：91110105MA01ABCD39',
    '有效期限：2020年06月18日至2025年06月17日',
    '经营范围：2017年分类目录：Ⅲ类：06 医用成像器械',
]


def render(fmt):
    """Return the known licence text drawn with a CJK font, as PNG, JPEG
    or PDF bytes."""
    font = ImageFont.truetype(FONT, 40, index=FONT_SC)
    image = Image.new('RGB', (1400, 80 + 70 * len(LINES)), 'white')
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(LINES):
        draw.text((60, 40 + 70 * index), line, font=font, fill='black')
    out = io.BytesIO()
    if fmt == 'PDF':
        image.save(out, 'PDF', resolution=200.0)
    else:
        image.save(out, fmt)
    return out.getvalue()


class TestLicenceOcr(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestLicenceOcr, cls).setUpClass()
        cls.distributor.name = '北京康达医疗器械有限公司'
        cls.licence = cls.env['meddev.partner.licence'].create({
            'partner_id': cls.distributor.id,
            'licence_type_id': cls.type_trading.id,
            'number': '京食药监械经营许20150099号',
            'valid_to': '2025-01-01',
        })

    def _attach(self, data, name):
        attachment = self.env['ir.attachment'].create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(data),
        })
        self.licence.sudo(self.user).write(
            {'attachment_ids': [(4, attachment.id)]})
        return attachment

    def _proposals(self):
        return {p.field: p for p in self.licence.proposal_ids}

    def test_upload_queues_a_job(self):
        jobs = self.env['queue.job'].search([])
        attachment = self._attach(b'%PDF-1.4', 'scan.pdf')
        new_jobs = self.env['queue.job'].search([]) - jobs
        self.assertEqual(len(new_jobs), 1)
        self.assertEqual(new_jobs.method_name, '_ocr_attachment')
        self.assertEqual(new_jobs.args, [attachment.id])
        self.assertEqual(self.licence.ocr_state, 'queued')

    def _check_read(self, data, name):
        attachment = self._attach(data, name)
        self.licence._ocr_attachment(attachment.id)
        self.assertEqual(self.licence.ocr_state, 'done')
        proposals = self._proposals()
        self.assertEqual(proposals['number'].value,
                         '京食药监械经营许20150035号')
        self.assertEqual(proposals['credit_code'].value,
                         '91110105MA01ABCD39')
        self.assertEqual(proposals['valid_to'].value, '2025-06-17')
        self.assertIn('06', proposals['scope_codes'].value)
        self.assertFalse(proposals['holder'].mismatch)
        return proposals

    def test_png_and_accept(self):
        proposals = self._check_read(render('PNG'), 'scan.png')
        self.assertGreaterEqual(proposals['number'].confidence, 0.8)
        self.assertIn('许可证编号', proposals['number'].source)
        imaging = self.env.ref('meddev_qualification.device_category_06')
        (proposals['number'] | proposals['valid_to']
         | proposals['scope_codes']).sudo(self.user).action_accept()
        self.assertEqual(self.licence.number, '京食药监械经营许20150035号')
        self.assertEqual(self.licence.valid_to, '2025-06-17')
        self.assertIn(imaging, self.licence.scope_category_ids)
        self.assertTrue(proposals['number'].accepted)

    def test_jpeg(self):
        self._check_read(render('JPEG'), 'scan.jpg')

    def test_pdf(self):
        self._check_read(render('PDF'), 'scan.pdf')

    def test_holder_mismatch_flagged(self):
        self.distributor.name = '上海瑞康医疗科技有限公司'
        attachment = self._attach(render('PNG'), 'scan.png')
        self.licence._ocr_attachment(attachment.id)
        self.assertIn('上海瑞康', self._proposals()['holder'].mismatch)

    def test_bad_files_keep_the_attachment(self):
        white = io.BytesIO()
        Image.new('RGB', (400, 200), 'white').save(white, 'PNG')
        cases = [
            (b'', 'empty.png', 'empty'),
            (b'hello, world', 'notes.txt', 'not a PDF, PNG or JPEG'),
            (b'\x89PNG\r\n\x1a\nbroken', 'broken.png', 'cannot be decoded'),
            (b'%PDF-1.4 broken', 'broken.pdf', 'cannot be rendered'),
            (white.getvalue(), 'blank.png', 'no text was found'),
        ]
        for data, name, reason in cases:
            attachment = self._attach(data, name)
            with mute_logger('pdf2image'):
                message = self.licence._ocr_attachment(attachment.id)
            self.assertIn(reason, message, name)
            self.assertIn(name, message)
            self.assertEqual(self.licence.ocr_state, 'failed')
            self.assertIn(reason, self.licence.ocr_message)
            self.assertIn(attachment, self.licence.attachment_ids)
            self.assertTrue(attachment.exists())

    def test_oversized_refused_before_decoding(self):
        with self.assertRaisesRegex(licence_ocr.OcrError, 'more than'):
            licence_ocr.read_text(b'\x89PNG' + b'0' * 100, max_bytes=50)
