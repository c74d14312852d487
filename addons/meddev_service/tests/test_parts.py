from odoo.exceptions import UserError

from .common import MeddevServiceTicketCase


class PartsCase(MeddevServiceTicketCase):
    """A van with boards, an engineer of the East team, a ticket."""

    @classmethod
    def setUpClass(cls):
        super(PartsCase, cls).setUpClass()
        cls.van = cls.env['stock.location'].create({
            'name': 'Van 1', 'usage': 'internal',
            'location_id': cls.env.ref('stock.stock_location_locations').id})
        cls.engineer = cls.env['meddev.service.engineer'].create({
            'name': 'Zhang Wei', 'user_id': cls.user.id,
            'van_location_id': cls.van.id,
            'skill_ids': [(0, 0, {'categ_id': cls.categ.id})]})
        cls.old_board = cls._create_lot(cls.board, 'B1-OLD')
        cls.new_board = cls._create_lot(cls.board, 'B1-NEW')
        cls.bad_board = cls._create_lot(cls.board, 'B1-BAD')
        quants = cls.env['stock.quant']
        quants._update_available_quantity(cls.board, cls.van, 2,
                                          lot_id=cls.new_board)
        quants._update_available_quantity(cls.board, cls.van, 1,
                                          lot_id=cls.bad_board)
        # The serial was built with the old board.
        cls.env['meddev.lot.link'].add_link(
            cls.serial, cls.old_board, origin='manufacturing')
        cls.ticket = cls._create_ticket_for_parts()

    @classmethod
    def _create_ticket_for_parts(cls):
        return cls.env['meddev.service.ticket'].create({
            'title': 'Board failure', 'team_id': cls.team.id,
            'equipment_id': cls.equipment.id, 'triage_done': True,
            'engineer_ids': [(6, 0, cls.engineer.ids)]})

    def _part(self, lot, **vals):
        values = {'ticket_id': self.ticket.id, 'product_id': self.board.id,
                  'lot_id': lot.id, 'quantity': 1}
        values.update(vals)
        return self.env['meddev.service.ticket.part'].sudo(
            self.user).create(values)


