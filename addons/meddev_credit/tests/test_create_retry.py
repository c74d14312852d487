"""Odoo retries a request that hit a serialization failure (another
transaction updated the customer's row) with the same arguments. The
order's create must leave those arguments as it found them: mail.thread's
create adds the creator's follower command to the caller's dict, so the
retry subscribed the salesperson twice (IntegrityError on mail_followers,
one XML-RPC client per phase of the bench's load case)."""

import copy
from unittest.mock import patch

import psycopg2
from psycopg2 import errorcodes

from odoo.service import model as service_model
from odoo.tools import mute_logger

from .common import MeddevCreditFlowCase


class SerializationFailure(psycopg2.OperationalError):
    """What PostgreSQL raises when a concurrent update wins."""
    pgcode = errorcodes.SERIALIZATION_FAILURE


class TestCreateRetry(MeddevCreditFlowCase):

    def test_order_created_on_retry_after_serialization_failure(self):
        orders = self.env['sale.order'].sudo(self.salesman).with_context(
            tracking_disable=False)
        vals = {'partner_id': self.customer.id,
                'order_line': [(0, 0, {'product_id': self.product.id,
                                       'product_uom_qty': 1})]}
        sent = copy.deepcopy(vals)
        model_class = type(orders)
        original = model_class._create
        attempts = []

        def create_failing_once(records, values):
            # The first attempt fails after the chatter's create has run,
            # as the INSERT of the order did under load.
            attempts.append(1)
            if len(attempts) == 1:
                raise SerializationFailure('could not serialize access')
            return original(records, values)

        @service_model.check
        def request(_dbname):
            # One attempt = one transaction: rolled back when it fails.
            with self.env.cr.savepoint():
                return orders.create(vals).id

        with patch.object(model_class, '_create', create_failing_once), \
                mute_logger('odoo.service.model', 'odoo.sql_db'):
            order_id = request(self.env.cr.dbname)
        self.assertEqual(len(attempts), 2)
        self.assertEqual(vals, sent)
        order = self.env['sale.order'].browse(order_id)
        self.assertEqual(order.partner_id, self.customer)
        self.assertIn(self.salesman.partner_id, order.message_partner_ids)
