from odoo.exceptions import AccessError, UserError

from .common import MeddevCapaCase, call_button, rpc


class TestApprovalRows(MeddevCapaCase):
    """The CAPA's approval rows (OCA tier.review, open to every user by
    base_tier_validation) are kept by the approval flow: a quality user
    neither deletes nor rewrites them, closure needs every tier the CAPA
    needs, and the recorded effectiveness check stays as approved
    (review 3 and 4, N3/N4)."""

    def test_quality_user_cannot_drop_or_rewrite_reviews(self):
        capa = self._to_approval(self._capa())
        reviews = capa.sudo().review_ids
        self.assertTrue(reviews)
        as_user = reviews.sudo(self.user)
        with self.assertRaisesRegex(AccessError, 'approval flow'):
            rpc(as_user, 'unlink', [reviews.ids])
        with self.assertRaisesRegex(AccessError, 'approval flow'):
            rpc(as_user, 'write', [reviews.ids, {
                'status': 'approved', 'done_by': self.manager.id}])
        with self.assertRaisesRegex(AccessError, 'approval flow'):
            rpc(self.env['tier.review'].sudo(self.user), 'create', [{
                'model': capa._name, 'res_id': capa.id,
                'definition_id': reviews[0].definition_id.id,
                'status': 'approved', 'done_by': self.manager.id}])
        capa.invalidate_cache()
        self.assertEqual(capa.sudo().review_ids, reviews)
        self.assertEqual(set(reviews.mapped('status')), {'pending'})
        # The reviewer's own flow still writes them: approved, closed.
        self._close(capa)
        self.assertEqual(capa.state, 'closed')
        self.assertEqual(set(reviews.mapped('status')), {'approved'})

    def test_defaults_do_not_bypass_the_row_guard(self):
        """The create reads the document the row will belong to as the
        create stores it: a client's default_model/default_res_id context
        keys, or defaults the user saved for themselves, are refused like
        the values (the check looked at the values alone)."""
        capa = self._to_approval(self._capa())
        reviews = capa.sudo().review_ids
        reviews_as_user = self.env['tier.review'].sudo(self.user)
        forged = {'definition_id': reviews[0].definition_id.id,
                  'status': 'approved', 'done_by': self.manager.id}
        with self.assertRaisesRegex(AccessError, 'approval flow'):
            rpc(reviews_as_user, 'create', [forged], {
                'default_model': capa._name, 'default_res_id': capa.id})
        # Saved defaults: any internal user saves their own (ir.default).
        defaults = self.env['ir.default'].sudo(self.user)
        rpc(defaults, 'set', ['tier.review', 'model', capa._name, True])
        rpc(defaults, 'set', ['tier.review', 'res_id', capa.id, True])
        with self.assertRaisesRegex(AccessError, 'approval flow'):
            rpc(reviews_as_user, 'create', [forged])
        capa.invalidate_cache()
        self.assertEqual(capa.sudo().review_ids, reviews)
        self.assertEqual(set(reviews.mapped('status')), {'pending'})

    def test_closure_needs_every_tier_definition(self):
        self.env['tier.definition'].create({
            'name': '管理者代表 (高风险)',
            'model_id': self.env['ir.model']._get('meddev.capa').id,
            'review_type': 'individual',
            'reviewer_id': self.regulatory.id,
            'definition_domain': '[]', 'sequence': 20})
        capa = self._to_approval(self._capa())
        reviews = capa.sudo().review_ids
        self.assertEqual(len(reviews), 2)
        second = reviews.filtered(
            lambda review: review.reviewer_id == self.regulatory)
        # Even a manager's deletion of the pending tier leaves it due.
        rpc(second.sudo(self.manager), 'unlink', [second.ids])
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        capa.invalidate_cache()
        self.assertTrue(capa.validated)
        with self.assertRaisesRegex(UserError, '管理者代表'):
            call_button(capa.sudo(self.manager),
                        'action_request_closure_signature')
        self.assertEqual(capa.state, 'approval')

    def test_recorded_effectiveness_kept(self):
        capa = self._to_approval(self._capa())
        # The manager restarts the approval (no rows left to lock it).
        call_button(capa.sudo(self.manager), 'restart_validation')
        self.assertFalse(capa.sudo().review_ids)
        for vals in ({'effectiveness_note': '改写的证据'},
                     {'effectiveness_criteria': '一个月无复发'},
                     {'effectiveness_planned_date': '2027-01-31'}):
            with self.assertRaisesRegex(AccessError, 'only the verifier'):
                rpc(capa.sudo(self.user), 'write', [capa.ids, vals])
        self.assertEqual(capa.effectiveness_note, '90 天内无复发投诉')
        # The verifier corrects their own record.
        rpc(capa.sudo(self.verifier), 'write',
            [capa.ids, {'effectiveness_note': '90 天内无复发投诉，附记录'}])
        self.assertEqual(capa.effectiveness_note, '90 天内无复发投诉，附记录')
