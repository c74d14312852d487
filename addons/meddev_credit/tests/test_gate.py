from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, count_queries, days_ago


class TestGate(MeddevCreditFlowCase):

    def _confirm(self, order, user=None):
        order.sudo(user or self.salesman).action_confirm()

    def test_within_limit_confirms(self):
        self._create_invoice(self.customer, 6000.0)
        order = self._create_order(self.customer, [(self.product, 40, 100.0)],
                                   user=self.salesman)
        self._confirm(order)
        self.assertEqual(order.state, 'sale')
        # Exactly at the limit still passes.
        order = self._create_order(self.customer, [(self.product, 0, 0.0)])
        self.assertEqual(order.amount_total, 0.0)
        self._confirm(order)

    def test_over_limit_refused_with_figures(self):
        self._create_invoice(self.customer, 6000.0)
        self._create_invoice(self.customer, 1000.0, post=False)
        confirmed = self._create_order(
            self.customer, [(self.product, 10, 100.0)])
        self._confirm(confirmed)
        order = self._create_order(self.contact, [(self.product, 25, 100.0)],
                                   user=self.salesman)
        with self.assertRaises(UserError) as refusal:
            self._confirm(order)
        message = refusal.exception.name
        cur = self.currency.name
        self.assertIn('The order %s for Eastern Hospital Supplies cannot be '
                      'confirmed' % order.name, message)
        self.assertIn('would exceed its credit limit (10000.00) by 500.00',
                      message)
        for line in ('Credit limit: %s 10,000.00',
                     'Open receivables: %s 6,000.00',
                     'Draft invoices: %s 1,000.00',
                     'Confirmed orders not invoiced: %s 1,000.00',
                     'This order: %s 2,500.00',
                     'Exposure with this order: %s 10,500.00',
                     'Overdue: %s 0.00, oldest 0 days'):
            self.assertIn(line % cur, message)
        self.assertIn('Request Credit Override', message)
        self.assertEqual(order.state, 'draft')

    def test_several_orders_count_together(self):
        self._create_invoice(self.customer, 8000.0)
        first = self._create_order(self.customer, [(self.product, 15, 100.0)])
        second = self._create_order(self.contact, [(self.product, 15, 100.0)])
        with self.assertRaisesRegex(UserError, 'by 1000.00'):
            (first | second).sudo(self.salesman).action_confirm()

    def test_unreconciled_payments_count_in_gate(self):
        self._create_invoice(self.customer, 10000.0)
        self._receive(self.customer, 400.0)
        order = self._create_order(self.customer, [(self.product, 3, 100.0)])
        self._confirm(order)   # 10 000 - 400 + 300 is within the limit
        order = self._create_order(self.contact, [(self.product, 2, 100.0)])
        with self.assertRaises(UserError) as refusal:
            self._confirm(order)
        message = refusal.exception.name
        cur = self.currency.name
        self.assertIn('Unreconciled payments: %s -400.00' % cur, message)
        self.assertIn('Exposure with this order: %s 10,100.00' % cur, message)
        self.assertIn('by 100.00', message)

    def test_no_limit_not_checked_by_company_policy(self):
        self.company.credit_no_limit_policy = 'unlimited'
        self.customer.credit_limit = 0.0
        self._create_invoice(self.customer, 60000.0)
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        self._confirm(order)
        self.assertEqual(order.state, 'sale')

    def test_hold_refused(self):
        self.customer.sudo(self.manager).write({
            'credit_hold': True, 'credit_hold_reason': 'Bankruptcy filing'})
        order = self._create_order(self.contact, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(
                UserError, r'Eastern Hospital Supplies is on credit hold '
                           r'\(Bankruptcy filing\)'):
            self._confirm(order)

    def test_grade_below_minimum_refused(self):
        self.customer.credit_rating = 'D'
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaises(UserError) as refusal:
            self._confirm(order)
        message = refusal.exception.name
        self.assertIn('Its credit rating D is below the minimum allowed',
                      message)
        self.assertIn('Overrides are not allowed for grade D', message)
        # Grade D's limit is 0 too: the limit speaks as well.
        self.assertIn('would exceed its credit limit (0.00)', message)

    def test_overdue_beyond_tolerance_refused(self):
        self.customer.credit_rating = 'B'   # tolerance 15 days
        self._create_invoice(self.customer, 300.0,
                             date_invoice=days_ago(45), date_due=days_ago(15))
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        self._confirm(order)   # 15 days is within the tolerance
        self._create_invoice(self.customer, 200.0,
                             date_invoice=days_ago(46), date_due=days_ago(16))
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaises(UserError) as refusal:
            self._confirm(order)
        message = refusal.exception.name
        self.assertIn('It has invoices overdue by 16 days, beyond the '
                      'tolerance of 15 days.', message)
        self.assertIn('Overdue: %s 500.00, oldest 16 days'
                      % self.currency.name, message)

    def test_unrated_customers_use_company_tolerance(self):
        self._create_invoice(self.customer, 300.0,
                             date_invoice=days_ago(60), date_due=days_ago(31))
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(UserError, 'tolerance of 30 days'):
            self._confirm(order)

    def test_gate_cost_is_flat(self):
        def count():
            order = self._create_order(
                self.customer, [(self.product, 1, 10.0)])
            order.invalidate_cache()   # the whole cache
            with count_queries() as queries:
                order._check_credit_gate()
            return len(queries)

        self._create_invoice(self.customer, 10.0)
        count()   # warms the translation cache of the messages
        first = count()
        for __ in range(10):
            self._create_invoice(self.customer, 10.0)
            self._create_invoice(self.customer, 10.0, post=False)
        self.assertEqual(count(), first)

    def test_payment_terms_of_the_grade(self):
        immediate = self.env['account.payment.term'].create({
            'name': 'Immediate Payment (test)'})
        ninety = self.env['account.payment.term'].create({
            'name': '90 Days (test)'})
        self.customer.credit_rating = 'C'
        self.policies['C'].write({
            'payment_term_ids': [(6, 0, immediate.ids)],
            'payment_term_mode': 'warning'})
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        order.payment_term_id = ninety
        warning = order._onchange_credit_payment_term()['warning']
        self.assertIn('90 Days (test) of %s is not allowed for customers '
                      'rated C; allowed: Immediate Payment (test)'
                      % order.name, warning['message'])
        self._confirm(order)   # a warning only
        self.policies['C'].payment_term_mode = 'block'
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        order.payment_term_id = ninety
        with self.assertRaisesRegex(UserError, 'is not allowed for customers'):
            self._confirm(order)
        order.payment_term_id = immediate
        self.assertFalse(order._onchange_credit_payment_term())
        self._confirm(order)
