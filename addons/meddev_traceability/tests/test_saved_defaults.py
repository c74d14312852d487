"""A user's own saved defaults (``ir.default``, which any internal user
may create for themselves: "Set Default" in the web client, or
``ir.default.set`` over RPC) fill a new record's missing fields like the
context's ``default_*`` keys: a recall born closed, a lot link born
retired. The creates check them too."""

from odoo.exceptions import UserError

from odoo.addons.meddev_base.tests.common import rpc, save_default

from .common import MeddevTraceabilityCase


class TestSavedDefaults(MeddevTraceabilityCase):

    def test_recall_born_draft(self):
        vals = {'reason': 'Saved default recall',
                'recall_level_id': self.env.ref(
                    'meddev_traceability.recall_level_cn_3').id,
                'lot_ids': [(6, 0, self.board_lot.ids)]}
        self.assertTrue(rpc(self.manager, 'meddev.recall', 'create',
                            [dict(vals)]))
        for name, value in (('state', 'closed'),
                            ('launch_date', '2020-01-01 00:00:00'),
                            ('close_date', '2020-01-01 00:00:00')):
            with self.subTest(field=name):
                save_default(self, self.manager, 'meddev.recall', name,
                             value)
                with self.assertRaises(UserError):
                    rpc(self.manager, 'meddev.recall', 'create',
                        [dict(vals)])
            # One saved default at a time.
            self.env['ir.default'].search(
                [('user_id', '=', self.manager.id)]).unlink()
        self.assertFalse(self.env['meddev.recall'].search(
            [('reason', '=', 'Saved default recall'),
             ('state', '!=', 'draft')]))

    def test_lot_link_born_active(self):
        """The guarded fields of meddev.guarded.mixin (here a lot link's
        removal stamp) are checked against saved defaults too."""
        vals = {'parent_lot_id': self.serial.id,
                'child_lot_id': self.board_lot.id}
        self.assertTrue(rpc(self.manager, 'meddev.lot.link', 'create',
                            [dict(vals)]))
        save_default(self, self.manager, 'meddev.lot.link',
                     'removal_reason', 'Retired at birth')
        other_lot = self._create_lot(self.board, 'MB2-L043')
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.lot.link', 'create',
                [dict(vals, child_lot_id=other_lot.id)])
