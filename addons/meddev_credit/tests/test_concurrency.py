import threading
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service import model as service_model
from odoo.tests.common import TransactionCase, at_install, post_install
from odoo.tools import mute_logger


# After every module is loaded and committed: the test commits its own data.
@at_install(False)
@post_install(True)
class TestConcurrentConfirmation(TransactionCase):
    """Two salespeople confirm orders of one customer at the same moment:
    together the orders exceed the limit, so only one may pass. Runs on
    real, committed transactions; everything committed is removed after."""

    def setUp(self):
        super(TestConcurrentConfirmation, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {
                'tracking_disable': True, 'mail_create_nolog': True})
            partner = env['res.partner'].create({
                'name': 'Concurrent Clinic', 'is_company': True,
                'customer': True, 'credit_limit': 1000.0})
            product = env['product.product'].create({
                'name': 'Concurrent Stent', 'type': 'service',
                'invoice_policy': 'order', 'taxes_id': [(6, 0, [])]})
            orders = env['sale.order']
            for __ in range(2):
                orders |= orders.create({
                    'partner_id': partner.id,
                    'order_line': [(0, 0, {
                        'product_id': product.id, 'name': product.name,
                        'product_uom_qty': 6, 'price_unit': 100.0,
                        'product_uom': product.uom_id.id,
                        'tax_id': [(6, 0, [])]})],
                })
            self.partner_id = partner.id
            self.product_id = product.id
            self.order_ids = orders.ids
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env['sale.order'].browse(self.order_ids)
            orders.write({'state': 'cancel'})
            orders.unlink()
            product = env['product.product'].browse(self.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env['res.partner'].browse(self.partner_id).unlink()

    def test_only_one_of_two_concurrent_orders_passes(self):
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            order1 = env1['sale.order'].browse(self.order_ids[0])
            order2 = env2['sale.order'].browse(self.order_ids[1])
            # Both transactions have started (and taken their snapshot)
            # before either order is confirmed.
            self.assertEqual(order2.state, 'draft')
            self.assertEqual(order1.state, 'draft')
            order1.action_confirm()
            cr1.commit()
            # The second still sees the first order as a quotation: without
            # the lock it would pass. It must fail and be retried instead.
            with self.assertRaises(psycopg2.extensions.TransactionRollbackError
                                   ), mute_logger('odoo.sql_db'):
                order2.action_confirm()
            cr2.rollback()
            # Odoo retries a serialisation failure; the retry sees order 1.
            order2.invalidate_cache()
            with self.assertRaisesRegex(UserError, 'by 200.00'):
                order2.action_confirm()
            cr2.rollback()
            self.assertEqual(order2.state, 'draft')
        finally:
            cr1.close()
            cr2.close()
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM sale_order WHERE id IN %s "
                       "ORDER BY id", (tuple(self.order_ids),))
            self.assertEqual([row[0] for row in cr.fetchall()],
                             ['sale', 'draft'])

    def test_overlapping_confirmations_over_rpc(self):
        """Two RPC calls (Odoo's execute_kw, with its retry of
        serialisation failures) confirm the two orders at the same moment,
        in two threads with their own cursors: both transactions have
        started before either takes the customer's lock (a barrier)."""
        barrier = threading.Barrier(2, timeout=30)
        first_try = threading.local()
        gate = type(self.env['meddev.credit.gate'])
        lock_partners = gate._lock_partners

        def lock_once_both_started(this, partners):
            if not getattr(first_try, 'done', False):
                first_try.done = True
                barrier.wait()
            return lock_partners(this, partners)

        outcomes = {}

        def confirm(order_id):
            try:
                with api.Environment.manage():
                    service_model.execute_kw(
                        self.cr.dbname, SUPERUSER_ID, 'sale.order',
                        'action_confirm', [[order_id]], {})
                outcomes[order_id] = 'confirmed'
            except UserError as error:
                outcomes[order_id] = error.name
            except Exception as error:  # pylint: disable=broad-except
                outcomes[order_id] = repr(error)

        threads = [threading.Thread(target=confirm, args=(order_id,))
                   for order_id in self.order_ids]
        with patch.object(gate, '_lock_partners', lock_once_both_started), \
                mute_logger('odoo.service.model', 'odoo.sql_db'):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        self.assertEqual(len(outcomes), 2, outcomes)
        results = sorted(outcomes.values())
        self.assertEqual(results[-1], 'confirmed', outcomes)
        self.assertIn('cannot be confirmed', results[0], outcomes)
        self.assertIn('by 200.00', results[0], outcomes)
        with self.registry.cursor() as cr:
            cr.execute("SELECT id, state FROM sale_order WHERE id IN %s",
                       (tuple(self.order_ids),))
            states = dict(cr.fetchall())
        for order_id, outcome in outcomes.items():
            self.assertEqual(states[order_id],
                             'sale' if outcome == 'confirmed' else 'draft')
