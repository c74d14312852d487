from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditFlowCase, call_button, call_kw


def call(records, method, *args):
    """Call a public method as an XML-RPC client does (call_kw)."""
    ids = [] if method == 'create' else [records.ids]
    return api.call_kw(records, method, ids + list(args), {})


class TestGatePaths(MeddevCreditFlowCase):
    """The credit gate holds on every way a salesperson could take around
    it: the Confirm button is not the only way into a confirmed state, and
    an approved override belongs to its customer and company."""

    @classmethod
    def setUpClass(cls):
        super(TestGatePaths, cls).setUpClass()
        cls.seller = cls._create_user(
            'gate_seller', cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('base.group_partner_manager'))
        cls.manager_2 = cls._create_user('gate_manager_2', cls.group_manager)
        cls._create_invoice(cls.customer, 9000.0)
        cls.order = cls._create_order(
            cls.customer, [(cls.product, 20, 100.0)], user=cls.seller)

    def _request_and_approve(self):
        wizard = self.env['meddev.credit.override.request'].sudo(
            self.seller).with_context(default_order_id=self.order.id).create(
                {'reason': 'Hospital tender'})
        action = call_button(wizard, 'action_request')
        override = self.env['meddev.credit.override'].browse(action['res_id'])
        call_button(override.sudo(self.manager), 'action_approve')
        self.assertEqual(override.state, 'approved')
        return override

    def test_state_written_directly_is_gated(self):
        order = self.order.sudo(self.seller)
        for vals in ({'state': 'sale'}, {'state': 'done'}):
            with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
                call(order, 'write', vals)
        # Lock and Unlock write the state of a quotation as well.
        for method in ('action_done', 'action_unlock'):
            with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
                call_button(order, method)
        self.assertEqual(self.order.state, 'draft')
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            self.env['sale.order'].sudo(self.seller).create({
                'partner_id': self.customer.id, 'state': 'sale',
                'order_line': [(0, 0, {
                    'product_id': self.product.id, 'product_uom_qty': 30,
                    'price_unit': 100.0, 'tax_id': [(6, 0, [])]})]})

    def test_orders_within_limit_still_lock_and_unlock(self):
        order = self._create_order(self.customer, [(self.product, 1, 100.0)],
                                   user=self.seller).sudo(self.seller)
        call_button(order, 'action_confirm')
        call_button(order, 'action_done')
        self.assertEqual(order.state, 'done')
        call_button(order, 'action_unlock')
        self.assertEqual(order.state, 'sale')

    def test_override_used_once_through_the_button(self):
        override = self._request_and_approve()
        call_button(self.order.sudo(self.seller), 'action_confirm')
        self.assertEqual(self.order.state, 'sale')
        self.assertEqual(override.state, 'used')

    def test_override_does_not_follow_the_order_to_another_customer(self):
        override = self._request_and_approve()
        other = self.env['res.partner'].create({
            'name': 'Northern Clinic', 'is_company': True, 'customer': True})
        other.credit_limit = 100.0
        self._create_invoice(other, 5000.0)
        order = self.order.sudo(self.seller)
        order.write({'partner_id': other.id})
        with self.assertRaises(UserError) as refusal:
            call_button(order, 'action_confirm')
        self.assertIn('Northern Clinic', refusal.exception.name)
        self.assertEqual(self.order.state, 'draft')
        # Decided on another customer's figures: void, even back on the
        # customer it was approved for; a new request may be made.
        self.assertEqual(override.state, 'void')
        self.assertIn('Northern Clinic', override.void_reason)
        order.write({'partner_id': self.customer.id})
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            call_button(order, 'action_confirm')
        self.assertEqual(self._request_and_approve().state, 'approved')
        call_button(order, 'action_confirm')
        self.assertEqual(self.order.state, 'sale')

    def test_override_does_not_follow_the_order_to_another_company(self):
        override = self._request_and_approve()
        other = self.env['res.company'].create({
            'name': 'MedDev North', 'currency_id': self.currency.id})
        self.customer.with_context(force_company=other.id).credit_limit = 50.0
        # Moved by someone of both companies (the seller is not).
        order = self.order.sudo()
        order.write({'company_id': other.id})
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')
        self.assertEqual(override.state, 'void')

    def test_contact_made_a_company_cannot_bring_a_limit(self):
        contact = self.contact.sudo(self.seller)
        for vals in ({'parent_id': False, 'credit_limit': 1e6},
                     {'is_company': True, 'credit_limit': 1e6}):
            with self.assertRaisesRegex(AccessError, 'Only a credit manager'):
                call(contact, 'write', vals)
        self.assertEqual(self.contact.parent_id, self.customer)
        # Made a company of its own without a limit, it has none.
        call(contact, 'write', {'parent_id': False})
        self.assertEqual(self.contact.commercial_partner_id, self.contact)
        self.assertEqual(self.contact.credit_limit, 0.0)

    def _refused(self, pattern, records, method, *args):
        """Assert the call is refused; roll back what it did, as the
        request's transaction would be."""
        with self.assertRaisesRegex(UserError, pattern):
            with self.env.cr.savepoint():
                call(records, method, *args)
        records.invalidate_cache()

    def test_confirmed_order_raised_beyond_the_limit(self):
        order = self._create_order(self.customer, [(self.product, 5, 100.0)],
                                   user=self.seller).sudo(self.seller)
        call_button(order, 'action_confirm')
        line = order.order_line
        # Within the limit (9000 + 700 of 10000), a raise is fine.
        call(order, 'write', {'order_line': [(1, line.id, {
            'product_uom_qty': 7})]})
        self.assertEqual(order.amount_total, 700.0)
        # Beyond it, through the order form, the line itself or a new one.
        self._refused('cannot be raised to', order, 'write', {
            'order_line': [(0, 0, {
                'product_id': self.product.id, 'product_uom_qty': 4,
                'price_unit': 100.0, 'tax_id': [(6, 0, [])]})]})
        self._refused('would exceed its credit limit', line, 'write',
                      {'price_unit': 300.0})
        self._refused('new quotation', self.env['sale.order.line'].sudo(
            self.seller), 'create', {
                'order_id': order.id, 'product_id': self.product.id,
                'product_uom_qty': 4, 'price_unit': 100.0,
                'tax_id': [(6, 0, [])]})
        self.assertEqual(order.amount_total, 700.0)
        self.assertEqual(len(order.order_line), 1)

    def test_order_confirmed_by_override_is_not_raised_further(self):
        override = self._request_and_approve()
        order = self.order.sudo(self.seller)
        call_button(order, 'action_confirm')
        self.assertEqual(override.state, 'used')
        line = order.order_line
        self._refused('cannot be raised', line, 'write',
                      {'product_uom_qty': 21})
        # Lowering it is always possible.
        call(line, 'write', {'product_uom_qty': 15})
        self.assertEqual(order.amount_total, 1500.0)

    def _stored_total(self, order):
        """The order's total as the table holds it (what the next request
        and the exposure read), not the cache's."""
        self.env.cr.execute("SELECT amount_total FROM sale_order "
                            "WHERE id = %s", (order.id,))
        return self.env.cr.fetchone()[0]

    def test_confirmed_order_raised_without_recomputation(self):
        """A caller's ``recompute=False`` context leaves no stale figure
        for the gate: its order and line writes and creates store the
        amounts, and the exposure the gate reads counts the raise.
        Without it, a dearer price was compared on the line's old price
        (the exposure's SQL reads the stored figures) and stayed out of
        the table for the next orders."""
        order = self._create_order(self.customer, [(self.product, 5, 100.0)],
                                   user=self.seller).sudo(self.seller)
        call_button(order, 'action_confirm')
        line = order.order_line
        stale = {'context': {'recompute': False}}
        self._refused_kw('cannot be raised to', line, 'write',
                         {'price_unit': 400.0}, **stale)
        self._refused_kw('cannot be raised to', order, 'write', {
            'order_line': [(1, line.id, {'price_unit': 400.0})]}, **stale)
        self._refused_kw('cannot be raised to', line, 'write',
                         {'product_uom_qty': 20}, **stale)
        self._refused_kw('cannot be raised to', self.env[
            'sale.order.line'].sudo(self.seller), 'create', {
                'order_id': order.id, 'product_id': self.product.id,
                'product_uom_qty': 15, 'price_unit': 100.0,
                'tax_id': [(6, 0, [])]}, **stale)
        self.assertEqual((line.price_unit, line.product_uom_qty),
                         (100.0, 5))
        self.assertEqual(self._stored_total(order), 500.0)
        # Within the limit the raise passes, and the table holds the new
        # total (9000 + 750 of 10000).
        call_kw(line, 'write', {'price_unit': 150.0}, **stale)
        self.assertEqual(self._stored_total(order), 750.0)
        # A quotation's total is stored too: Confirm, in a later request,
        # reads it from the table.
        quotation = self._create_order(
            self.customer, [(self.product, 1, 100.0)],
            user=self.seller).sudo(self.seller)
        call_kw(quotation.order_line, 'write', {'price_unit': 3000.0},
                **stale)
        self.assertEqual(self._stored_total(quotation), 3000.0)

    def _refused_kw(self, pattern, records, method, *args, **kwargs):
        """Assert the call over call_kw (context as keyword) is refused
        with a message matching ``pattern``; roll back what it did, as the
        request's transaction would be; return the message."""
        with self.assertRaisesRegex(UserError, pattern) as refusal:
            with self.env.cr.savepoint():
                call_kw(records, method, *args, **kwargs)
        records.invalidate_cache()
        return refusal.exception.name

    def test_confirmed_order_switched_to_a_dearer_currency(self):
        """2 MDX make 1 unit of the company's currency: 1500 MDX (750)
        fit the limit (9000 + 750 of 10000), the same figure in the
        company's currency does not. The gate compares in the company's
        currency, so the switch is a raise, on a locked order too."""
        order = self._create_order(
            self.customer, [(self.product, 15, 100.0)],
            pricelist=self.foreign_pricelist, user=self.seller).sudo(
                self.seller)
        call_button(order, 'action_confirm')
        self.assertEqual(order.state, 'sale')
        self.assertAlmostEqual(order._credit_amount(), 750.0)
        home = self.env['product.pricelist'].create({
            'name': 'Home prices', 'currency_id': self.currency.id})
        message = self._refused_kw('cannot be raised to', order, 'write',
                                   {'pricelist_id': home.id})
        self.assertIn('would exceed its credit limit', message)
        self.assertIn('new currency or date raises it in %s'
                      % self.currency.name, message)
        self.assertEqual(order.pricelist_id, self.foreign_pricelist)
        self.assertEqual(order.currency_id, self.foreign)
        # Raised in MDX within the limit: 1900 MDX are 950.
        call_kw(order.order_line, 'write', {'product_uom_qty': 19})
        self.assertAlmostEqual(order._credit_amount(), 950.0)
        # A cheaper currency lowers the exposure: always possible.
        cheap = self.env['res.currency'].create({
            'name': 'MDY', 'symbol': 'Y$', 'rounding': 0.01,
            'rate_ids': [(0, 0, {
                'name': '2000-01-01', 'company_id': self.company.id,
                'rate': 4 * self.currency.with_context(
                    date=self.today).rate})]})
        cheap_prices = self.env['product.pricelist'].create({
            'name': 'MDY prices', 'currency_id': cheap.id})
        call_kw(order, 'write', {'pricelist_id': cheap_prices.id})
        self.assertEqual(order.currency_id, cheap)
        self.assertAlmostEqual(order._credit_amount(), 475.0)
        # Locked, the order is confirmed all the same.
        call_button(order, 'action_done')
        self.assertEqual(order.state, 'done')
        self._refused_kw('new currency or date', order, 'write',
                         {'pricelist_id': home.id})
        self.assertEqual(order.currency_id, cheap)

    def test_confirmed_order_moved_to_another_company(self):
        """A confirmed order moved to another company counts there, against
        that company's limit: the move passes the gate of the new company,
        which no override of the old one covers."""
        other = self.env['res.company'].create({
            'name': 'MedDev North', 'currency_id': self.currency.id})
        mover = self._create_user(
            'gate_mover', self.env.ref('sales_team.group_sale_salesman')
            | self.env.ref('base.group_partner_manager'))
        mover.company_ids = self.company | other
        north = self.customer.with_context(force_company=other.id)
        north.credit_limit = 50.0
        order = self._create_order(
            self.customer, [(self.product, 5, 100.0)], user=mover).sudo(mover)
        call_button(order, 'action_confirm')
        self.assertEqual(order.state, 'sale')
        message = self._refused_kw('cannot be moved to MedDev North', order,
                                   'write', {'company_id': other.id})
        self.assertIn('credit limit (50.00)', message)
        self.assertIn('new quotation in MedDev North', message)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.order_line.company_id, self.company)
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        self._refused_kw('不能转移到 MedDev North', order, 'write',
                         {'company_id': other.id},
                         context={'lang': 'zh_CN'})
        # On hold in the new company, with room under its limit: refused.
        north.credit_limit = 1000.0
        north.write({'credit_hold': True,
                     'credit_hold_reason': 'Cheque bounced'})
        self._refused_kw('is on credit hold', order, 'write',
                         {'company_id': other.id})
        self.assertEqual(order.company_id, self.company)
        # With room and no hold there, the move passes.
        north.write({'credit_hold': False})
        call_kw(order, 'write', {'company_id': other.id})
        self.assertEqual(order.sudo().company_id, other)

    def test_confirmed_order_moved_to_another_customer(self):
        """A confirmed order given to another customer counts in that
        customer's exposure: the change passes the gate against them, as a
        move to another company does."""
        other = self.env['res.partner'].create({
            'name': 'Valley Clinic', 'is_company': True, 'customer': True})
        contact = self.env['res.partner'].create({
            'name': 'Head Nurse', 'parent_id': self.customer.id})
        other.credit_limit = 50.0
        order = self._create_order(self.customer, [(self.product, 5, 100.0)],
                                   user=self.seller).sudo(self.seller)
        call_button(order, 'action_confirm')
        message = self._refused_kw('cannot be moved to the customer Valley',
                                   order, 'write', {'partner_id': other.id})
        self.assertIn('credit limit (50.00)', message)
        self.assertIn('new quotation for Valley Clinic', message)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_line.order_partner_id, self.customer)
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        self._refused_kw('不能转给客户 Valley Clinic', order, 'write',
                         {'partner_id': other.id}, context={'lang': 'zh_CN'})
        # Room under the limit but on hold: refused.
        other.write({'credit_limit': 1000.0, 'credit_hold': True,
                     'credit_hold_reason': 'Cheque bounced'})
        self._refused_kw('is on credit hold', order, 'write',
                         {'partner_id': other.id})
        # A contact of the same customer is no move; the other customer
        # with room and no hold is accepted.
        call_kw(order, 'write', {'partner_id': contact.id})
        other.write({'credit_hold': False})
        call_kw(order, 'write', {'partner_id': other.id})
        self.assertEqual(order.partner_id, other)

    def test_line_moved_to_another_confirmed_order(self):
        """A line moved onto another confirmed order raises that order: it
        passes the gate against that order's customer."""
        other = self.env['res.partner'].create({
            'name': 'Valley Clinic', 'is_company': True, 'customer': True})
        other.credit_limit = 600.0
        source = self._create_order(
            self.customer, [(self.product, 5, 100.0)],
            user=self.seller).sudo(self.seller)
        target = self._create_order(other, [(self.product, 5, 100.0)],
                                    user=self.seller).sudo(self.seller)
        call_button(source, 'action_confirm')
        call_button(target, 'action_confirm')
        line = source.order_line
        self._refused_kw('would exceed its credit limit', line, 'write',
                         {'order_id': target.id})
        self.assertEqual(line.order_id, source)
        self.assertEqual(target.amount_total, 500.0)
        other.credit_limit = 2000.0
        call_kw(line, 'write', {'order_id': target.id})
        self.assertEqual(target.amount_total, 1000.0)
