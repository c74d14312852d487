from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase, at_install, post_install


# After the chart of accounts (installed after this module on a fresh
# database), which sets the company's currency.
@at_install(False)
@post_install(True)
class TestDemo(SavepointCase):
    """Each demo customer shows what the demo says of it, in the company's
    currency: the one near its limit is near it, not over it."""

    def test_near_limit_customer_is_near_its_limit(self):
        company = self.env.ref('base.main_company')
        partner = self.env.ref('meddev_credit.partner_near_limit_demo')
        confirmed = self.env.ref('meddev_credit.sale_order_near_limit_demo')
        quotation = self.env.ref('meddev_credit.sale_order_over_limit_demo')
        tender = self.env.ref('meddev_credit.sale_order_tender_demo')
        for order in confirmed | quotation | tender:
            self.assertEqual(order.currency_id, company.currency_id,
                             order.name)
        self.assertEqual(confirmed.state, 'sale')
        figures = partner._credit_figures(company)[partner.id]
        self.assertEqual(figures['limit'], 100000.0)
        self.assertEqual(figures['credit_exposure'], 85000.0)
        self.assertEqual(partner.credit_usage, 85.0)
        # Its next quotation goes over: refused for the limit only.
        with self.assertRaisesRegex(UserError, r'would exceed its credit '
                                               r'limit \(100000.00\) by '
                                               r'5000.00'):
            self.env['meddev.credit.gate']._check_orders(quotation)

    def test_held_customers_are_held(self):
        for xmlid in ('partner_grade_d_demo', 'partner_hold_overdue_demo'):
            partner = self.env.ref('meddev_credit.' + xmlid)
            self.assertTrue(partner.credit_hold, xmlid)
        for xmlid in ('partner_grade_a_demo', 'partner_grade_b_demo',
                      'partner_grade_c_demo', 'partner_near_limit_demo'):
            partner = self.env.ref('meddev_credit.' + xmlid)
            self.assertFalse(partner.credit_hold, xmlid)
            self.assertLess(partner.credit_usage, 100.0, xmlid)
