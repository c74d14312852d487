"""Prototype (issue 10, task 4): would a per-lot array reach the 0.2 s
forward-trace target at 300 000 links, and at what write cost? SQL only,
in scratch tables of a scratch database; meddev_traceability is not
changed.

    createdb -T <any database with meddev_traceability> scratch
    .venv/bin/python bench/profile_trace.py scratch --fill   # once
    .venv/bin/python bench/profile_closure.py scratch [--reps 5]

Two stores, both derived from the current links (date_removed IS NULL;
the company rule left out: one company):

- ``bench_lot_parents(lot_id, parent_ids int[])``: the adjacency, one row
  per lot with the lots it went into. The walk reads one row per lot
  reached instead of one index entry per link.
- ``bench_lot_up(lot_id, height, up_ids int[])``: the closure as an array,
  every lot that contains the lot at any level up. The recall's lot set
  (``_trace_lot_ids`` forward) is then one row read; the levels, vias and
  quantities of ``trace_forward()`` are not in it.

Measured: the build of each store, the size, the forward lot set from the
component lot of each shape (median wall and backend CPU ms over
``--reps``, interleaved with the current UNION walk over the links), and
the write cost of keeping the stores in step with one link write:

- a new finished lot made of 5 lots of the DAG's top level (the daily
  case: production of one lot): the adjacency gets 5 array appends; the
  closure appends the new lot to the arrays of the 5 components and of
  everything they contain;
- the same 5 links removed again (a correction): the adjacency removes
  the element; the closure recomputes the arrays of the components and of
  everything they contain, level by level.

Each write is rolled back after it is timed.
"""
import argparse
import os
import statistics
import time

import psycopg2

LOT_SET = """
WITH RECURSIVE reached(lot_id) AS (
    SELECT l.parent_lot_id FROM meddev_lot_link l
     WHERE l.child_lot_id = ANY(%(lots)s) AND l.date_removed IS NULL
    UNION
    SELECT l.parent_lot_id FROM reached
      JOIN meddev_lot_link l ON l.child_lot_id = reached.lot_id
     WHERE l.date_removed IS NULL
)
SELECT array_agg(lot_id) FROM reached
"""

ADJACENCY_SET = """
WITH RECURSIVE reached(lot_id) AS (
    SELECT unnest(a.parent_ids) FROM bench_lot_parents a
     WHERE a.lot_id = ANY(%(lots)s)
    UNION
    SELECT unnest(a.parent_ids) FROM reached
      JOIN bench_lot_parents a ON a.lot_id = reached.lot_id
)
SELECT array_agg(lot_id) FROM reached
"""

# Frontier per level over the adjacency arrays: one row per level, the
# lots seen so far anti-joined (hashed), no UNION's per-row dedup.
ADJACENCY_FRONTIER = """
WITH RECURSIVE walk(level, lots, seen) AS (
    SELECT 0, %(lots)s::int[], %(lots)s::int[]
    UNION ALL
    SELECT walk.level + 1, step.lots, walk.seen || step.lots
      FROM walk, LATERAL (
        SELECT array_agg(DISTINCT p) AS lots
          FROM bench_lot_parents a, unnest(a.parent_ids) p
         WHERE a.lot_id = ANY(walk.lots)
           AND p NOT IN (SELECT unnest(walk.seen))) step
     WHERE step.lots IS NOT NULL AND walk.level < 64
)
SELECT array_agg(x) FROM walk, unnest(walk.lots) x WHERE walk.level > 0
"""

CLOSURE_SET = """
SELECT array_agg(DISTINCT x) FROM bench_lot_up u, unnest(u.up_ids) x
 WHERE u.lot_id = ANY(%(lots)s)
"""

# One lot: the stored array as is (already distinct).
CLOSURE_ONE = """
SELECT up_ids FROM bench_lot_up WHERE lot_id = %(lot)s
"""

