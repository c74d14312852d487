"""Time the genealogy trace on ~600 000 links, in two shapes.

Not a unit test: run it by hand on a scratch database where
meddev_traceability is installed, e.g.

    createdb -T meddev_test_x meddev_bench_x   # or any throw-away database
    .venv/bin/python addons/meddev_traceability/benchmarks/trace_bench.py \\
        -c odoo.conf -d meddev_bench_x [--legacy]

The links are filled with SQL and committed, the table vacuumed (as
autovacuum keeps a live one, so that the walk's index-only scans need no
heap visit), then everything the script added is deleted again, unless
``--keep``.

Shapes (both in the same table, as a real genealogy would hold them):

- tree: 10 component lots; each goes into 20 lots, each of those into 10,
  then 10, then 14 (one component per parent): 302 210 links, forward
  from one component lot reaches 30 220 lots;
- shared components (DAG): 6 levels of 20, 100, 1 000, 5 000, 20 000 and
  35 900 lots, each lot made of 5 random lots of the level below:
  309 500 links, forward from one bottom lot reaches about 60 000 lots
  through an astronomical number of paths.

Traces walk the links (11.0.1.2.0 dropped the stored closure of 11.0.1.1.0:
13.4 million rows, 1.6 GB and an 11-13 minute rebuild for these links, to
bring the DAG forward trace from 1.84 s to 0.54 s). The script also times
the lot set a recall takes (no levels), and a part swap through the ORM
(remove_link then add_link) at three levels of the shared DAG.

``--legacy`` also times the query of the first release (a path array per
row, de-duplicated in Python) for comparison; on the DAG it takes many
seconds.
"""
import argparse
import time

import odoo
from odoo import SUPERUSER_ID, api

TREE_ROOTS = 10
TREE_FANOUT = (20, 10, 10, 14)
DAG_LEVELS = (20, 100, 1000, 5000, 20000, 35900)
DAG_WIDTH = 5

LEGACY_FORWARD = """
    WITH RECURSIVE tree(lot_id, via_lot_id, level, quantity, path,
                        cycle) AS (
        SELECT l.parent_lot_id, l.child_lot_id, 1, l.quantity,
               ARRAY[l.child_lot_id, l.parent_lot_id], FALSE
          FROM meddev_lot_link l
         WHERE l.child_lot_id = ANY(%(lots)s)
           AND l.date_removed IS NULL
           AND (l.company_id IS NULL OR l.company_id = ANY(%(companies)s))
        UNION ALL
        SELECT l.parent_lot_id, l.child_lot_id, t.level + 1, l.quantity,
               t.path || l.parent_lot_id, l.parent_lot_id = ANY(t.path)
          FROM tree t
          JOIN meddev_lot_link l ON l.child_lot_id = t.lot_id
         WHERE NOT t.cycle AND t.level < 64
           AND l.date_removed IS NULL
           AND (l.company_id IS NULL OR l.company_id = ANY(%(companies)s))
    )
    SELECT lot_id, via_lot_id, level, quantity, path, cycle
      FROM tree ORDER BY level, lot_id
"""


def insert_lots(cr, product_id, count, prefix):
    """Insert ``count`` lots and return their ids, contiguous, ascending."""
    cr.execute("""
        INSERT INTO stock_production_lot (name, product_id, create_date,
                                          write_date, create_uid, write_uid)
        SELECT %s || n, %s, now(), now(), 1, 1
          FROM generate_series(1, %s) n
        RETURNING id
    """, [prefix, product_id, count])
    return sorted(row[0] for row in cr.fetchall())


def insert_links(cr, pairs_sql, params, company_id):
    cr.execute("""
        INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id, quantity,
                                     origin, date, company_id, create_date,
                                     write_date, create_uid, write_uid)
        SELECT parent, child, 1, 'import', now(), %(company)s, now(), now(),
               1, 1
          FROM ({pairs}) pairs(parent, child)
    """.format(pairs=pairs_sql), dict(params, company=company_id))
    return cr.rowcount


def fill_tree(cr, product_id, company_id):
    """Return (component lot, links) of the tree shape."""
    below = insert_lots(cr, product_id, TREE_ROOTS, 'TREE-0-')
    roots = below
    links = 0
    for depth, fanout in enumerate(TREE_FANOUT, start=1):
        level = insert_lots(cr, product_id, len(below) * fanout,
                            'TREE-%d-' % depth)
        # Parent number i (from 0) is made of component i // fanout.
        links += insert_links(cr, """
            SELECT p, (%(below)s::int[])[(p - %(first)s) / %(fanout)s + 1]
              FROM generate_series(%(first)s, %(last)s) p
        """, {'below': below, 'first': level[0], 'last': level[-1],
              'fanout': fanout}, company_id)
        below = level
    return roots[0], links


def fill_dag(cr, product_id, company_id):
    """Return (bottom lot, links) of the shared-component shape."""
    levels = [insert_lots(cr, product_id, size, 'DAG-%d-' % depth)
              for depth, size in enumerate(DAG_LEVELS)]
    links = 0
    for below, level in zip(levels, levels[1:]):
        links += insert_links(cr, """
            SELECT DISTINCT p, %(low)s + floor(random() * %(size)s)::int
              FROM generate_series(%(first)s, %(last)s) p,
                   generate_series(1, %(width)s) j
        """, {'low': below[0], 'size': len(below), 'first': level[0],
              'last': level[-1], 'width': DAG_WIDTH}, company_id)
    return levels[0][0], levels[-1][0], links


