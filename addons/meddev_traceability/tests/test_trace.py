from odoo.exceptions import UserError

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
