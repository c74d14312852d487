"""Case 7: load in workers mode.

A copy of the suite's template is served by Odoo in workers mode
(``--workers``, queue_job loaded server-wide so its job runner starts,
``[queue_job] channels`` set) on its own HTTP port. Two sets of customers
are set up near their credit limits (each can take ``FIT`` orders, not
one more). Then, in two phases of ``seconds`` each, ``clients`` XML-RPC
clients, each in its own thread, create and confirm two-line orders for
random customers of the phase's set:

- phase "orders": the confirmations alone;
- phase "orders + recall": the same while a recall manager launches two
  recalls whose lots went to ``notices`` customers in all (half each)
  and sends their notices: each button queues one job that queues one
  notice job per customer (a PDF letter and a mail each), on the channel
  of the recall's company (Settings > Traceability, "notice job
  channel"). The two recalls belong to two companies whose channels
  differ, ``root.recall.a`` and ``root.recall.b`` (capacity 1 each in the
  server's ``[queue_job] channels``, under ``root:2``): the notices go
  through two queue_job channels, as the issue asks, configured as an
  administrator would, without touching the product (which sends both a
  recall's jobs through its company's channel). After the clients stop,
  the case waits for the jobs (at most NOTICE_WAIT seconds).

Reported per phase: confirmed orders per second, p50/p95 latency of a
confirmation (and idle: one client before the load), refusals, the
serialization retries Odoo logged in the phase, the load average
(``uptime``) before and after, and the checks: no customer ended over
its limit (confirmed orders <= FIT), no order lost (every order a client
created exists), none confirmed twice (one delivery per confirmed
order, none for a refused one). For the recall: the clicks' latency,
jobs per channel and state, time from the click to the last notice,
notices per second, and the checks: one notice job done and one notice
mail per customer, no job failed.
"""
import ast
import os
import random
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client

import common

import odoo
from odoo import SUPERUSER_ID, api

# Per size: (workers, clients, seconds per phase, customers per phase,
# recall customers). The figures (4 workers, 20 clients, 60 s,
# 50 customers) from S up; T is the smoke size of bench/tests. Workers
# must outnumber the jobs the channels run at once (root:2): a notice job
# renders its PDF letter with wkhtmltopdf, which fetches the page's
# assets from this same server; with every worker running such a job,
# nothing serves those requests and the jobs hang (seen with 2 workers).
# From S up, 51 notice customers per recall: more than the 50 a click
# queues inline, so each recall's notices are queued by a job of its own.
SETTINGS = {'T': (4, 3, 5, 4, 5), 'S': (4, 20, 60, 50, 102),
            'M': (4, 20, 60, 50, 102), 'L': (4, 20, 60, 50, 102)}
# How long to wait for the notice jobs once the clients stopped.
NOTICE_WAIT = {'T': 120, 'S': 600, 'M': 600, 'L': 600}
# Each customer's limit takes FIT orders, not one more: at one order,
# two clients confirming for the same customer at once must see one
# refused (a first run with 5 saw no refusal: about 30 orders per phase
# for 49 customers on the loaded machine).
FIT = 1
PASSWORD = 'bench-load'
RANDOM_SEED = 7
# Both recall channels under root's capacity 2, below the 4 workers
# (see the wkhtmltopdf note above).
CHANNELS = 'root:2,root.recall.a:1,root.recall.b:1,root.credit:1'
RECALL_CHANNELS = ('root.recall.a', 'root.recall.b')