class TestParts(PartsCase):

    def test_swap_moves_stock_and_genealogy(self):
        part = self._part(self.new_board, removed_lot_id=self.old_board.id)
        part.action_use()
        # The engineer holds no stock rights: read the moves as admin.
        part = part.sudo()
        self.assertEqual(part.state, 'done')
        customers = self.env.ref('stock.stock_location_customers')
        returned = self.env.ref(
            'meddev_service.stock_location_returned_parts')
        self.assertEqual(part.move_id.state, 'done')
        self.assertEqual(part.move_id.location_id, self.van)
        self.assertEqual(part.move_id.location_dest_id, customers)
        self.assertEqual(part.move_id.move_line_ids.lot_id, self.new_board)
        self.assertEqual(part.return_move_id.location_dest_id, returned)
        self.assertEqual(part.return_move_id.move_line_ids.lot_id,
                         self.old_board)
        quants = self.env['stock.quant']
        self.assertEqual(quants._get_available_quantity(
            self.board, self.van, lot_id=self.new_board, strict=True), 1)
        self.assertEqual(quants._get_available_quantity(
            self.board, returned, lot_id=self.old_board, strict=True), 1)
        # Genealogy: the new board is in, the old one out, as history.
        links = self.env['meddev.lot.link'].search(
            [('parent_lot_id', '=', self.serial.id)])
        new_link = links.filtered(lambda link: link.child_lot_id == self.new_board)
        old_link = links.filtered(lambda link: link.child_lot_id == self.old_board)
        self.assertEqual(new_link.origin, 'service')
        self.assertEqual(new_link.origin_ref, self.ticket.name)
        self.assertFalse(new_link.date_removed)
        self.assertTrue(old_link.date_removed)
        self.assertEqual(old_link.removed_ref, self.ticket.name)
        components = [row['lot_id'] for row in self.serial.trace_backward()]
        self.assertEqual(components, [self.new_board.id])
        self.assertEqual(self.ticket.parts_cost, 400.0)

    def test_used_part_stays_as_recorded(self):
        part = self._part(self.new_board, removed_lot_id=self.old_board.id)
        # A part not used yet may still be corrected.
        part.write({'quantity': 1, 'unit_cost': 450.0})
        part.action_use()
        move, link = part.sudo().move_id, part.sudo().link_id
        for vals in ({'state': 'draft'}, {'quantity': 2},
                     {'unit_cost': 1.0}, {'move_id': False},
                     {'link_id': False}, {'lot_id': self.bad_board.id}):
            with self.assertRaises(UserError):
                part.write(vals)
        with self.assertRaises(UserError):
            part.unlink()
        with self.assertRaises(UserError):
            self.ticket.sudo(self.user).write(
                {'part_ids': [(2, part.id)]})
        part.invalidate_cache()
        self.assertEqual(part.state, 'done')
        self.assertEqual(part.sudo().move_id, move)
        self.assertEqual(part.sudo().link_id, link)
        # The cost is the product's when used, not the figure typed in.
        self.assertEqual(part.unit_cost, 400.0)
        self.assertEqual(self.ticket.parts_cost, 400.0)

    def test_recalled_part_refused_with_recall_name(self):
        recall = self.env['meddev.recall'].create({
            'reason': 'Capacitor',
            'recall_level_id': self.env.ref(
                'meddev_traceability.recall_level_cn_2').id,
            'lot_ids': [(6, 0, self.bad_board.ids)]})
        recall.action_launch()
        with self.assertRaises(UserError) as caught:
            self._part(self.bad_board)
        self.assertIn(recall.name, caught.exception.name)
        self.assertIn('B1-BAD', caught.exception.name)
        part = self._part(self.new_board)
        with self.assertRaises(UserError) as caught:
            part.write({'lot_id': self.bad_board.id})
        self.assertIn(recall.name, caught.exception.name)

    def test_ticket_warns_of_recall_reaching_its_serial(self):
        self.assertFalse(self.ticket.recall_warning)
        recall = self.env['meddev.recall'].create({
            'reason': 'Old board batch',
            'recall_level_id': self.env.ref(
                'meddev_traceability.recall_level_cn_2').id,
            'lot_ids': [(6, 0, self.old_board.ids)]})
        recall.action_launch()
        self.ticket.invalidate_cache()
        self.assertIn(recall.name, self.ticket.recall_warning)
        self.assertIn('X1-0001', self.ticket.recall_warning)

    def test_missing_van_stock_refused(self):
        part = self._part(self.new_board, quantity=5)
        with self.assertRaises(UserError) as caught:
            part.action_use()
        self.assertIn('Van 1', caught.exception.name)
        self.assertEqual(part.state, 'draft')


class TestComponentFailureReport(MeddevServiceTicketCase):

    def test_repairs_counted_per_component_lot(self):
        links = self.env['meddev.lot.link']
        bad = self._create_lot(self.board, 'B1-L9')
        good = self._create_lot(self.board, 'B1-L10')
        module_product = self.env['product.product'].create(
            {'name': 'Module', 'type': 'product', 'tracking': 'lot'})
        module = self._create_lot(module_product, 'MOD-1')
        # bad board -> module -> two serials; the good one in a third.
        links.add_link(module, bad, date='2026-01-01 00:00:00')
        serials = [self.serial] + [
            self._create_lot(self.monitor, name)
            for name in ('X1-0002', 'X1-0003')]
        links.add_link(serials[0], module, date='2026-01-02 00:00:00')
        links.add_link(serials[1], module, date='2026-01-02 00:00:00')
        links.add_link(serials[2], good, date='2026-01-02 00:00:00')
        for serial in serials:
            self._ticket(lot_id=serial.id, equipment_id=False,
                         date_open='2026-11-30 01:00:00')
        self._ticket(lot_id=serials[0].id, equipment_id=False,
                     date_open='2026-11-30 02:00:00')
        report = self.env['meddev.service.component.failure']
        report._refresh()
        rows = {row.component_lot_id: row for row in report.search(
            [('component_lot_id', 'in', (bad | good | module).ids)])}
        self.assertEqual(rows[bad].failure_count, 3)
        self.assertEqual(rows[bad].serial_count, 2)
        self.assertEqual(rows[module].failure_count, 3)
        self.assertEqual(rows[good].failure_count, 1)
