from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, call_button


class TestSalespersonFlow(MeddevCreditFlowCase):
    """A salesperson with Sales / User alone does what the refusal says:
    requests an override from the refused order, as the web client would
    call it, and confirms once a credit manager approved."""

    @classmethod
    def setUpClass(cls):
        super(TestSalespersonFlow, cls).setUpClass()
        cls.seller = cls._create_user(
            'sales_only', cls.env.ref('sales_team.group_sale_salesman'))
        cls._create_invoice(cls.customer, 9500.0)

    def test_request_from_the_refused_order(self):
        seller = self.seller
        # Sales / User brings the credit user group: figures and requests.
        self.assertTrue(seller.has_group(
            'meddev_credit.group_meddev_credit_user'))
        self.assertFalse(seller.has_group(
            'meddev_credit.group_meddev_credit_manager'))
        order = self.env['sale.order'].sudo(seller).create({
            'partner_id': self.contact.id,
            'order_line': [(0, 0, {
                'product_id': self.product.id, 'product_uom_qty': 10,
                'price_unit': 100.0, 'tax_id': [(6, 0, [])]})],
        })
        with self.assertRaises(UserError) as refusal:
            call_button(order, 'action_confirm')
        self.assertIn('use "Request Credit Override" on the order',
                      refusal.exception.name)
        # The button the message names is on the seller's form.
        arch = self.env['sale.order'].sudo(seller).fields_view_get(
            view_id=self.env.ref('sale.view_order_form').id,
            view_type='form')['arch']
        self.assertIn('name="action_request_credit_override"', arch)
        action = call_button(order, 'action_request_credit_override')
        self.assertEqual(action['res_model'],
                         'meddev.credit.override.request')
        wizard = self.env[action['res_model']].sudo(seller).with_context(
            **action['context']).create({
                'reason': 'Hospital tender, paid by the provincial fund'})
        self.assertEqual(wizard.order_id, order)
        action = call_button(wizard, 'action_request')
        override = self.env['meddev.credit.override'].sudo(seller).browse(
            action['res_id'])
        self.assertEqual(override.read(['state', 'requester_id'])[0][
            'requester_id'][0], seller.id)
        self.assertEqual(override.activity_ids.user_id, self.manager)
        call_button(override.sudo(self.manager), 'action_approve')
        call_button(order, 'action_confirm')
        self.assertEqual(order.state, 'sale')
        self.assertEqual(override.state, 'used')
