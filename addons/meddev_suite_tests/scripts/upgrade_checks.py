"""Checks for upgrade_uninstall.sh, run with the project's Python:

    upgrade_checks.py ODOO_CONF DATABASE counts
        print the number of records of the suite's business models (one
        "model count" per line), archived ones included;
    upgrade_checks.py ODOO_CONF DATABASE smoke
        Odoo's sale and stock flow (an unregulated product to a partner
        without limit: quotation, confirmation, delivery) and the crons of
        the installed suite addons, in a transaction rolled back at the
        end; prints "smoke ok" or fails with the traceback.
"""
import sys

import odoo
from odoo import SUPERUSER_ID, api

COUNTED = [
    'meddev.partner.licence', 'meddev.qualification.review',
    'meddev.credit.override', 'meddev.credit.rating.history',
    'meddev.credit.partner.state', 'meddev.lot.link', 'meddev.recall',
    'meddev.recall.line', 'meddev.service.ticket',
    'meddev.service.equipment', 'meddev.service.contract',
    'meddev.complaint', 'meddev.regulatory.report', 'meddev.capa',
    'meddev.capa.action', 'meddev.esignature', 'mail.message',
    'sale.order', 'stock.move',
]

# The scheduled actions of each addon, run by the smoke check when the
# addon is installed (model, method, keyword arguments).
CRONS = [
    ('meddev_qualification', 'meddev.partner.licence',
     '_cron_check_expiry', {}),
    ('meddev_credit', 'res.partner', '_cron_rate_customers', {}),
    ('meddev_traceability', 'meddev.recall',
     '_cron_flag_overdue_notices', {}),
    ('meddev_service', 'meddev.service.ticket.sla', '_cron_check_sla', {}),
    ('meddev_service', 'meddev.service.pm.plan',
     '_cron_create_pm_tickets', {}),
    ('meddev_quality_capa', 'meddev.regulatory.report',
     '_cron_check_deadlines', {}),
    ('meddev_quality_capa', 'meddev.capa.action',
     '_cron_overdue_actions', {}),
]


def counts(env):
    for model in COUNTED:
        if model in env:
            print(model, env[model].with_context(
                active_test=False).search_count([]))


def installed(env, module):
    return bool(env['ir.module.module'].search_count(
        [('name', '=', module), ('state', '=', 'installed')]))


def smoke(env):
    partner = env['res.partner'].create({
        'name': 'Upgrade Smoke Customer', 'customer': True})
    product = env['product.product'].create({
        'name': 'Upgrade Smoke Gauze', 'type': 'product',
        'list_price': 10.0})
    location = env.ref('stock.stock_location_stock')
    env['stock.quant']._update_available_quantity(product, location, 5.0)
    order = env['sale.order'].create({
        'partner_id': partner.id,
        'order_line': [(0, 0, {'product_id': product.id,
                               'product_uom_qty': 2.0})]})
    order.action_confirm()
    picking = order.picking_ids
    picking.action_assign()
    for line in picking.move_line_ids:
        line.qty_done = line.product_uom_qty
    picking.action_done()
    assert order.state == 'sale', order.state
    assert picking.state == 'done', picking.state
    for module, model, method, kwargs in CRONS:
        if installed(env, module):
            getattr(env[model], method)(**kwargs)
            print('cron ok', module, model, method)
    print('smoke ok')


def main(conf, database, action):
    odoo.tools.config.parse_config(['-c', conf, '-d', database])
    registry = odoo.registry(database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {
            'tracking_disable': True})
        try:
            {'counts': counts, 'smoke': smoke}[action](env)
        finally:
            cr.rollback()


if __name__ == '__main__':
    main(*sys.argv[1:4])
