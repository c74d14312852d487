"""Case 1: confirming a 20-line quotation.

Variants: plain Odoo (sale_management + stock), deps (the Odoo and OCA
addons the suite depends on: mrp, purchase, product_expiry, queue_job,
tier validation... without the suite), the suite (its credit and
qualification gates run on confirmation), OCA sale_financial_risk +
account_financial_risk. Each with customers holding 10, 1 000 and
10 000 posted invoices. The quotation is created through the ORM as the
bench salesman (not timed), then ``action_confirm`` is timed with its
SQL queries (``cr.sql_log_count``), then everything is rolled back: each
measurement starts from the same database. The variants and histories
are interleaved in every repetition; one warm-up round is dropped (WARMUP).
"""
from . import base

VARIANTS = ('plain', 'deps', 'suite', 'oca')
LINES = 20
WARMUP = 1


def confirm_once(db, history):
    meta = db.meta
    env = db.env(meta['salesman'])
    products = meta['products']
    order = env['sale.order'].create({
        'partner_id': meta['customers'][history],
        'order_line': [(0, 0, {'product_id': products[i % len(products)],
                               'product_uom_qty': 1 + i % 3})
                       for i in range(LINES)]})
    seconds, queries, _result = base.timed(db.cr, order.action_confirm)
    state = order.state
    db.reset()
    return seconds, queries, state


def run(dbs, histories, reps, stats):
    samples = {}
    problems = []
    for rep in range(WARMUP + reps):
        for history in histories:
            for variant in [v for v in VARIANTS if v in dbs]:
                seconds, queries, state = confirm_once(dbs[variant], history)
                if state != 'sale':
                    problems.append('%s H%d: order left in %s' % (
                        variant, history, state))
                if rep >= WARMUP:
                    key = (variant, history)
                    samples.setdefault(key, ([], []))
                    samples[key][0].append(seconds * 1000.0)
                    samples[key][1].append(queries)
    rows = []
    for (variant, history), (ms, queries) in sorted(samples.items()):
        rows.append({'variant': variant, 'history': history,
                     'ms': stats(ms), 'queries': stats(queries)})
    return {'rows': rows, 'problems': sorted(set(problems))}
