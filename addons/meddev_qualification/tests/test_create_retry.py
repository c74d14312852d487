"""Odoo retries a request that hit a serialization failure with the same
arguments, and mail.thread's create added the creator's follower command
to the caller's dict: the retry subscribed the creator twice
(IntegrityError on mail_followers under the bench's load). meddev_base's
mail.thread create works on a copy; the purchase gate's create goes
through it."""

from odoo.addons.meddev_base.tests.common import create_through_retry

from .common import MeddevTradeCase


class TestCreateRetry(MeddevTradeCase):

    def test_purchase_created_on_retry_after_serialization_failure(self):
        buyer = self._create_user(
            'retry_buyer', self.env.ref('purchase.group_purchase_user'))
        vals = {'partner_id': self.supplier.id, 'order_line': [(0, 0, {
            'product_id': self.product_plain.id, 'name': 'Brochure',
            'product_qty': 1, 'price_unit': 1.0,
            'product_uom': self.product_plain.uom_id.id,
            'date_planned': '2026-03-01 09:00:00'})]}
        order, attempts = create_through_retry(buyer, 'purchase.order', vals)
        self.assertEqual(attempts, 2)
        # Purchase's own create names the order in the caller's dict (the
        # retry reuses the name: harmless), the ORM the order's id into the
        # line commands (set again to the new order's at each attempt); the
        # chatter's follower command stays out of it.
        self.assertNotIn('message_follower_ids', vals)
        self.assertEqual(order.partner_id, self.supplier)
        self.assertEqual(len(order.order_line), 1)
        self.assertIn(buyer.partner_id, order.message_partner_ids)
