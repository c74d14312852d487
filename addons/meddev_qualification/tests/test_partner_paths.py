from odoo import api
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

    # Over XML-RPC (context kwarg) and buttons as the web client calls them,
    # as a salesperson with Contact Creation.

    def _context(self, user):
        return {'lang': 'en_US', 'tz': 'Asia/Shanghai', 'uid': user.id}

    def _create_partner_over_rpc(self, vals):
        partners = self.env['res.partner'].sudo(self.salesman)
        return partners.browse(api.call_kw(
            partners, 'create', [vals],
            {'context': self._context(self.salesman)}))

    def _write_over_rpc(self, partner, vals, user):
        return api.call_kw(partner.sudo(user), 'write', [partner.ids, vals],
                           {'context': self._context(user)})

    def _confirm(self, order):
        context = self._context(self.salesman)
        api.call_kw(order.with_context(**context), 'action_confirm',
                    [order.ids, context], {})
        return order.state

    def test_traded_partner_not_moved_under_a_licensed_one(self):
        """An unlicensed customer with an order of its own cannot become a
        contact of a licensed distributor (its order would then pass the
        gate under the distributor's licences), nor can a contact named on
        its orders; a reviewer may move them, and the gate then judges the
        distributor."""
        clinic = self._create_partner_over_rpc(
            {'name': 'Shady Clinic', 'is_company': True, 'customer': True})
        order = self._sale(clinic)
        buyer = self._create_partner_over_rpc(
            {'name': 'Zhao Lei', 'parent_id': clinic.id})
        self.assertEqual(buyer.commercial_partner_id, clinic)
        self._sale(clinic).write({'partner_shipping_id': buyer.id})
        refused = 'Only qualification reviewers may move %s to Kangda ' \
            'Medical: it has sale or purchase orders or transfers'
        with self.assertRaisesRegex(UserError, refused % 'Shady Clinic'):
            self._write_over_rpc(clinic, {
                'parent_id': self.distributor.id, 'is_company': False},
                self.salesman)
        with self.assertRaisesRegex(UserError,
                                    refused % 'Shady Clinic, Zhao Lei'):
            self._write_over_rpc(buyer, {'parent_id': self.distributor.id},
                                 self.salesman)
        self.assertEqual(clinic.commercial_partner_id, clinic)
        self.assertEqual(buyer.commercial_partner_id, clinic)
        with self.assertRaisesRegex(UserError, 'Shady Clinic holds no '
                                    'approved licence for Class III'):
            self._confirm(order.sudo(self.salesman))
        self._write_over_rpc(clinic, {
            'parent_id': self.distributor.id, 'is_company': False},
            self.reviewer)
        self.assertEqual(clinic.commercial_partner_id, self.distributor)
        self.assertEqual(buyer.commercial_partner_id, self.distributor)
        self.assertEqual(self._confirm(order.sudo(self.salesman)), 'sale')

    def test_new_contact_under_a_licensed_company(self):
        """Creating a contact under a company, or filing a contact without
        orders under it, stays open to Contact Creation; their orders trade
        under the company's licences."""
        contact = self._create_partner_over_rpc(
            {'name': 'Wang Fang', 'parent_id': self.distributor.id})
        self.assertEqual(contact.commercial_partner_id, self.distributor)
        loose = self._create_partner_over_rpc({'name': 'Sun Li'})
        self._write_over_rpc(loose, {'parent_id': self.distributor.id},
                             self.salesman)
        self.assertEqual(loose.commercial_partner_id, self.distributor)
        for partner in contact | loose:
            self.assertEqual(
                self._confirm(self._sale(partner).sudo(self.salesman)),
                'sale')

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
