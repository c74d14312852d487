"""Case 7: load in workers mode.

A copy of the suite's template is served by Odoo in workers mode
(``--workers``, queue_job loaded server-wide so its job runner starts,
``[queue_job] channels`` set) on its own HTTP port. Customers are set up
near their credit limits (each can take ``FIT`` orders, not one more).
Then ``clients`` XML-RPC clients, each in its own thread, create and
confirm two-line orders for random customers during ``seconds``.

Reported: confirmed orders per second, p50/p95 latency of a confirmation
(under load, and idle: one client before the load), refusals, the
serialization retries Odoo logged, and the checks: no customer ended over
its limit (confirmed orders <= FIT), no order lost (every order a client
created exists), none confirmed twice (one delivery per confirmed order,
none for a refused one).
"""
import ast
import os
import random
import socket
import subprocess
import threading
import time
import xmlrpc.client

import common

import odoo
from odoo import SUPERUSER_ID, api

# Per size: (workers, clients, seconds, customers). The figures
# (4 workers, 20 clients, 60 s, 50 customers) are M's and L's; T and S
# stay small on a shared 2-core machine.
SETTINGS = {'T': (2, 4, 15, 10), 'S': (4, 20, 60, 50),
            'M': (4, 20, 60, 50), 'L': (4, 20, 60, 50)}
FIT = 5
PASSWORD = 'bench-load'
RANDOM_SEED = 7


def free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def setup(db, customers):
    """Create ``customers`` qualified customers whose limit takes FIT
    orders; return (customer ids, salesman login, product ids)."""
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        meta = ast.literal_eval(env['ir.config_parameter'].get_param(
            'meddev_bench.meta'))
        salesman = env['res.users'].browse(meta['salesman'])
        # Confirmation mails the followers: the author needs an address.
        salesman.write({'password': PASSWORD,
                        'email': 'bench.salesman@example.com'})
        login = salesman.login
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
        ids = []
        for index in range(customers):
            partner = env['res.partner'].create({
                'name': 'Load Customer %02d' % index, 'is_company': True,
                'customer': True, 'meddev_partner_kind': 'distributor',
                'credit_limit': amount * (FIT + 0.5)})
            copy = env['meddev.partner.licence'].create({
                'partner_id': partner.id,
                'licence_type_id': licence.licence_type_id.id,
                'number': 'LOAD-LIC-%d' % index,
                'valid_from': licence.valid_from,
                'valid_to': licence.valid_to,
                'scope_category_ids': [
                    (6, 0, licence.scope_category_ids.ids)]})
            copy.action_submit()
            copy.action_approve()
            ids.append(partner.id)
        cr.commit()
    odoo.sql_db.close_db(db)
    return ids, login, products, amount


def start_server(db, port, workers, logfile):
    conf = os.path.join(common.VAR, 'load-odoo.conf')
    with open(common.ODOO_CONF) as source, open(conf, 'w') as target:
        target.write(source.read())
        target.write('\n[queue_job]\nchannels = root:2,root.recall:1,'
                     'root.credit:1\n')
    cmd = [common.PY, common.ODOO_BIN, '-c', conf,
           common.odoo_args()[2], '-d', db,
           '--db-filter', '^%s$' % db, '--workers', str(workers),
           '--max-cron-threads', '0', '--http-port', str(port),
           '--longpolling-port', str(free_port()),
           '--load', 'web,queue_job', '--log-level', 'info',
           '--logfile', logfile, '--limit-time-real', '600',
           '--limit-time-cpu', '600']
    env = dict(os.environ, ODOO_QUEUE_JOB_PORT=str(port))
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = 'http://127.0.0.1:%d/xmlrpc/2/common' % port
    for _wait in range(180):
        time.sleep(1)
        try:
            xmlrpc.client.ServerProxy(url).version()
            return server
        except (OSError, xmlrpc.client.Error):
            if server.poll() is not None:
                raise RuntimeError('Odoo did not start; log: %s' % logfile)
    server.terminate()
    raise RuntimeError('Odoo not answering after 180 s; log: %s' % logfile)


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


def run(dbs, size, reps, stats):
    db = dbs['suite']
    workers, clients, seconds, customers = SETTINGS[size]
    ids, login, products, amount = setup(db, customers)
    port = free_port()
    logfile = os.path.join(common.VAR, 'load-odoo.log')
    if os.path.exists(logfile):
        os.unlink(logfile)
    server = start_server(db, port, workers, logfile)
    try:
        uid = xmlrpc.client.ServerProxy(
            'http://127.0.0.1:%d/xmlrpc/2/common' % port).authenticate(
                db, login, PASSWORD, {})
        # Idle: one client, one customer of its own (ids[0]), FIT orders.
        idle = Client(port, db, uid, ids[:1], products, 0, 0)
        for _order in range(FIT):
            idle.one()
        loaded = [Client(port, db, uid, ids[1:], products,
                         time.time() + seconds, RANDOM_SEED + n)
                  for n in range(clients)]
        start = time.time()
        for client in loaded:
            client.start()
        for client in loaded:
            client.join(seconds + 600)
        elapsed = time.time() - start
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
    confirmed = [c for client in loaded for c in client.confirmed]
    refused = [r for client in loaded for r in client.refused]
    created = [o for client in loaded + [idle] for o in client.created]
    errors = [e for client in loaded for e in client.errors]
    latencies = [s for _o, s in confirmed]
    idle_latencies = [s for _o, s in idle.confirmed]
    with open(logfile, errors='replace') as log:
        text = log.read()
    retries = text.count('SERIALIZATION_FAILURE, retry')
    checks = check(db, ids, created, confirmed + idle.confirmed,
                   refused + idle.refused, amount)
    return {'settings': {'workers': workers, 'clients': clients,
                         'seconds': seconds, 'customers': customers,
                         'fit': FIT},
            'elapsed': elapsed,
            'orders_per_second': len(confirmed) / elapsed,
            'attempts': len(confirmed) + len(refused),
            'confirmed': len(confirmed), 'refused': len(refused),
            'errors': len(errors), 'error_samples': sorted(set(errors))[:5],
            'p50': percentile(latencies, 0.5),
            'p95': percentile(latencies, 0.95),
            'idle_p50': percentile(idle_latencies, 0.5),
            'idle_p95': percentile(idle_latencies, 0.95),
            'serialization_retries': retries, 'checks': checks,
            'rows': []}


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