def free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def setup(db, customers, notices, port):
    """Create two sets of ``customers`` qualified customers whose limit
    takes FIT orders, and a recall (draft) of the tree's component lot
    whose lots went to ``notices`` customers; return what the phases
    need."""
    from cases import trace
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        meta = ast.literal_eval(env['ir.config_parameter'].get_param(
            'meddev_bench.meta'))
        salesman = env['res.users'].browse(meta['salesman'])
        # Confirmation mails the followers: the author needs an address.
        salesman.write({'password': PASSWORD,
                        'email': 'bench.salesman@example.com'})
        licence = env['meddev.partner.licence'].search([
            ('partner_id', '=', meta['customers'][min(meta['customers'])]),
            ('state', '=', 'approved')], limit=1)
        products = meta['products'][:2]
        order = env['sale.order'].create({
            'partner_id': licence.partner_id.id,
            'order_line': [(0, 0, {'product_id': p, 'product_uom_qty': 1})
                           for p in products]})
        amount = order.amount_total
        order.unlink()
        sets = {}
        for tag in ('A', 'B'):
            sets[tag] = []
            for index in range(customers):
                partner = env['res.partner'].create({
                    'name': 'Load Customer %s%02d' % (tag, index),
                    'is_company': True, 'customer': True,
                    'meddev_partner_kind': 'distributor',
                    'credit_limit': amount * (FIT + 0.5)})
                copy = env['meddev.partner.licence'].create({
                    'partner_id': partner.id,
                    'licence_type_id': licence.licence_type_id.id,
                    'number': 'LOAD-LIC-%s%d' % (tag, index),
                    'valid_from': licence.valid_from,
                    'valid_to': licence.valid_to,
                    'scope_category_ids': [
                        (6, 0, licence.scope_category_ids.ids)]})
                copy.action_submit()
                copy.action_approve()
                sets[tag].append(partner.id)
        recall = setup_recall(env, meta, notices, port, trace)
        cr.commit()
        result = {'sets': sets, 'login': salesman.login,
                  'products': products, 'amount': amount}
        result.update(recall)
    odoo.sql_db.close_db(db)
    return result


