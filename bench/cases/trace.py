"""Case 3: forward trace from one component lot, through the genealogy
the generator filled (bench/generate.py make_links: a tree and a DAG with
heavy component sharing, ``links`` each).

1. The suite's public method ``stock.production.lot.trace_forward()`` as
   a recall manager (record rules apply), and the capped walk the lot form
   uses. The first call is reported apart, then the median of the
   repetitions, with the database backend's CPU time (load-independent
   where the wall time is not) and the load average.
2. Odoo's own ``stock.traceability.report`` on the same lots: the case
   writes the stock history the genealogy stands for (stock_history
   below: for every link, the component lot consumed into production and
   the parent lot produced, joined by Odoo's consume/produce relation),
   then unfolds the downstream report as the web client does, one
   ``get_lines`` per unfoldable line, until nothing is left to unfold or
   ODOO_CAP_S passed. The lots it found are compared with the suite's.
3. A recall launched on a component lot whose forward trace reaches lots
   delivered to RECALL_CUSTOMERS customers: ``action_launch()`` (trace,
   quarantine, one line per delivery) and ``action_send_notices()``
   (one queue job per customer).

Everything the case writes is rolled back at its end.
"""
import time

from . import base

# Odoo's report on a whole genealogy unfolds one line per request: stop
# the unfolding after this many seconds and report how far it got (T, the
# smoke size of bench/tests, stops sooner).
ODOO_CAP_S = 60.0
ODOO_CAP_S_TINY = 3.0
# Odoo's report is compared in full on a lot whose forward trace reaches
# at most this many lots (it also runs, capped, on the component lot).
ODOO_FULL_MAX_LOTS = 300
RECALL_CUSTOMERS = 2000
BASE_DATE = '2026-01-01 08:00:00'


def recall_manager(env):
    """Create the user who traces and recalls (a recall manager)."""
    return env['res.users'].create({
        'name': 'Bench Recall Manager', 'login': 'bench_recall_manager',
        'email': 'recall.manager@bench.example.com',
        'groups_id': [(6, 0, [env.ref(
            'meddev_traceability.group_meddev_traceability_manager').id,
            env.ref('stock.group_stock_user').id])]})


def run(dbs, size, reps, stats):
    db = dbs['suite']
    links = db.meta['links']
    manager = recall_manager(db.env())
    db.cr.commit()
    rows = suite_rows(db, manager, links, reps, stats)
    odoo = odoo_rows(db, manager, links, reps, stats,
                     ODOO_CAP_S_TINY if size == 'T' else ODOO_CAP_S)
    recall = recall_rows(db, manager, links, reps, stats)
    db.reset()
    return {'rows': rows, 'odoo': odoo, 'recall': recall}


def suite_rows(db, manager, links, reps, stats):
    """The suite's trace and the lot form's capped walk."""
    rows = []
    for shape, lot_id in (('tree', links['tree_root']),
                          ('dag', links['dag_bottom'])):
        for label, call in (
                ('trace_forward()', lambda lot: lot.trace_forward()),
                ('capped at 200 (lot form)',
                 lambda lot: lot.env['meddev.lot.link']._trace_capped(
                     lot.ids, 'forward', 200)[0])):
            row = measure(db, manager, lot_id, call, reps, stats)
            row.update({'shape': shape, 'label': label,
                        'links': links['total']})
            rows.append(row)
    return rows


def measure(db, manager, lot_id, call, reps, stats):
    """Time ``call(lot)`` as ``manager``: first call apart, then ``reps``
    repetitions (wall ms, backend CPU ms, queries, load average)."""
    times, cpus, queries = [], [], []
    first = reached = None
    load = base.load_average()
    for rep in range(1 + reps):
        lot = db.env(manager.id)['stock.production.lot'].browse(lot_id)
        db.env().clear()
        cpu = base.backend_cpu_ms(db.cr)
        seconds, count, result = base.timed(db.cr, lambda: call(lot))
        cpu = base.cpu_since(db.cr, cpu)
        reached = len(result)
        if rep == 0:
            first = seconds * 1000.0
            continue
        times.append(seconds * 1000.0)
        cpus.append(cpu)
        queries.append(count)
    return {'lots': reached, 'first_ms': first, 'ms': stats(times),
            'db_cpu_ms': base.stats_or_none(stats, cpus),
            'queries': stats(queries), 'load': load}


