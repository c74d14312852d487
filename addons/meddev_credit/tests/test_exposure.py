from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditFlowCase, count_queries, days_ago


class TestExposure(MeddevCreditFlowCase):

    def test_open_invoices_credit_notes_and_payments(self):
        invoice = self._create_invoice(self.customer, 1000.0)
        self._create_invoice(self.contact, 500.0)
        self.assertEqual(self._figures(self.customer)['credit_receivable'],
                         1500.0)
        # An unpaid credit note reduces what the customer owes.
        self._create_invoice(self.customer, 200.0, kind='out_refund')
        self.assertEqual(self._figures(self.customer)['credit_receivable'],
                         1300.0)
        self._pay(invoice, 400.0)
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_receivable'], 900.0)
        self._pay(invoice, 600.0)
        self.assertEqual(invoice.state, 'paid')
        self.assertEqual(self._figures(self.customer)['credit_receivable'],
                         300.0)

    def test_unreconciled_payments_reduce_exposure(self):
        invoice = self._create_invoice(self.customer, 1000.0)
        # Received from the contact, not yet matched to the invoice.
        payment = self._receive(self.contact, 400.0)
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_receivable'], 1000.0)
        self.assertEqual(figures['credit_unreconciled_payment'], -400.0)
        self.assertEqual(figures['credit_exposure'], 600.0)
        self.assertEqual(self.customer.credit_unreconciled_payment, -400.0)
        # Once matched, the invoice's residual drops instead: no double
        # count.
        credit_line = payment.move_line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)
        invoice.assign_outstanding_credit(credit_line.id)
        self.assertEqual(invoice.residual, 600.0)
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_receivable'], 600.0)
        self.assertEqual(figures['credit_unreconciled_payment'], 0.0)
        self.assertEqual(figures['credit_exposure'], 600.0)
        # Paid beyond the invoice: the rest stays a credit.
        payment = self._receive(self.customer, 1000.0)
        credit_line = payment.move_line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)
        invoice.assign_outstanding_credit(credit_line.id)
        self.assertEqual(invoice.state, 'paid')
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_receivable'], 0.0)
        self.assertEqual(figures['credit_unreconciled_payment'], -400.0)
        self.assertEqual(figures['credit_exposure'], -400.0)

    def test_credit_notes_are_not_unreconciled_payments(self):
        self._create_invoice(self.customer, 1000.0)
        self._create_invoice(self.customer, 300.0, kind='out_refund')
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_unreconciled_payment'], 0.0)
        self.assertEqual(figures['credit_exposure'], 700.0)

    def test_contact_documents_count_for_company(self):
        self._create_invoice(self.contact, 700.0)
        figures = self._figures(self.contact)
        self.assertEqual(figures['credit_receivable'], 700.0)
        self.assertEqual(self.customer.credit_exposure, 700.0)
        self.assertEqual(self.contact.credit_exposure, 700.0)

    def test_other_currency(self):
        # 2 MDX for 1 company unit.
        invoice = self._create_invoice(
            self.customer, 1000.0, currency=self.foreign)
        self.assertEqual(self._figures(self.customer)['credit_receivable'],
                         500.0)
        self._pay(invoice, 400.0)
        self.assertEqual(self._figures(self.customer)['credit_receivable'],
                         300.0)
        order = self._create_order(self.customer, [(self.product, 2, 300.0)],
                                   pricelist=self.foreign_pricelist)
        order.action_confirm()
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         300.0)

    def test_draft_invoices(self):
        self._create_invoice(self.customer, 800.0, post=False)
        self._create_invoice(self.customer, 100.0, kind='out_refund',
                             post=False)
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_draft_invoice'], 700.0)
        self.assertEqual(figures['credit_receivable'], 0.0)
        self.assertEqual(figures['credit_exposure'], 700.0)

    def test_orders_not_invoiced(self):
        order = self._create_order(self.customer, [
            (self.product, 3, 100.0), (self.service, 2, 50.0)])
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         0.0, 'quotations are no exposure')
        order.action_confirm()
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         400.0)
        product_line, service_line = order.order_line
        # Delivered beyond the order on delivery-invoiced lines: what was
        # delivered will be invoiced.
        service_line.qty_delivered = 3
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         450.0)
        invoice_ids = order.action_invoice_create()
        invoice = self.env['account.invoice'].browse(invoice_ids)
        figures = self._figures(self.customer)
        # Invoiced lines leave the order bucket for the draft one.
        self.assertEqual(figures['credit_sale_order'], 0.0)
        self.assertEqual(figures['credit_draft_invoice'], 450.0)
        invoice.action_invoice_open()
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_draft_invoice'], 0.0)
        self.assertEqual(figures['credit_receivable'], 450.0)
        self.assertEqual(figures['credit_exposure'], 450.0)
        self.assertEqual(product_line.qty_invoiced, 3)

    def test_overdue(self):
        self._create_invoice(self.customer, 300.0,
                             date_invoice=days_ago(70), date_due=days_ago(40))
        self._create_invoice(self.customer, 200.0,
                             date_invoice=days_ago(20), date_due=days_ago(5))
        self._create_invoice(self.customer, 900.0)
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_overdue_amount'], 500.0)
        self.assertEqual(figures['credit_overdue_days'], 40)
        self.assertEqual(figures['credit_receivable'], 1400.0)

    def test_partner_fields(self):
        self._create_invoice(self.customer, 8500.0)
        customer = self.customer.sudo(self.user)
        self.assertEqual(customer.credit_exposure, 8500.0)
        self.assertEqual(customer.credit_available, 1500.0)
        self.assertEqual(customer.credit_usage, 85.0)
        self.assertEqual(customer.credit_currency_id, self.currency)
        at_risk = self.env['res.partner'].sudo(self.user).search([
            ('credit_usage', '>=', 80)])
        self.assertIn(self.customer, at_risk)
        # A contact shows its company's usage, and is found by it.
        self.assertEqual(self.contact.credit_usage, 85.0)
        self.assertIn(self.contact, at_risk)
        # Grade C halves the limit.
        self.customer.credit_rating = 'C'
        self.customer.invalidate_cache()
        self.assertEqual(self.customer.credit_effective_limit, 5000.0)
        self.assertEqual(self.customer.credit_available, -3500.0)
        with self.assertRaisesRegex(UserError, 'compared'):
            self.env['res.partner'].search([('credit_usage', '=', 80)])

    def test_query_count_is_flat(self):
        partners = self.customer
        for index in range(5):
            partner = self.env['res.partner'].create({
                'name': 'Clinic %s' % index, 'is_company': True})
            self._create_invoice(partner, 100.0)
            self._create_invoice(partner, 50.0, post=False)
            partners |= partner
        self._create_invoice(self.customer, 100.0)

        def count(records):
            records.invalidate_cache()
            with count_queries() as queries:
                records._credit_figures(self.company, self.today)
            self._queries = queries
            return len(queries)

        # The first read also runs the recomputations the invoices left.
        count(partners)
        many = count(partners)
        self.assertEqual(count(partners[:2]), many)
        for __ in range(10):
            self._create_invoice(self.customer, 10.0)
        count(partners)
        self.assertEqual(count(partners), many)
        # One query per bucket, whatever the number of partners: open and
        # draft invoices, overdue invoices, open credit notes.
        self.assertEqual(len([q for q in self._queries
                              if 'account_invoice' in q]), 4)

    def _deliver(self, order, quantity):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ('done', 'cancel'))
        picking.action_assign()
        picking.move_lines.quantity_done = quantity
        picking.action_done()

    def test_cancelled_remainder_counts_nothing(self):
        goods = self.env['product.product'].create({
            'name': 'Surgical Gloves (box)', 'type': 'consu',
            'invoice_policy': 'delivery', 'taxes_id': [(6, 0, [])]})
        order = self._create_order(self.customer, [(goods, 10, 100.0)])
        order.action_confirm()
        # Planned to ship: a confirmed order weighs from its confirmation.
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         1000.0)
        self._deliver(order, 7)
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         1000.0, 'the backorder of 3 is still to ship')
        backorder = order.picking_ids.filtered(
            lambda p: p.state not in ('done', 'cancel'))
        backorder.action_cancel()
        # Short-shipped and closed: only the 7 delivered are to invoice.
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         700.0)
        invoice = self.env['account.invoice'].browse(
            order.action_invoice_create())
        invoice.action_invoice_open()
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_sale_order'], 0.0,
                         'nothing left forever for the cancelled remainder')
        self.assertEqual(figures['credit_exposure'], 700.0)

    def test_returned_before_refund_is_negative(self):
        goods = self.env['product.product'].create({
            'name': 'Catheter Kit', 'type': 'consu',
            'invoice_policy': 'delivery', 'taxes_id': [(6, 0, [])]})
        order = self._create_order(self.customer, [(goods, 10, 100.0)])
        order.action_confirm()
        self._deliver(order, 10)
        invoice = self.env['account.invoice'].browse(
            order.action_invoice_create())
        invoice.action_invoice_open()
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         0.0)
        # Two kits come back (the return lowers the delivered quantity):
        # the order owes the customer a credit note of 200 until refunded.
        order.order_line.qty_delivered = 8
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_sale_order'], -200.0)
        self.assertEqual(figures['credit_exposure'], 800.0)
        refund = self.env['account.invoice'].browse(
            order.action_invoice_create(final=True))
        self.assertEqual(refund.type, 'out_refund')
        refund.action_invoice_open()
        figures = self._figures(self.customer)
        self.assertEqual(figures['credit_sale_order'], 0.0)
        self.assertEqual(figures['credit_exposure'], 800.0)

    def test_unapplied_credits_settle_overdue(self):
        self.company.credit_overdue_tolerance_amount = 0.0
        self._create_invoice(self.customer, 200.0,
                             date_invoice=days_ago(70), date_due=days_ago(40))
        self._create_invoice(self.customer, 300.0,
                             date_invoice=days_ago(40), date_due=days_ago(10))
        figures = self._figures(self.customer)
        self.assertEqual((figures['credit_overdue_amount'],
                          figures['credit_overdue_days']), (500.0, 40))
        # A credit note not matched yet settles the oldest invoice first.
        self._create_invoice(self.customer, 250.0, kind='out_refund')
        figures = self._figures(self.customer)
        self.assertEqual((figures['credit_overdue_amount'],
                          figures['credit_overdue_days']), (250.0, 10))
        # The customer paid the rest; the payment is not matched yet.
        self._receive(self.contact, 250.0)
        figures = self._figures(self.customer)
        self.assertEqual((figures['credit_overdue_amount'],
                          figures['credit_overdue_days']), (0.0, 0))
        self.assertEqual(self.customer.credit_overdue_amount, 0.0)

    def test_overdue_tolerance_amount(self):
        self.customer.credit_rating = 'B'   # tolerance 15 days
        self._create_invoice(self.customer, 40.0,
                             date_invoice=days_ago(90), date_due=days_ago(60))
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(UserError, 'overdue by 60 days'):
            order.sudo(self.salesman).action_confirm()
        # Bank charges left open: within the company's tolerance amount.
        self.company.credit_overdue_tolerance_amount = 50.0
        self.assertEqual(self._figures(self.customer)[
            'credit_overdue_days'], 0)
        order.sudo(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_at_risk_search_is_set_based(self):
        """Opening the at-risk list computes the figures of the customers
        with open documents together: the queries do not grow with them."""
        partners = self.env['res.partner']

        def count():
            partners.invalidate_cache()
            with count_queries() as queries:
                found = partners.search([('credit_usage', '>=', 80)])
            return found, len(queries)

        self._create_invoice(self.customer, 8500.0)
        count()
        found, few = count()
        self.assertIn(self.customer, found)
        clinics = partners
        for index in range(10):
            clinic = partners.create({
                'name': 'Clinic %s' % index, 'is_company': True,
                'credit_limit': 1000.0})
            self._create_invoice(clinic, 500.0 + 100 * index)
            clinics |= clinic
        count()
        found, many = count()
        self.assertEqual(many, few)
        # 80 % of 1000 or more: the invoices of 800 and above.
        self.assertEqual(found & clinics, clinics[3:])
        found = partners.search([('credit_usage', '<', 60),
                                 ('id', 'in', clinics.ids)])
        self.assertEqual(found, clinics[:1])
        # Customers with a limit but nothing open use 0 %; customers
        # without a limit count against the company default.
        idle = partners.create({'name': 'Idle Clinic', 'is_company': True,
                                'credit_limit': 1000.0})
        unlimited = partners.create({'name': 'No Limit Clinic',
                                     'is_company': True})
        self._create_invoice(unlimited, 450.0)
        self.company.write({'credit_no_limit_policy': 'default',
                            'credit_default_limit': 500.0})
        with count_queries() as queries:
            found = partners.search([('credit_usage', '>=', 80)])
        self.assertIn(unlimited, found)
        self.assertNotIn(idle, found)
        # One query reads the documents, none per customer.
        reading = [query for query in queries
                   if 'account_invoice' in query or 'sale_order' in query]
        self.assertEqual(len(reading), 1, reading)
        self.assertIn(idle, partners.search([('credit_usage', '<', 1)]))
        self.assertNotIn(idle, partners.search([('credit_usage', '<', 0)]))

    def test_only_managers_set_limits_and_holds(self):
        with self.assertRaisesRegex(AccessError, 'Only a credit manager'):
            self.customer.sudo(self.salesman).write({'credit_limit': 1.0})
        with self.assertRaisesRegex(AccessError, 'Only a credit manager'):
            self.customer.sudo(self.salesman).write({'credit_hold': True})
        # A contact added by a salesperson copies its company's limit.
        contact = self.env['res.partner'].sudo(self.salesman).create({
            'name': 'Nurse Wang', 'parent_id': self.customer.id})
        self.assertEqual(contact.credit_limit, 10000.0)
        self.customer.sudo(self.manager).write({
            'credit_hold': True, 'credit_hold_reason': 'Disputed invoices'})
        self.assertEqual(self.customer.credit_hold_origin, 'manual')
        self.assertEqual(self.customer.credit_hold_user_id, self.manager)

    def test_only_managers_create_customers_with_a_limit(self):
        partners = self.env['res.partner'].sudo(self.salesman)
        for vals in ({'credit_limit': 99999.0}, {'credit_hold': True},
                     {'credit_rating': 'A'}):
            vals.update(name='Self-approved Clinic', is_company=True)
            with self.assertRaisesRegex(
                    AccessError, 'Only a credit manager may create the '
                                 'customer Self-approved Clinic'):
                partners.create(vals)
        self.assertFalse(self.env['res.partner'].search(
            [('name', '=', 'Self-approved Clinic')]))
        partner = partners.create({'name': 'New Clinic', 'is_company': True})
        self.assertEqual(partner.credit_limit, 0.0)
        partner = self.env['res.partner'].sudo(self.manager).create({
            'name': 'Approved Clinic', 'is_company': True,
            'credit_limit': 5000.0})
        self.assertEqual(partner.credit_limit, 5000.0)

    def test_exposure_analysis(self):
        order = self._create_order(self.customer, [(self.product, 2, 300.0)],
                                   pricelist=self.foreign_pricelist)
        order.action_confirm()
        self._create_invoice(self.customer, 300.0,
                             date_invoice=days_ago(70), date_due=days_ago(40))
        self._create_invoice(self.contact, 100.0, kind='out_refund')
        self._create_invoice(self.customer, 250.0, post=False)
        self._receive(self.contact, 50.0)
        report = self.env['meddev.credit.exposure.report'].sudo(self.user)
        rows = report.read_group(
            [('partner_id', '=', self.customer.id)], ['amount', 'bucket'],
            ['bucket'])
        totals = {row['bucket']: row['amount'] for row in rows}
        figures = self._figures(self.customer)
        self.assertEqual(totals, {'receivable': 200.0, 'draft_invoice': 250.0,
                                  'sale_order': 300.0, 'payment': -50.0})
        self.assertEqual(sum(totals.values()), figures['credit_exposure'])
        overdue = report.search([('partner_id', '=', self.customer.id),
                                 ('aging', '=', '31_60')])
        self.assertEqual((overdue.amount, overdue.days_overdue), (300.0, 40))
        self.assertEqual(overdue.user_id, self.customer.user_id)