def timed(label, function, repeat=3):
    """Run ``function`` ``repeat`` times; print and return the best time
    and the last result."""
    best = None
    result = None
    for _run in range(repeat):
        start = time.time()
        result = function()
        elapsed = time.time() - start
        best = elapsed if best is None else min(best, elapsed)
    print('%-48s %8.3f s  %s' % (label, best, describe(result)))
    return best, result


def describe(result):
    if isinstance(result, tuple):
        return '%d lots (complete: %s)' % (len(result[0]), result[1])
    if isinstance(result, list):
        return '%d lots' % len(result)
    return ''


def legacy_forward(env, lot_id):
    env.cr.execute(LEGACY_FORWARD, {
        'lots': [lot_id], 'companies': env.user.company_ids.ids})
    seen = set()
    rows = []
    for lot, _via, _level, _quantity, _path, _cycle in env.cr.fetchall():
        if lot not in seen:
            seen.add(lot)
            rows.append(lot)
    return rows


def swap_part(env, links, level):
    """Time a part swap in the DAG: a lot of level ``level - 1`` taken
    out of its parent of level ``level`` and put back, through the ORM
    (what a service ticket does), in a savepoint rolled back after."""
    env.cr.execute("""
        SELECT l.id FROM meddev_lot_link l
          JOIN stock_production_lot p ON p.id = l.parent_lot_id
         WHERE p.name LIKE %s AND l.date_removed IS NULL
         ORDER BY l.id LIMIT 1
    """, ['DAG-%d-%%' % level])
    link = links.browse(env.cr.fetchone()[0])
    parent, child = link.parent_lot_id, link.child_lot_id
    env.cr.execute('SAVEPOINT swap')
    start = time.time()
    links.remove_link(parent, child, source='BENCH')
    removed = time.time() - start
    start = time.time()
    links.add_link(parent, child)
    added = time.time() - start
    env.cr.execute('ROLLBACK TO SAVEPOINT swap')
    print('%-48s %8.3f s  remove_link, %.3f s add_link' % (
        'dag: part swap under a level-%d lot' % level, removed, added))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--legacy', action='store_true',
                        help="also time the first release's query")
    parser.add_argument('--keep', action='store_true',
                        help="commit the links (a scratch database only), "
                             "to study the plans with psql")
    args = parser.parse_args()
    odoo.tools.config.parse_config(['-c', args.config, '-d', args.database])
    registry = odoo.registry(args.database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # As a recall manager would run it: record rules apply.
        manager = env['res.users'].create({
            'name': 'Bench Recall Manager', 'login': 'bench_recall_manager',
            'groups_id': [(6, 0, [env.ref(
                'meddev_traceability.group_meddev_traceability_manager').id])],
        })
        product = env['product.product'].create({
            'name': 'Bench Part', 'type': 'product', 'tracking': 'lot'})
        company_id = manager.company_id.id
        start = time.time()
        tree_root, tree_links = fill_tree(cr, product.id, company_id)
        dag_bottom, dag_top, dag_links = fill_dag(cr, product.id, company_id)
        cr.commit()
        cr.autocommit(True)
        cr.execute('VACUUM ANALYZE meddev_lot_link')
        cr.execute('ANALYZE stock_production_lot')
        cr.autocommit(False)
        print('filled %d tree links and %d DAG links in %.1f s' % (
            tree_links, dag_links, time.time() - start))
        links = env['meddev.lot.link'].sudo(manager)
        lots = env['stock.production.lot'].sudo(manager)
        figures = {}
        for shape, bottom, top in (('tree', tree_root, None),
                                   ('dag', dag_bottom, dag_top)):
            figures[shape] = timed(
                '%s: forward from one component lot' % shape,
                lambda: lots.browse(bottom).trace_forward())[0]
            timed('%s: forward, walking the links' % shape,
                  lambda: links._trace_walk([bottom], 'forward'))
            timed('%s: forward, capped for the lot form' % shape,
                  lambda: links._trace_capped([bottom], 'forward', 200))
            timed('%s: forward lot set (recall scope)' % shape,
                  lambda: sorted(links._trace_lot_ids([bottom], 'forward')))
            if top:
                timed('%s: backward from one top lot' % shape,
                      lambda: lots.browse(top).trace_backward())
            if args.legacy:
                timed('%s: forward, first release (paths)' % shape,
                      lambda: legacy_forward(env(user=manager.id), bottom),
                      repeat=1)
        for level in (5, 3, 1):
            swap_part(env, links, level)
        print('target 0.2 s forward: tree %s, dag %s' % (
            'met' if figures['tree'] <= 0.2 else 'MISSED',
            'met' if figures['dag'] <= 0.2 else 'MISSED'))
        cr.rollback()
        if args.keep:
            print('kept: tree component lot %d, DAG bottom lot %d' % (
                tree_root, dag_bottom))
            return
        cr.execute("""
            DELETE FROM meddev_lot_link WHERE parent_lot_id IN (
                SELECT id FROM stock_production_lot WHERE product_id = %s)
        """, [product.id])
        cr.execute('DELETE FROM stock_production_lot WHERE product_id = %s',
                   [product.id])
        product.product_tmpl_id.unlink()
        manager.unlink()
        cr.commit()


if __name__ == '__main__':
    main()
