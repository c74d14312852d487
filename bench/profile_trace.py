"""Profile the genealogy walk at 300 000 links, in SQL, without Odoo:
the suite's forward-trace query against the variants tried in issue 10
(bench/NOTES.md, case 3), wall time and the PostgreSQL backend's CPU time
(read from /proc, so the server must run on this machine).

    createdb -T <any database with meddev_traceability> scratch
    .venv/bin/python bench/profile_trace.py scratch --fill   # once
    .venv/bin/python bench/profile_trace.py scratch [--reps 5]

``--fill`` commits about 680 000 links in three shapes (a scratch
database only): the tree and the layered DAG of
addons/meddev_traceability/benchmarks/trace_bench.py, and a DAG whose lots
take their components from any level below (shared across levels), where
a walk that dedupes per level only expands a lot once per level it is
reached at. The component lots traced are found by name.
"""
import argparse
import os
import statistics
import sys
import time

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'addons', 'meddev_traceability',
                                'benchmarks'))

RULE = '(l.company_id IS NULL OR l.company_id IN (%(company)s))'

# The suite's query (meddev_lot_link_trace.py, _trace_walk), rule inlined.
CURRENT = """
WITH RECURSIVE walk(lot_id, via_lot_id, level, quantity) AS (
    SELECT * FROM (
        SELECT DISTINCT ON (l.parent_lot_id)
               l.parent_lot_id, l.child_lot_id, 1, l.quantity
          FROM meddev_lot_link l
         WHERE l.child_lot_id = ANY(%(lots)s) AND l.date_removed IS NULL
           AND {rule}
         ORDER BY l.parent_lot_id, l.child_lot_id, l.quantity) first_step
    UNION ALL
    SELECT * FROM (
        SELECT DISTINCT ON (l.parent_lot_id)
               l.parent_lot_id, l.child_lot_id, walk.level + 1, l.quantity
          FROM walk JOIN meddev_lot_link l ON l.child_lot_id = walk.lot_id
         WHERE walk.level < 64 AND l.date_removed IS NULL AND {rule}
         ORDER BY l.parent_lot_id, l.child_lot_id, l.quantity) step
)
SELECT array_agg(lot_id), array_agg(via_lot_id), array_agg(level),
       array_agg(quantity::float8) FROM walk
""".format(rule=RULE)

# The recall's lot set (_trace_lot_ids): UNION over lots, no level.
LOT_SET = """
WITH RECURSIVE reached(lot_id) AS (
    SELECT l.parent_lot_id FROM meddev_lot_link l
     WHERE l.child_lot_id = ANY(%(lots)s) AND l.date_removed IS NULL
       AND {rule}
    UNION
    SELECT l.parent_lot_id FROM reached
      JOIN meddev_lot_link l ON l.child_lot_id = reached.lot_id
     WHERE l.date_removed IS NULL AND {rule}
)
SELECT array_agg(lot_id) FROM reached
""".format(rule=RULE)

# Each lot once: one row per level holding the level's lots as arrays and
# every lot seen so far, which the next step anti-joins (hashed). Same
# rows as CURRENT, but a cycle no longer runs to the depth cap: it would
# need a check of its own (see NOTES.md).
FRONTIER = """
WITH RECURSIVE walk(level, lots, vias, qtys, seen) AS (
    SELECT 0, %(lots)s::int[], NULL::int[], NULL::numeric[], %(lots)s::int[]
    UNION ALL
    SELECT walk.level + 1, step.lots, step.vias, step.qtys,
           walk.seen || step.lots
      FROM walk, LATERAL (
        SELECT array_agg(s.parent) AS lots, array_agg(s.via) AS vias,
               array_agg(s.qty) AS qtys FROM (
          SELECT DISTINCT ON (l.parent_lot_id) l.parent_lot_id AS parent,
                 l.child_lot_id AS via, l.quantity AS qty
            FROM unnest(walk.lots) f(lot_id)
            JOIN meddev_lot_link l ON l.child_lot_id = f.lot_id
           WHERE l.date_removed IS NULL AND {rule}
             AND l.parent_lot_id NOT IN (SELECT unnest(walk.seen))
           ORDER BY l.parent_lot_id, l.child_lot_id, l.quantity) s
      ) step
     WHERE step.lots IS NOT NULL AND walk.level < 64
)
SELECT level, lots, vias, qtys FROM walk WHERE level > 0
""".format(rule=RULE)

