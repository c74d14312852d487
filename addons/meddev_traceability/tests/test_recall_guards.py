"""A recall's state, dates and quarantine are its buttons' (launch,
re-trace, quarantine, close, cancel) and its customer lines the trace's:
written or created over XML-RPC (``execute_kw``: ``call_kw`` with the
context keyword), they are refused, to a user without the recall group
and to a recall manager alike."""

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tests.common import rpc

from .common import MeddevManufacturingCase

REFUSED = (AccessError, UserError)


class TestRecallGuards(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallGuards, cls).setUpClass()
        cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Guarded recall',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })

    def _launch(self):
        rpc(self.manager, 'meddev.recall', 'action_launch',
            [self.recall.ids])
        self.assertEqual(self.recall.state, 'open')
        self.assertTrue(self.recall.line_ids)

    def test_state_not_written_directly(self):
        """A draft recall is not opened nor closed by a write, an open one
        not closed nor released from quarantine: by the user without the
        group nor by the recall manager."""
        for vals in ({'state': 'open'}, {'state': 'closed'},
                     {'launch_date': '2020-01-01 00:00:00'}):
            for user in (self.user, self.manager):
                with self.assertRaises(REFUSED, msg='%s by %s' % (
                        vals, user.login)):
                    rpc(user, 'meddev.recall', 'write',
                        [self.recall.ids, vals])
        self.assertEqual(self.recall.state, 'draft')
        self._launch()
        if not self.recall.quarantined:
            rpc(self.manager, 'meddev.recall', 'action_quarantine',
                [self.recall.ids])
        self.assertTrue(self.recall.quarantined)
        for vals in ({'state': 'closed'}, {'state': 'draft'},
                     {'quarantined': False},
                     {'close_date': '2020-01-01 00:00:00'}):
            with self.assertRaises(UserError, msg=str(vals)):
                rpc(self.manager, 'meddev.recall', 'write',
                    [self.recall.ids, vals])
        self.assertEqual(self.recall.state, 'open')
        self.assertTrue(self.recall.quarantined)
        # What the manager may edit still passes; the buttons still work.
        rpc(self.manager, 'meddev.recall', 'write',
            [self.recall.ids, {'reason': 'Guarded recall (heat)'}])
        rpc(self.manager, 'meddev.recall', 'action_retrace',
            [self.recall.ids])
        self.assertTrue(self.recall.retrace_date)
        rpc(self.manager, 'meddev.recall', 'action_close',
            [self.recall.ids])
        self.assertEqual(self.recall.state, 'closed')
        self.assertTrue(self.recall.close_date)
        # Closed: not reopened by a write either.
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.recall', 'write',
                [self.recall.ids, {'state': 'open'}])
        self.assertEqual(self.recall.state, 'closed')

    def test_lines_not_created_directly(self):
        """Customer lines come from the trace: never created over RPC, on
        an open recall or a closed one, with or without the group."""
        self._launch()
        line = self.recall.line_ids[:1]
        vals = {'recall_id': self.recall.id,
                'partner_id': self.hospital_b.id,
                'lot_id': line.lot_id.id,
                'product_id': line.product_id.id,
                'quantity_shipped': 1.0, 'quantity_at_customer': 1.0}
        count = len(self.recall.line_ids)
        with self.assertRaises(AccessError):
            rpc(self.user, 'meddev.recall.line', 'create', [dict(vals)])
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.recall.line', 'create', [dict(vals)])
        rpc(self.manager, 'meddev.recall', 'action_close',
            [self.recall.ids])
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.recall.line', 'create', [dict(vals)])
        self.recall.invalidate_cache()
        self.assertEqual(len(self.recall.line_ids), count)
        self.assertFalse(self.recall.line_ids.filtered(
            lambda line: line.partner_id == self.hospital_b))
