"""Where case 3's recall launch goes: ``action_launch()`` of a recall of
the tree's component lot (bench/cases/trace.py, recall_rows) as the
recall manager, each SQL statement grouped by shape (profile_confirm.py)
with its wall time and the PostgreSQL backend's CPU time, then the
launch's totals; or the same for ``trace_forward()`` of the tree's or
the DAG's component lot.

    createdb -T meddev_bench_tpl_suite_<size>_<hash> scratch
    .venv/bin/python bench/profile_recall.py scratch --fill   # once
    .venv/bin/python bench/profile_recall.py scratch [--reps 3]
                     [--what launch|tree|dag] [--top 12]

``--fill`` commits on the copy what case 3 writes inside its transaction
and rolls back (a copy only, never a template): the recall manager, the
stock history of the genealogy (stock_history) and the deliveries of the
last 2 000 lots of the tree's forward trace to 2 000 customers
(deliver_to_customers). At size L that is 1.26 million move lines,
about 8 minutes on 2 loaded cores. Each measured launch is rolled back to
a savepoint, as in the case. BENCH_ADDONS=<dir> measures another copy of
the addons (a git archive of another commit) on the same database.
"""
import argparse
import statistics
import time

import common

import odoo

from cases import base, trace
from profile_confirm import shape


def fill(db):
    """Commit case 3's recall manager, stock history and deliveries."""
    env = db.env()
    manager = trace.recall_manager(env)
    production = env['stock.location'].search(
        [('usage', '=', 'production')], limit=1).id
    written = trace.stock_history(
        db.cr, env.ref('stock.stock_location_stock').id, production,
        env.ref('stock.stock_location_suppliers').id, manager.company_id.id)
    lots = db.env(manager.id)['stock.production.lot']
    reached = [row['lot_id'] for row in lots.browse(
        db.meta['links']['tree_root']).trace_forward()]
    customers = trace.deliver_to_customers(
        env, reached[-trace.RECALL_CUSTOMERS:], manager.company_id.id)
    db.cr.commit()
    db.cr.execute('ANALYZE')
    db.cr.commit()
    print('%d move lines, %d lots reached, %d customers' % (
        written, len(reached), customers))


def traced(cr, seen):
    """Wrap ``cr.execute`` to add each statement's count, wall and backend
    CPU ms to ``seen`` ({shape: [count, ms, cpu ms]}); return the original
    to put back."""
    execute = cr.execute

    def execute_traced(query, params=None, log_exceptions=None):
        cpu = base.backend_cpu_ms(cr) or 0.0
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            entry = seen.setdefault(shape(query), [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += (time.perf_counter() - start) * 1000.0
            entry[2] += (base.backend_cpu_ms(cr) or 0.0) - cpu
    cr.execute = execute_traced
    return execute


def call_of(db, manager, what):
    """Return (call, label) for one repetition of ``what``."""
    links = db.meta['links']
    if what == 'launch':
        env = db.env()
        recall = db.env(manager.id)['meddev.recall'].create({
            'reason': 'Bench: component lot found defective.',
            'recall_level_id': env.ref(
                'meddev_traceability.recall_level_cn_1').id,
            'source': 'capa', 'decision_date': '2026-11-02',
            'lot_ids': [(6, 0, [links['tree_root']])]})
        return recall.action_launch, lambda _r: '%d lines' % len(
            recall.line_ids)
    lot_id = links['tree_root'] if what == 'tree' else links['dag_bottom']
    lot = db.env(manager.id)['stock.production.lot'].browse(lot_id)
    return lot.trace_forward, lambda rows: '%d lots' % len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('database')
    parser.add_argument('--fill', action='store_true')
    parser.add_argument('--reps', type=int, default=3)
    parser.add_argument('--what', choices=('launch', 'tree', 'dag'),
                        default='launch')
    parser.add_argument('--top', type=int, default=12)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        common.odoo_args() + ['--log-level=warn'])
    manage = odoo.api.Environment.manage()
    manage.__enter__()
    db = base.Database('?', args.database)
    if args.fill:
        fill(db)
        db.close()
        return
    cr = db.cr
    manager = db.env()['res.users'].search(
        [('login', '=', 'bench_recall_manager')])
    walls, cpus = [], []
    seen = {}
    # The first call fills the caches: reported, left out of the median.
    for rep in range(1 + args.reps):
        cr.execute('SAVEPOINT profile_recall')
        call, describe = call_of(db, manager, args.what)
        db.env().clear()
        execute = traced(cr, seen) if rep == args.reps else None
        cpu = base.backend_cpu_ms(cr)
        seconds, count, result = base.timed(cr, call)
        cpu = base.cpu_since(cr, cpu)
        if execute:
            cr.execute = execute
        print('%s %d: %.0f ms, backend CPU %s ms, %d queries, %s, load %s'
              % (args.what, rep, seconds * 1000.0, cpu, count,
                 describe(result), base.load_average()))
        if rep:
            walls.append(seconds * 1000.0)
            cpus.append(cpu or 0.0)
        cr.execute('ROLLBACK TO SAVEPOINT profile_recall')
        db.env().clear()
    print('median %.0f ms, backend CPU %.0f ms; statements of the last '
          'repetition (traced, so slower):' % (
              statistics.median(walls), statistics.median(cpus)))
    for text, (count, total, cpu) in sorted(
            seen.items(), key=lambda item: -item[1][1])[:args.top]:
        print('%8.1f ms %7.0f cpu %4d x  %s' % (total, cpu, count, text))
    db.close()


if __name__ == '__main__':
    main()
