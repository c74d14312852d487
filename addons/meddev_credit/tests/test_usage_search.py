from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase

COMPARE = {
    '>': lambda a, b: a > b, '>=': lambda a, b: a >= b,
    '<': lambda a, b: a < b, '<=': lambda a, b: a <= b,
}


class TestUsageSearch(MeddevCreditFlowCase):
    """The at-risk search (limit usage compared with a threshold) finds,
    in one query, exactly the customers and contacts whose shown usage
    compares: every bucket, foreign currencies at the company's rates,
    limits, grades and policies of the company searched in."""

    @classmethod
    def setUpClass(cls):
        super(TestUsageSearch, cls).setUpClass()
        cls.partners = cls.env['res.partner']
        cls.other = cls.env['res.company'].create({
            'name': 'MedDev North', 'currency_id': cls.currency.id,
            'credit_no_limit_policy': 'default',
            'credit_default_limit': 200.0})
        cls.company.write({'credit_no_limit_policy': 'default',
                           'credit_default_limit': 500.0})
        # The new company's grade policies are copied from the main one.
        cls.env['meddev.credit.policy']._policies_by_rating(cls.other)[
            'C'].write({'limit_multiplier': 0.5, 'limit_cap': 0.0})
        # MDX: 2 a unit in the main company (common.py), 1 in the other.
        base = cls.currency.with_context(
            date=cls.today, company_id=cls.other.id).rate
        cls.env['res.currency.rate'].create({
            'name': '2000-01-01', 'rate': base,
            'currency_id': cls.foreign.id, 'company_id': cls.other.id})
        cls.pricelist = cls.env['product.pricelist'].create({
            'name': 'North prices', 'currency_id': cls.currency.id,
            'company_id': False})

    def _customer(self, name, limit=0.0, other_limit=0.0, rating=False):
        partner = self.partners.create({'name': name, 'is_company': True})
        partner.write({'credit_limit': limit, 'credit_rating': rating})
        partner.with_context(force_company=self.other.id).write({
            'credit_limit': other_limit, 'credit_rating': rating})
        return partner

    def _order_in_other(self, partner, amount, pricelist=None):
        order = self._create_order(partner, [(self.product, 1, amount)],
                                   pricelist=pricelist or self.pricelist)
        order.company_id = self.other
        order.action_confirm()
        return order

    def _found(self, partners, operator, value, company):
        return self.partners.with_context(force_company=company.id).search(
            [('credit_usage', operator, value), ('id', 'in', partners.ids)])

    def test_exactly_the_expected_partners_per_company(self):
        # Limits per company: 10 000 in the main company, 500 here.
        typed = self._customer('North Clinic', 10000.0, 500.0)
        self._order_in_other(typed, 450.0)
        # No limit here: the other company's default (200) applies, not
        # the main company's limit nor its default.
        defaulted = self._customer('Lake Hospital', limit=1000.0)
        self._order_in_other(defaulted, 180.0)
        # Grade C halves the limit.
        graded = self._customer('Pine Clinic', 10000.0, 1000.0, rating='C')
        self._order_in_other(graded, 400.0)
        # 600 MDX at this company's rate (1) is 600 of 700: 85.7 %; at the
        # main company's (2), 300 would be 42.9 %.
        foreign = self._customer('Harbour Lab', 700.0, 700.0)
        self._order_in_other(foreign, 600.0, pricelist=self.foreign_pricelist)
        # Plenty of room here.
        roomy = self._customer('Valley Clinic', 100.0, 5000.0)
        self._order_in_other(roomy, 450.0)
        # At risk in the main company only.
        main_only = self._customer('Main Street Clinic', 1000.0, 1000.0)
        self._create_invoice(main_only, 900.0)
        contact = self.partners.create({
            'name': 'Dr. Zhao', 'parent_id': typed.id})
        partners = (typed | defaulted | graded | foreign | roomy | main_only
                    | contact)
        in_other = partners.with_context(force_company=self.other.id)
        self.assertEqual([round(usage, 2) for usage in
                          in_other.mapped('credit_usage')],
                         [90.0, 90.0, 80.0, 85.71, 9.0, 0.0, 90.0])
        self.assertEqual(self._found(partners, '>=', 80, self.other),
                         typed | defaulted | graded | foreign | contact)
        self.assertEqual(self._found(partners, '>', 85.71, self.other),
                         typed | defaulted | contact)
        self.assertEqual(self._found(partners, '<', 80, self.other),
                         roomy | main_only)
        self.assertEqual(self._found(partners, '<=', 0, self.other),
                         main_only)
        self.assertEqual(self._found(partners, '>=', 80, self.company),
                         main_only)
        # Whatever the threshold, the search agrees with the figures.
        for company in self.company | self.other:
            # As shown (the field's digits; the ORM stores 85.71 as
            # 85.71000000000001).
            shown = {partner: round(partner.credit_usage, 2) for partner in
                     partners.with_context(force_company=company.id)}
            for operator in COMPARE:
                for value in (-1, 0, 9, 80, 85.71, 90, 100):
                    expected = self.partners.browse([
                        partner.id for partner, usage in shown.items()
                        if COMPARE[operator](usage, value)])
                    self.assertEqual(
                        self._found(partners, operator, value, company),
                        expected, '%s %s %s in %s' % (
                            'credit_usage', operator, value, company.name))

    def test_contact_found_as_its_company(self):
        """The former search compared only companies: a contact, shown at
        its company's 85 %, was not found at 80 % or more and was found
        below 60 %."""
        customer = self._customer('Bay Hospital', 1000.0)
        contact = self.partners.create({
            'name': 'Nurse Qian', 'parent_id': customer.id})
        self._create_invoice(customer, 850.0)
        self.assertEqual(contact.credit_usage, 85.0)
        partners = customer | contact
        self.assertEqual(self._found(partners, '>=', 80, self.company),
                         partners)
        self.assertFalse(self._found(partners, '<', 60, self.company))

    def test_bad_comparison_refused(self):
        for operator, value in (('=', 80), ('>=', 'eighty'), ('>', True)):
            with self.assertRaisesRegex(UserError, 'Limit usage can only'):
                self.partners.search([('credit_usage', operator, value)])

    def test_foreign_row_converted_and_rounded_as_the_figures(self):
        """16.01 MDX at 2 MDX a unit (common.py) is 8.005, rounded to 8.01
        like res.currency.compute() does for the figures: 80.10 % of a
        limit of 10, not 80.05 %; a swapped rate would give 320.2 %."""
        customer = self._customer('Harbour Dental', 10.0)
        order = self._create_order(customer, [(self.product, 1, 16.01)],
                                   pricelist=self.foreign_pricelist)
        order.action_confirm()
        self.assertEqual(order.currency_id, self.foreign)
        self.assertEqual(customer.credit_sale_order, 8.01)
        # As shown (the ORM keeps 80.1 as 80.10000000000001).
        self.assertEqual(round(customer.credit_usage, 2), 80.1)
        for operator, value, found in (('>', 80.05, True), ('>=', 80.1, True),
                                       ('<=', 80.09, False),
                                       ('<', 100, True), ('>', 80.1, False)):
            self.assertEqual(
                bool(self._found(customer, operator, value, self.company)),
                found, 'credit_usage %s %s' % (operator, value))

    def test_zero_limit_that_applies_is_at_risk(self):
        """A customer the company gives no credit (no limit under the
        'block' policy, or a grade whose multiplier is 0) uses all of its
        zero limit once it owes anything: it is in the at-risk list."""
        self.company.credit_no_limit_policy = 'block'
        blocked = self._customer('No Credit Clinic')
        self._create_invoice(blocked, 50.0)
        graded = self._customer('Grade D Clinic', 1000.0, rating='D')
        self._create_invoice(graded, 50.0)
        idle = self._customer('Idle Clinic')
        partners = blocked | graded | idle
        self.assertEqual(partners.mapped('credit_usage'), [100.0, 100.0, 0.0])
        self.assertEqual(self._found(partners, '>=', 80, self.company),
                         blocked | graded)
        self.assertEqual(self._found(partners, '<', 80, self.company), idle)
        # Not checked at all: no limit applies, nothing is used.
        self.company.credit_no_limit_policy = 'unlimited'
        partners.invalidate_cache()
        self.assertEqual(blocked.credit_usage, 0.0)
        self.assertEqual(graded.credit_usage, 100.0)
        self.assertEqual(self._found(partners, '>=', 80, self.company),
                         graded)
