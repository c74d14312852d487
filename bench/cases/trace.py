"""Case 3 (part): forward trace from one component lot, through the
genealogy the generator filled (bench/generate.py make_links: a tree and
a DAG with heavy component sharing, ``links`` each), with the suite's
public method ``stock.production.lot.trace_forward()`` as a recall
manager (record rules apply), and the capped walk the lot form uses.
The first call is reported apart (it may rebuild a stale closure), then
the median of the repetitions. Odoo's stock.traceability.report is not
compared yet: it walks stock move lines, which the generator does not
make for these lots.
"""
from . import base


def run(dbs, size, reps, stats):
    db = dbs['suite']
    links = db.meta['links']
    env = db.env()
    manager = env['res.users'].create({
        'name': 'Bench Recall Manager', 'login': 'bench_recall_manager',
        'groups_id': [(6, 0, [env.ref(
            'meddev_traceability.group_meddev_traceability_manager').id])]})
    db.cr.commit()
    rows = []
    for shape, lot_id in (('tree', links['tree_root']),
                          ('dag', links['dag_bottom'])):
        for label, call in (
                ('trace_forward()', lambda lot: lot.trace_forward()),
                ('capped at 200 (lot form)',
                 lambda lot: lot.env['meddev.lot.link']._trace_capped(
                     lot.ids, 'forward', 200)[0])):
            times, queries = [], []
            first = None
            reached = None
            for rep in range(1 + reps):
                lot = db.env(manager.id)['stock.production.lot'].browse(
                    lot_id)
                db.env().clear()
                seconds, count, result = base.timed(
                    db.cr, lambda: call(lot))
                reached = len(result)
                if rep == 0:
                    first = seconds * 1000.0
                    db.cr.commit()
                    continue
                times.append(seconds * 1000.0)
                queries.append(count)
            rows.append({'shape': shape, 'label': label,
                         'links': links['total'], 'lots': reached,
                         'first_ms': first, 'ms': stats(times),
                         'queries': stats(queries)})
    db.reset()
    return {'rows': rows}
