"""Odoo retries a request that hit a serialization failure (another
transaction updated the customer's row) with the same arguments, and
mail.thread's create added the creator's follower command to the caller's
dict: the retry subscribed the salesperson twice (IntegrityError on
mail_followers, one XML-RPC client per phase of the bench's load case).
meddev_base's mail.thread create works on a copy; the order's create (the
credit gate's) goes through it."""

from odoo.addons.meddev_base.tests.common import create_through_retry

from .common import MeddevCreditFlowCase


class TestCreateRetry(MeddevCreditFlowCase):

    def test_order_created_on_retry_after_serialization_failure(self):
        vals = {'partner_id': self.customer.id,
                'order_line': [(0, 0, {'product_id': self.product.id,
                                       'product_uom_qty': 1})]}
        order, attempts = create_through_retry(
            self.salesman, 'sale.order', vals)
        self.assertEqual(attempts, 2)
        # Sale's own create names the order and fills its addresses in the
        # caller's dict (the retry reuses them: harmless), the ORM the
        # order's id into the line commands (set again to the new order's at
        # each attempt); the chatter's follower command stays out of it.
        self.assertNotIn('message_follower_ids', vals)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(len(order.order_line), 1)
        self.assertIn(self.salesman.partner_id, order.message_partner_ids)
