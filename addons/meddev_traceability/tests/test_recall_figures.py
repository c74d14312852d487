from odoo.exceptions import AccessError, UserError

from .common import MeddevManufacturingCase


class TestRecallFigures(MeddevManufacturingCase):
    """Returns after launch count whatever transfer brings them back;
    re-trace adds lines without touching handled ones; overdue notices
    reach the responsible once."""

    @classmethod
    def setUpClass(cls):
        super(TestRecallFigures, cls).setUpClass()
        cls.quarantine = cls.env.ref(
            'meddev_traceability.stock_location_recall_quarantine')
        cls.buyer = cls.env['res.partner'].create({
            'name': 'Mr. Li', 'parent_id': cls.hospital_b.id})
        # Three units of the board lot itself to Ruijin, before the recall.
        cls.board_picking = cls._deliver(
            cls.hospital_b, [(cls.board_lot, 3)])
        cls.picking_a = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Main board capacitor fails under heat.',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'decision_date': '2020-01-01',
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })
        cls.recall.action_launch()
        cls.board_line = cls.recall.line_ids.filtered(
            lambda line: line.lot_id == cls.board_lot)

    def _receive(self, picking, lot, quantity):
        """Validate ``quantity`` of ``lot`` on the return ``picking``,
        leaving the rest as a backorder; return the backorder."""
        picking = picking.sudo(self.stock_user)
        picking.move_lines.move_line_ids.unlink()
        self.env['stock.move.line'].sudo(self.stock_user).create({
            'move_id': picking.move_lines.id, 'picking_id': picking.id,
            'product_id': lot.product_id.id,
            'product_uom_id': lot.product_id.uom_id.id,
            'lot_id': lot.id, 'qty_done': quantity,
            'location_id': picking.location_id.id,
            'location_dest_id': picking.location_dest_id.id})
        picking.action_done()
        return self.env['stock.picking'].search(
            [('backorder_id', '=', picking.id)])

    def test_backorder_of_recall_return_counts(self):
        self.assertEqual(self.board_line.quantity_at_customer, 3.0)
        action = self.board_line.sudo(self.manager).action_create_return()
        ret = self.env['stock.picking'].browse(action['res_id'])
        backorder = self._receive(ret, self.board_lot, 1)
        self.assertEqual(self.board_line.quantity_returned, 1.0)
        self.assertTrue(backorder)
        self._receive(backorder, self.board_lot, 2)
        self.assertEqual(
            (self.board_line.quantity_returned, self.board_line.state),
            (3.0, 'done'))

    def test_return_by_editing_done_line_counts(self):
        action = self.board_line.sudo(self.manager).action_create_return()
        ret = self.env['stock.picking'].browse(action['res_id'])
        self._receive(ret, self.board_lot, 1)
        self.assertEqual(self.board_line.quantity_returned, 1.0)
        # The second unit came back with the first: the stock user unlocks
        # the done return and corrects its quantity (Odoo moves the quant
        # without validating anything).
        ret = ret.sudo(self.stock_user)
        ret.action_toggle_is_locked()
        ret.move_line_ids.write({'qty_done': 2})
        self.assertEqual(self.board_line.quantity_returned, 2.0)
        # The recall says who counted it, and through which transfer.
        notes = [message.body for message in self.recall.message_ids
                 if 'counted as returned' in (message.body or '')]
        self.assertEqual(len(notes), 1)
        self.assertIn('1 of MB2-L042 counted as returned', notes[0])
        self.assertIn(self.stock_user.name, notes[0])
        self.assertIn(ret.name, notes[0])
        # The same quantity written again brings nothing more back.
        ret.move_line_ids.write({'qty_done': 2})
        self.assertEqual(self.board_line.quantity_returned, 2.0)
        self.assertEqual(len([
            message for message in self.recall.message_ids
            if 'counted as returned' in (message.body or '')]), 1)

    def test_backorder_counts_on_its_own_line_first(self):
        # Two deliveries of one lot to one customer; the recall's return
        # of the newer one, received in two goes: both count on its line,
        # not on the older delivery's.
        lot = self._create_lot(self.board, 'MB2-L077')
        self._stock(lot, 4)
        older = self._deliver(self.hospital_b, [(lot, 2)])
        self.env.cr.execute("""
            UPDATE stock_move_line SET date = date - interval '1 day'
             WHERE picking_id = %s
        """, [older.id])
        newer = self._deliver(self.hospital_b, [(lot, 2)])
        recall = self.env['meddev.recall'].sudo(self.manager).create_from_lots(
            lot, 'Solder joints crack.', self.recall.recall_level_id,
            launch=True)
        older_line, newer_line = [recall.line_ids.filtered(
            lambda line, picking=picking: line.picking_id == picking)
            for picking in (older, newer)]
        action = newer_line.sudo(self.manager).action_create_return()
        backorder = self._receive(
            self.env['stock.picking'].browse(action['res_id']), lot, 1)
        self._receive(backorder, lot, 1)
        self.assertEqual(
            (newer_line.quantity_returned, older_line.quantity_returned),
            (2.0, 0.0))

    def test_ordinary_return_from_a_contact_counts(self):
        # Ruijin's buyer sends one unit back with an ordinary receipt.
        picking = self.env['stock.picking'].sudo(self.stock_user).create({
            'partner_id': self.buyer.id,
            'picking_type_id': self.env.ref('stock.picking_type_in').id,
            'location_id': self.customer_location.id,
            'location_dest_id': self.stock_location.id,
            'move_lines': [(0, 0, {
                'name': 'Return', 'product_id': self.board.id,
                'product_uom_qty': 1, 'product_uom': self.board.uom_id.id,
                'location_id': self.customer_location.id,
                'location_dest_id': self.stock_location.id})],
        })
        picking.action_confirm()
        self._receive(picking, self.board_lot, 1)
        self.assertEqual(self.board_line.quantity_returned, 1.0)
        # It went to quarantine, not back into stock.
        quants = self.env['stock.quant'].search([
            ('lot_id', '=', self.board_lot.id),
            ('location_id', '=', self.quarantine.id)])
        self.assertEqual(sum(quants.mapped('quantity')), 1.0)

    def test_retrace_adds_only_new_lines(self):
        serial_line = self.recall.line_ids.filtered(
            lambda line: line.lot_id == self.serial)
        serial_line.sudo(self.manager).action_mark_notified()
        sent = serial_line.notice_sent_date
        # Found since launch: the board lot was also fitted to a spare
        # unit delivered to Ruijin.
        box = self._create_lot(self.monitor, 'PM9-0777')
        self._stock(box, 1)
        self._deliver(self.hospital_b, [(box, 1)])
        self.env['meddev.lot.link'].sudo(self.manager).add_link(
            box, self.board_lot, origin='import', source='Legacy ERP')
        before = self.recall.line_ids
        self.recall.sudo(self.manager).action_retrace()
        added = self.recall.line_ids - before
        self.assertEqual(
            (added.lot_id, added.partner_id, added.state),
            (box, self.hospital_b, 'to_notify'))
        self.assertIn(box, self.recall.reached_lot_ids)
        self.assertTrue(box.recall_quarantine)
        self.assertEqual(
            (serial_line.notice_sent_date, serial_line.state),
            (sent, 'notified'))
        self.recall.sudo(self.manager).action_retrace()
        self.assertEqual(self.recall.line_ids, before | added)
        self.assertIn('Re-traced', self.recall.message_ids[0].body)

    def test_overdue_notifies_responsible_once(self):
        recalls = self.env['meddev.recall']
        activity_type = self.env.ref(
            'meddev_traceability.mail_activity_type_recall_overdue')

        def activities():
            return self.env['mail.activity'].search([
                ('res_model', '=', 'meddev.recall'),
                ('res_id', '=', self.recall.id),
                ('activity_type_id', '=', activity_type.id)])
        flagged = recalls._cron_flag_overdue_notices()
        self.assertEqual(flagged & self.recall.line_ids, self.recall.line_ids)
        self.assertEqual(activities().user_id, self.manager)
        recalls._cron_flag_overdue_notices()
        self.assertEqual(len(activities()), 1)
        # Done, then a newly found delivery becomes overdue: a new one.
        activities().action_done()
        recalls._cron_flag_overdue_notices()
        self.assertFalse(activities())
        box = self._create_lot(self.monitor, 'PM9-0778')
        self._stock(box, 1)
        self._deliver(self.hospital_b, [(box, 1)])
        self.env['meddev.lot.link'].sudo(self.manager).add_link(
            box, self.board_lot)
        self.recall.sudo(self.manager).action_retrace()
        recalls._cron_flag_overdue_notices()
        self.assertEqual(len(activities()), 1)