def setup_recall(env, meta, notices, port, trace):
    """A recall manager, a second company (child of the first, so that
    the manager and the genealogy of the first see it), each company's
    notice channel (RECALL_CHANNELS), the deliveries of the finished lots
    of two tree roots to ``notices`` customers in all (SQL, as case 3
    does; the second root's in the second company) and a draft recall of
    each root, one per company."""
    company = env.user.company_id
    second = env['res.company'].create({
        'name': 'Bench Company B', 'parent_id': company.id,
        'currency_id': company.currency_id.id})
    company.recall_notice_channel = RECALL_CHANNELS[0]
    second.recall_notice_channel = RECALL_CHANNELS[1]
    manager = env['res.users'].create({
        'name': 'Load Recall Manager', 'login': 'load_recall_manager',
        'password': PASSWORD, 'email': 'recall.manager@bench.example.com',
        'company_id': company.id,
        'company_ids': [(6, 0, [company.id, second.id])],
        'groups_id': [(6, 0, [env.ref(
            'meddev_traceability.group_meddev_traceability_manager').id,
            env.ref('stock.group_stock_user').id])]})
    first_root = meta['links']['tree_root']
    second_root = env['stock.production.lot'].search([
        ('name', '=', 'BT-0-2')], limit=1).id
    recalls = []
    delivered = 0
    per_recall = max(1, notices // 2)
    for root, owner in ((first_root, company), (second_root, second)):
        reached = sorted(env['meddev.lot.link']._trace_lot_ids(
            [root], 'forward'))
        delivered += trace.deliver_to_customers(
            env, reached[-per_recall:], owner.id, limit=per_recall)
        recalls.append(env['meddev.recall'].sudo(manager).create({
            'reason': 'Bench: component lot found defective (load test).',
            'recall_level_id': env.ref(
                'meddev_traceability.recall_level_cn_1').id,
            'source': 'capa', 'decision_date': '2026-11-02',
            'company_id': owner.id,
            'lot_ids': [(6, 0, [root])]}).id)
    # The notice letters are PDFs: wkhtmltopdf fetches the page's assets
    # from this server, not from whatever answers on the default port.
    env['ir.config_parameter'].set_param(
        'report.url', 'http://127.0.0.1:%d' % port)
    env['ir.config_parameter'].set_param(
        'web.base.url', 'http://127.0.0.1:%d' % port)
    return {'manager_login': manager.login, 'recalls': recalls,
            'notice_customers': delivered}


def start_server(db, port, workers, logfile):
    conf = os.path.join(common.VAR, 'load-odoo-%s.conf' % db)
    with open(common.ODOO_CONF) as source, open(conf, 'w') as target:
        target.write(source.read())
        target.write('\n[queue_job]\nchannels = %s\n' % CHANNELS)
    cmd = [common.PY, common.ODOO_BIN, '-c', conf,
           common.odoo_args()[2], '-d', db,
           '--db-filter', '^%s$' % db, '--workers', str(workers),
           '--max-cron-threads', '0', '--http-port', str(port),
           '--longpolling-port', str(free_port()),
           '--load', 'web,queue_job', '--log-level', 'info',
           '--logfile', logfile, '--limit-time-real', '600',
           '--limit-time-cpu', '600']
    env = dict(os.environ, ODOO_QUEUE_JOB_PORT=str(port),
               ODOO_QUEUE_JOB_HOST='127.0.0.1')
    # A session of its own: the workers and their wkhtmltopdf children
    # are stopped with it (stop_server).
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = 'http://127.0.0.1:%d/xmlrpc/2/common' % port
    for _wait in range(180):
        time.sleep(1)
        try:
            xmlrpc.client.ServerProxy(url).version()
            return server
        except (OSError, xmlrpc.client.Error):
            if server.poll() is not None:
                raise RuntimeError('Odoo did not start; log: %s' % logfile)
    stop_server(server)
    raise RuntimeError('Odoo not answering after 180 s; log: %s' % logfile)


def stop_server(server):
    """Stop the server, then anything left in its process group (a
    worker waiting on wkhtmltopdf outlives a graceful stop)."""
    server.terminate()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except OSError:
        pass  # the group is gone already


class Client(threading.Thread):

    def __init__(self, port, db, uid, customers, products, until, seed):
        super(Client, self).__init__(daemon=True)
        self.models = xmlrpc.client.ServerProxy(
            'http://127.0.0.1:%d/xmlrpc/2/object' % port, allow_none=True)
        self.db = db
        self.uid = uid
        self.customers = customers
        self.products = products
        self.until = until
        self.rnd = random.Random(seed)
        self.created = []     # order ids
        self.confirmed = []   # (order id, seconds)
        self.refused = []     # (order id, seconds)
        self.errors = []

    def call(self, model, method, *args):
        return self.models.execute_kw(self.db, self.uid, PASSWORD, model,
                                      method, list(args))

    def one(self):
        partner = self.rnd.choice(self.customers)
        order = self.call('sale.order', 'create', {
            'partner_id': partner,
            'order_line': [(0, 0, {'product_id': p, 'product_uom_qty': 1})
                           for p in self.products]})
        self.created.append(order)
        start = time.perf_counter()
        try:
            self.call('sale.order', 'action_confirm', [order])
            self.confirmed.append((order, time.perf_counter() - start))
        except xmlrpc.client.Fault as fault:
            seconds = time.perf_counter() - start
            if 'UserError' in fault.faultString or \
                    'credit' in fault.faultString.lower():
                self.refused.append((order, seconds))
            else:
                self.errors.append(fault.faultString.strip()
                                   .splitlines()[-1][:160])

    def run(self):
        while time.time() < self.until:
            try:
                self.one()
            except Exception as error:  # a benchmark reports, not raises
                self.errors.append(repr(error)[:160])


def percentile(values, share):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


class RecallClicker(threading.Thread):
    """The recall manager: launch each recall, then send its notices, as
    the web client's two buttons do (each click timed: clicks[method] is
    the list of the recalls' seconds)."""

    def __init__(self, port, db, uid, recall_ids, delay):
        super(RecallClicker, self).__init__(daemon=True)
        self.models = xmlrpc.client.ServerProxy(
            'http://127.0.0.1:%d/xmlrpc/2/object' % port, allow_none=True)
        self.db = db
        self.uid = uid
        self.recall_ids = recall_ids
        self.delay = delay
        self.clicks = {}
        self.sent_at = None
        self.error = None

    def run(self):
        time.sleep(self.delay)
        try:
            for recall_id in self.recall_ids:
                for method in ('action_launch', 'action_send_notices'):
                    start = time.perf_counter()
                    self.models.execute_kw(self.db, self.uid, PASSWORD,
                                           'meddev.recall', method,
                                           [[recall_id]])
                    self.clicks.setdefault(method, []).append(
                        time.perf_counter() - start)
                if self.sent_at is None:
                    self.sent_at = time.time()
        except Exception as error:  # a benchmark reports, not raises
            self.error = repr(error)[-300:]


def log_size(logfile):
    return os.path.getsize(logfile) if os.path.exists(logfile) else 0


def retries_since(logfile, offset):
    """Serialization retries Odoo logged after byte ``offset``."""
    with open(logfile, errors='replace') as log:
        log.seek(offset)
        return log.read().count('SERIALIZATION_FAILURE, retry')


def phase(port, db, uid, customers, products, seconds, clients, seed,
          logfile, recall=None):
    """Run ``clients`` clients for ``seconds`` on ``customers`` (and the
    recall manager's clicks when ``recall`` is a RecallClicker); return
    the clients and the phase's figures."""
    offset = log_size(logfile)
    load_before = common.load_average()
    loaded = [Client(port, db, uid, customers, products,
                     time.time() + seconds, seed + n)
              for n in range(clients)]
    start = time.time()
    for client in loaded:
        client.start()
    if recall:
        recall.start()
    for client in loaded:
        client.join(seconds + 600)
    elapsed = time.time() - start
    if recall:
        recall.join(600)
    confirmed = [c for client in loaded for c in client.confirmed]
    refused = [r for client in loaded for r in client.refused]
    errors = [e for client in loaded for e in client.errors]
    latencies = [sec for _o, sec in confirmed]
    figures = {
        'elapsed': elapsed,
        'orders_per_second': len(confirmed) / elapsed,
        'attempts': len(confirmed) + len(refused),
        'confirmed': len(confirmed), 'refused': len(refused),
        'errors': len(errors), 'error_samples': sorted(set(errors))[:5],
        'p50': percentile(latencies, 0.5),
        'p95': percentile(latencies, 0.95),
        'serialization_retries': retries_since(logfile, offset),
        'load_before': load_before, 'load_after': common.load_average(),
    }
    return loaded, figures


def wait_for_notices(db, sent_at, limit):
    """Poll queue_job until no recall job is left to run (or ``limit``
    seconds passed); return the jobs' figures."""
    deadline = time.time() + limit
    dispatched = False
    while True:
        left = int(common.psql(
            "SELECT count(*) FROM queue_job WHERE model_name = "
            "'meddev.recall' AND state IN ('pending', 'enqueued', "
            "'started')", db))
        notices = int(common.psql(
            "SELECT count(*) FROM queue_job WHERE method_name = "
            "'send_partner_notice'", db))
        dispatched = dispatched or notices > 0
        if (dispatched and not left) or time.time() > deadline:
            break
        time.sleep(2)
    rows = common.psql("""
        SELECT channel, method_name, state, count(*),
               extract(epoch FROM min(date_started)),
               extract(epoch FROM max(date_done))
          FROM queue_job WHERE model_name = 'meddev.recall'
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""", db)
    jobs = []
    last_done = None
    for line in rows.splitlines():
        channel, method, state, count, first, last = line.split('|')
        jobs.append({'channel': channel, 'method': method, 'state': state,
                     'count': int(count)})
        if last:
            last_done = max(last_done or 0.0, float(last))
    done = sum(j['count'] for j in jobs
               if j['method'] == 'send_partner_notice'
               and j['state'] == 'done')
    # queue_job stores naive UTC datetimes; epoch() reads them as UTC.
    seconds = (last_done - sent_at) if (last_done and sent_at) else None
    return {'jobs': jobs, 'notices_done': done,
            'seconds_click_to_last': seconds,
            'notices_per_second': (done / seconds) if seconds else None,
            'left_unrun': left}


def recall_checks(db, recall_ids):
    """One notice job done, one notice mail, per customer of each recall;
    no job failed; each recall's jobs on its company's channel."""
    out = {}
    recall_id = ','.join(map(str, recall_ids))
    out['customers_in_recall'] = int(common.psql(
        "SELECT count(DISTINCT partner_id) FROM meddev_recall_line "
        "WHERE recall_id IN (%s)" % recall_id, db))
    out['customers_without_notice'] = int(common.psql(
        "SELECT count(*) FROM (SELECT partner_id FROM meddev_recall_line "
        "WHERE recall_id IN (%s) GROUP BY partner_id HAVING "
        "count(notice_mail_id) = 0) x" % recall_id, db))
    out['customers_with_two_notice_mails'] = int(common.psql(
        "SELECT count(*) FROM (SELECT partner_id FROM meddev_recall_line "
        "WHERE recall_id IN (%s) GROUP BY partner_id HAVING "
        "count(DISTINCT notice_mail_id) > 1) x" % recall_id, db))
    out['notice_mails'] = int(common.psql(
        "SELECT count(*) FROM mail_mail m JOIN mail_message msg ON "
        "msg.id = m.mail_message_id WHERE msg.model = 'meddev.recall' "
        "AND msg.res_id IN (%s) AND msg.message_type = 'email'" % recall_id,
        db))
    out['notice_jobs_done_twice'] = int(common.psql(
        "SELECT count(*) FROM (SELECT args FROM queue_job WHERE "
        "method_name = 'send_partner_notice' AND state = 'done' "
        "GROUP BY args HAVING count(*) > 1) x", db))
    out['jobs_off_their_company_channel'] = int(common.psql(
        "SELECT count(*) FROM queue_job j JOIN meddev_recall r ON "
        "j.model_name = 'meddev.recall' AND j.record_ids = '[' || r.id "
        "|| ']' JOIN res_company c ON c.id = r.company_id WHERE "
        "j.channel <> c.recall_notice_channel", db))
    out['jobs_failed'] = int(common.psql(
        "SELECT count(*) FROM queue_job WHERE model_name = "
        "'meddev.recall' AND state = 'failed'", db))
    return out


def run(dbs, size, reps, stats):
    db = dbs['suite']
    workers, clients, seconds, customers, notices = SETTINGS[size]
    port = free_port()
    data = setup(db, customers, notices, port)
    products = data['products']
    logfile = os.path.join(common.VAR, 'load-odoo-%s.log' % db)
    if os.path.exists(logfile):
        os.unlink(logfile)
    server = start_server(db, port, workers, logfile)
    idle_before = common.load_average()
    try:
        proxy = xmlrpc.client.ServerProxy(
            'http://127.0.0.1:%d/xmlrpc/2/common' % port)
        uid = proxy.authenticate(db, data['login'], PASSWORD, {})
        manager = proxy.authenticate(db, data['manager_login'], PASSWORD,
                                     {})
        # Idle: one client, FIT orders for each of a few customers of its
        # own, one after the other.
        quiet = max(1, min(5, customers // 2))
        idle = Client(port, db, uid, [], products, 0, 0)
        for customer in data['sets']['A'][:quiet]:
            idle.customers = [customer]
            for _order in range(FIT):
                idle.one()
        set_a = data['sets']['A'][quiet:]
        set_b = data['sets']['B']
        clients_a, orders = phase(port, db, uid, set_a, products, seconds,
                                  clients, RANDOM_SEED, logfile)
        clicker = RecallClicker(port, db, manager, data['recalls'], 2.0)
        offset = log_size(logfile)
        clients_b, with_recall = phase(
            port, db, uid, set_b, products, seconds, clients,
            RANDOM_SEED + 100, logfile, recall=clicker)
        jobs = wait_for_notices(db, clicker.sent_at,
                                NOTICE_WAIT[size] if clicker.sent_at else 0)
        jobs['serialization_retries'] = retries_since(logfile, offset)
        jobs['load_after_jobs'] = common.load_average()
    finally:
        stop_server(server)
    idle_latencies = [sec for _o, sec in idle.confirmed]
    for figures, loaded, tag in ((orders, clients_a, 'A'),
                                 (with_recall, clients_b, 'B')):
        created = [o for client in loaded for o in client.created]
        if tag == 'A':
            created += idle.created
        figures['checks'] = check(
            db, data['sets'][tag], created,
            [c for client in loaded for c in client.confirmed] +
            (idle.confirmed if tag == 'A' else []),
            [r for client in loaded for r in client.refused] +
            (idle.refused if tag == 'A' else []), data['amount'])
    recall = {'clicks': clicker.clicks, 'click_error': clicker.error,
              'customers': data['notice_customers'],
              'recalls': len(data['recalls']),
              'checks': recall_checks(db, data['recalls'])}
    recall.update(jobs)
    return {'settings': {'workers': workers, 'clients': clients,
                         'seconds': seconds, 'customers': customers,
                         'fit': FIT, 'notices': notices,
                         'channels': CHANNELS},
            'idle_p50': percentile(idle_latencies, 0.5),
            'idle_p95': percentile(idle_latencies, 0.95),
            'idle_load': idle_before,
            'phases': {'orders': orders, 'orders + recall': with_recall},
            'recall': recall, 'rows': []}


def check(db, customers, created, confirmed, refused, amount):
    """The invariants, read from the database after the run."""
    ids = list(set(created))
    out = {}
    out['orders_created'] = len(ids)
    found = common.psql("SELECT count(*) FROM sale_order WHERE id IN (%s)"
                        % ','.join(map(str, ids)), db) if ids else '0'
    out['orders_lost'] = len(ids) - int(found)
    over = common.psql("""
        SELECT count(*) FROM (
            SELECT so.partner_id, count(*) AS n
              FROM sale_order so WHERE so.state IN ('sale', 'done')
               AND so.partner_id IN (%s) GROUP BY so.partner_id
            HAVING count(*) > %d) x""" % (
        ','.join(map(str, customers)), FIT), db)
    out['customers_over_limit'] = int(over)
    twice = common.psql("""
        SELECT count(*) FROM (
            SELECT so.id FROM sale_order so
              JOIN stock_picking p ON p.group_id = so.procurement_group_id
             WHERE so.id IN (%s) GROUP BY so.id HAVING count(p.id) > 1) x
    """ % ','.join(map(str, ids)), db) if ids else '0'
    out['orders_confirmed_twice'] = int(twice)
    ok_ids = [o for o, _s in confirmed]
    not_sale = common.psql(
        "SELECT count(*) FROM sale_order WHERE id IN (%s) AND state "
        "NOT IN ('sale', 'done')" % ','.join(map(str, ok_ids)), db) \
        if ok_ids else '0'
    out['confirmed_but_not_in_sale'] = int(not_sale)
    refused_ids = [o for o, _s in refused]
    sold = common.psql(
        "SELECT count(*) FROM sale_order WHERE id IN (%s) AND state "
        "IN ('sale', 'done')" % ','.join(map(str, refused_ids)), db) \
        if refused_ids else '0'
    out['refused_but_confirmed'] = int(sold)
    return out
