"""A launched recall's scope (its recalled lots and company) and decision
(level, decision date, source) are fixed: the launch traced those lots for
that company, and the customer lines, the quarantine and the notices and
their deadline follow from them. A recall manager edits
the lots of a draft; on an open, closed or cancelled recall a write of
them is refused over XML-RPC (``call_kw``), in the user's language, and
the affected lots, which only the trace sets, are refused in any state."""

from odoo.exceptions import UserError

from odoo.addons.meddev_base.tests.common import rpc

from .common import MeddevManufacturingCase


class TestRecallScope(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallScope, cls).setUpClass()
        cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Scope recall',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_3').id,
            'lot_ids': [(6, 0, cls.cable_lot.ids)],
        })
        cls.other_company = cls.env['res.company'].create(
            {'name': 'Scope Recall Other Co'})
        cls.manager.write({'company_ids': [(4, cls.other_company.id)]})

    def _write(self, vals, context=None):
        return rpc(self.manager, 'meddev.recall', 'write',
                   [self.recall.ids, vals], context)

    def test_draft_lots_editable(self):
        self._write({'lot_ids': [(6, 0, self.board_lot.ids)]})
        self.assertEqual(self.recall.lot_ids, self.board_lot)
        self._write({'lot_ids': [(4, self.cable_lot.id)]})
        self.assertEqual(self.recall.lot_ids,
                         self.board_lot | self.cable_lot)

    def test_open_recall_scope_fixed(self):
        self._write({'lot_ids': [(6, 0, self.board_lot.ids)]})
        rpc(self.manager, 'meddev.recall', 'action_launch',
            [self.recall.ids])
        self.assertEqual(self.recall.state, 'open')
        reached = self.recall.reached_lot_ids
        lines = self.recall.line_ids
        self.assertIn(self.serial, reached)
        for vals in ({'lot_ids': [(4, self.cable_lot.id)]},
                     {'lot_ids': [(3, self.board_lot.id)]},
                     {'lot_ids': [(6, 0, self.cable_lot.ids)]},
                     {'lot_ids': [(5, 0, 0)]},
                     {'lot_ids': [(6, 0, self.board_lot.ids)]},
                     {'company_id': self.other_company.id},
                     # The notice deadline's inputs and who decided.
                     {'recall_level_id': self.env.ref(
                         'meddev_traceability.recall_level_cn_2').id},
                     {'decision_date': '2020-01-01'},
                     {'source': 'regulator'},
                     {'source_ref': 'NMPA-2026-001'}):
            with self.subTest(vals=vals), self.assertRaisesRegex(
                    UserError, 'The recall %s is Open: its .* cannot '
                               'change any more' % self.recall.name):
                self._write(vals)
        # Nor the affected lots, which only the trace sets.
        for vals in ({'reached_lot_ids': [(3, self.serial.id)]},
                     {'reached_lot_ids': [(5, 0, 0)]}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._write(vals)
        self.recall.invalidate_cache()
        self.assertEqual(self.recall.lot_ids, self.board_lot)
        self.assertEqual(self.recall.company_id, self.env.user.company_id)
        self.assertEqual(self.recall.reached_lot_ids, reached)
        self.assertEqual(self.recall.recall_level_id, self.env.ref(
            'meddev_traceability.recall_level_cn_3'))
        self.assertEqual(self.recall.source, 'internal')
        self.assertEqual(self.recall.line_ids, lines)
        # In the user's language.
        self.env['ir.translation'].load_module_terms(
            ['meddev_traceability'], ['zh_CN'])
        with self.assertRaisesRegex(
                UserError, '召回 %s 处于“进行中”状态' % self.recall.name):
            self._write({'lot_ids': [(4, self.cable_lot.id)]},
                        {'lang': 'zh_CN'})
        # The company unchanged and what the manager may edit pass; the
        # buttons still work, and a closed recall stays fixed.
        self._write({'company_id': self.recall.company_id.id,
                     'reason': 'Scope recall (heat)'})
        rpc(self.manager, 'meddev.recall', 'action_retrace',
            [self.recall.ids])
        rpc(self.manager, 'meddev.recall', 'action_close',
            [self.recall.ids])
        with self.assertRaisesRegex(UserError, 'is Closed'):
            self._write({'lot_ids': [(4, self.cable_lot.id)]})

    def test_created_with_lots_as_draft_only(self):
        """The create path: a recall is born a draft (its buttons launch
        it), so lots given at creation are a draft's; affected lots are
        not given at creation, in the values nor as a default."""
        level = self.env.ref('meddev_traceability.recall_level_cn_3')
        vals = {'reason': 'Scope create', 'recall_level_id': level.id,
                'lot_ids': [(6, 0, self.board_lot.ids)]}
        recall_id = rpc(self.manager, 'meddev.recall', 'create',
                        [dict(vals)])
        recall = self.env['meddev.recall'].browse(recall_id)
        self.assertEqual(recall.state, 'draft')
        self.assertEqual(recall.lot_ids, self.board_lot)
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.recall', 'create', [dict(
                vals, reached_lot_ids=[(6, 0, self.serial.ids)])])
        with self.assertRaises(UserError):
            rpc(self.manager, 'meddev.recall', 'create', [dict(vals)],
                {'default_reached_lot_ids': [(6, 0, self.serial.ids)]})
