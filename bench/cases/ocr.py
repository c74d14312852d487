"""Case 5: OCR of a licence scan, a one-page PNG and a three-page PDF
drawn on the fly (a CJK font, the lines of a Chinese trading licence).

Two figures per scan: the upload (attaching the scan to a draft licence,
as the web client does: it must only queue the job) and the job itself
(queue_job's ``Job.perform()``, as the job runner would run it), in
seconds per page. Rolled back after each measurement.
"""
import base64
import io

from PIL import Image, ImageDraw, ImageFont
from PIL import PdfImagePlugin  # noqa: F401 (registers save_all for PDF)

from odoo.addons.queue_job.job import Job

from . import base

FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FONT_SC = 2
LINES = [
    '医疗器械经营许可证',
    '许可证编号：京食药监械经营许20150035号',
    '企业名称：北京康达医疗器械有限公司',
    '统一社会信用代码：91110105MA01ABCD39',
    '有效期限：2020年06月18日至2025年06月17日',
    '经营范围：2017年分类目录：Ⅲ类：06 医用成像器械',
]


def page(number):
    try:
        font = ImageFont.truetype(FONT, 40, index=FONT_SC)
    except OSError:
        font = ImageFont.load_default()
    image = Image.new('RGB', (1654, 2339), 'white')  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(LINES + ['第 %d 页' % number]):
        draw.text((120, 200 + 90 * index), line, font=font, fill='black')
    return image


def scans():
    png = io.BytesIO()
    page(1).save(png, 'PNG')
    pdf = io.BytesIO()
    pages = [page(n) for n in (1, 2, 3)]
    pages[0].save(pdf, 'PDF', resolution=200.0, save_all=True,
                  append_images=pages[1:])
    return [('png, 1 page', 'scan.png', png.getvalue(), 1),
            ('pdf, 3 pages', 'scan.pdf', pdf.getvalue(), 3)]


def once(db, name, data):
    env = db.env()
    meta = db.meta
    licence_type = env['meddev.licence.type'].search([], limit=1)
    licence = env['meddev.partner.licence'].create({
        'partner_id': meta['customers'][min(meta['customers'])],
        'licence_type_id': licence_type.id, 'number': 'BENCH-OCR',
        'valid_to': '2030-01-01'})
    attachment = env['ir.attachment'].create({
        'name': name, 'datas_fname': name,
        'datas': base64.b64encode(data)})
    jobs = env['queue.job'].search([])
    upload = base.timed(db.cr, lambda: licence.write(
        {'attachment_ids': [(4, attachment.id)]}))
    queued = env['queue.job'].search([]) - jobs
    job = Job.load(env, queued[:1].uuid) if queued else None
    run = base.timed(db.cr, job.perform) if job else (None, 0, None)
    state = licence.ocr_state
    proposals = len(licence.proposal_ids)
    db.reset()
    return upload, run, state, proposals


def run(dbs, size, reps, stats):
    db = dbs['suite']
    rows = []
    reps = min(reps, 3)
    for label, name, data, pages in scans():
        uploads, jobs, queries = [], [], []
        state = proposals = None
        for _rep in range(reps):
            upload, job, state, proposals = once(db, name, data)
            uploads.append(upload[0] * 1000.0)
            if job[0] is not None:
                jobs.append(job[0] / pages)
                queries.append(job[1])
        rows.append({'scan': label, 'pages': pages,
                     'upload_ms': stats(uploads),
                     's_per_page': stats(jobs) if jobs else None,
                     'queries': stats(queries) if queries else None,
                     'ocr_state': state, 'proposals': proposals})
    return {'rows': rows}
