import base64
import io
from unittest import mock

from PIL import Image

from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import FailedJobError
from odoo.addons.queue_job.job import Job

from .. import licence_ocr, licence_text, uscc
from .common import MeddevTradeCase
from .licence_scan import LICENCE_LINES as LINES, draw, encode


def render(fmt):
    """Return the known licence text as PNG, JPEG or PDF bytes."""
    return encode(draw(LINES, size=(1400, 80 + 70 * len(LINES))), fmt)


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

    def _new_jobs(self, before):
        return self.env['queue.job'].search([]) - before

    def test_chatter_attachment_queues_ocr(self):
        jobs = self.env['queue.job'].search([])
        # A file dropped on the chatter's message.
        self.licence.sudo(self.user).message_post(
            body='Renewed licence', attachments=[('renewed.png', b'x')])
        new_jobs = self._new_jobs(jobs)
        self.assertEqual(len(new_jobs), 1)
        self.assertEqual(new_jobs.method_name, '_ocr_attachment')
        attachment = self.env['ir.attachment'].browse(new_jobs.args[0])
        self.assertEqual(attachment.name, 'renewed.png')
        # The chatter's paperclip: uploaded first, then moved onto the
        # licence by message_post.
        jobs |= new_jobs
        upload = self.env['ir.attachment'].sudo(self.user).create({
            'name': 'page2.png', 'datas_fname': 'page2.png',
            'datas': base64.b64encode(b'x'),
            'res_model': 'mail.compose.message', 'res_id': 0})
        self.assertFalse(self._new_jobs(jobs))
        self.licence.sudo(self.user).message_post(
            body='Page 2', attachment_ids=upload.ids)
        new_jobs = self._new_jobs(jobs)
        self.assertEqual(new_jobs.args, [upload.id])
        # message_post moves the upload as the superuser; the job still
        # runs, and reports, as the uploader (in their language).
        self.assertEqual(new_jobs.user_id, self.user)
        self.assertEqual(self.licence.ocr_state, 'queued')
        # Uploaded onto the scans tab of the saved licence: queued once.
        jobs |= new_jobs
        scan = self.env['ir.attachment'].sudo(self.user).create({
            'name': 'page3.png', 'datas_fname': 'page3.png',
            'datas': base64.b64encode(b'x'),
            'res_model': self.licence._name, 'res_id': self.licence.id})
        self.licence.sudo(self.user).write(
            {'attachment_ids': [(4, scan.id)]})
        self.assertEqual(self._new_jobs(jobs).args, [scan.id])

    def test_approved_licence_takes_no_ocr(self):
        licence = self._create_licence(
            self.distributor, self.type_business, '91110105MA01ABCD39',
            long_term=True)
        jobs = self.env['queue.job'].search([])
        licence.message_post(body='Copy', attachments=[('copy.png', b'x')])
        self.assertFalse(self._new_jobs(jobs))

    def test_failed_job_keeps_the_reason(self):
        jobs = self.env['queue.job'].search([])
        self._attach(b'', 'empty.png')
        job = Job.load(self.env, self._new_jobs(jobs).uuid)
        # The job commits the failure before failing (its own transaction
        # is rolled back): the test's transaction must not be committed.
        with mock.patch.object(type(self.env.cr), 'commit') as commit, \
                self.assertRaisesRegex(FailedJobError, 'the file is empty'):
            job.perform()
        commit.assert_called_once_with()
        self.assertEqual(self.licence.ocr_state, 'failed')
        self.assertIn('empty.png could not be read: the file is empty',
                      self.licence.ocr_message)
        self.assertIn('the file is empty', self.licence.message_ids[0].body)

    def _load_chinese(self):
        self.env['res.lang'].load_lang('zh_CN')
        self.env['ir.translation'].load_module_terms(
            ['meddev_qualification'], ['zh_CN'])
        self.user.lang = 'zh_CN'

    def test_failure_in_the_uploaders_language(self):
        self._load_chinese()
        attachment = self._attach(b'hello, world', 'notes.txt')
        message = self.licence.sudo(self.user)._ocr_attachment(attachment.id)
        self.assertIn('notes.txt', message)
        self.assertIn('该文件不是 PDF、PNG 或 JPEG 扫描件', message)
        self.assertNotIn('not a PDF', self.licence.ocr_message)

    def test_parser_notes_in_the_users_language(self):
        self._load_chinese()
        proposals = licence_text.extract_proposals(
            '统一社会信用代码 : 9135O1OOMOOO1OOY43')
        licence = self.licence.sudo(self.user).with_context(lang='zh_CN')
        vals = self.env['meddev.licence.proposal']._prepare_vals(
            licence, proposals, self.env['ir.attachment'])
        self.assertIn('OCR 混淆已更正', vals[0]['note'])
        self.assertNotIn('read for', vals[0]['note'])

    def test_credit_code_compared_with_other_licences(self):
        first17 = '91310115MA1H7Q3P5'
        other_code = first17 + uscc.check_character(first17)
        self._create_licence(
            self.distributor, self.type_business, other_code,
            long_term=True, credit_code=other_code)
        proposals = licence_text.extract_proposals('\n'.join(LINES))
        vals = self.env['meddev.licence.proposal']._prepare_vals(
            self.licence, proposals, self.env['ir.attachment'])
        credit = [v for v in vals if v['field'] == 'credit_code'][0]
        self.assertEqual(credit['value'], '91110105MA01ABCD39')
        self.assertIn('Licence %s of the partner has credit code %s' % (
            other_code, other_code), credit['mismatch'])
        # The same code on the partner's licence: no mismatch.
        self.licence.credit_code = '91110105MA01ABCD39'
        other = self.env['meddev.partner.licence'].create({
            'partner_id': self.distributor.id,
            'licence_type_id': self.type_trading.id,
            'number': '京食药监械经营许20150098号', 'valid_to': '2025-01-01'})
        vals = self.env['meddev.licence.proposal']._prepare_vals(
            other, proposals, self.env['ir.attachment'])
        credit = [v for v in vals if v['field'] == 'credit_code'][0]
        self.assertNotIn(self.licence.number, credit['mismatch'])
        self.assertIn(other_code, credit['mismatch'])


class TestConfidenceShown(MeddevTradeCase):
    """The proposals list shows the confidence (0 to 1) on the 0-100
    scale of its progress bar: 0.87 shows as 87 %, not 1 %."""

    def test_progress_bar_on_percent(self):
        licence = self._create_licence(
            self.distributor, self.type_business, '91110105MA01ABCD39',
            long_term=True, state='draft')
        proposal = self.env['meddev.licence.proposal'].create({
            'licence_id': licence.id, 'field': 'number',
            'value': '91110105MA01ABCD39', 'confidence': 0.87})
        self.assertEqual(proposal.confidence_percent, 87)
        form = self.env['meddev.partner.licence'].fields_view_get(
            view_type='form')
        arch = form['fields']['proposal_ids']['views']['tree']['arch']
        self.assertIn('name="confidence_percent" widget="progressbar"', arch)
        self.assertNotIn('name="confidence" widget="progressbar"', arch)
