import re

from odoo.exceptions import UserError

from ..lib.sql_array import int_array_literal
from ..models.meddev_lot_link_trace import GenealogyCycleError
from .common import MeddevManufacturingCase


class TestTrace(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestTrace, cls).setUpClass()
        cls.picking_a = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.picking_b = cls._deliver(cls.hospital_b, [(cls.serial_2, 1)])

    def _names(self, rows):
        lots = self.env['stock.production.lot'].browse(
            [row['lot_id'] for row in rows])
        return dict((lot.name, row['level']) for lot, row in zip(lots, rows))

    def test_backward_all_levels(self):
        rows = self.serial.sudo(self.user).trace_backward()
        self.assertEqual(self._names(rows), {
            'MM1-A': 1, 'MB2-L042': 2, 'CB1-L007': 2})

    def test_forward_all_levels(self):
        rows = self.board_lot.sudo(self.user).trace_forward()
        self.assertEqual(self._names(rows), {
            'MM1-A': 1, 'PM9-0001': 2, 'PM9-0002': 2})
        self.assertEqual(self.serial.trace_forward(), [])

    def test_forward_to_customers(self):
        rows = self.board_lot.sudo(self.user).trace_deliveries()
        found = sorted(
            (row['lot_id'], row['partner_id'], row['picking_id'],
             row['quantity']) for row in rows)
        self.assertEqual(found, sorted([
            (self.serial.id, self.hospital_a.id, self.picking_a.id, 1.0),
            (self.serial_2.id, self.hospital_b.id, self.picking_b.id, 1.0),
        ]))

    def _deliveries_plan(self, lot_ids):
        """The plan of the deliveries query of ``lot_ids`` as the user,
        sequential scans priced out (a test database is too small for the
        planner to prefer an index on its own)."""
        links = self.env['meddev.lot.link'].sudo(self.user)
        query, params = links._deliveries_query(lot_ids)
        self.cr.execute('ANALYZE stock_move_line')
        self.cr.execute('SET LOCAL enable_seqscan = off')
        try:
            self.cr.execute('EXPLAIN ' + query, params)
            # Without the arrays of ids (a failure message must be read).
            return re.sub(r"'\{[^']*\}'", "'{...}'", '\n'.join(
                row[0] for row in self.cr.fetchall()))
        finally:
            self.cr.execute('RESET enable_seqscan')

    def test_deliveries_read_move_lines_through_indexes(self):
        # Odoo 11 indexes no column of stock_move_line: the deliveries of
        # a recall read every move line of the database (1.7 s at 1.25
        # million lines, bench case 3). A warehouse's history: thousands
        # of lines with a lot that never went to a customer.
        stock = self.env.ref('stock.stock_location_stock').id
        self.cr.execute("""
            INSERT INTO stock_move_line (product_id, product_uom_id,
                product_uom_qty, qty_done, date, location_id,
                location_dest_id, lot_id, state)
            SELECT %(product)s, %(uom)s, 0, 1, now() at time zone 'UTC',
                   %(stock)s, %(stock)s, %(lot)s, 'done'
              FROM generate_series(1, 5000)
        """, {'product': self.board.id, 'uom': self.board.uom_id.id,
              'stock': stock, 'lot': self.board_lot.id})
        # A few lots: through the lot index (or the locations').
        plan = self._deliveries_plan(self.serial.ids)
        self.assertNotIn('Seq Scan on stock_move_line', plan)
        self.assertRegex(
            plan, r'Index Cond: \((lot_id|location_id|location_dest_id) = ')
        # A recall reaching many lots: through the lines at customer
        # locations (a few thousand at 111 000 lots), not lot by lot.
        plan = self._deliveries_plan(list(range(1, 50001)))
        self.assertNotIn('Seq Scan on stock_move_line', plan)
        self.assertIn('Index Cond: (location_dest_id = ANY', plan)
        self.assertIn('Index Cond: (location_id = ANY', plan)

    def test_trace_reached_is_the_lots_of_the_trace(self):
        # The recall's scope: the lots of trace_forward(), without a dict
        # per lot; a lot reached at two levels (the box holds the board
        # lot and the monitor made of it) comes once.
        box = self._create_lot(self.monitor, 'BOX-BOTH')
        self._create_link(box, self.board_lot)
        self._create_link(box, self.serial)
        links = self.env['meddev.lot.link'].sudo(self.user)
        rows = self.board_lot.sudo(self.user).trace_forward()
        reached = links._trace_reached(self.board_lot.ids, 'forward')
        self.assertEqual(reached, set(row['lot_id'] for row in rows))
        self.assertEqual(len(rows), 4)
        self.assertIn(box.id, reached)
        self.assertEqual(links._trace_reached(box.ids, 'forward'), set())
        self._insert_link_sql(self.board_lot, self.serial)
        with self.assertRaisesRegex(GenealogyCycleError, 'cycle'):
            links._trace_reached(self.board_lot.ids, 'forward')

    def test_int_array_literal(self):
        # Large id lists go to the server as one text literal.
        self.assertEqual(int_array_literal([3, 1, 2]), '{3,1,2}')
        self.assertEqual(int_array_literal(set()), '{}')
        with self.assertRaises(ValueError):
            int_array_literal(['1}); DROP TABLE x; --'])

    def _count_queries(self, lot):
        lot.invalidate_cache()
        count = self.cr.sql_log_count
        rows = lot.trace_forward()
        return self.cr.sql_log_count - count, rows

    def test_trace_cost_fixed(self):
        # A deeper chain costs no more queries than a shallow one.
        shallow, rows = self._count_queries(self.board_lot)
        self.assertEqual(len(rows), 3)
        previous = self.serial
        for index in range(10):
            box = self._create_lot(self.monitor, 'BOX-%d' % index)
            self._create_link(box, previous)
            previous = box
        deep, rows = self._count_queries(self.board_lot)
        self.assertEqual(len(rows), 13)
        self.assertEqual(deep, shallow)
        self.assertLessEqual(deep, 3)

    def test_cycle_reported(self):
        # Bad data: an old import made the board lot contain its own
        # monitor (the ORM refuses such a link now, see test_trace_dag).
        self._insert_link_sql(self.board_lot, self.serial)
        with self.assertRaisesRegex(UserError, 'cycle') as raised:
            self.board_lot.trace_forward()
        message = str(raised.exception)
        for name in ('MB2-L042', 'MM1-A', 'PM9-0001'):
            self.assertIn(name, message)
        with self.assertRaisesRegex(UserError, 'cycle'):
            self.serial.trace_backward()

    def test_trace_buttons_open_lists(self):
        action = self.board_lot.sudo(self.user).action_trace_forward()
        lines = self.env['meddev.trace.line'].sudo(self.user).search(
            action['domain'])
        self.assertEqual(
            sorted((line.kind, line.lot_id.name, line.level,
                    line.partner_id.name or '') for line in lines),
            [('delivery', 'PM9-0001', 2, 'Renji Hospital'),
             ('delivery', 'PM9-0002', 2, 'Ruijin Hospital'),
             ('lot', 'MB2-L042', 0, ''),
             ('lot', 'MM1-A', 1, ''),
             ('lot', 'PM9-0001', 2, ''),
             ('lot', 'PM9-0002', 2, '')])
        action = self.serial.sudo(self.user).action_trace_backward()
        lines = self.env['meddev.trace.line'].sudo(self.user).search(
            action['domain'])
        self.assertEqual(
            sorted(lines.mapped('lot_id.name')),
            ['CB1-L007', 'MB2-L042', 'MM1-A', 'PM9-0001'])
        self.assertEqual(lines.filtered(
            lambda line: line.lot_id == self.module_lot).via_lot_id,
            self.serial)
