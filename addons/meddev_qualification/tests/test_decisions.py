from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase

# What the web client passes as the only argument of a button method.
WEB_CONTEXT = {'lang': 'en_US', 'tz': 'Asia/Shanghai', 'uid': 1,
               'params': {'action': 1}}


class TestDecisions(MeddevTradeCase):
    """Rejections and revocations ask their reason in a wizard; buttons
    are called as the web client calls them; decision fields are written
    by the workflow only."""

    def _licence(self, state='submitted'):
        return self._create_licence(
            self.distributor, self.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=self.cat_imaging, state=state)

    def _button(self, records, method, user):
        """Call ``method`` as the web client's button does: the context is
        the only argument."""
        context = dict(WEB_CONTEXT, uid=user.id)
        return api.call_kw(records.sudo(user).with_context(**context),
                           method, [records.ids, context], {})

    def _wizard_confirm(self, action, user, reason):
        wizard = self.env[action['res_model']].sudo(user).with_context(
            **action['context']).create({'reason': reason})
        return wizard.action_confirm()

    def test_reject_button_asks_the_reason(self):
        licence = self._licence()
        action = self._button(licence, 'action_reject', self.reviewer)
        # The button only opens the wizard: no context stored as reason.
        self.assertEqual(action['res_model'], 'meddev.decision.reason.wizard')
        self.assertEqual(licence.state, 'submitted')
        self.assertFalse(licence.decision_note)
        self._wizard_confirm(action, self.reviewer, ' Blurred scan ')
        self.assertEqual(licence.state, 'rejected')
        self.assertEqual(licence.decision_note, 'Blurred scan')
        self.assertEqual(licence.reviewer_id, self.reviewer)

    def test_revoke_button_asks_the_reason(self):
        licence = self._licence(state='approved')
        action = self._button(licence, 'action_revoke', self.reviewer)
        self.assertEqual(licence.state, 'approved')
        self._wizard_confirm(action, self.reviewer, 'Suspended by the NMPA')
        self.assertEqual(licence.state, 'revoked')
        self.assertEqual(licence.decision_note, 'Suspended by the NMPA')

    def test_review_reject_button_asks_the_reason(self):
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id})
        action = self._button(review, 'action_reject', self.reviewer)
        self.assertEqual(review.state, 'draft')
        self._wizard_confirm(action, self.reviewer, 'Forged agreement')
        self.assertEqual(review.state, 'rejected')
        self.assertEqual(review.decision_note, 'Forged agreement')
        self.assertEqual(review.decided_by_id, self.reviewer)

    def test_reason_required(self):
        licence = self._licence()
        action = self._button(licence, 'action_reject', self.reviewer)
        with self.assertRaisesRegex(UserError, 'Give the reason'):
            self._wizard_confirm(action, self.reviewer, '   ')
        # A context passed where the reason goes is no reason.
        with self.assertRaisesRegex(UserError, 'Give the reason'):
            self._button(licence, 'reject', self.reviewer)
        self.assertEqual(licence.state, 'submitted')

    def test_wizard_checks_the_group(self):
        licence = self._licence()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            self._button(licence, 'action_reject', self.user)
        action = self._button(licence, 'action_reject', self.reviewer)
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            self._wizard_confirm(action, self.user, 'No reason')
        self.assertEqual(licence.state, 'submitted')

    def test_wizard_calls_only_decisions(self):
        licence = self._licence(state='draft')
        wizard = self.env['meddev.decision.reason.wizard'].sudo(
            self.reviewer).create({
                'res_model': licence._name, 'res_ids': str(licence.id),
                'decision': 'reject', 'reason': 'x'})
        wizard.res_model = 'res.partner'
        with self.assertRaisesRegex(UserError, 'is not a decision on'):
            wizard.action_confirm()

    def test_rejected_licence_back_to_draft_directly(self):
        licence = self._licence()
        licence.sudo(self.reviewer).reject('Wrong end date')
        self._button(licence, 'action_reset_draft', self.user)
        self.assertEqual(licence.state, 'draft')
        licence.sudo(self.user).write({'valid_to': '2098-12-31'})
        self.assertEqual(licence.valid_to, '2098-12-31')
        # The reason stays for the person correcting it.
        self.assertEqual(licence.decision_note, 'Wrong end date')
        self._button(licence, 'action_submit', self.user)
        self.assertEqual(licence.state, 'submitted')

    def test_decision_fields_not_writable(self):
        licence = self._licence(state='approved')
        for user in self.user | self.reviewer:
            for vals in ({'reviewer_id': self.manager.id},
                         {'review_date': '2020-01-01 00:00:00'},
                         {'decision_note': 'Approved without a visit'}):
                with self.assertRaisesRegex(AccessError, 'not by hand'):
                    licence.sudo(user).write(vals)
        self.assertEqual(licence.reviewer_id, self.env.user)
        self.assertFalse(licence.decision_note)
        with self.assertRaisesRegex(AccessError, 'cannot be created with'):
            self.env['meddev.partner.licence'].sudo(self.user).create({
                'partner_id': self.distributor.id,
                'licence_type_id': self.type_business.id,
                'number': '91110105MA01ABCD39', 'long_term': True,
                'reviewer_id': self.reviewer.id})

    def test_review_decisions_by_reviewers_only(self):
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id})
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            self._button(review, 'action_cancel', self.user)
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            review.sudo(self.user).write({'state': 'cancel'})
        # Reviewers too go through the buttons.
        with self.assertRaisesRegex(AccessError, 'not by hand'):
            review.sudo(self.reviewer).write({'state': 'approved'})
        with self.assertRaisesRegex(AccessError, 'not by hand'):
            review.sudo(self.reviewer).write(
                {'decided_by_id': self.manager.id})
        with self.assertRaisesRegex(UserError, 'created as a draft'):
            self.env['meddev.qualification.review'].sudo(self.user).create({
                'review_type': 'partner', 'partner_id': self.distributor.id,
                'state': 'approved'})
        self._button(review, 'action_cancel', self.reviewer)
        self.assertEqual(review.state, 'cancel')

    def test_four_eyes_on_licence_approval(self):
        """The reviewer who submitted a licence for review cannot approve
        it, by the button (call_kw) nor by a forged write; another reviewer
        approves it."""
        licence = self._licence(state='draft')
        self._button(licence, 'action_submit', self.reviewer)
        self.assertEqual(licence.submitted_by_id, self.reviewer)
        with self.assertRaisesRegex(UserError, 'Four eyes'):
            self._button(licence, 'action_approve', self.reviewer)
        # Nor through the workflow's own write, nor by taking the
        # submitter's place.
        with self.assertRaisesRegex(UserError, 'Four eyes'):
            licence.sudo(self.reviewer)._decide('approved')
        with self.assertRaises(AccessError):
            licence.sudo(self.reviewer).write(
                {'submitted_by_id': self.user.id})
        self.assertEqual(licence.state, 'submitted')
        self.assertFalse(licence.reviewer_id)
        second = self._create_user(
            'qual_reviewer_second', self.group_reviewer)
        self._button(licence, 'action_approve', second)
        self.assertEqual(licence.state, 'approved')
        self.assertEqual(licence.reviewer_id, second)
        self.assertEqual(licence.submitted_by_id, self.reviewer)
