"""Odoo retries a request that hit a serialization failure with the same
arguments; the gate's create (sale and purchase orders) leaves them as it
found them, so the retry does not subscribe the creator twice
(mail.thread's create adds the creator's follower command to the caller's
dict: IntegrityError on mail_followers under the bench's load)."""

import copy
from unittest.mock import patch

import psycopg2
from psycopg2 import errorcodes

from odoo.service import model as service_model
from odoo.tools import mute_logger

from .common import MeddevTradeCase


class SerializationFailure(psycopg2.OperationalError):
    pgcode = errorcodes.SERIALIZATION_FAILURE


class TestCreateRetry(MeddevTradeCase):

    def test_purchase_created_on_retry_after_serialization_failure(self):
        buyer = self._create_user(
            'retry_buyer', self.env.ref('purchase.group_purchase_user'))
        orders = self.env['purchase.order'].sudo(buyer).with_context(
            tracking_disable=False)
        vals = {'partner_id': self.supplier.id, 'order_line': [(0, 0, {
            'product_id': self.product_plain.id, 'name': 'Brochure',
            'product_qty': 1, 'price_unit': 1.0,
            'product_uom': self.product_plain.uom_id.id,
            'date_planned': '2026-03-01 09:00:00'})]}
        sent_lines = copy.deepcopy(vals['order_line'])
        model_class = type(orders)
        original = model_class._create
        attempts = []

        def create_failing_once(records, values):
            attempts.append(1)
            if len(attempts) == 1:
                raise SerializationFailure('could not serialize access')
            return original(records, values)

        @service_model.check
        def request(_dbname):
            with self.env.cr.savepoint():
                return orders.create(vals).id

        with patch.object(model_class, '_create', create_failing_once), \
                mute_logger('odoo.service.model', 'odoo.sql_db'):
            order = self.env['purchase.order'].browse(
                request(self.env.cr.dbname))
        self.assertEqual(len(attempts), 2)
        # Purchase's own create names the order in the caller's dict (the
        # retry reuses the name: harmless); the chatter's follower command
        # and the lines stay out of it.
        self.assertNotIn('message_follower_ids', vals)
        self.assertEqual(vals['order_line'], sent_lines)
        self.assertEqual(order.partner_id, self.supplier)
        self.assertIn(buyer.partner_id, order.message_partner_ids)
