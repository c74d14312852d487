import uuid

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.service import model as service_model
from odoo.tests.common import TransactionCase, at_install, post_install


# After every module is loaded and committed: each RPC call runs in its own
# committed transaction, as a client's would; everything is removed after.
@at_install(False)
@post_install(True)
class TestSalespersonOverXmlRpc(TransactionCase):
    """A salesperson with Sales / User alone, over XML-RPC (Odoo's object
    service, with the password check and the retry of serialisation
    failures): refused with the next step, cannot forge an approved
    override nor write the order's state, requests an override that a
    credit manager approves, then confirms."""

    def setUp(self):
        super(TestSalespersonOverXmlRpc, self).setUp()
        suffix = uuid.uuid4().hex[:8]
        self.password = 'rpc-%s' % suffix
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {
                'tracking_disable': True, 'no_reset_password': True})
            users = env['res.users']
            for login, group in (
                    ('rpc_seller', 'sales_team.group_sale_salesman'),
                    ('rpc_credit_manager',
                     'meddev_credit.group_meddev_credit_manager')):
                users |= users.create({
                    'name': login, 'login': '%s_%s' % (login, suffix),
                    'password': self.password,
                    'email': '%s_%s@example.com' % (login, suffix),
                    'groups_id': [(6, 0, [env.ref(group).id])]})
            partner = env['res.partner'].create({
                'name': 'RPC Clinic %s' % suffix, 'is_company': True,
                'customer': True, 'credit_limit': 1000.0})
            product = env['product.product'].create({
                'name': 'RPC Stent', 'type': 'service',
                'invoice_policy': 'order', 'taxes_id': [(6, 0, [])]})
            self.seller_id, self.manager_id = users.ids
            self.partner_id = partner.id
            self.product_id = product.id
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env['sale.order'].search(
                [('partner_id', '=', self.partner_id)])
            # Overrides are never deleted by the ORM: they are an audit
            # trail; these test ones go with their order.
            if orders:
                cr.execute("DELETE FROM meddev_credit_override_request "
                           "WHERE order_id IN %s", (tuple(orders.ids),))
                cr.execute("DELETE FROM meddev_credit_override "
                           "WHERE order_id IN %s", (tuple(orders.ids),))
                orders.write({'state': 'cancel'})
                orders.unlink()
            product = env['product.product'].browse(self.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env['res.partner'].browse(self.partner_id).unlink()
            users = env['res.users'].browse([self.seller_id, self.manager_id])
            partners = users.mapped('partner_id')
            users.unlink()
            partners.unlink()

    def _rpc(self, uid, model, method, args, kwargs=None):
        """Call as XML-RPC's object endpoint does (execute_kw)."""
        return service_model.dispatch('execute_kw', (
            self.cr.dbname, uid, self.password, model, method, args,
            kwargs or {}))

    def test_request_and_confirm_over_rpc(self):
        seller = self.seller_id
        order_id = self._rpc(seller, 'sale.order', 'create', [{
            'partner_id': self.partner_id,
            'order_line': [(0, 0, {
                'product_id': self.product_id, 'product_uom_qty': 12,
                'price_unit': 100.0, 'tax_id': [(6, 0, [])]})]}])
        with self.assertRaises(UserError) as refusal:
            self._rpc(seller, 'sale.order', 'action_confirm', [[order_id]])
        self.assertIn('use "Request Credit Override" on the order',
                      refusal.exception.name)
        with self.assertRaises(UserError):
            self._rpc(seller, 'sale.order', 'write',
                      [[order_id], {'state': 'sale'}])
        with self.assertRaises(AccessError):
            self._rpc(seller, 'meddev.credit.override', 'create', [{
                'order_id': order_id, 'partner_id': self.partner_id,
                'company_id': self.env.ref('base.main_company').id,
                'reason': 'Trust me', 'state': 'approved',
                'amount': 1e9, 'problem_codes': 'hold,grade,overdue,limit',
                'expiry_date': '2099-12-31'}])
        wizard_id = self._rpc(
            seller, 'meddev.credit.override.request', 'create',
            [{'order_id': order_id, 'reason': 'County hospital tender'}])
        action = self._rpc(seller, 'meddev.credit.override.request',
                           'action_request', [[wizard_id]])
        override_id = action['res_id']
        with self.assertRaises(AccessError):
            self._rpc(seller, 'meddev.credit.override', 'write',
                      [[override_id], {'state': 'approved'}])
        with self.assertRaises(AccessError):
            self._rpc(seller, 'meddev.credit.override', 'action_approve',
                      [[override_id]])
        self._rpc(self.manager_id, 'meddev.credit.override',
                  'action_approve', [[override_id]])
        self._rpc(seller, 'sale.order', 'action_confirm', [[order_id]])
        [order] = self._rpc(seller, 'sale.order', 'read',
                            [[order_id], ['state']])
        self.assertEqual(order['state'], 'sale')
        [override] = self._rpc(seller, 'meddev.credit.override', 'read',
                               [[override_id], ['state', 'requester_id']])
        self.assertEqual(override['state'], 'used')
        self.assertEqual(override['requester_id'][0], seller)
