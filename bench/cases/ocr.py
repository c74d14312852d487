"""Case 5: OCR of a licence scan, a one-page PNG and a three-page PDF
drawn on the fly (a CJK font, the lines of a Chinese trading licence).

Two figures per scan: the upload (attaching the scan to a draft licence,
as the web client does: it must only queue the job) and the job itself
(queue_job's ``Job.perform()``, as the job runner would run it), in
seconds per page. Rolled back after each measurement.
"""
import base64

from odoo.addons.meddev_qualification.tests.licence_scan import (
    A4_200DPI, LICENCE_LINES, draw, encode)
from odoo.addons.queue_job.job import Job

from . import base


def page(number):
    """Page ``number`` of a licence scan, A4 at 200 dpi."""
    return draw(LICENCE_LINES + ['第 %d 页' % number], size=A4_200DPI,
                margin=(120, 200), step=90)


def scans():
    return [('png, 1 page', 'scan.png', encode(page(1), 'PNG'), 1),
            ('pdf, 3 pages', 'scan.pdf',
             encode([page(n) for n in (1, 2, 3)], 'PDF'), 3)]


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
