"""Jobs in workers mode (issue 11 point 8), driven by scripts/check_workers.sh
against a demo database served by `WORKERS=4 scripts/run.sh`:

    workers_jobs.py URL DATABASE SERVER_LOG

Everything goes through XML-RPC, as the web client's buttons do, logged
in as admin:

1. a scan of a Chinese trading licence (a PNG drawn here) is attached to
   a new draft licence: its OCR job is queued;
2. a recall of the demo cable lot (delivered to two hospitals) is
   launched and its notices sent: one notice job per customer is queued;
3. the script waits until queue_job's runner has had every job run by a
   worker (the server log names each job it hands over) and checks each
   job is done, the licence has OCR proposals, each customer has one
   notice mail;
4. the mail queue's scheduled action sends into an SMTP server run here: each
   customer's recall contacts get the notice once; sending the notices
   and processing the queue again sends nothing more.

Prints one line per check and "workers ok" at the end; exits non-zero on
the first failed check.
"""
import asyncore
import base64
import email
import importlib.util
import os
import smtpd
import socket
import sys
import threading
import time
from collections import Counter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir,
                                    os.pardir, os.pardir))


def _load(name, *path):
    """Import one of the project's pure modules by its path (this script
    runs outside Odoo)."""
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(ROOT, *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The licence scan the OCR tests draw; the XML-RPC client of the browser
# flows.
scan = _load('licence_scan', 'addons', 'meddev_qualification', 'tests',
             'licence_scan.py')
rpc = _load('rpc', 'browser', 'rpc.py')

# Seconds, on a loaded 2-core machine (WORKERS_JOB_WAIT changes it).
JOB_WAIT = int(os.environ.get('WORKERS_JOB_WAIT', 600))
LOGIN = PASSWORD = 'admin'


def check(condition, message):
    if not condition:
        print('FAIL: %s' % message)
        sys.exit(1)
    print('ok: %s' % message)


class Sink(smtpd.SMTPServer):
    """An SMTP server that keeps (recipients, subject) of every mail."""

    def __init__(self, *args, **kwargs):
        super(Sink, self).__init__(*args, **kwargs)
        self.received = []

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        if isinstance(data, bytes):
            data = data.decode('utf-8', 'replace')
        message = email.message_from_string(data)
        subject = str(email.header.make_header(
            email.header.decode_header(message['Subject'] or '')))
        self.received.append((tuple(sorted(rcpttos)), subject))


def free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def licence_scan():
    """Return a one-page PNG of a trading licence, A4 at 200 dpi."""
    return scan.encode(scan.draw(scan.LICENCE_LINES, size=scan.A4_200DPI,
                                 margin=(120, 200), step=90), 'PNG')


def queue_ocr(odoo):
    """Attach a scan to a new draft licence; return the licence id."""
    partner = odoo.ref('meddev_traceability.res_partner_hospital_b_demo')
    # A trading licence (its number's form), as the scan shows one.
    licence = odoo('meddev.partner.licence', 'create', {
        'partner_id': partner, 'licence_type_id': odoo.ref(
            'meddev_qualification.licence_type_operation'),
        'number': '京食药监械经营许%08d号' % (time.time() % 10 ** 8),
        'valid_from': '2020-06-18', 'valid_to': '2025-06-17'})
    attachment = odoo('ir.attachment', 'create', {
        'name': 'licence-scan.png', 'datas_fname': 'licence-scan.png',
        'datas': base64.b64encode(licence_scan()).decode()})
    # What the scans tab of the form saves.
    odoo('meddev.partner.licence', 'write', [licence],
         {'attachment_ids': [(4, attachment)]})
    state = odoo('meddev.partner.licence', 'read', [licence],
                 ['ocr_state'])[0]['ocr_state']
    check(state == 'queued', 'the upload queued the OCR (state %s)' % state)
    return licence


def launch_recall(odoo):
    """Launch a recall of the demo cable lot and send its notices; return
    the recall's id."""
    recall = odoo('meddev.recall', 'create', {
        'reason': 'Workers check: cable lot CB1-L007 insulation may crack.',
        'recall_level_id': odoo.ref(
            'meddev_traceability.recall_level_cn_3'),
        'source': 'supplier',
        'lot_ids': [(6, 0, [odoo.ref(
            'meddev_traceability.lot_cable_l007_demo')])]})
    odoo('meddev.recall', 'action_launch', [recall])
    odoo('meddev.recall', 'action_send_notices', [recall])
    return recall


def wait_for_jobs(odoo, first_job, expected):
    """Wait until the jobs from id ``first_job`` on are all done or
    failed (at least ``expected`` of them); return them."""
    deadline = time.time() + JOB_WAIT
    while True:
        jobs = odoo('queue.job', 'search_read', [('id', '>=', first_job)],
                    ['uuid', 'state', 'method_name', 'exc_info',
                     'date_done', 'date_created'])
        finished = [job for job in jobs if job['state'] in ('done', 'failed')]
        if len(jobs) >= expected and len(finished) == len(jobs):
            return jobs
        if time.time() > deadline:
            check(False, 'jobs not finished after %d s: %s' % (
                JOB_WAIT, Counter(job['state'] for job in jobs)))
        time.sleep(2)


def main(url, db, server_log):
    started = time.time()
    odoo = rpc.OdooRpc(url, db, LOGIN, PASSWORD)
    sink = Sink(('127.0.0.1', free_port()), None, decode_data=False)
    threading.Thread(target=asyncore.loop, kwargs={'timeout': 0.5},
                     daemon=True).start()
    odoo('ir.mail_server', 'create', {
        'name': 'Workers check sink', 'smtp_host': '127.0.0.1',
        'smtp_port': sink.socket.getsockname()[1], 'sequence': 0})
    # wkhtmltopdf fetches the notice letter's assets from this server.
    for key in ('report.url', 'web.base.url'):
        odoo('ir.config_parameter', 'set_param', key, url)
    last = odoo('queue.job', 'search', [], order='id desc', limit=1)
    first_job = (last[0] if last else 0) + 1

    licence = queue_ocr(odoo)
    recall = launch_recall(odoo)
    lines = odoo('meddev.recall.line', 'search_read',
                 [('recall_id', '=', recall)], ['partner_id'])
    customers = {line['partner_id'][0] for line in lines}
    check(len(customers) == 2, 'the recall reaches the two demo hospitals')

    jobs = wait_for_jobs(odoo, first_job, 1 + len(customers))
    print('jobs finished %.0f s after the clicks' % (
        time.time() - started))
    methods = Counter(job['method_name'] for job in jobs)
    check(methods == Counter({'_ocr_attachment': 1,
                              'send_partner_notice': len(customers)}),
          'one OCR job and one notice job per customer: %s' % dict(methods))
    for job in jobs:
        check(job['state'] == 'done', 'job %s (%s) done%s' % (
            job['uuid'], job['method_name'],
            '' if job['state'] == 'done' else ': %s' % job['exc_info']))
    with open(server_log, encoding='utf-8', errors='replace') as log:
        handed = log.read()
    for job in jobs:
        check('asking Odoo to run job %s' % job['uuid'] in handed,
              'the runner handed job %s to a worker' % job['uuid'])

    licence_data = odoo('meddev.partner.licence', 'read', [licence],
                        ['ocr_state', 'proposal_ids', 'ocr_message'])[0]
    check(licence_data['ocr_state'] == 'done'
          and licence_data['proposal_ids'],
          'OCR proposals on the licence: %s' % licence_data['ocr_message'])

    lines = odoo('meddev.recall.line', 'search_read',
                 [('recall_id', '=', recall)],
                 ['partner_id', 'notice_mail_id', 'notice_status'])
    mails = {}
    for line in lines:
        mails.setdefault(line['partner_id'][0], set()).add(
            line['notice_mail_id'] and line['notice_mail_id'][0])
    check(all(len(ids) == 1 and None not in ids and False not in ids
              for ids in mails.values()) and len(mails) == len(customers),
          'one notice mail per customer')

    recall_name = odoo('meddev.recall', 'read', [recall],
                       ['name'])[0]['name']
    subject = 'Recall notice %s' % recall_name

    def notices():
        return Counter(rcpts for rcpts, subj in sink.received
                       if subject in subj)

    mail_queue = odoo.ref('mail.ir_cron_mail_scheduler_action')
    # The mail queue's scheduled action, as its Run Manually button does.
    odoo('ir.cron', 'method_direct_trigger', [mail_queue])
    deadline = time.time() + 60
    while sum(notices().values()) < len(customers) and \
            time.time() < deadline:
        time.sleep(1)
    sent = notices()
    check(len(sent) == len(customers) and set(sent.values()) == {1},
          'each customer\'s contacts got the notice once: %s' % dict(sent))
    statuses = odoo('meddev.recall.line', 'search_read',
                    [('recall_id', '=', recall)], ['notice_status'])
    check({line['notice_status'] for line in statuses} == {'sent'},
          'every line of the recall notified')

    # A second click and a second run of the mail queue send nothing more.
    last = odoo('queue.job', 'search', [], order='id desc', limit=1)
    odoo('meddev.recall', 'action_send_notices', [recall])
    odoo('ir.cron', 'method_direct_trigger', [mail_queue])
    time.sleep(5)
    check(not odoo('queue.job', 'search', [('id', '>', last[0])]),
          'sending the notices again queues no job')
    check(notices() == sent, 'no notice mailed twice')
    print('workers ok (%.0f s)' % (time.time() - started))


if __name__ == '__main__':
    main(*sys.argv[1:4])