def stock_history(cr, stock, production, supplier, company_id):
    """Write the stock moves the genealogy of the bench lots stands for,
    as Odoo's manufacturing would have left them: each lot received
    (bottom lots, from the vendor) or produced (from production) into
    stock on the day of its level; for each link, the component lot
    consumed from stock into production half a day later, linked to the
    parent's production line by stock_move_line_consume_rel. Return the
    number of move lines written."""
    cr.execute("""
        CREATE TEMPORARY TABLE bench_in ON COMMIT DROP AS
        SELECT lot.id AS lot_id, lot.product_id,
               split_part(lot.name, '-', 2)::int AS level,
               EXISTS (SELECT 1 FROM meddev_lot_link k
                        WHERE k.parent_lot_id = lot.id) AS produced,
               nextval('stock_move_id_seq') AS move_id,
               nextval('stock_move_line_id_seq') AS line_id
          FROM stock_production_lot lot
         WHERE lot.name LIKE 'BT-%%' OR lot.name LIKE 'BD-%%'
    """)
    cr.execute("""
        CREATE TEMPORARY TABLE bench_use ON COMMIT DROP AS
        SELECT k.parent_lot_id, k.child_lot_id, c.product_id, c.level,
               k.quantity,
               nextval('stock_move_id_seq') AS move_id,
               nextval('stock_move_line_id_seq') AS line_id
          FROM meddev_lot_link k
          JOIN bench_in c ON c.lot_id = k.child_lot_id
         WHERE k.date_removed IS NULL
    """)
    cr.execute("""
        CREATE TEMPORARY TABLE bench_moves ON COMMIT DROP AS
        SELECT move_id, line_id, lot_id, product_id, 1.0 AS quantity,
               %(base)s::timestamp + level * interval '1 day' AS date,
               CASE WHEN produced THEN %(production)s ELSE %(supplier)s
               END AS src, %(stock)s AS dest
          FROM bench_in
        UNION ALL
        SELECT move_id, line_id, child_lot_id, product_id, quantity,
               %(base)s::timestamp + level * interval '1 day'
                   + interval '12 hours',
               %(stock)s, %(production)s
          FROM bench_use
    """, {'base': BASE_DATE, 'stock': stock, 'production': production,
          'supplier': supplier})
    cr.execute("""
        INSERT INTO stock_move (id, name, date, date_expected, company_id,
            product_id, product_uom_qty, product_qty, product_uom,
            location_id, location_dest_id, procure_method, state,
            create_uid, write_uid, create_date, write_date)
        SELECT m.move_id, 'BENCH', m.date, m.date, %(company)s,
               m.product_id, m.quantity, m.quantity, t.uom_id, m.src, m.dest,
               'make_to_stock', 'done', 1, 1, now(), now()
          FROM bench_moves m
          JOIN product_product p ON p.id = m.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
    """, {'company': company_id})
    cr.execute("""
        INSERT INTO stock_move_line (id, move_id, product_id,
            product_uom_id, product_uom_qty, qty_done, product_qty, lot_id,
            location_id, location_dest_id, date, state, reference,
            create_uid, write_uid, create_date, write_date)
        SELECT m.line_id, m.move_id, m.product_id, t.uom_id, 0, m.quantity,
               0, m.lot_id, m.src, m.dest, m.date, 'done', 'BENCH', 1, 1,
               now(), now()
          FROM bench_moves m
          JOIN product_product p ON p.id = m.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
    """)
    written = cr.rowcount
    # The parent's production line "consumed" the component lines (Odoo's
    # column names: consume_line_id is the finished product's line).
    cr.execute("""
        INSERT INTO stock_move_line_consume_rel (consume_line_id,
                                                 produce_line_id)
        SELECT parent.line_id, used.line_id
          FROM bench_use used
          JOIN bench_in parent ON parent.lot_id = used.parent_lot_id
    """)
    cr.execute('ANALYZE stock_move_line')
    cr.execute('ANALYZE stock_move_line_consume_rel')
    return written


