"""Checks for upgrade_uninstall.sh, run with the project's Python:

    upgrade_checks.py ODOO_CONF DATABASE counts
        print the number of records of the suite's business models (one
        "model count" per line), archived ones included;
    upgrade_checks.py ODOO_CONF DATABASE smoke
        Odoo's sale and stock flow (an unregulated product to a partner
        without limit: quotation, confirmation, delivery, invoice), then every
        scheduled action of the installed suite addons, as the scheduler
        runs it (the crons commit per batch: run on a throwaway copy);
        prints "smoke ok" or fails with the traceback;
    upgrade_checks.py ODOO_CONF DATABASE leftovers ADDON
        after ADDON's uninstall: print what it left behind (models,
        fields, views, actions, tables: exit 1) and what Odoo kept
        because other data references it (listed only).
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


def counts(env):
    for model in COUNTED:
        if model in env:
            print(model, env[model].with_context(
                active_test=False).search_count([]))


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
    invoice = env['account.invoice'].browse(order.action_invoice_create())
    invoice.action_invoice_open()
    assert order.state == 'sale', order.state
    assert picking.state == 'done', picking.state
    assert invoice.state == 'open', invoice.state
    run_crons(env)
    print('smoke ok')


def run_crons(env):
    """Run each scheduled action of the installed suite addons as the
    scheduler does (its server action, as its user), active or not."""
    data = env['ir.model.data'].search([
        ('model', '=', 'ir.cron'), ('module', '=like', 'meddev\\_%')])
    for cron in env['ir.cron'].with_context(active_test=False).browse(
            data.mapped('res_id')).exists():
        cron.method_direct_trigger()
        print('cron ok', cron.name)


def leftovers(env, module):
    """Print what ``module`` left after its uninstall; return how many
    things are left that should not be.

    Records of the addon that other data still references (a location
    with done stock moves, a delivered lot, a user with activities) are
    kept by Odoo, with their xml ids: printed as "kept", not counted.
    Xml ids of the addon's own models, dropped with their tables, stay
    too (Odoo removes only the xml ids of the records it deleted; a
    reinstall recreates them): "kept" as well. Left, and counted: a model,
    field, view, window action or table without its code."""
    cr = env.cr
    kept, left = [], []
    cr.execute("SELECT model, name, res_id FROM ir_model_data "
               "WHERE module = %s", [module])
    for model, name, res_id in cr.fetchall():
        if model not in env.registry:
            kept.append('kept xml id %s (%s dropped)' % (name, model))
        elif env[model].browse(res_id).exists():
            kept.append('kept %s %s (referenced)' % (model, name))
        else:
            left.append('xml id %s of a deleted %s' % (name, model))
    cr.execute("SELECT model FROM ir_model")
    left += ['model %s' % model for model, in cr.fetchall()
             if model not in env.registry]
    cr.execute("SELECT model, name FROM ir_model_fields")
    left += ['field %s.%s' % (model, name) for model, name in cr.fetchall()
             if model in env.registry
             and name not in env.registry[model]._fields]
    cr.execute("SELECT id, name, model FROM ir_ui_view WHERE model IS NOT "
               "NULL AND model <> ''")
    left += ['view %s %s (%s)' % row for row in cr.fetchall()
             if row[2] not in env.registry]
    cr.execute("SELECT id, res_model FROM ir_act_window")
    left += ['window action %s (%s)' % row for row in cr.fetchall()
             if row[1] not in env.registry]
    tables = {model._table for model in env.registry.values()}
    tables |= {field.relation for model in env.registry.values()
               for field in model._fields.values()
               if field.type == 'many2many' and field.store}
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
               "'public' AND tablename LIKE 'meddev\\_%'")
    left += ['table %s' % table for table, in cr.fetchall()
             if table not in tables]
    for line in kept + ['left ' + line for line in left]:
        print(line)
    return len(left)


def main(conf, database, action, *args):
    odoo.tools.config.parse_config(['-c', conf, '-d', database,
                                    '--max-cron-threads=0'])
    registry = odoo.registry(database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {
            'tracking_disable': True})
        try:
            if action == 'counts':
                counts(env)
            elif action == 'smoke':
                smoke(env)
                cr.commit()
            elif action == 'leftovers':
                return 1 if leftovers(env, *args) else 0
        finally:
            cr.rollback()
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
