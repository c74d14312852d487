from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, days_ago


class TestLimits(MeddevCreditFlowCase):
    """Customers without a limit follow an explicit company policy; the
    grade's multiplier shows; limits are per company, and orders in another
    currency convert at their company's rate of the order date."""

    def _order(self, amount, partner=None):
        return self._create_order(partner or self.customer,
                                  [(self.product, 1, amount)])

    def _refusal(self, order):
        with self.assertRaises(UserError) as refusal:
            order.sudo(self.salesman).action_confirm()
        return refusal.exception.name

    def test_no_limit_gives_no_credit_when_the_company_says_so(self):
        self.customer.credit_limit = 0.0
        self.company.credit_no_limit_policy = 'block'
        message = self._refusal(self._order(100.0))
        self.assertIn('Eastern Hospital Supplies has no credit limit in %s, '
                      'which gives no credit to customers without one'
                      % self.company.name, message)
        self.assertIn('No limit set: %s gives no credit to customers '
                      'without a limit.' % self.company.name, message)
        self.assertIn('Ask a credit manager to set a limit', message)
        # Paid in advance: no exposure, no credit needed.
        self._receive(self.customer, 100.0)
        order = self._order(100.0)
        order.sudo(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_default_limit_for_customers_without_one(self):
        self.customer.credit_limit = 0.0
        self.company.write({'credit_no_limit_policy': 'default',
                            'credit_default_limit': 500.0})
        order = self._order(300.0)
        order.sudo(self.salesman).action_confirm()
        message = self._refusal(self._order(300.0))
        self.assertIn('would exceed its credit limit (500.00) by 100.00. No '
                      'limit is set for this customer: the default limit of '
                      '%s applies.' % self.company.name, message)
        self.assertEqual(self.customer.credit_effective_limit, 500.0)
        self.assertIn('No limit set: default limit of', self.customer
                      .credit_limit_basis)

    def test_unchecked_limit_is_said_on_the_customer(self):
        self.customer.credit_limit = 0.0
        self.company.credit_no_limit_policy = 'unlimited'
        self.assertIn('does not check the limit',
                      self.customer.sudo(self.salesman).credit_limit_basis)

    def test_effective_limit_shown_next_to_the_typed_one(self):
        self.policies['A'].limit_multiplier = 1.2
        self.customer.credit_rating = 'A'
        customer = self.customer.sudo(self.salesman)
        self.assertEqual(customer.credit_limit, 10000.0)
        self.assertEqual(customer.credit_effective_limit, 12000.0)
        cur = self.currency.name
        self.assertEqual(
            customer.credit_limit_basis,
            'Typed limit %s 10,000.00 x 1.20 for grade A = %s 12,000.00'
            % (cur, cur))
        message = self._refusal(self._order(12500.0))
        self.assertIn('Credit limit: %s 12,000.00 (Typed limit %s 10,000.00 '
                      'x 1.20 for grade A' % (cur, cur), message)
        self.policies['A'].limit_cap = 11000.0
        self.customer.invalidate_cache()
        self.assertIn(', capped at %s 11,000.00 for grade A' % cur,
                      customer.credit_limit_basis)

    def test_limits_per_company(self):
        other = self.env['res.company'].create({
            'name': 'MedDev West', 'currency_id': self.currency.id,
            'credit_no_limit_policy': 'block'})
        in_other = self.customer.with_context(force_company=other.id)
        self.assertEqual(in_other.credit_limit, 0.0)
        in_other.credit_limit = 300.0
        self.assertEqual(self.customer.credit_limit, 10000.0)
        self.assertEqual(in_other.credit_limit, 300.0)
        self.assertEqual(self.contact.with_context(
            force_company=other.id).credit_limit, 300.0)
        pricelist = self.env['product.pricelist'].create({
            'name': 'West prices', 'currency_id': self.currency.id,
            'company_id': False})
        order = self._create_order(self.customer, [(self.product, 1, 400.0)],
                                   pricelist=pricelist)
        order.company_id = other
        with self.assertRaisesRegex(UserError, r'credit limit \(300.00\) by '
                                               r'100.00'):
            order.action_confirm()
        order.company_id = self.company
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        found = self.env['res.partner'].with_context(
            force_company=other.id).search([('credit_limit', '=', 300.0)])
        self.assertEqual(found, self.customer | self.contact)

    def test_order_converted_at_its_company_rate_of_its_date(self):
        other = self.env['res.company'].create({
            'name': 'MedDev Hong Kong', 'currency_id': self.currency.id})
        today = fields.Date.from_string(self.today)
        order_day = days_ago(10)
        base = self.currency.with_context(
            date=order_day, company_id=other.id).rate
        # In the other company: 4 MDX a unit until 5 days ago, then 8;
        # the user's company has 2 (common.py).
        self.env['res.currency.rate'].create({
            'name': days_ago(30), 'rate': 4 * base,
            'currency_id': self.foreign.id, 'company_id': other.id})
        self.env['res.currency.rate'].create({
            'name': fields.Date.to_string(today - timedelta(days=5)),
            'rate': 8 * base, 'currency_id': self.foreign.id,
            'company_id': other.id})
        order = self._create_order(self.customer, [(self.product, 1, 400.0)],
                                   pricelist=self.foreign_pricelist)
        order.write({'company_id': other.id,
                     'date_order': order_day + ' 09:00:00'})
        self.assertEqual(order._credit_amount(), 100.0)
        self.customer.with_context(force_company=other.id).credit_limit = 50.0
        with self.assertRaisesRegex(UserError, 'This order: %s 100.00'
                                    % self.currency.name):
            order.action_confirm()
        # Once confirmed, the order is valued at the other company's rate
        # of today (8 MDX), not at the user's company's (2 MDX).
        self.customer.with_context(force_company=other.id).credit_limit = 500
        order.action_confirm()
        figures = self.customer._credit_figures(other, self.today)
        self.assertEqual(figures[self.customer.id]['credit_sale_order'], 50.0)