def odoo_unfold(env, lot_id, cap):
    """Unfold Odoo's downstream traceability report of ``lot_id`` as the
    web client does; return (lot names found, requests, complete)."""
    report = env['stock.traceability.report']
    lines = report.with_context(
        active_id=lot_id, model='stock.production.lot',
        ttype='downstream').get_lines()
    requests = 1
    deadline = time.perf_counter() + cap
    found = set()
    todo = list(lines)
    complete = True
    while todo:
        line = todo.pop(0)
        if line['columns'][1]:
            found.add(line['columns'][1])
        if not line['unfoldable']:
            continue
        if time.perf_counter() > deadline:
            complete = False
            break
        todo += report.get_lines(
            line['id'], model_id=line['model_id'],
            model_name=line['model'], stream=line['stream'],
            parent_quant=line['parent_quant'] or False,
            level=line['level'] + 30)
        requests += 1
    return found, requests, complete


def odoo_rows(db, manager, links, reps, stats, cap):
    """Odoo's stock.traceability.report against the suite's trace, on the
    component lots and on a smaller lot of each shape."""
    env = db.env()
    cr = db.cr
    production = env['stock.location'].search(
        [('usage', '=', 'production')], limit=1).id
    written = stock_history(
        cr, env.ref('stock.stock_location_stock').id, production,
        env.ref('stock.stock_location_suppliers').id,
        manager.company_id.id)
    lot_model = db.env(manager.id)['stock.production.lot']
    link_model = db.env(manager.id)['meddev.lot.link']
    rows = []
    for shape, bottom, prefix in (('tree', links['tree_root'], 'BT-'),
                                  ('dag', links['dag_bottom'], 'BD-')):
        small = smaller_lot(cr, link_model, prefix)
        for which, lot_id in (('component lot', bottom),
                              ('smaller lot', small)):
            if not lot_id:
                continue
            lot = lot_model.browse(lot_id)
            suite_names = set(lot_model.browse([
                row['lot_id'] for row in lot.trace_forward()]).mapped(
                    'name'))
            suite = measure(db, manager, lot_id,
                            lambda lot: lot.trace_forward(), reps, stats)
            runs = 1 if len(suite_names) > ODOO_FULL_MAX_LOTS else reps
            times, queries = [], []
            load = base.load_average()
            found = requests = complete = None
            for _rep in range(runs):
                db.env().clear()
                seconds, count, (found, requests, complete) = base.timed(
                    cr, lambda: odoo_unfold(db.env(manager.id), lot_id,
                                            cap))
                times.append(seconds * 1000.0)
                queries.append(count)
            found.discard(lot.name)
            rows.append({
                'shape': shape, 'which': which, 'lot': lot.name,
                'move_lines_written': written,
                'suite_lots': len(suite_names), 'suite': suite,
                'odoo_lots': len(found), 'odoo_requests': requests,
                'odoo_complete': complete,
                'odoo_same_lots': complete and found == suite_names,
                'odoo_ms': stats(times), 'odoo_queries': stats(queries),
                'odoo_load': load,
            })
    return rows


def smaller_lot(cr, link_model, prefix):
    """The first lot of the lowest level of the shape ``prefix`` whose
    forward trace reaches at most ODOO_FULL_MAX_LOTS lots."""
    cr.execute("""
        SELECT DISTINCT ON (split_part(name, '-', 2)::int) id
          FROM stock_production_lot
         WHERE name LIKE %s
         ORDER BY split_part(name, '-', 2)::int, id
    """, [prefix + '%'])
    for (lot_id,) in cr.fetchall():
        reached = link_model._trace_lot_ids([lot_id], 'forward')
        if 0 < len(reached) <= ODOO_FULL_MAX_LOTS:
            return lot_id
    return None


