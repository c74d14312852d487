from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestPartnerPaths(MeddevTradeCase):
    """A qualified or listed company keeps its own qualification: it cannot
    be slipped under another company's licences; the qualification search
    finds companies that have a parent company, and partners without a
    state."""

    @classmethod
    def setUpClass(cls):
        super(TestPartnerPaths, cls).setUpClass()
        cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.listed = cls._create_partner('Listed Trading', 'distributor')
        cls.listed.write({'meddev_watchlist': True,
                          'meddev_watchlist_reason': 'Counterfeit stents'})
        cls.salesman = cls._create_user(
            'partner_paths_salesman',
            cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('base.group_partner_manager'))

    def _sale(self, partner):
        return self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': partner.id,
            'order_line': [(0, 0, {
                'product_id': self.product_xray.id, 'name': 'X-ray',
                'product_uom_qty': 1, 'price_unit': 10.0,
                'product_uom': self.product_xray.uom_id.id})]})

    def test_listed_company_not_moved_under_a_licensed_one(self):
        with self.assertRaisesRegex(
                AccessError, 'Only qualification reviewers may make Listed '
                'Trading a contact of another company'):
            self.listed.sudo(self.salesman).write({
                'is_company': False, 'parent_id': self.distributor.id})
        self.assertEqual(self.listed.commercial_partner_id, self.listed)
        with self.assertRaisesRegex(UserError, 'Listed Trading is on the '
                                    'watchlist'):
            self._sale(self.listed).action_confirm()
        # An ordinary contact still moves; a reviewer may move a company.
        person = self.env['res.partner'].sudo(self.salesman).create(
            {'name': 'Zhang Wei'})
        person.sudo(self.salesman).write({'parent_id': self.distributor.id})
        self.assertEqual(person.commercial_partner_id, self.distributor)
        self.listed.sudo(self.reviewer).write({
            'is_company': False, 'parent_id': self.distributor.id})
        self.assertEqual(self.listed.commercial_partner_id, self.distributor)

    def test_company_with_a_parent_company_has_a_state(self):
        branch = self._create_partner('Kangda Shanghai Branch', 'distributor')
        branch.parent_id = self.distributor
        self.assertEqual(branch.commercial_partner_id, branch)
        partners = self.env['res.partner'].sudo(self.user)
        self.assertEqual(branch.sudo(self.user).qualification_state,
                         'incomplete')
        self.assertEqual(partners.search([
            ('qualification_state', '=', 'incomplete'),
            ('id', '=', branch.id)]), branch)

    def test_search_for_no_state(self):
        plain = self.env['res.partner'].create({'name': 'Print Shop',
                                                'is_company': True})
        partners = self.env['res.partner'].sudo(self.user)
        candidates = plain | self.distributor | self.listed
        self.assertEqual(partners.search([
            ('qualification_state', '=', False),
            ('id', 'in', candidates.ids)]), plain)
        self.assertEqual(partners.search([
            ('qualification_state', '!=', False),
            ('id', 'in', candidates.ids)]), self.distributor | self.listed)
        self.assertEqual(partners.search([
            ('qualification_state', 'in', ['blocked', False]),
            ('id', 'in', candidates.ids)]), plain | self.listed)
