from odoo import fields
from odoo.exceptions import UserError

from .common import MeddevTradeCase


class TestReviewOutcome(MeddevTradeCase):
    """What the first-business review decides for trade: its latest
    rejection blocks the partner (or the product); where the company asks
    for it, no regulated trade without an approved partner review."""

    @classmethod
    def setUpClass(cls):
        super(TestReviewOutcome, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.salesman = cls._create_user(
            'outcome_salesman', cls.env.ref('sales_team.group_sale_salesman'))
        cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.agreement = cls.env['ir.attachment'].create({
            'name': 'quality-agreement.pdf', 'datas_fname': 'qa.pdf',
            'datas': 'JVBERi0xLjQK'})
        cls.today = fields.Date.context_today(cls.env['res.partner'])

    def _review(self, **vals):
        values = {'review_type': 'partner', 'partner_id': self.distributor.id,
                  'category_ids': [(6, 0, self.cat_xray.ids)],
                  'agreement_ids': [(6, 0, self.agreement.ids)]}
        values.update(vals)
        return self.env['meddev.qualification.review'].sudo(
            self.user).create(values)

    def _approve(self, review):
        review.request_validation()
        review.sudo(self.reviewer).validate_tier()
        review.sudo(self.reviewer).action_approve()
        self.assertEqual(review.state, 'approved')
        return review

    def _sale(self, product=None):
        product = product or self.product_xray
        return self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': self.distributor.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_uom_qty': 1, 'product_uom': product.uom_id.id,
                'price_unit': 10.0})],
        })

    def _state(self):
        self.distributor.invalidate_cache()
        return self.distributor.sudo(self.user).qualification_state

    def test_rejected_review_blocks_trade(self):
        self.assertEqual(self._state(), 'qualified')
        self._review().sudo(self.reviewer).reject('Warehouse not GSP-fit')
        self.assertEqual(self._state(), 'blocked')
        with self.assertRaisesRegex(
                UserError, 'X-ray Unit: the first-business review of Kangda '
                'Medical was rejected on %s \\(Warehouse not GSP-fit\\)'
                % self.today):
            self._sale().action_confirm()
        found = self.env['res.partner'].sudo(self.user).search([
            ('qualification_state', '=', 'blocked'),
            ('id', '=', self.distributor.id)])
        self.assertEqual(found, self.distributor)
        # A later approval is the latest decision: trade resumes.
        self._approve(self._review())
        self.assertEqual(self._state(), 'qualified')
        order = self._sale()
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_cancelled_review_decides_nothing(self):
        review = self._review()
        review.sudo(self.reviewer).action_cancel()
        order = self._sale()
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_company_requiring_reviews(self):
        self.company.meddev_review_required = True
        self.assertEqual(self._state(), 'incomplete')
        with self.assertRaisesRegex(
                UserError, 'Kangda Medical has no approved first-business '
                'review \\(required by %s\\)' % self.company.name):
            self._sale().action_confirm()
        # A review still in draft is not enough.
        review = self._review()
        with self.assertRaisesRegex(UserError, 'no approved first-business'):
            self._sale().action_confirm()
        self._approve(review)
        self.assertEqual(self._state(), 'qualified')
        order = self._sale()
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        # Unregulated products are never held up.
        other = self._create_partner('Walk-in Buyer', 'distributor')
        plain = self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': other.id, 'order_line': [(0, 0, {
                'product_id': self.product_plain.id, 'name': 'Brochure',
                'product_uom_qty': 1, 'price_unit': 1.0,
                'product_uom': self.product_plain.uom_id.id})]})
        plain.action_confirm()
        self.assertEqual(plain.state, 'sale')

    def test_rejected_product_review_blocks_the_product(self):
        review = self._review(
            review_type='product', partner_id=False,
            product_tmpl_id=self.product_xray.product_tmpl_id.id)
        review.sudo(self.reviewer).reject('Certificate is a forgery')
        with self.assertRaisesRegex(
                UserError, 'X-ray Unit: the first-business review of the '
                'product was rejected on %s \\(Certificate is a forgery\\)'
                % self.today):
            self._sale().action_confirm()
        # The partner's other products are not affected.
        order = self._sale(self.product_i)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
