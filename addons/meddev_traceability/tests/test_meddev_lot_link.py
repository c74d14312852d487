import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import MeddevTraceabilityCase


class TestLotLink(MeddevTraceabilityCase):

    def test_defaults(self):
        before = fields.Datetime.now()
        link = self.env['meddev.lot.link'].sudo(self.manager).create({
            'parent_lot_id': self.serial.id,
            'child_lot_id': self.board_lot.id,
        })
        self.assertEqual(link.origin, 'manual')
        self.assertEqual(link.quantity, 1.0)
        self.assertEqual(link.company_id, self.manager.company_id)
        self.assertGreaterEqual(link.date, before)
        self.assertEqual(link.parent_product_id, self.monitor)
        self.assertEqual(link.child_product_id, self.board)

    def test_lot_not_linked_to_itself(self):
        with self.assertRaisesRegex(
                psycopg2.IntegrityError, 'parent_child_different'), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self._create_link(self.board_lot, self.board_lot)
        link = self._create_link(self.serial, self.board_lot)
        # Nobody rewrites a link; the server's own writes meet the
        # database's constraint.
        with self.assertRaises(UserError), self.cr.savepoint():
            link.child_lot_id = self.serial
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            link._meddev_as_server().child_lot_id = self.serial

    def test_quantity_positive(self):
        for quantity in (0, -1):
            with self.assertRaisesRegex(
                    psycopg2.IntegrityError, 'quantity_positive'), \
                    mute_logger('odoo.sql_db'), self.cr.savepoint():
                self._create_link(
                    self.serial, self.board_lot, quantity=quantity)

    def test_linked_lot_kept(self):
        self._create_link(self.serial, self.board_lot)
        # A lot that appears in the genealogy cannot disappear from it.
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.board_lot.unlink()
        self.assertTrue(self.board_lot.exists())
