from odoo.exceptions import AccessError, UserError

from .common import MeddevManufacturingCase


class TestQuarantine(MeddevManufacturingCase):
    """Lots under an open recall cannot move towards use by any path;
    returns, scrap and transit stay possible and are recorded; returned
    units stay in quarantine after the recall closes."""

    @classmethod
    def setUpClass(cls):
        super(TestQuarantine, cls).setUpClass()
        cls.quarantine = cls.env.ref(
            'meddev_traceability.stock_location_recall_quarantine')
        cls.transit = cls.env.ref('stock.stock_location_inter_wh')
        cls.shelf = cls.env['stock.location'].create({
            'name': 'Shelf A', 'usage': 'internal',
            'location_id': cls.stock_location.id})
        cls.qa_manager = cls._create_user(
            'trace_qa_manager', cls.group_manager
            | cls.env.ref('stock.group_stock_user'))
        # Before the recall: PM9-0001 and one unit of the board lot went
        # to Renji, a spare serial too.
        cls.spare = cls._create_lot(cls.monitor, 'PM9-0003')
        cls._stock(cls.spare, 1)
        cls.picking_a = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.board_picking = cls._deliver(
            cls.hospital_a, [(cls.board_lot, 1)])
        cls.spare_picking = cls._deliver(cls.hospital_b, [(cls.spare, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Main board capacitor fails under heat.',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_2').id,
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })
        cls.recall.action_launch()

    def _quantity(self, lot, location):
        return sum(self.env['stock.quant'].search([
            ('lot_id', '=', lot.id),
            ('location_id', '=', location.id)]).mapped('quantity'))

    def _move(self, lot, quantity, source, dest, user):
        """Move ``quantity`` of ``lot`` from ``source`` to ``dest`` as
        ``user`` by hand (a line with the lot picked) and return the
        move, done."""
        env = self.env(user=user.id)
        move = env['stock.move'].create({
            'name': 'Move %s' % lot.name,
            'product_id': lot.product_id.id,
            'product_uom_qty': quantity,
            'product_uom': lot.product_id.uom_id.id,
            'location_id': source.id,
            'location_dest_id': dest.id,
        })
        move._action_confirm()
        env['stock.move.line'].create({
            'move_id': move.id,
            'product_id': lot.product_id.id,
            'product_uom_id': lot.product_id.uom_id.id,
            'lot_id': lot.id,
            'qty_done': quantity,
            'location_id': source.id,
            'location_dest_id': dest.id,
        })
        move._action_done()
        return move

    def test_unlocked_done_delivery_edit_refused(self):
        # Editing a done delivery moves quants without _action_done.
        picking = self.board_picking.sudo(self.stock_user)
        picking.action_toggle_is_locked()
        line = picking.move_line_ids
        with self.assertRaisesRegex(
                UserError, 'Delivery refused: the lot MB2-L042 .*%s'
                % self.recall.name):
            line.write({'qty_done': 2})
        spare_line = self.spare_picking.sudo(self.stock_user).move_line_ids
        with self.assertRaisesRegex(UserError, 'PM9-0002 .*%s'
                                    % self.recall.name):
            spare_line.write({'lot_id': self.serial_2.id})
        self.assertEqual(self._quantity(self.serial_2, self.stock_location),
                         1.0)
        self.assertEqual(
            self._quantity(self.board_lot, self.customer_location), 1.0)

    def test_hand_picked_line_refused(self):
        picking = self._deliver(
            self.hospital_b, [(self.serial_2, 1)], user=self.stock_user,
            validate=False)
        # Automatic reservation passed over the recalled serial.
        self.assertNotIn(self.serial_2, picking.move_line_ids.mapped('lot_id'))
        with self.assertRaisesRegex(UserError, 'Delivery refused: .*PM9-0002'):
            self.env['stock.move.line'].sudo(self.stock_user).create({
                'move_id': picking.move_lines.id,
                'picking_id': picking.id,
                'product_id': self.monitor.id,
                'product_uom_id': self.monitor.uom_id.id,
                'lot_id': self.serial_2.id,
                'qty_done': 1,
                'location_id': self.stock_location.id,
                'location_dest_id': self.customer_location.id,
            })
        # Nor can it be moved around the warehouse.
        with self.assertRaisesRegex(UserError, 'Move to .*Shelf A refused'):
            self._move(self.serial_2, 1, self.stock_location, self.shelf,
                       self.stock_user)

    def test_scrap_and_transit_allowed_and_recorded(self):
        scrap = self.env['stock.scrap'].sudo(self.stock_user).create({
            'product_id': self.monitor.id,
            'product_uom_id': self.monitor.uom_id.id,
            'lot_id': self.serial_2.id,
            'scrap_qty': 1,
            'location_id': self.stock_location.id,
        })
        scrap.action_validate()
        self.assertEqual(scrap.state, 'done')
        self._move(self.board_lot, 1, self.stock_location, self.transit,
                   self.stock_user)
        self.assertEqual(self._quantity(self.board_lot, self.transit), 1.0)
        bodies = ' '.join(self.recall.message_ids.mapped('body'))
        self.assertIn('PM9-0002', bodies)
        self.assertIn(scrap.scrap_location_id.name, bodies)
        self.assertIn('Inter Company Transit', bodies)

    def test_returns_stay_in_quarantine_after_close(self):
        # An ordinary return (Odoo's wizard, back to stock) after launch.
        wizard = self.env['stock.return.picking'].sudo(
            self.stock_user).with_context(
            active_id=self.picking_a.id, active_ids=self.picking_a.ids,
            active_model='stock.picking').create({})
        self.assertEqual(wizard.location_id, self.stock_location)
        returned = self.env['stock.picking'].sudo(self.stock_user).browse(
            wizard._create_returns()[0])
        returned.move_lines.move_line_ids.unlink()
        self.env['stock.move.line'].sudo(self.stock_user).create({
            'move_id': returned.move_lines.id,
            'picking_id': returned.id,
            'product_id': self.monitor.id,
            'product_uom_id': self.monitor.uom_id.id,
            'lot_id': self.serial.id,
            'qty_done': 1,
            'location_id': self.customer_location.id,
            'location_dest_id': self.stock_location.id,
        })
        returned.action_done()
        self.assertEqual(self._quantity(self.serial, self.quarantine), 1.0)
        self.assertEqual(self._quantity(self.serial, self.stock_location), 0)
        line = self.recall.line_ids.filtered(
            lambda line: line.lot_id == self.serial)
        self.assertEqual((line.quantity_returned, line.state), (1.0, 'done'))
        self.recall.action_close()
        # Closed: the unit stays held; nothing reserves it from stock.
        self.assertEqual(self._quantity(self.serial, self.quarantine), 1.0)
        picking = self._deliver(
            self.hospital_b, [(self.serial, 1)], user=self.stock_user,
            validate=False)
        self.assertNotIn(self.serial, picking.move_line_ids.mapped('lot_id'))
        # Only a recall manager releases it; the release is on the lot.
        with self.assertRaisesRegex(UserError, 'only a recall manager'):
            self._move(self.serial, 1, self.quarantine, self.stock_location,
                       self.stock_user)
        self._move(self.serial, 1, self.quarantine, self.stock_location,
                   self.qa_manager)
        self.assertEqual(self._quantity(self.serial, self.stock_location),
                         1.0)
        self.assertIn('Released from recall quarantine',
                      ' '.join(self.serial.message_ids.mapped('body')))

    def test_done_line_edit_cannot_release_quarantine(self):
        # A done move into quarantine, edited afterwards: Odoo takes the
        # units back out of quarantine (destination to source) first.
        move = self._move(self.board_lot, 1, self.stock_location,
                          self.quarantine, self.stock_user)
        self.recall.action_close()
        line = move.move_line_ids.sudo(self.stock_user)
        with self.assertRaisesRegex(UserError, 'only a recall manager'):
            line.write({'location_dest_id': self.stock_location.id})
        with self.assertRaisesRegex(UserError, 'only a recall manager'):
            line.write({'qty_done': 0})
        self.assertEqual(self._quantity(self.board_lot, self.quarantine), 1.0)
        # More into quarantine is no release; a recall manager may correct.
        line.write({'qty_done': 1})
        move.move_line_ids.sudo(self.qa_manager).write(
            {'location_dest_id': self.stock_location.id})
        self.assertEqual(self._quantity(self.board_lot, self.quarantine), 0)

    def test_quarantine_left_only_to_dispose(self):
        # A count or a transit location would let a second move bring the
        # units back into stock: only scrap and the supplier are open.
        self._move(self.board_lot, 2, self.stock_location, self.quarantine,
                   self.stock_user)
        loss = self.env.ref('stock.location_inventory')
        for dest in (self.transit, loss):
            with self.assertRaisesRegex(UserError, 'only a recall manager'):
                self._move(self.board_lot, 1, self.quarantine, dest,
                           self.stock_user)
        scrap = self.env['stock.scrap'].sudo(self.stock_user).create({
            'product_id': self.board.id,
            'product_uom_id': self.board.uom_id.id,
            'lot_id': self.board_lot.id,
            'scrap_qty': 1,
            'location_id': self.quarantine.id,
        })
        scrap.action_validate()
        self._move(self.board_lot, 1, self.quarantine,
                   self.env.ref('stock.stock_location_suppliers'),
                   self.stock_user)
        self.assertEqual(self._quantity(self.board_lot, self.quarantine), 0)

    def test_reservation_skips_quarantine_inside_stock(self):
        cage = self.env['stock.location'].create({
            'name': 'Recall Cage', 'usage': 'internal',
            'location_id': self.stock_location.id, 'recall_quarantine': True})
        unit = self._create_lot(self.monitor, 'PM9-0009')
        self._stock(unit, 1)
        self._move(unit, 1, self.stock_location, cage, self.stock_user)
        picking = self._deliver(
            self.hospital_b, [(unit, 1)], user=self.stock_user,
            validate=False)
        self.assertFalse(picking.move_line_ids)

    def test_quarantine_flag_for_recall_managers_only(self):
        # Unticking the flag would release every unit held there.
        stock_manager = self._create_user(
            'trace_stock_manager', self.env.ref('stock.group_stock_manager'))
        with self.assertRaisesRegex(AccessError,
                                    'Only a recall manager may change'):
            self.quarantine.sudo(stock_manager).write(
                {'recall_quarantine': False})
        self.quarantine.sudo(stock_manager).write({'name': 'Recall Hold'})
        stock_manager.groups_id = [(4, self.group_manager.id)]
        self.quarantine.sudo(stock_manager).write(
            {'recall_quarantine': False})
        self.assertFalse(self.quarantine.recall_quarantine)

    def test_inventory_count_cannot_empty_quarantine(self):
        # A count found short in quarantine is for a recall manager: a
        # stock user's count elsewhere could bring the units back.
        self._move(self.board_lot, 1, self.stock_location, self.quarantine,
                   self.stock_user)
        inventory = self.env['stock.inventory'].sudo(self.stock_user).create({
            'name': 'Quarantine count', 'location_id': self.quarantine.id,
            'filter': 'product', 'product_id': self.board.id})
        inventory.action_start()
        self.assertEqual(inventory.line_ids.theoretical_qty, 1.0)
        inventory.line_ids.product_qty = 0
        with self.assertRaisesRegex(UserError, 'only a recall manager'):
            inventory.action_done()
        self.assertEqual(self._quantity(self.board_lot, self.quarantine), 1.0)

    def test_unbuild_refused_names_recall(self):
        # PM9-0002 is in stock and contains the recalled board lot; Odoo
        # lets manufacturing managers unbuild.
        mrp_manager = self._create_user(
            'trace_mrp_manager', self.env.ref('mrp.group_mrp_manager')
            | self.env.ref('stock.group_stock_user'))
        unbuild = self.env['mrp.unbuild'].sudo(mrp_manager).create({
            'product_id': self.monitor.id,
            'product_qty': 1,
            'product_uom_id': self.monitor.uom_id.id,
            'bom_id': self.monitor_bom.id,
            'mo_id': self.monitor_mo.id,
            'lot_id': self.serial_2.id,
        })
        # The button, as the web client calls it (context only).
        with self.assertRaisesRegex(
                UserError, r'Unbuild %s refused: the lot PM9-0002 .*open '
                           r'recall %s\.' % (unbuild.name, self.recall.name)):
            unbuild.with_context(lang='en_US').action_unbuild()
        self.assertEqual(unbuild.state, 'draft')
        self.assertEqual(
            self._quantity(self.serial_2, self.stock_location), 1.0)