def deliver_to_customers(env, lot_ids, company_id, limit=RECALL_CUSTOMERS):
    """Create ``limit`` customers and deliver one of ``lot_ids`` to each
    (a done transfer from stock), by SQL; return their count."""
    cr = env.cr
    stock = env.ref('stock.stock_location_stock').id
    customers = env.ref('stock.stock_location_customers').id
    picking_type = env.ref('stock.picking_type_out').id
    count = min(len(lot_ids), limit)
    # Dropped at commit, or here when called twice in one transaction
    # (case 7 delivers the lots of two recalls).
    cr.execute('DROP TABLE IF EXISTS bench_delivery')
    cr.execute("""
        CREATE TEMPORARY TABLE bench_delivery ON COMMIT DROP AS
        SELECT lot.id AS lot_id, lot.product_id, t.uom_id,
               nextval('res_partner_id_seq') AS partner_id,
               nextval('stock_picking_id_seq') AS picking_id,
               nextval('stock_move_id_seq') AS move_id,
               nextval('stock_move_line_id_seq') AS line_id,
               row_number() OVER (ORDER BY lot.id) AS n
          FROM stock_production_lot lot
          JOIN product_product p ON p.id = lot.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE lot.id = ANY(%s)
         ORDER BY lot.id LIMIT %s
    """, [list(lot_ids), count])
    cr.execute("""
        INSERT INTO res_partner (id, name, display_name,
            commercial_partner_id, active, customer, supplier, is_company,
            type, email, lang, company_id, invoice_warn, picking_warn,
            sale_warn, purchase_warn, create_uid, write_uid, create_date,
            write_date)
        SELECT partner_id, 'Bench Hospital ' || n, 'Bench Hospital ' || n,
               partner_id, TRUE, TRUE, FALSE, TRUE, 'contact',
               'hospital' || n || '@bench.example.com', 'en_US',
               %(company)s, 'no-message', 'no-message', 'no-message',
               'no-message', 1, 1, now(), now()
          FROM bench_delivery
    """, {'company': company_id})
    cr.execute("""
        INSERT INTO stock_picking (id, name, move_type, location_id,
            location_dest_id, picking_type_id, company_id, partner_id,
            state, date, date_done, create_uid, write_uid, create_date,
            write_date)
        SELECT picking_id, 'BENCH/OUT/' || n, 'direct', %(stock)s,
               %(customers)s, %(type)s, %(company)s, partner_id, 'done',
               %(date)s, %(date)s, 1, 1, now(), now()
          FROM bench_delivery
    """, {'stock': stock, 'customers': customers, 'type': picking_type,
          'company': company_id, 'date': '2026-03-01 08:00:00'})
    cr.execute("""
        INSERT INTO stock_move (id, name, date, date_expected, company_id,
            product_id, product_uom_qty, product_qty, product_uom,
            location_id, location_dest_id, procure_method, state,
            picking_id, partner_id, create_uid, write_uid, create_date,
            write_date)
        SELECT move_id, 'BENCH', %(date)s, %(date)s, %(company)s,
               product_id, 1, 1, uom_id, %(stock)s, %(customers)s,
               'make_to_stock', 'done', picking_id, partner_id, 1, 1,
               now(), now()
          FROM bench_delivery
    """, {'stock': stock, 'customers': customers, 'company': company_id,
          'date': '2026-03-01 08:00:00'})
    cr.execute("""
        INSERT INTO stock_move_line (id, move_id, picking_id, product_id,
            product_uom_id, product_uom_qty, qty_done, product_qty, lot_id,
            location_id, location_dest_id, date, state, reference,
            create_uid, write_uid, create_date, write_date)
        SELECT line_id, move_id, picking_id, product_id, uom_id, 0, 1, 0,
               lot_id, %(stock)s, %(customers)s, %(date)s, 'done',
               'BENCH/OUT/' || n, 1, 1, now(), now()
          FROM bench_delivery
    """, {'stock': stock, 'customers': customers,
          'date': '2026-03-01 08:00:00'})
    return count


