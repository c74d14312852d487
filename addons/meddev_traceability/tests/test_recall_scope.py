"""A launched recall's scope (its recalled lots and company) and decision
(level, decision date, source) are fixed: the launch traced those lots for
that company, and the customer lines, the quarantine and the notices and
their deadline follow from them. A recall manager edits
the lots of a draft; on an open, closed or cancelled recall a write of
them is refused over XML-RPC (``call_kw``), in the user's language, and
the affected lots, which only the trace sets, are refused in any state.
The customers' notice deadline is computed, never written, and fixed at
launch: a later edit of the level's days moves the drafts' deadlines
only. Nor does a lot get its recalls at creation."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from odoo.addons.meddev_base.tests.common import rpc, save_default

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
            with self.subTest(vals=vals), self.assertRaisesRegex(
                    UserError, 'Affected Lots cannot be set directly; use '
                               "the document's buttons"):
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

    def _deadline(self, recall, days):
        """The decision date of ``recall`` plus ``days``, as stored."""
        return fields.Date.to_string(
            fields.Date.from_string(recall.decision_date)
            + timedelta(days=days))

    def test_notice_deadline_fixed_at_launch(self):
        """The deadline is never written by a recall manager, and a
        launched recall keeps the deadline its customers were given when
        the level's days are edited (open and closed ones); a draft
        follows its level."""
        level = self.recall.recall_level_id
        draft = self.env['meddev.recall'].sudo(self.manager).create({
            'reason': 'Scope recall, a draft', 'recall_level_id': level.id,
            'lot_ids': [(6, 0, self.board_lot.ids)]})
        self.assertEqual(self.recall.notice_deadline,
                         self._deadline(self.recall, level.notice_days))
        written = 'Notice Deadline cannot be set directly'
        with self.assertRaisesRegex(UserError, written):
            self._write({'notice_deadline': '2030-12-31'})
        rpc(self.manager, 'meddev.recall', 'action_launch',
            [self.recall.ids])
        self.assertEqual(self.recall.state, 'open')
        launched = self._deadline(self.recall, level.notice_days)
        lines = self.recall.line_ids
        self.assertTrue(lines)
        with self.assertRaisesRegex(UserError, written):
            self._write({'notice_deadline': '2030-12-31'})
        # The level's days edited by a recall manager (the level's rights).
        rpc(self.manager, 'meddev.recall.level', 'write',
            [level.ids, {'notice_days': level.notice_days + 20}])
        self.env['meddev.recall'].invalidate_cache()
        self.assertEqual(self.recall.notice_deadline, launched)
        self.assertEqual(set(lines.mapped('notice_deadline')), {launched})
        self.assertEqual(draft.notice_deadline,
                         self._deadline(draft, level.notice_days))
        self.assertNotEqual(draft.notice_deadline, launched)
        # Closed: the stored evidence of what the deadline was stays.
        rpc(self.manager, 'meddev.recall', 'action_close',
            [self.recall.ids])
        rpc(self.manager, 'meddev.recall.level', 'write',
            [level.ids, {'notice_days': 1}])
        self.env['meddev.recall'].invalidate_cache()
        self.assertEqual(self.recall.notice_deadline, launched)
        self.assertEqual(set(lines.mapped('notice_deadline')), {launched})
        self.assertEqual(draft.notice_deadline, self._deadline(draft, 1))

    def test_notice_deadline_not_given_at_creation(self):
        """A recall is not created with its customers' deadline: not in
        its values, the caller's ``default_notice_deadline`` or a saved
        default, and not with the ``recompute`` switch off either, which
        kept the caller's date stored (no later change recomputes it: the
        level and decision date are fixed at launch) and the launched
        recall's customers were given it."""
        level = self.recall.recall_level_id
        recalls = self.env['meddev.recall']
        vals = {'reason': 'Scope recall, dated by hand',
                'recall_level_id': level.id,
                'lot_ids': [(6, 0, self.board_lot.ids)]}
        forged = '2030-12-31'
        refused = 'Notice Deadline cannot be set directly'
        cases = [
            (dict(vals, notice_deadline=forged), None),
            (dict(vals, notice_deadline=forged), {'recompute': False}),
            (vals, {'default_notice_deadline': forged}),
            (vals, {'default_notice_deadline': forged, 'recompute': False}),
        ]
        for asked, context in cases:
            with self.subTest(asked=asked, context=context), \
                    self.assertRaisesRegex(UserError, refused):
                rpc(self.manager, 'meddev.recall', 'create', [asked],
                    context)
        save_default(self, self.manager, 'meddev.recall', 'notice_deadline',
                     forged)
        with self.assertRaisesRegex(UserError, refused):
            rpc(self.manager, 'meddev.recall', 'create', [vals],
                {'recompute': False})
        self.assertFalse(recalls.search([('reason', '=', vals['reason'])]))
        # Created with the switch off, the recall's deadline is left
        # uncomputed when the request ends (the environment's pending
        # recomputations go with it: env.clear()); the launch gives the
        # customers the level's deadline all the same.
        self.env['ir.default'].search([
            ('field_id.name', '=', 'notice_deadline')]).unlink()
        recall = recalls.browse(rpc(
            self.manager, 'meddev.recall', 'create', [vals],
            {'recompute': False}))
        self.env.clear()
        rpc(self.manager, 'meddev.recall', 'action_launch', [recall.ids])
        self.env.clear()
        deadline = self._deadline(recall, level.notice_days)
        self.assertEqual(recall.notice_deadline, deadline)
        self.assertTrue(recall.line_ids)
        self.assertEqual(set(recall.line_ids.mapped('notice_deadline')),
                         {deadline})

    def test_lot_not_created_with_recalls(self):
        """A lot is not born reached by a recall (it would be quarantined
        by a recall whose launch never traced it): not through its values,
        nor the caller's defaults; a lot without recalls is created."""
        rpc(self.manager, 'meddev.recall', 'action_launch',
            [self.recall.ids])
        vals = {'name': 'CB1-L900', 'product_id': self.cable.id}
        refused = "the recalls of a lot or serial are set by the recalls'"
        for asked, context in (
                ({'recall_ids': [(6, 0, self.recall.ids)]}, None),
                ({'recall_ids': [(4, self.recall.id)]}, None),
                ({}, {'default_recall_ids': [(6, 0, self.recall.ids)]})):
            with self.subTest(asked=asked, context=context), \
                    self.assertRaisesRegex(UserError, refused):
                rpc(self.stock_user, 'stock.production.lot', 'create',
                    [dict(vals, **asked)], context)
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', '=', 'CB1-L900')]))
        lot_id = rpc(self.stock_user, 'stock.production.lot', 'create',
                     [dict(vals, recall_ids=[(6, 0, [])])])
        lot = self.env['stock.production.lot'].browse(lot_id)
        self.assertFalse(lot.recall_ids)
        self.assertFalse(lot.recall_quarantine)