QUERIES = (('current UNION walk over the links', LOT_SET),
           ('adjacency arrays, UNION walk', ADJACENCY_SET),
           ('adjacency arrays, frontier per level', ADJACENCY_FRONTIER),
           ('closure array (one row)', CLOSURE_ONE),
           ('closure array, unnest + distinct', CLOSURE_SET))

# The DAGs' levels (addons/meddev_traceability/benchmarks/trace_bench.py
# DAG_LEVELS), lots named <shape>-<level>-<n>.
SIZES_BY_LEVEL = (20, 100, 1000, 5000, 20000, 35900)
# Lots whose closure is not built (the cross-level DAG's).
CLOSURE_SKIP = 'XDAG-%'

SHAPES = (('tree', 'TREE-0-1'), ('layered DAG', 'DAG-0-1'),
          ('cross-level DAG', 'XDAG-0-1'))


def backend_cpu_ms(pid):
    with open('/proc/%d/stat' % pid) as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf(
        'SC_CLK_TCK')


class Timer(object):

    def __init__(self, cr, pid):
        self.cr = cr
        self.pid = pid

    def __call__(self, function):
        cpu = backend_cpu_ms(self.pid)
        start = time.perf_counter()
        result = function()
        wall = (time.perf_counter() - start) * 1000.0
        return wall, backend_cpu_ms(self.pid) - cpu, result


def build_adjacency(cr):
    cr.execute('DROP TABLE IF EXISTS bench_lot_parents')
    cr.execute("""
        CREATE TABLE bench_lot_parents AS
        SELECT child_lot_id AS lot_id,
               array_agg(parent_lot_id ORDER BY parent_lot_id) AS parent_ids
          FROM meddev_lot_link WHERE date_removed IS NULL
         GROUP BY child_lot_id""")
    cr.execute('ALTER TABLE bench_lot_parents ADD PRIMARY KEY (lot_id)')


def heights(cr):
    """bench_lot_height(lot_id, height): longest path down from a lot no
    other lot contains (height 0), so that a lot comes after every lot
    that contains it."""
    cr.execute('DROP TABLE IF EXISTS bench_lot_height')
    # The cross-level DAG is left out (CLOSURE_SKIP): its closure does
    # not fit (see NOTES.md).
    cr.execute("""
        CREATE TABLE bench_lot_height AS
        SELECT x.lot_id, 0 AS height FROM (
            SELECT parent_lot_id AS lot_id FROM meddev_lot_link
             WHERE date_removed IS NULL
            UNION SELECT child_lot_id FROM meddev_lot_link
             WHERE date_removed IS NULL) x
          JOIN stock_production_lot lot ON lot.id = x.lot_id
         WHERE lot.name NOT LIKE %s""", [CLOSURE_SKIP])
    cr.execute('ALTER TABLE bench_lot_height ADD PRIMARY KEY (lot_id)')
    for _step in range(64):
        cr.execute("""
            UPDATE bench_lot_height h SET height = s.height
              FROM (SELECT l.child_lot_id, max(p.height) + 1 AS height
                      FROM meddev_lot_link l
                      JOIN bench_lot_height p ON p.lot_id = l.parent_lot_id
                     WHERE l.date_removed IS NULL
                     GROUP BY l.child_lot_id) s
             WHERE h.lot_id = s.child_lot_id AND h.height < s.height""")
        if not cr.rowcount:
            break