class TestRecallLaunchCost(MeddevManufacturingCase):
    """Launching creates the customer lines in one insert: the number of
    queries does not grow with the deliveries reached."""

    def _recall_of(self, count, prefix):
        lots = self.env['stock.production.lot']
        for index in range(count):
            lot = self._create_lot(self.board, '%s-%02d' % (prefix, index))
            self._stock(lot, 1)
            lots |= lot
            self._deliver(self.hospital_a, [(lot, 1)])
        return self.env['meddev.recall'].sudo(self.manager).create({
            'reason': 'Batch test.',
            'recall_level_id': self.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'lot_ids': [(6, 0, lots.ids)],
        })

    def _launch_queries(self, recall):
        recall.invalidate_cache()
        count = self.cr.sql_log_count
        recall.action_launch()
        return self.cr.sql_log_count - count

    def test_launch_cost_fixed(self):
        # A first launch fills the caches (record rules ...).
        self._recall_of(1, 'WARM').action_launch()
        small = self._recall_of(2, 'SMALL')
        large = self._recall_of(12, 'LARGE')
        small_queries = self._launch_queries(small)
        large_queries = self._launch_queries(large)
        self.assertEqual((small.line_count, large.line_count), (2, 12))
        self.assertEqual(large_queries, small_queries)


class TestRecallApi(MeddevManufacturingCase):
    """What the CAPA and service modules call."""

    def test_create_from_lots_and_open_recall_of_lot(self):
        recalls = self.env['meddev.recall']
        level = self.env.ref('meddev_traceability.recall_level_cn_1')
        self.assertFalse(recalls.open_recall_of_lot(self.serial))
        with self.assertRaises(AccessError):
            recalls.sudo(self.user).create_from_lots(
                self.board_lot, 'Capacitor.', level)
        recall = recalls.sudo(self.manager).create_from_lots(
            self.board_lot, 'Capacitor fails under heat.', level,
            source='capa', source_ref='CAPA/0007', launch=True)
        self.assertEqual(
            (recall.state, recall.source, recall.source_ref, recall.lot_ids),
            ('open', 'capa', 'CAPA/0007', self.board_lot))
        self.assertEqual(recalls.open_recall_of_lot(self.serial), recall)
        with self.assertRaisesRegex(UserError, 'at least one lot'):
            recalls.sudo(self.manager).create_from_lots(
                self.env['stock.production.lot'], 'Nothing.', level)
