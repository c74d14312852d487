from odoo.exceptions import UserError

from .common import MeddevManufacturingCase


class TestGenealogy(MeddevManufacturingCase):

    def _links(self, production):
        links = self.env['meddev.lot.link'].search(
            [('production_id', '=', production.id)])
        return sorted(
            (link.parent_lot_id.name, link.child_lot_id.name, link.quantity,
             link.origin, link.origin_ref) for link in links)

    def test_manufacturing_records_links(self):
        self.assertEqual(self.module_mo.state, 'done')
        self.assertEqual(self._links(self.module_mo), [
            ('MM1-A', 'CB1-L007', 2.0, 'manufacturing', self.module_mo.name),
            ('MM1-A', 'MB2-L042', 2.0, 'manufacturing', self.module_mo.name),
        ])
        # Each serial is tied to the module lot consumed for it alone.
        self.assertEqual(self._links(self.monitor_mo), [
            ('PM9-0001', 'MM1-A', 1.0, 'manufacturing',
             self.monitor_mo.name),
            ('PM9-0002', 'MM1-A', 1.0, 'manufacturing',
             self.monitor_mo.name),
        ])

    def test_links_recorded_once(self):
        before = self._links(self.module_mo)
        self.module_mo._record_lot_links()
        self.assertEqual(self._links(self.module_mo), before)

    def test_mrp_user_records_links(self):
        # The production user has no right on the genealogy, yet closing
        # the order records it.
        self._stock(self.board_lot, 1)
        self._stock(self.cable_lot, 1)
        module_lot = self._create_lot(self.module, 'MM1-B')
        production = self._manufacture(self.module_bom, 1, [
            (module_lot, 1, [(self.board_lot, 1), (self.cable_lot, 1)]),
        ], user=self.stock_user)
        self.assertEqual(len(self._links(production)), 2)

    def test_add_link(self):
        psu = self._create_lot(
            self._create_product('Power Supply PS-1', 'serial'), 'PS1-7')
        links = self.env['meddev.lot.link'].sudo(self.manager)
        link = links.add_link(
            self.serial, psu, 1.0, origin='service', source='SRV/0007')
        self.assertEqual(
            (link.parent_lot_id, link.child_lot_id, link.origin,
             link.origin_ref), (self.serial, psu, 'service', 'SRV/0007'))
        self.assertIn(psu.id, [
            row['lot_id'] for row in self.serial.trace_backward()])

    def test_add_link_refuses_cycle(self):
        links = self.env['meddev.lot.link'].sudo(self.manager)
        with self.assertRaisesRegex(
                UserError, 'MB2-L042 cannot contain PM9-0001'):
            links.add_link(self.board_lot, self.serial)
        with self.assertRaisesRegex(UserError, 'component of itself'):
            links.add_link(self.serial, self.serial)

    def test_user_cannot_add_link(self):
        from odoo.exceptions import AccessError
        with self.assertRaises(AccessError):
            self.env['meddev.lot.link'].sudo(self.user).add_link(
                self.serial_2, self.cable_lot)

    def test_part_swap(self):
        # Service replaces the main module of PM9-0001 by a new one.
        links = self.env['meddev.lot.link'].sudo(self.manager)
        new_module = self._create_lot(self.module, 'MM1-S1')
        links.add_link(self.serial, new_module, origin='service',
                       source='SRV/0042')
        removed = links.remove_link(
            self.serial, self.module_lot, source='SRV/0042')
        self.assertEqual(removed.removed_ref, 'SRV/0042')
        self.assertTrue(removed.date_removed)
        inside = [row['lot_id'] for row in self.serial.trace_backward()]
        self.assertIn(new_module.id, inside)
        self.assertNotIn(self.board_lot.id, inside)
        # A recall of the board lot no longer reaches PM9-0001.
        reached = [row['lot_id'] for row in self.board_lot.trace_forward()]
        self.assertEqual(
            sorted(reached), sorted([self.module_lot.id, self.serial_2.id]))
        with self.assertRaisesRegex(UserError, 'not a current component'):
            links.remove_link(self.serial, self.module_lot)

    def test_link_not_rewritten_nor_deleted(self):
        """A recall manager cannot rewrite what a link says or stamp its
        removal over RPC, nor anybody delete it: a rewrite would change what
        a recall reaches, with no trace of the change."""
        from odoo import api
        link = self.env['meddev.lot.link'].search([
            ('child_lot_id', '=', self.board_lot.id),
            ('date_removed', '=', False)], limit=1)
        as_manager = link.sudo(self.manager)
        for vals in ({'parent_lot_id': self.serial_2.id},
                     {'quantity': 5.0},
                     {'date_removed': '2026-01-01 00:00:00'},
                     {'removed_uid': self.user.id},
                     {'removal_reason': 'forged'}):
            with self.assertRaises(UserError, msg=vals):
                api.call_kw(as_manager, 'write', [link.ids, vals], {})
        # Born removed through the caller's context defaults, over RPC.
        psu = self._create_lot(
            self._create_product('Power Supply PS-2', 'serial'), 'PS2-1')
        links = self.env['meddev.lot.link'].sudo(self.manager)
        with self.assertRaises(UserError):
            api.call_kw(links, 'create', [{
                'parent_lot_id': self.serial_2.id,
                'child_lot_id': psu.id}], {'context': {
                    'default_date_removed': '2026-01-01 00:00:00'}})
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            link.unlink()
        self.assertTrue(link.exists())
        self.assertFalse(link.date_removed)
        # Retired with a reason, it stays as history.
        as_manager._retire('Recorded on the wrong serial')
        self.assertEqual(link.removal_reason, 'Recorded on the wrong serial')
        self.assertEqual(link.removed_uid, self.manager)
