"""A salesperson's own saved defaults (``ir.default``, which any internal
user may create for themselves: "Set Default" in the web client, or
``ir.default.set`` over RPC) fill a new record's missing fields like the
context's ``default_*`` keys: the creates check them too."""

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tests.common import rpc, save_default

from .common import MeddevCreditFlowCase


class TestSavedDefaults(MeddevCreditFlowCase):

    def test_saved_credit_limit_refused(self):
        """A salesperson saves a credit limit (or a rating) as their
        default for new customers: the customer they then create over RPC
        is refused, as it is with the limit in the values."""
        vals = {'name': 'Saved Default Clinic', 'is_company': True,
                'customer': True}
        self.assertTrue(rpc(self.salesman, 'res.partner', 'create',
                            [dict(vals)]))
        for field, value in (('credit_limit', 999999999.0),
                             ('credit_rating', 'A')):
            with self.subTest(field=field):
                save_default(self, self.salesman, 'res.partner', field,
                             value)
                with self.assertRaises(AccessError):
                    rpc(self.salesman, 'res.partner', 'create',
                        [dict(vals)])
            # One saved default at a time.
            self.env['ir.default'].search(
                [('user_id', '=', self.salesman.id)]).unlink()
        # The credit manager's own saved default is theirs to set.
        save_default(self, self.manager, 'res.partner', 'credit_limit', 5.0)
        partner = self.env['res.partner'].browse(rpc(
            self.manager, 'res.partner', 'create', [dict(vals)]))
        self.assertEqual(partner.credit_limit, 5.0)

    def test_saved_confirmed_state_passes_the_gate(self):
        """An order state saved as the salesperson's default makes an order
        born confirmed: it passes the credit gate like a confirmation."""
        self.customer.credit_limit = 100.0
        save_default(self, self.salesman, 'sale.order', 'state', 'sale')
        vals = {'partner_id': self.customer.id,
                'user_id': self.salesman.id,
                'order_line': [(0, 0, {
                    'product_id': self.product.id, 'product_uom_qty': 5.0,
                    'price_unit': 100.0, 'tax_id': [(6, 0, [])]})]}
        with self.assertRaises(UserError) as caught:
            rpc(self.salesman, 'sale.order', 'create', [vals])
        self.assertIn(self.customer.name, str(caught.exception))
        self.assertFalse(self.env['sale.order'].search(
            [('partner_id', '=', self.customer.id),
             ('state', 'in', ('sale', 'done'))]))