VARIANTS = (('current walk (levels, via, quantity)', CURRENT),
            ('lot set only (UNION, recall scope)', LOT_SET),
            ('frontier arrays, each lot once', FRONTIER))

SHAPES = (('tree', 'TREE-0-1'), ('layered DAG', 'DAG-0-1'),
          ('cross-level DAG', 'XDAG-0-1'))


def fill(cr):
    """Commit the three shapes (a scratch database only)."""
    import trace_bench
    cr.execute('SELECT setseed(0.42)')
    cr.execute('SELECT max(id) FROM product_product')
    product_id = cr.fetchone()[0]
    cr.execute('SELECT min(id) FROM res_company')
    company_id = cr.fetchone()[0]
    trace_bench.fill_tree(cr, product_id, company_id)
    trace_bench.fill_dag(cr, product_id, company_id)
    # Same level sizes as the layered DAG; each lot's 5 components drawn
    # from all the lots of the levels below.
    lots = trace_bench.insert_lots
    levels = [lots(cr, product_id, size, 'XDAG-%d-' % depth)
              for depth, size in enumerate(trace_bench.DAG_LEVELS)]
    below = []
    for level in levels:
        if below:
            cr.execute("""
                INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id,
                    quantity, origin, date, company_id, create_date,
                    write_date, create_uid, write_uid)
                SELECT DISTINCT p,
                       (%(below)s::int[])[1 + floor(random()
                                                    * %(n)s)::int],
                       1, 'import', now(), %(company)s, now(), now(), 1, 1
                  FROM unnest(%(level)s::int[]) p, generate_series(1, 5) j
            """, {'below': below, 'n': len(below), 'level': level,
                  'company': company_id})
        below = below + level


def backend_cpu_ms(pid):
    with open('/proc/%d/stat' % pid) as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf(
        'SC_CLK_TCK')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('database')
    parser.add_argument('--fill', action='store_true')
    parser.add_argument('--reps', type=int, default=5)
    args = parser.parse_args()
    conn = psycopg2.connect(dbname=args.database)
    cr = conn.cursor()
    if args.fill:
        fill(cr)
        conn.commit()
        conn.autocommit = True
        cr.execute('VACUUM ANALYZE meddev_lot_link')
        conn.autocommit = False
    cr.execute('SELECT pg_backend_pid(), min(id) FROM res_company')
    pid, company_id = cr.fetchone()
    cr.execute('SELECT count(*) FROM meddev_lot_link')
    print('%d links in the table; load average %s' % (
        cr.fetchone()[0], ' / '.join('%.2f' % x for x in os.getloadavg())))
    starts = []
    for shape, name in SHAPES:
        cr.execute('SELECT id FROM stock_production_lot WHERE name = %s',
                   [name])
        row = cr.fetchone()
        if row:
            starts.append((shape, row[0]))
    figures = {}
    # Interleaved: every variant and shape once per repetition.
    for rep in range(args.reps + 1):
        for label, query in VARIANTS:
            for shape, lot_id in starts:
                cpu = backend_cpu_ms(pid)
                start = time.perf_counter()
                cr.execute(query, {'lots': [lot_id],
                                   'company': company_id})
                rows = cr.fetchall()
                wall = (time.perf_counter() - start) * 1000.0
                cpu = backend_cpu_ms(pid) - cpu
                conn.rollback()
                if label.startswith('frontier'):
                    lots = sum(len(row[1]) for row in rows)
                else:
                    lots = len(rows[0][0] or ())
                if rep:
                    entry = figures.setdefault((shape, label), [[], [], 0])
                    entry[0].append(wall)
                    entry[1].append(cpu)
                    entry[2] = lots
    print('| shape | query | rows out | wall ms (median, min) | backend CPU '
          'ms (median) |')
    print('|---|---|---:|---:|---:|')
    for shape, _lot in starts:
        for label, _query in VARIANTS:
            wall, cpu, lots = figures[(shape, label)]
            print('| %s | %s | %d | %.0f (%.0f) | %.0f |' % (
                shape, label, lots, statistics.median(wall), min(wall),
                statistics.median(cpu)))
    print('load average after: %s' % ' / '.join(
        '%.2f' % x for x in os.getloadavg()))


if __name__ == '__main__':
    main()