def recompute_up(cr, lot_ids=None):
    """(Re)compute the closure arrays of ``lot_ids`` (all lots when None),
    height by height: a lot's array is its parents and their arrays."""
    where = '' if lot_ids is None else 'AND h.lot_id = ANY(%(ids)s)'
    cr.execute('SELECT DISTINCT height FROM bench_lot_height h WHERE TRUE '
               + where + ' ORDER BY 1', {'ids': lot_ids})
    for (height,) in cr.fetchall():
        cr.execute("""
            INSERT INTO bench_lot_up (lot_id, height, up_ids)
            SELECT h.lot_id, h.height, coalesce((
                SELECT array_agg(DISTINCT x) FROM (
                    SELECT l.parent_lot_id AS x FROM meddev_lot_link l
                     WHERE l.child_lot_id = h.lot_id
                       AND l.date_removed IS NULL
                    UNION ALL
                    SELECT unnest(u.up_ids) FROM meddev_lot_link l
                      JOIN bench_lot_up u ON u.lot_id = l.parent_lot_id
                     WHERE l.child_lot_id = h.lot_id
                       AND l.date_removed IS NULL) s), '{}')
              FROM bench_lot_height h WHERE h.height = %(height)s
            """ + where + """
            ON CONFLICT (lot_id) DO UPDATE SET up_ids = EXCLUDED.up_ids""",
                   {'height': height, 'ids': lot_ids})


def build_closure(cr, lot_ids):
    """The closure arrays of ``lot_ids`` only, each from the UNION walk.
    The whole closure is not built: the height-by-height SQL build
    (recompute_up) of the layered DAG ran over 7 minutes on one level
    (the 100 lots of level 1 each union about 50 arrays of about 50 000
    ints) and was stopped; see NOTES.md."""
    cr.execute('DROP TABLE IF EXISTS bench_lot_up')
    cr.execute("""CREATE TABLE bench_lot_up (lot_id int PRIMARY KEY,
                  height int, up_ids int[])""")
    for lot_id in lot_ids:
        cr.execute(LOT_SET, {'lots': [lot_id]})
        ups = sorted(cr.fetchone()[0] or ())
        cr.execute('INSERT INTO bench_lot_up VALUES (%s, 0, %s)',
                   [lot_id, ups])


def contained(cr, lot_ids):
    """Every lot that ``lot_ids`` contain, at any level down, with them."""
    cr.execute("""
        WITH RECURSIVE down(lot_id) AS (
            SELECT unnest(%(ids)s::int[])
            UNION
            SELECT l.child_lot_id FROM down
              JOIN meddev_lot_link l ON l.parent_lot_id = down.lot_id
             WHERE l.date_removed IS NULL)
        SELECT array_agg(lot_id) FROM down""", {'ids': lot_ids})
    return cr.fetchone()[0]


