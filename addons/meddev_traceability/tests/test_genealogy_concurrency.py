import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TransactionCase, at_install, post_install


# Two real transactions that commit: after all modules are loaded, with
# their own data, removed again at the end.
@at_install(False)
@post_install(True)
class TestConcurrentLinks(TransactionCase):
    """Links recorded at the same time by two transactions (two
    manufacturing orders completing, a part swap during one) both commit:
    no lock shared by every link change, no deadlock, no lost row."""

    def _in_new_cursor(self, function):
        """Run ``function(env)`` in a transaction of its own, committed
        when it returns (the cursor commits on leaving the block)."""
        with api.Environment.manage(), self.registry.cursor() as cr:
            return function(api.Environment(cr, SUPERUSER_ID, {}))

    def setUp(self):
        super(TestConcurrentLinks, self).setUp()
        tag = uuid.uuid4().hex[:8]

        def build(env):
            product = env['product.product'].create({
                'name': 'Concurrent Part %s' % tag, 'type': 'product',
                'tracking': 'lot'})
            lots = dict((name, env['stock.production.lot'].create({
                'name': '%s-%s' % (name, tag),
                'product_id': product.id}).id)
                for name in ('C', 'F1', 'F2', 'A', 'B', 'D'))
            return product.id, lots
        self.product_id, self.lot_ids = self._in_new_cursor(build)
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        def remove(env):
            ids = list(self.lot_ids.values())
            env.cr.execute("""
                DELETE FROM meddev_lot_link
                 WHERE parent_lot_id = ANY(%s) OR child_lot_id = ANY(%s)
            """, [ids, ids])
            env['stock.production.lot'].browse(ids).unlink()
            env['product.product'].browse(self.product_id)\
                .product_tmpl_id.unlink()
        self._in_new_cursor(remove)

    def _add_together(self, pairs):
        """Record each (parent, child) of ``pairs`` in its own thread and
        transaction; all write before any commits. Return the errors."""
        barrier = threading.Barrier(len(pairs), timeout=20)
        errors = []

        def add(parent, child):
            try:
                with api.Environment.manage(), \
                        self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    lots = env['stock.production.lot']
                    env['meddev.lot.link'].add_link(
                        lots.browse(self.lot_ids[parent]),
                        lots.browse(self.lot_ids[child]),
                        origin='manufacturing')
                    # Both links written, neither committed: a lock
                    # shared by the two would stop one before this line.
                    # The cursor commits on leaving the block.
                    barrier.wait()
            except Exception as error:  # reported by the test below
                errors.append(repr(error))
        threads = [threading.Thread(target=add, args=pair) for pair in pairs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return errors

    def _current_pairs(self):
        names = dict((lot_id, name) for name, lot_id in self.lot_ids.items())

        def read(env):
            env.cr.execute("""
                SELECT parent_lot_id, child_lot_id FROM meddev_lot_link
                 WHERE child_lot_id = ANY(%s) AND date_removed IS NULL
            """, [list(self.lot_ids.values())])
            return sorted((names[parent], names[child])
                          for parent, child in env.cr.fetchall())
        return self._in_new_cursor(read)

    def test_two_orders_consume_one_component_lot(self):
        self.assertEqual(self._add_together([('F1', 'C'), ('F2', 'C')]), [])
        self.assertEqual(self._current_pairs(), [('F1', 'C'), ('F2', 'C')])

    def test_links_of_one_chain_at_once(self):
        # B goes into A while D goes into B: the trace from D then reaches
        # both, once both have committed.
        self.assertEqual(self._add_together([('A', 'B'), ('B', 'D')]), [])
        self.assertEqual(self._current_pairs(), [('A', 'B'), ('B', 'D')])

        def trace(env):
            rows = env['stock.production.lot'].browse(
                self.lot_ids['D']).trace_forward()
            return sorted((row['lot_id'], row['level']) for row in rows)
        self.assertEqual(self._in_new_cursor(trace), sorted([
            (self.lot_ids['B'], 1), (self.lot_ids['A'], 2)]))
