"""Generate the data set of one SIZE in one variant's database.

    .venv/bin/python bench/generate.py VARIANT SIZE DATABASE

Deterministic: every choice comes from row numbers (``n``) or from a
seeded ``random.Random``; the database's own random() is seeded too.
A few seed records are made through the ORM, so that every column the
addons fill on create is right; the volume is then cloned from them with
``INSERT ... SELECT`` over ``generate_series`` (creating 10 000 orders or
invoices one by one through the ORM would take hours at L).

What is made (volumes in bench/common.py SIZES):

- every variant: 20 products, ``partners`` customers, ``orders``
  history orders (one line each, delivered and invoiced, spread over two
  years) across those customers, and one bench customer per history
  level (``histories``) holding that many posted customer invoices: ten
  open, the others paid (cloned, marked reconciled);
- suite: an approved licence covering the products for each customer,
  then ``licences`` more (spread from expired to valid for years),
  service teams, tickets with their SLA clocks, complaints, and
  genealogy links in two shapes (tree, DAG) for the trace case;
- oca: the anchors' risk settings on the bench customers (limit, every
  risk included).
"""
import random
import sys
import time

import common

import odoo
from odoo import SUPERUSER_ID, api

SEED = 20261201
CTX = {'tracking_disable': True, 'mail_create_nolog': True,
       'mail_notrack': True, 'no_reset_password': True}


def columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s AND column_name <> 'id'
                   ORDER BY ordinal_position""", [table])
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, where, copies, overrides, extra_from=''):
    """Insert ``copies`` copies of each row of ``table`` matching
    ``where`` (on alias ``src``); ``overrides`` maps a column to an SQL
    expression over ``src``, ``n`` (1..copies) and ``extra_from``."""
    cols = columns(cr, table)
    select = [overrides.get(col, 'src.%s' % col) for col in cols]
    cr.execute("""
        INSERT INTO {table} ({cols})
        SELECT {select}
          FROM {table} src CROSS JOIN generate_series(1, {copies}) n
               {extra}
         WHERE {where}
    """.format(table=table, cols=', '.join('"%s"' % c for c in cols),
               select=', '.join(select), extra=extra_from, where=where,
               copies=int(copies)))
    return cr.rowcount


class Generator(object):

    def __init__(self, env, variant, size):
        self.env = env
        self.cr = env.cr
        self.variant = variant
        self.size = size
        self.vol = common.SIZES[size]
        self.rnd = random.Random(SEED)
        self.company = env.user.company_id
        self.cr.execute('SELECT setseed(0.42)')

    def step(self, label):
        common.log('%s %s: %s' % (self.variant, self.size, label))

    # ------------------------------------------------------------------
    def run(self):
        env = self.env
        self.category = None
        if self.variant == 'suite':
            self.suite_setup()
        self.products = self.make_products()
        self.step('partners')
        self.partners = self.make_partners(self.vol['partners'])
        self.step('history orders')
        self.make_orders(self.vol['orders'])
        self.step('bench customers and their invoices')
        customers = {}
        seed = None
        for history in self.vol['histories']:
            customer = self.make_customer('Bench Customer H%d' % history)
            seed = self.make_invoices(customer, history)
            customers[history] = customer.id
        self.step('invoices of the other partners')
        # One invoice per history order, one in ten still open (most of
        # those overdue): the rating cron's input.
        self.clone_invoices(seed, self.vol['orders'], 'P', self.partners,
                            open_every=10)
        if self.variant == 'suite':
            self.step('licences')
            self.make_licences()
            self.step('service tickets')
            self.make_tickets()
            self.step('complaints')
            self.make_complaints()
            self.step('regulatory reports of the complaints')
            self.make_reports()
            self.step('genealogy links')
            self.make_links()
        self.step('salesman')
        groups = env.ref('sales_team.group_sale_salesman_all_leads') | \
            env.ref('stock.group_stock_user')
        if self.variant == 'suite':
            groups |= env.ref(
                'meddev_qualification.group_meddev_qualification_user')
        salesman = env['res.users'].create({
            'name': 'Bench Salesman', 'login': 'bench_salesman',
            'groups_id': [(6, 0, groups.ids)]})
        env['ir.config_parameter'].set_param('meddev_bench.meta', repr({
            'customers': customers, 'products': self.products.ids,
            'salesman': salesman.id, 'size': self.size,
            'variant': self.variant,
            'links': getattr(self, 'links', {}),
        }))

    # ------------------------------------------------------------------
    def suite_setup(self):
        env = self.env
        self.category = env['meddev.device.category'].create(
            {'name': 'Bench monitoring devices', 'code': 'B07'})
        # Only the bench's licence type asks for anything: the shipped
        # Chinese set would ask each customer for five documents.
        env['meddev.licence.type'].search([]).write({'active': False})
        self.licence_type = env['meddev.licence.type'].create({
            'code': 'B-C2', 'name': 'Bench Class II Licence',
            'for_distributor': True, 'authorises_class_ii': True,
            'has_scope': True, 'allow_long_term': True,
        })

    def make_products(self):
        products = self.env['product.product']
        for index in range(20):
            vals = {'name': 'Bench Product %02d' % index, 'type': 'product',
                    'list_price': 10.0 + index, 'invoice_policy': 'order'}
            if self.category:
                vals.update(device_class='II',
                            device_category_id=self.category.id,
                            device_certificate_number='BENCH-%02d' % index,
                            device_certificate_expiry='2035-12-31')
            products |= products.create(vals)
        return products

    def partner_vals(self, name):
        vals = {'name': name, 'is_company': True, 'customer': True}
        if self.variant == 'suite':
            vals['meddev_partner_kind'] = 'distributor'
        return vals

    def make_partners(self, count):
        """One partner through the ORM, the others cloned."""
        seed = self.env['res.partner'].create(
            self.partner_vals('Bench Partner 0'))
        self.cr.execute('SELECT max(id) FROM res_partner')
        first = self.cr.fetchone()[0] + 1
        clone(self.cr, 'res_partner', 'src.id = %d' % seed.id, count - 1, {
            'name': "'Bench Partner ' || n",
            'display_name': "'Bench Partner ' || n",
            'commercial_partner_id': 'NULL',
        })
        self.cr.execute("""UPDATE res_partner SET commercial_partner_id = id
                            WHERE commercial_partner_id IS NULL""")
        self.cr.execute("""SELECT id FROM res_partner
                            WHERE id = %s OR id >= %s ORDER BY id""",
                        [seed.id, first])
        return [row[0] for row in self.cr.fetchall()]

    def make_orders(self, count):
        """A delivered, invoiced one-line seed order, cloned ``count``
        times across the partners, dated over two years."""
        env = self.env
        order = env['sale.order'].create({
            'partner_id': self.partners[0],
            'order_line': [(0, 0, {'product_id': self.products[0].id,
                                   'product_uom_qty': 2})]})
        cr = self.cr
        cr.execute("""UPDATE sale_order SET state = 'done',
                             invoice_status = 'invoiced',
                             name = 'BENCH-SO-SEED' WHERE id = %s""",
                   [order.id])
        cr.execute("""UPDATE sale_order_line SET qty_delivered =
                             product_uom_qty, qty_invoiced = product_uom_qty,
                             qty_to_invoice = 0, invoice_status = 'invoiced',
                             state = 'done'
                       WHERE order_id = %s""", [order.id])
        partners = 'ARRAY[%s]' % ','.join(str(p) for p in self.partners)
        pick = '(%s)[1 + (n::bigint * 7919) %% %d]' % (
            partners, len(self.partners))
        clone(cr, 'sale_order', 'src.id = %d' % order.id, count, {
            'name': "'BENCH-SO-' || n",
            'partner_id': pick, 'partner_invoice_id': pick,
            'partner_shipping_id': pick,
            'date_order': "src.date_order - (n % 730) * interval '1 day'",
            'confirmation_date':
                "src.date_order - (n % 730) * interval '1 day'",
        })
        clone(cr, 'sale_order_line', 'src.order_id = %d' % order.id, 1, {
            'order_id': 'so.id', 'order_partner_id': 'so.partner_id',
            'product_id': '(ARRAY[%s])[1 + so.id %% 20]' % ','.join(
                str(p) for p in self.products.ids),
            'product_uom_qty': '1 + so.id % 9',
            'qty_delivered': '1 + so.id % 9',
            'qty_invoiced': '1 + so.id % 9',
        }, extra_from="JOIN sale_order so ON so.name LIKE 'BENCH-SO-%%' "
                      "AND so.id <> %d" % order.id)

    def make_customer(self, name):
        env = self.env
        vals = self.partner_vals(name)
        vals['credit_limit'] = 1e9
        if self.variant == 'oca':
            vals.update(risk_sale_order_include=True,
                        risk_invoice_draft_include=True,
                        risk_invoice_open_include=True,
                        risk_invoice_unpaid_include=True,
                        risk_account_amount_include=True,
                        risk_account_amount_unpaid_include=True)
        customer = env['res.partner'].create(vals)
        if self.variant == 'suite':
            self.licence(customer, 'BENCH-LIC-%d' % customer.id)
        return customer

    def licence(self, partner, number):
        licence = self.env['meddev.partner.licence'].create({
            'partner_id': partner.id,
            'licence_type_id': self.licence_type.id,
            'number': number, 'valid_from': '2020-01-01',
            'valid_to': '2035-12-31',
            'scope_category_ids': [(6, 0, self.category.ids)],
        })
        licence.action_submit()
        licence.action_approve()
        return licence

    def make_invoices(self, customer, count):
        """Ten open invoices through the ORM, ``count - 10`` paid clones
        of the first one (moves, move lines, invoices)."""
        env = self.env
        account = env['account.account'].search([
            ('user_type_id', '=',
             env.ref('account.data_account_type_revenue').id)], limit=1)
        invoices = env['account.invoice']
        for index in range(min(10, count)):
            invoice = env['account.invoice'].create({
                'partner_id': customer.id, 'type': 'out_invoice',
                'invoice_line_ids': [(0, 0, {
                    'product_id': self.products[index].id,
                    'name': 'Bench line', 'quantity': 1 + index,
                    'price_unit': 100.0, 'account_id': account.id})]})
            invoices |= invoice
        invoices.action_invoice_open()
        rest = count - len(invoices)
        if rest > 0:
            self.clone_invoices(invoices[0], rest, 'C')
        return invoices[0]

    def clone_invoices(self, seed, copies, tag, partners=None,
                       open_every=0):
        """Clone the posted invoice ``seed`` (move, move lines, invoice)
        ``copies`` times, dated back over 900 days, paid (receivable
        marked reconciled) except one in ``open_every``; spread over
        ``partners`` when given."""
        cr = self.cr
        prefix = '%s-%s' % (seed.number, tag)
        partner = 'src.partner_id'
        if partners:
            partner = '(ARRAY[%s])[1 + (n::bigint * 7919) %% %d]' % (
                ','.join(map(str, partners)), len(partners))
        clone(cr, 'account_move', 'src.id = %d' % seed.move_id.id, copies, {
            'name': "src.name || '-%s' || n" % tag,
            'partner_id': partner,
            'date': "src.date - (n % 900) * interval '1 day'",
        })
        is_open = ('m.id %% %d = 0' % open_every) if open_every else 'FALSE'
        join = "JOIN account_move m ON m.name LIKE '%s%%'" % prefix
        clone(cr, 'account_invoice', 'src.id = %d' % seed.id, 1, {
            'number': 'm.name', 'move_name': 'm.name', 'move_id': 'm.id',
            'partner_id': 'm.partner_id',
            'commercial_partner_id': 'm.partner_id',
            'reference': 'NULL', 'date': 'm.date', 'date_invoice': 'm.date',
            'date_due': "m.date + interval '30 days'",
            'state': "CASE WHEN %s THEN 'open' ELSE 'paid' END" % is_open,
            'reconciled': 'NOT (%s)' % is_open,
            'residual': 'CASE WHEN %s THEN src.residual ELSE 0 END'
                        % is_open,
            'residual_signed': 'CASE WHEN %s THEN src.residual_signed '
                               'ELSE 0 END' % is_open,
            'residual_company_signed': 'CASE WHEN %s THEN '
                                       'src.residual_company_signed '
                                       'ELSE 0 END' % is_open,
        }, extra_from=join)
        clone(cr, 'account_move_line', 'src.move_id = %d' % seed.move_id.id,
              1, {
                  'move_id': 'm.id', 'invoice_id': 'inv.id',
                  'partner_id': 'm.partner_id',
                  'date': 'm.date', 'date_maturity': 'inv.date_due',
                  'reconciled': "acc.reconcile AND inv.state = 'paid'",
                  'amount_residual': "CASE WHEN acc.reconcile AND "
                                     "inv.state = 'paid' THEN 0 "
                                     "ELSE src.amount_residual END",
                  'amount_residual_currency': '0',
              }, extra_from=(
                  join + " JOIN account_invoice inv ON inv.move_id = m.id "
                  "JOIN account_account acc ON acc.id = src.account_id"))

    # ------------------------------------------------------------------
    def make_licences(self):
        """One approved licence for every partner, expiring from 60 days
        ago to eight years ahead (some inside the alert windows)."""
        cr = self.cr
        seed = self.licence(self.env['res.partner'].browse(
            self.partners[0]), 'BENCH-LIC-P0')
        partners = 'ARRAY[%s]' % ','.join(str(p) for p in self.partners[1:])
        count = min(self.vol['licences'], len(self.partners) - 1)
        clone(cr, 'meddev_partner_licence', 'src.id = %d' % seed.id, count, {
            'number': "'BENCH-LIC-P' || n",
            'partner_id': '(%s)[n]' % partners,
            'valid_to': "CURRENT_DATE + ((n * 37) % 3000 - 60)",
        })
        cr.execute("""
            INSERT INTO meddev_partner_licence_category_rel
                   (licence_id, category_id)
            SELECT l.id, %s FROM meddev_partner_licence l
             WHERE l.number LIKE 'BENCH-LIC-P%%' AND l.id <> %s
            ON CONFLICT DO NOTHING
        """, [self.category.id, seed.id])

    def make_tickets(self):
        """Three teams, seed tickets through the ORM (their SLA clocks
        start), cloned over six months with their clocks."""
        env = self.env
        cr = self.cr
        calendar = env['resource.calendar'].create({
            'name': 'Bench office hours',
            'attendance_ids': [(5, 0, 0)] + [(0, 0, {
                'name': 'Office', 'dayofweek': str(day),
                'hour_from': start, 'hour_to': end})
                for day in range(5) for start, end in ((8.5, 12), (13, 17.5))],
        })
        policy = env['meddev.sla.policy'].create({
            'name': 'Bench standard', 'sequence': 50, 'response_hours': 2,
            'onsite_hours': 8, 'resolution_hours': 16,
            'at_risk_percent': 80})
        teams = env['meddev.service.team']
        for index in range(3):
            teams |= teams.create({
                'name': 'Bench Team %d' % index,
                'calendar_id': calendar.id, 'tz': 'Asia/Shanghai',
                'sla_policy_ids': [(6, 0, policy.ids)]})
        product = env['product.product'].create({
            'name': 'Bench Monitor', 'type': 'product',
            'tracking': 'serial', 'service_pm_interval_months': 6})
        hospital = env['res.partner'].browse(self.partners[1])
        tickets = env['meddev.service.ticket']
        for index in range(6):
            lot = env['stock.production.lot'].create({
                'name': 'BENCH-SN-%d' % index, 'product_id': product.id})
            equipment = env['meddev.service.equipment'].create({
                'lot_id': lot.id, 'partner_id': hospital.id,
                'site_id': hospital.id, 'install_date': '2025-01-01'})
            tickets |= tickets.create({
                'title': 'Bench fault %d' % index,
                'team_id': teams[index % 3].id,
                'equipment_id': equipment.id,
                'priority': str(1 + index % 3)})
        copies = max(1, self.vol['tickets'] // len(tickets) - 1)
        stages = env['meddev.service.stage'].search([]).ids
        statuses = "ARRAY['running','at_risk','met','failed','met','met']"
        clone(cr, 'meddev_service_ticket',
              'src.id IN (%s)' % ','.join(map(str, tickets.ids)), copies, {
                  'name': "src.name || '#' || n",
                  'date_open': "src.date_open - (n % 180) * interval "
                               "'1 day' - (n % 24) * interval '1 hour'",
                  'team_id': '(ARRAY[%s])[1 + n %% 3]' % ','.join(
                      map(str, teams.ids)),
                  'stage_id': '(ARRAY[%s])[1 + (n / 7) %% %d]' % (
                      ','.join(map(str, stages)), len(stages)),
                  'sla_status': '(%s)[1 + n %% 6]' % statuses,
                  'sla_deadline': "src.date_open - (n % 180) * interval "
                                  "'1 day' + interval '8 hours'",
              })
        cr.execute("""UPDATE meddev_service_ticket t SET is_closed =
                             s.is_closed FROM meddev_service_stage s
                       WHERE s.id = t.stage_id AND t.name LIKE '%#%'""")
        clone(cr, 'meddev_service_ticket_sla', 'src.ticket_id = base.id', 1, {
            'ticket_id': 't.id', 'team_id': 't.team_id',
            'start_date': 't.date_open',
            'deadline': "t.date_open + interval '8 hours'",
            'status': "CASE WHEN t.is_closed THEN 'met' ELSE 'running' END",
        }, extra_from="JOIN meddev_service_ticket t ON t.name LIKE '%#%' "
                      "JOIN meddev_service_ticket base ON base.name = "
                      "split_part(t.name, '#', 1)")

    def make_complaints(self):
        env = self.env
        product = env['product.product'].create({
            'name': 'Bench Pump', 'type': 'product', 'tracking': 'serial'})
        lot = env['stock.production.lot'].create({
            'name': 'BENCH-PUMP-1', 'product_id': product.id})
        seeds = env['meddev.complaint']
        for index in range(4):
            seeds |= seeds.create({
                'partner_id': self.partners[2], 'lot_id': lot.id,
                'description': 'Bench complaint %d' % index,
                'patient_involved': False, 'patient_outcome': 'no_harm'})
        copies = max(1, self.vol['complaints'] // len(seeds) - 1)
        clone(self.cr, 'meddev_complaint',
              'src.id IN (%s)' % ','.join(map(str, seeds.ids)), copies, {
                  'name': "src.name || '#' || n",
                  'received_date': "src.received_date - (n % 730) * "
                                   "interval '1 day'",
                  'awareness_date': "src.received_date - (n % 730) * "
                                    "interval '1 day'",
                  'state': "(ARRAY['intake','assessment','investigation',"
                           "'closed','closed','cancel'])[1 + n % 6]",
              })

    def make_reports(self):
        """Regulatory reports on one complaint in five (SQL), each under a
        shipped reporting rule (rotating), in the mix a backlog holds:
        six in ten submitted on time, one cancelled, and three open: one
        already past its deadline (the reporting-deadline cron marks it
        missed), one inside its warning window (the cron warns the
        quality manager once: an activity per complaint and a digest
        mail), one due in weeks. The company's quality manager receives
        the warnings."""
        env = self.env
        cr = self.cr
        manager = env['res.users'].create({
            'name': 'Bench Quality Manager', 'login': 'bench_quality_manager',
            'email': 'quality.manager@bench.example.com',
            'groups_id': [(6, 0, [env.ref(
                'meddev_quality_capa.group_meddev_quality_capa_manager').id
            ])]})
        self.company.meddev_quality_manager_id = manager
        cr.execute("""SELECT id FROM meddev_reporting_rule
                       WHERE active AND warning_hours > 0 ORDER BY id""")
        rules = [row[0] for row in cr.fetchall()]
        if not rules:
            raise RuntimeError('no shipped reporting rule with a warning')
        # k = the report's place in a cycle of ten (see the docstring);
        # warn_date as _compute_warn_date stores it (the rule's warning
        # or the company's lead time, the longer).
        cr.execute("""
            INSERT INTO meddev_regulatory_report (
                name, complaint_id, rule_id, country_id, report_kind,
                event_kind, clock_start, due_date, warn_date, warned_date,
                submitted_date, on_time, state, company_id,
                cancelled_missed, create_uid, create_date, write_uid,
                write_date)
            SELECT c.name || ' / ' || r.name, c.id, r.id, r.country_id,
                   r.report_kind, r.event_kind, c.received_date, d.due,
                   d.due - make_interval(hours => GREATEST(r.warning_hours,
                       COALESCE(co.meddev_deadline_warning_hours, 0))),
                   CASE WHEN d.k <= 6 THEN d.due - interval '2 days' END,
                   CASE WHEN d.k <= 5 THEN d.due - interval '1 day' END,
                   d.k <= 5,
                   CASE WHEN d.k <= 5 THEN 'submitted'
                        WHEN d.k = 6 THEN 'cancel' ELSE 'open' END,
                   c.company_id, FALSE, 1, now(), 1, now()
              FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n
                      FROM meddev_complaint c) c
              JOIN res_company co ON co.id = c.company_id
              JOIN meddev_reporting_rule r
                ON r.id = (%(rules)s::int[])[1 + (c.n / 5) %% %(count)s]
             CROSS JOIN LATERAL (
                SELECT (c.n / 5) %% 10 AS k,
                       CASE WHEN (c.n / 5) %% 10 <= 6
                            THEN c.received_date + interval '10 days'
                            WHEN (c.n / 5) %% 10 = 7
                            THEN now() at time zone 'UTC'
                                 - (1 + c.n %% 30) * interval '1 day'
                            WHEN (c.n / 5) %% 10 = 8
                            THEN now() at time zone 'UTC'
                                 + (1 + c.n %% 3) * interval '1 hour'
                            ELSE now() at time zone 'UTC'
                                 + (30 + c.n %% 60) * interval '1 day'
                       END AS due) d
             WHERE c.n %% 5 = 0
        """, {'rules': rules, 'count': len(rules)})
        self.reports = cr.rowcount

    def make_links(self):
        """Tree and DAG genealogy in meddev_lot_link, ``links`` each."""
        env = self.env
        cr = self.cr
        product = env['product.product'].create({
            'name': 'Bench Component', 'type': 'product', 'tracking': 'lot'})
        target = self.vol['links']

        def lots(count, prefix):
            cr.execute("""
                INSERT INTO stock_production_lot (name, product_id,
                    create_date, write_date, create_uid, write_uid)
                SELECT %s || n, %s, now(), now(), 1, 1
                  FROM generate_series(1, %s) n RETURNING id""",
                       [prefix, product.id, count])
            return sorted(row[0] for row in cr.fetchall())

        def link(pairs_sql, params):
            cr.execute("""
                INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id,
                    quantity, origin, date, company_id, create_date,
                    write_date, create_uid, write_uid)
                SELECT parent, child, 1, 'import', now(), %(company)s,
                       now(), now(), 1, 1 FROM ({}) pairs(parent, child)
            """.format(pairs_sql), dict(params, company=self.company.id))
        # Tree: 10 roots, fan-out 10 per level until ``target`` links.
        below = lots(10, 'BT-0-')
        roots = below
        made = 0
        depth = 0
        while made < target:
            depth += 1
            fanout = 10
            count = min(len(below) * fanout, target - made)
            level = lots(count, 'BT-%d-' % depth)
            link("""SELECT p, (%(below)s::int[])[(p - %(first)s)
                                                 / %(fanout)s + 1]
                      FROM generate_series(%(first)s, %(last)s) p""",
                 {'below': below, 'first': level[0], 'last': level[-1],
                  'fanout': fanout})
            made += count
            below = level
        # DAG: levels growing x5, each lot made of 5 random lots below.
        sizes = []
        size_level = 20
        while sum(sizes) * 5 < target:
            sizes.append(size_level)
            size_level *= 4
        levels = [lots(n, 'BD-%d-' % i) for i, n in enumerate(sizes)]
        for low, high in zip(levels, levels[1:]):
            link("""SELECT DISTINCT p, %(low)s + floor(random()
                                                       * %(size)s)::int
                      FROM generate_series(%(first)s, %(last)s) p,
                           generate_series(1, 5) j""",
                 {'low': low[0], 'size': len(low), 'first': high[0],
                  'last': high[-1]})
        cr.execute('SELECT count(*) FROM meddev_lot_link')
        self.links = {'tree_root': roots[0], 'dag_bottom': levels[0][0],
                      'total': cr.fetchone()[0]}


def main():
    variant, size, db = sys.argv[1:4]
    odoo.tools.config.parse_config(
        common.odoo_args() + ['-d', db, '--log-level=warn'])
    start = time.time()
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, CTX)
        Generator(env, variant, size).run()
        cr.commit()
    common.log('generated %s %s in %.0f s' % (variant, size,
                                              time.time() - start))


if __name__ == '__main__':
    main()
