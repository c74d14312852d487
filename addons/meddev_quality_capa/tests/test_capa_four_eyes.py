from odoo.exceptions import UserError

from .common import MeddevCapaCase, call_button


class TestCapaFourEyes(MeddevCapaCase):
    """The implementation check is recorded (who, when, result) before
    the effectiveness check; a rejection stands until the CAPA is
    resubmitted; whoever verified the effectiveness neither approves nor
    closes (review of issue 9, S2 e, f, g)."""

    @classmethod
    def setUpClass(cls):
        super(TestCapaFourEyes, cls).setUpClass()
        cls.manager_two = cls._create_user('qa_manager_two',
                                           cls.group_manager)

    def test_implementation_check_required(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        for action in capa.action_ids:
            self._evidence(action.sudo(self.owner))
            call_button(action.sudo(self.owner), 'action_done')
        with self.assertRaisesRegex(UserError, 'implementation check'):
            call_button(capa, 'action_to_verification')
        with self.assertRaisesRegex(UserError, 'implementation check'):
            call_button(capa, 'action_check_implementation')
        capa.implementation_note = '现场核查：新规程已发布，抽查 20 份记录'
        call_button(capa, 'action_check_implementation')
        self.assertEqual(capa.implementation_checked_by_id, self.user)
        self.assertTrue(capa.implementation_checked_date)
        # The result recorded stays as checked.
        with self.assertRaisesRegex(UserError, 'recorded by'):
            capa.implementation_note = '改写'
        with self.assertRaises(UserError):
            capa.write({'implementation_checked_by_id': self.manager.id})
        call_button(capa, 'action_to_verification')
        self.assertEqual(capa.state, 'verification')

    def test_rejection_stands_until_resubmitted(self):
        """Two tiers: the quality managers' and a second manager's own.
        OCA's validate_tier would turn the first manager's rejected row
        into an approval when the second manager approves."""
        self.env['tier.definition'].create({
            'name': '第二审批人',
            'model_id': self.env['ir.model']._get('meddev.capa').id,
            'review_type': 'individual',
            'reviewer_id': self.manager_two.id,
            'definition_domain': '[]', 'sequence': 20})
        capa = self._to_approval(self._capa())
        self.assertEqual(len(capa.sudo().review_ids), 2)
        call_button(capa.sudo(self.manager), 'reject_tier')
        self.assertTrue(capa.rejected)
        with self.assertRaisesRegex(UserError, 'rejection stands'), \
                self.cr.savepoint():
            self._sign(self.manager_two, capa,
                       'action_request_approval_signature', 'approval')
        capa.invalidate_cache()
        self.assertTrue(capa.rejected)
        self.assertFalse(capa.validated)
        self.assertIn('rejected', capa.sudo().review_ids.mapped('status'))
        # Reopened and submitted again: both approve, it closes.
        call_button(capa.sudo(self.manager), 'action_reopen')
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        capa.sudo(self.verifier).effectiveness_note = '复查无复发'
        call_button(capa.sudo(self.verifier), 'action_effective')
        for user in (self.manager, self.manager_two):
            self._sign(user, capa, 'action_request_approval_signature',
                       'approval')
        self.assertTrue(capa.validated)
        self._sign(self.manager, capa, 'action_request_closure_signature',
                   'closure')
        self.assertEqual(capa.state, 'closed')

    def test_verifier_neither_approves_nor_closes(self):
        capa = self._capa()
        capa.verifier_id = self.manager_two
        self._implement(capa)
        verified = capa.sudo(self.manager_two)
        verified.effectiveness_note = '三个月无复发'
        call_button(verified, 'action_effective')
        self.assertEqual(capa.state, 'approval')
        with self.assertRaisesRegex(UserError, 'four eyes'):
            call_button(verified, 'action_request_approval_signature')
        # Nor through the signed method over RPC.
        with self.assertRaisesRegex(UserError, 'four eyes'):
            call_button(verified, 'validate_tier')
        self.assertFalse(capa.validated)
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        self.assertTrue(capa.validated)
        for method in ('action_request_closure_signature',
                       'action_close_signed'):
            with self.assertRaisesRegex(UserError, 'four eyes'):
                call_button(verified, method)
        self.assertEqual(capa.state, 'approval')
        self._sign(self.manager, capa, 'action_request_closure_signature',
                   'closure')
        self.assertEqual(capa.state, 'closed')
