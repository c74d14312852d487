"""Case 2: posting a customer invoice and registering its payment, with
and without the suite (and with the OCA anchors), for customers holding
10 and 10 000 posted invoices. A 5-line draft invoice is created (not
timed), then ``action_invoice_open`` is timed, then the payment
(account.payment create + post, reconciled with the invoice); queries
counted; everything rolled back after each measurement. As the
superuser: the figures are the work of the documents, not of access
rules. Interleaved like case 1.
"""
from odoo import fields

from . import base

VARIANTS = ('plain', 'deps', 'suite', 'oca')
WARMUP = 1


def once(db, history):
    meta = db.meta
    env = db.env()
    products = env['product.product'].browse(meta['products'])
    account = env['account.account'].search([
        ('user_type_id', '=',
         env.ref('account.data_account_type_revenue').id)], limit=1)
    invoice = env['account.invoice'].create({
        'partner_id': meta['customers'][history], 'type': 'out_invoice',
        'invoice_line_ids': [(0, 0, {
            'product_id': product.id, 'name': product.name,
            'quantity': 2, 'price_unit': 50.0, 'account_id': account.id})
            for product in products[:5]]})
    post = base.timed(db.cr, invoice.action_invoice_open)
    journal = env['account.journal'].search([('type', '=', 'bank')],
                                            limit=1)

    def pay():
        payment = env['account.payment'].create({
            'payment_type': 'inbound', 'partner_type': 'customer',
            'partner_id': invoice.partner_id.id,
            'amount': invoice.amount_total, 'journal_id': journal.id,
            'payment_method_id': env.ref(
                'account.account_payment_method_manual_in').id,
            'invoice_ids': [(6, 0, invoice.ids)],
            'payment_date': fields.Date.context_today(invoice)})
        payment.post()
        return payment
    paid = base.timed(db.cr, pay)
    state = invoice.state
    db.reset()
    return post, paid, state


def run(dbs, histories, reps, stats):
    histories = (histories[0], histories[-1])
    samples = {}
    problems = []
    for rep in range(WARMUP + reps):
        for history in histories:
            for variant in [v for v in VARIANTS if v in dbs]:
                post, paid, state = once(dbs[variant], history)
                if state != 'paid':
                    problems.append('%s H%d: invoice left %s after payment'
                                    % (variant, history, state))
                if rep < WARMUP:
                    continue
                steps = (('post', post), ('payment', paid))
                for step, (seconds, queries, _r) in steps:
                    key = (variant, history, step)
                    samples.setdefault(key, ([], []))
                    samples[key][0].append(seconds * 1000.0)
                    samples[key][1].append(queries)
    rows = [{'variant': variant, 'history': history, 'step': step,
             'ms': stats(ms), 'queries': stats(queries)}
            for (variant, history, step), (ms, queries)
            in sorted(samples.items())]
    return {'rows': rows, 'problems': sorted(set(problems))}