def new_finished_lot(cr, components):
    """Insert a lot made of ``components`` with its links, and keep both
    stores in step; return (link ms, adjacency ms, closure ms, lots whose
    closure array was rewritten, ints written)."""
    cr.execute("""INSERT INTO stock_production_lot (name, product_id,
                  create_date, write_date, create_uid, write_uid)
                  SELECT 'BENCH-NEW-TOP', product_id, now(), now(), 1, 1
                    FROM stock_production_lot WHERE id = %s RETURNING id""",
               [components[0]])
    new = cr.fetchone()[0]
    start = time.perf_counter()
    cr.execute("""
        INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id, quantity,
            origin, date, company_id, create_date, write_date, create_uid,
            write_uid)
        SELECT %s, c, 1, 'import', now(), 1, now(), now(), 1, 1
          FROM unnest(%s::int[]) c""", [new, components])
    link_ms = (time.perf_counter() - start) * 1000.0
    start = time.perf_counter()
    # Top-level lots went into nothing yet: no row to append to.
    cr.execute("""
        INSERT INTO bench_lot_parents (lot_id, parent_ids)
        SELECT c, ARRAY[%s] FROM unnest(%s::int[]) c
        ON CONFLICT (lot_id) DO UPDATE
           SET parent_ids = bench_lot_parents.parent_ids
                            || EXCLUDED.parent_ids""", [new, components])
    adjacency_ms = (time.perf_counter() - start) * 1000.0
    # The closure: every lot the components contain gets the new lot
    # appended to its array. Rewritten here: the arrays built; the ints
    # the others hold are estimated from a sample (mean forward set).
    start = time.perf_counter()
    affected = contained(cr, components)
    cr.execute("""
        UPDATE bench_lot_up SET up_ids = up_ids || %s
         WHERE lot_id = ANY(%s)
        RETURNING cardinality(up_ids)""", [new, affected])
    rewritten = [row[0] for row in cr.fetchall()]
    closure_ms = (time.perf_counter() - start) * 1000.0
    sample = affected[::max(1, len(affected) // 20)][:20]
    sizes = []
    for lot_id in sample:
        cr.execute(LOT_SET, {'lots': [lot_id]})
        sizes.append(len(cr.fetchone()[0] or ()))
    written = len(affected) * statistics.mean(sizes) if sizes else 0
    closure_ms = {'measured_ms': closure_ms, 'arrays_measured': len(rewritten),
                  'ints_measured': sum(rewritten)}
    return new, link_ms, adjacency_ms, closure_ms, len(affected), written


def remove_links(cr, new, components):
    """Remove the links of ``new`` again (dated, as the suite does) and
    keep both stores in step; return (adjacency ms, closure ms)."""
    cr.execute("""UPDATE meddev_lot_link SET date_removed = now()
                   WHERE parent_lot_id = %s""", [new])
    start = time.perf_counter()
    cr.execute("""
        UPDATE bench_lot_parents SET parent_ids = array_remove(parent_ids,
                                                               %s)
         WHERE lot_id = ANY(%s)""", [new, components])
    adjacency_ms = (time.perf_counter() - start) * 1000.0
    # The closure would recompute the arrays of every lot the components
    # contain (recompute_up, height by height): not measured, the whole
    # closure is not built (build_closure).
    return adjacency_ms, None


def estimate_closure(cr):
    """The size a closure would have: for each level of each DAG, its
    number of lots x the mean forward lot set of 3 of its lots (by level:
    the few bottom lots hold most of it, a random sample misses them)."""
    estimates = []
    for shape in ('DAG', 'XDAG'):
        lots = total = 0
        for level in range(len(SIZES_BY_LEVEL)):
            pattern = '%s-%d-%%' % (shape, level)
            cr.execute('SELECT count(*) FROM stock_production_lot '
                       'WHERE name LIKE %s', [pattern])
            count = cr.fetchone()[0]
            cr.execute("""SELECT id FROM stock_production_lot
                           WHERE name LIKE %s ORDER BY id LIMIT 3""",
                       [pattern])
            sizes = []
            for (lot_id,) in cr.fetchall():
                cr.execute(LOT_SET, {'lots': [lot_id]})
                sizes.append(len(cr.fetchone()[0] or ()))
            lots += count
            total += count * (statistics.mean(sizes) if sizes else 0)
        estimates.append((shape + '-%', lots, total / lots if lots else 0,
                          total))
    return estimates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('database')
    parser.add_argument('--reps', type=int, default=5)
    parser.add_argument('--full-closure', action='store_true',
                        help='build the closure of every lot (tree and '
                             'layered DAG) height by height first: slow')
    args = parser.parse_args()
    conn = psycopg2.connect(dbname=args.database)
    cr = conn.cursor()
    cr.execute('SELECT pg_backend_pid()')
    pid = cr.fetchone()[0]
    timer = Timer(cr, pid)
    cr.execute('SELECT count(*) FROM meddev_lot_link')
    print('%d links in the table; load average %s' % (
        cr.fetchone()[0], ' / '.join('%.2f' % x for x in os.getloadavg())))
    estimates = estimate_closure(cr)
    conn.rollback()
    builds = []
    starts = []
    for shape, name in SHAPES:
        cr.execute('SELECT id FROM stock_production_lot WHERE name = %s',
                   [name])
        row = cr.fetchone()
        if row:
            starts.append((shape, row[0]))
    closure_lots = [lot_id for _shape, lot_id in starts]

    def full_closure(cr):
        build_closure(cr, [])
        heights(cr)
        recompute_up(cr)
    for label, build in (('adjacency arrays', build_adjacency),
                         ('closure arrays of the start lots only',
                          lambda cr: build_closure(cr, closure_lots))
                         if not args.full_closure else
                         ('closure arrays of every lot', full_closure)):
        wall, cpu, _r = timer(lambda: build(cr))
        conn.commit()
        table = ('bench_lot_parents' if label.startswith('adjacency')
                 else 'bench_lot_up')
        column = 'parent_ids' if table == 'bench_lot_parents' else 'up_ids'
        cr.execute('ANALYZE %s' % table)
        cr.execute("""SELECT count(*), sum(cardinality(%s)),
                             pg_total_relation_size('%s')
                        FROM %s""" % (column, table, table))
        rows, ints, size = cr.fetchone()
        builds.append((label, wall, cpu, rows, ints, size))
    conn.commit()
    figures = {}
    for rep in range(args.reps + 1):
        for label, query in QUERIES:
            for shape, lot_id in starts:
                wall, cpu, rows = timer(lambda: (cr.execute(
                    query, {'lots': [lot_id], 'lot': lot_id}),
                    cr.fetchall())[1])
                conn.rollback()
                if rep:
                    entry = figures.setdefault((shape, label), [[], [], 0])
                    entry[0].append(wall)
                    entry[1].append(cpu)
                    entry[2] = len(rows[0][0] or ()) if rows else 0
    print()
    print('| store | build wall ms | build CPU ms | rows | ints | size MB |')
    print('|---|---:|---:|---:|---:|---:|')
    for label, wall, cpu, rows, ints, size in builds:
        print('| %s | %.0f | %.0f | %d | %d | %.1f |' % (
            label, wall, cpu, rows, ints or 0, size / 1048576.0))
    print()
    print('| lots | in the DAG | mean forward set (3 per level) | closure '
          'entries, estimated |')
    print('|---|---:|---:|---:|')
    for prefix, lots, mean, total in estimates:
        print('| %s | %d | %.0f | %.0f |' % (prefix, lots, mean, total))
    print()
    print('| shape | query | lots | wall ms (median, min) | backend CPU ms '
          '(median) |')
    print('|---|---|---:|---:|---:|')
    for shape, _lot in starts:
        for label, _query in QUERIES:
            wall, cpu, lots = figures[(shape, label)]
            print('| %s | %s | %d | %.1f (%.1f) | %.0f |' % (
                shape, label, lots, statistics.median(wall), min(wall),
                statistics.median(cpu)))
    # Writes: a new finished lot of 5 top-level DAG lots, then removed.
    cr.execute("""SELECT id FROM stock_production_lot WHERE name LIKE 'DAG-5-%'
                  ORDER BY id LIMIT 5""")
    components = [row[0] for row in cr.fetchall()]
    writes = []
    if components:
        for _rep in range(max(1, args.reps)):
            new, link_ms, adj_ms, clo_ms, lots, ints = new_finished_lot(
                cr, components)
            adj_rm, clo_rm = remove_links(cr, new, components)
            writes.append((link_ms, adj_ms, clo_ms, lots, ints, adj_rm,
                           clo_rm))
            conn.rollback()
        med = [statistics.median(w[i] for w in writes)
               for i in (0, 1, 3, 4, 5)]
        closure = writes[-1][2]
        print()
        print('A new lot made of 5 top-level DAG lots (median of %d, wall '
              'ms): the 5 link inserts %.1f; adjacency arrays %.1f. Closure:'
              ' %d lots to update (the components and all they contain), '
              'about %.0f ints held by their arrays (sampled); rewriting '
              'the %d arrays built here (%d ints) took %.1f ms. Its 5 '
              'links removed: adjacency arrays %.1f.' % (
                  len(writes), med[0], med[1], med[2], med[3],
                  closure['arrays_measured'], closure['ints_measured'],
                  closure['measured_ms'], med[4]))
    print('load average after: %s' % ' / '.join(
        '%.2f' % x for x in os.getloadavg()))


if __name__ == '__main__':
    main()