def recall_rows(db, manager, links, reps, stats):
    """Launch a recall of the tree's component lot, whose forward trace
    reaches lots delivered to RECALL_CUSTOMERS customers, then queue its
    notices; each repetition rolled back to a savepoint."""
    env = db.env()
    cr = db.cr
    lot_id = links['tree_root']
    lot_model = db.env(manager.id)['stock.production.lot']
    reached = [row['lot_id']
               for row in lot_model.browse(lot_id).trace_forward()]
    # The highest level's lots: the finished goods of the tree.
    customers = deliver_to_customers(
        env, reached[-RECALL_CUSTOMERS:], manager.company_id.id)
    recall_model = db.env(manager.id)['meddev.recall']
    values = {
        'reason': 'Bench: component lot found defective.',
        'recall_level_id': env.ref(
            'meddev_traceability.recall_level_cn_1').id,
        'source': 'capa',
        'decision_date': '2026-11-02',
        'lot_ids': [(6, 0, [lot_id])],
    }
    result = {'customers': customers, 'lots_reached': len(reached)}
    for label, runs in (('action_launch()', reps),
                        ('action_send_notices()', min(reps, 2))):
        times, cpus, queries = [], [], []
        load = base.load_average()
        lines = jobs = customers_in = None
        for _rep in range(runs):
            cr.execute('SAVEPOINT bench_recall')
            recall = recall_model.create(values)
            if label == 'action_send_notices()':
                recall.action_launch()
            db.env().clear()
            method = getattr(recall, label[:-2])
            cr.execute('SELECT count(*) FROM queue_job')
            jobs_before = cr.fetchone()[0]
            cpu = base.backend_cpu_ms(cr)
            seconds, count, _result = base.timed(cr, method)
            cpus.append(base.cpu_since(cr, cpu))
            times.append(seconds * 1000.0)
            queries.append(count)
            lines = len(recall.line_ids)
            cr.execute('SELECT count(*) FROM queue_job')
            jobs = cr.fetchone()[0] - jobs_before
            customers_in = len(recall.line_ids.mapped('partner_id'))
            if label == 'action_send_notices()' and not _rep and jobs == 1:
                result['dispatch job'] = dispatch_job(db, cr, stats)
            cr.execute('ROLLBACK TO SAVEPOINT bench_recall')
            db.env().clear()
        result[label] = {'ms': stats(times),
                         'db_cpu_ms': base.stats_or_none(stats, cpus),
                         'queries': stats(queries), 'lines': lines,
                         'customers': customers_in, 'jobs': jobs,
                         'load': load}
    return result


def dispatch_job(db, cr, stats):
    """Run the job that queues the notice jobs (the last queued), as the
    job runner would; return its figures."""
    from odoo.addons.queue_job.job import Job
    cr.execute('SELECT uuid FROM queue_job ORDER BY id DESC LIMIT 1')
    uuid = cr.fetchone()[0]
    cr.execute('SELECT count(*) FROM queue_job')
    before = cr.fetchone()[0]
    load = base.load_average()
    cpu = base.backend_cpu_ms(cr)
    seconds, count, _result = base.timed(
        cr, lambda: Job.load(db.env(), uuid).perform())
    cpu = base.cpu_since(cr, cpu)
    cr.execute('SELECT count(*) FROM queue_job')
    return {'ms': stats([seconds * 1000.0]),
            'db_cpu_ms': base.stats_or_none(stats, [cpu]),
            'queries': stats([count]), 'lines': None, 'customers': None,
            'jobs': cr.fetchone()[0] - before, 'load': load}
