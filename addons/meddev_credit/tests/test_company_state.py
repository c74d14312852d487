from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, days_ago


class TestCompanyState(MeddevCreditFlowCase):
    """Ratings and holds are per company, like the figures."""

    @classmethod
    def setUpClass(cls):
        super(TestCompanyState, cls).setUpClass()
        cls.other = cls.env['res.company'].create({
            'name': 'MedDev South', 'currency_id': cls.currency.id})
        cls.pricelist = cls.env['product.pricelist'].create({
            'name': 'Shared prices', 'currency_id': cls.currency.id,
            'company_id': False})
        # A new company receives the main company's policies.
        cls.env['meddev.credit.policy']._policies_by_rating(
            cls.other)['D'].write({
                'min_score': 0, 'allow_sale': False, 'allow_override': False,
                'limit_multiplier': 1.0})

    def _order(self, company):
        order = self._create_order(self.customer, [(self.product, 1, 100.0)],
                                   pricelist=self.pricelist)
        order.company_id = company
        return order

    def _in(self, company, partner=None):
        return (partner or self.customer).with_context(
            force_company=company.id)

    def test_hold_in_one_company_does_not_block_another(self):
        self.env['meddev.credit.hold.wizard'].sudo(self.manager).create({
            'partner_id': self.contact.id, 'action': 'set',
            'reason': 'Disputed invoices'}).action_apply()
        self.assertTrue(self._in(self.company).credit_hold)
        self.assertFalse(self._in(self.other).credit_hold)
        self.assertFalse(self._in(self.other).credit_hold_reason)
        with self.assertRaisesRegex(UserError, 'is on credit hold'):
            self._order(self.company).action_confirm()
        order = self._order(self.other)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_rating_per_company_and_search(self):
        self._in(self.other).credit_rating = 'D'
        self.assertFalse(self._in(self.company).credit_rating)
        self.assertEqual(self._in(self.other).credit_rating, 'D')
        newcomer = self.env['res.partner'].create({'name': 'New Clinic'})
        partners = self.env['res.partner']
        for company, rated_d in ((self.company, False), (self.other, True)):
            found = partners.with_context(force_company=company.id).search([
                ('credit_rating', '=', 'D'), ('id', '=', self.customer.id)])
            self.assertEqual(bool(found), rated_d)
            found = partners.with_context(force_company=company.id).search([
                ('credit_hold', '=', False),
                ('id', 'in', (self.customer | newcomer).ids)])
            self.assertEqual(found, self.customer | newcomer)
        # Grade D in the other company refuses its orders only.
        with self.assertRaisesRegex(UserError, 'Its credit rating D'):
            self._order(self.other).action_confirm()
        self._order(self.company).action_confirm()

    def test_created_with_rating_and_hold(self):
        partner = self.env['res.partner'].create({
            'name': 'Wuhan Eastlake Medical', 'is_company': True,
            'credit_rating': 'D', 'credit_score': 22.0,
            'credit_hold': True, 'credit_hold_reason': 'Credit rating D',
            'credit_hold_origin': 'automatic'})
        partner.invalidate_cache()
        self.assertEqual(
            (partner.credit_rating, partner.credit_score, partner.credit_hold,
             partner.credit_hold_reason, partner.credit_hold_origin),
            ('D', 22.0, True, 'Credit rating D', 'automatic'))
        self.assertEqual(partner.credit_state_ids.company_id, self.company)
        self.assertFalse(self._in(self.other, partner).credit_hold)

    def test_rating_job_holds_in_the_company_of_the_overdue_invoice(self):
        self._create_invoice(self.customer, 500.0, date_invoice=days_ago(150),
                             date_due=days_ago(120))
        self.env['res.partner']._cron_rate_customers(today=self.today)
        self.assertTrue(self._in(self.company).credit_hold)
        self.assertEqual(self._in(self.company).credit_hold_origin,
                         'automatic')
        self.assertFalse(self._in(self.other).credit_hold)
        self.assertFalse(self._in(self.other).credit_rating)
        states = self.customer.credit_state_ids
        self.assertEqual(states.mapped('company_id'), self.company)
        # A second run changes nothing.
        self.env['res.partner']._cron_rate_customers(today=self.today)
        self.assertEqual(self.customer.credit_state_ids, states)
