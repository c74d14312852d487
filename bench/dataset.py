"""What bench/generate.py must have put in a database, and a fingerprint
of what it did put there: counts, and an md5 of each generated table's
rows in id order, so that two generations of the same size and variant
from the same base template can be compared (the generator is seeded:
they must be identical). No Odoo import: bench/tests reads databases
through psql.

Dates are hashed relative to today (the generator dates its seed records
"now" and its clones back from them): two generations on the same day
compare equal.
"""
import common

# name: (variants, SQL returning "count|md5")
FINGERPRINT_SQL = {
    'partners': (None, """
        SELECT count(*), md5(string_agg(id || ':' || name, ',' ORDER BY id))
          FROM res_partner WHERE name LIKE 'Bench Partner %'"""),
    'history_orders': (None, """
        SELECT count(*), md5(string_agg(so.id || ':' || so.partner_id || ':'
                   || (current_date - so.date_order::date) || ':'
                   || l.product_id || ':' || l.product_uom_qty, ','
                   ORDER BY so.id, l.id))
          FROM sale_order so JOIN sale_order_line l ON l.order_id = so.id
         WHERE so.name LIKE 'BENCH-SO-%' AND so.name <> 'BENCH-SO-SEED'"""),
    'customer_invoices': (None, """
        SELECT count(*), md5(string_agg(id || ':' || partner_id || ':'
                   || state || ':' || residual || ':'
                   || (current_date - date_invoice), ',' ORDER BY id))
          FROM account_invoice WHERE type = 'out_invoice'"""),
    'licences': (('suite',), """
        SELECT count(*), md5(string_agg(id || ':' || partner_id || ':'
                   || number || ':' || state || ':'
                   || (valid_to - current_date), ',' ORDER BY id))
          FROM meddev_partner_licence WHERE number LIKE 'BENCH-LIC-P%'"""),
    'tickets': (('suite',), """
        SELECT count(*), md5(string_agg(id || ':' || name || ':' || team_id
                   || ':' || stage_id || ':' || sla_status, ',' ORDER BY id))
          FROM meddev_service_ticket"""),
    'complaints': (('suite',), """
        SELECT count(*), md5(string_agg(id || ':' || name || ':' || state,
                   ',' ORDER BY id))
          FROM meddev_complaint"""),
    'reports': (('suite',), """
        SELECT count(*), md5(string_agg(id || ':' || complaint_id || ':'
                   || rule_id || ':' || state, ',' ORDER BY id))
          FROM meddev_regulatory_report"""),
    'tree_links': (('suite',), """
        SELECT count(*), md5(string_agg(k.parent_lot_id || '>'
                   || k.child_lot_id, ',' ORDER BY k.id))
          FROM meddev_lot_link k
          JOIN stock_production_lot l ON l.id = k.parent_lot_id
         WHERE l.name LIKE 'BT-%'"""),
    'dag_links': (('suite',), """
        SELECT count(*), md5(string_agg(k.parent_lot_id || '>'
                   || k.child_lot_id, ',' ORDER BY k.id))
          FROM meddev_lot_link k
          JOIN stock_production_lot l ON l.id = k.parent_lot_id
         WHERE l.name LIKE 'BD-%'"""),
}


def bench_customer_sql(history):
    return """SELECT count(*), '' FROM account_invoice i
                JOIN res_partner p ON p.id = i.partner_id
               WHERE p.name = 'Bench Customer H%d'
                 AND i.type = 'out_invoice'""" % history


def fingerprint(db, variant, size):
    """{name: (count, md5)} of what the generator made in ``db``."""
    out = {}
    queries = [(name, sql) for name, (variants, sql)
               in sorted(FINGERPRINT_SQL.items())
               if variants is None or variant in variants]
    queries += [('bench_customer_h%d' % h, bench_customer_sql(h))
                for h in common.SIZES[size]['histories']]
    for name, sql in queries:
        count, digest = common.psql(sql, db).split('|')
        out[name] = (int(count), digest)
    return out


def expected_counts(variant, size):
    """The counts the generator's volumes (common.SIZES) promise; the DAG's
    link count depends on its seeded draws, so only its presence is
    promised (> 0, checked by the caller)."""
    vol = common.SIZES[size]
    out = {
        'partners': vol['partners'],
        'history_orders': vol['orders'],
        # One invoice per history order, plus each bench customer's.
        'customer_invoices': vol['orders'] + sum(vol['histories']),
    }
    for history in vol['histories']:
        out['bench_customer_h%d' % history] = history
    if variant == 'suite':
        # Six seed tickets and four seed complaints, cloned.
        out.update({
            'licences': 1 + min(vol['licences'], vol['partners'] - 1),
            'tickets': 6 + 6 * max(1, vol['tickets'] // 6 - 1),
            'complaints': 4 + 4 * max(1, vol['complaints'] // 4 - 1),
            # One complaint in five.
            'reports': (4 + 4 * max(1, vol['complaints'] // 4 - 1)) // 5,
            'tree_links': vol['links'],
        })
    return out
