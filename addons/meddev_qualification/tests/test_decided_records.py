from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestDecidedRecords(MeddevTradeCase):
    """What was decided stays as decided: a rejected or approved review
    keeps its subject, company, categories and checklist; a licence is
    decided through its buttons, never by writing its state; copies and
    imports start as drafts."""

    @classmethod
    def setUpClass(cls):
        super(TestDecidedRecords, cls).setUpClass()
        cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.shell = cls._create_partner('Shell Trading', 'distributor')
        cls.agreement = cls.env['ir.attachment'].create({
            'name': 'quality-agreement.pdf', 'datas_fname': 'qa.pdf',
            'datas': 'JVBERi0xLjQK'})

    def _review(self):
        return self.env['meddev.qualification.review'].sudo(self.user).create(
            {'review_type': 'partner', 'partner_id': self.distributor.id,
             'category_ids': [(6, 0, self.cat_xray.ids)],
             'agreement_ids': [(6, 0, self.agreement.ids)]})

    def _button(self, records, method, user):
        """Call ``method`` as the web client's button does."""
        context = {'lang': 'en_US', 'uid': user.id}
        return api.call_kw(records.sudo(user).with_context(**context),
                           method, [records.ids, context], {})

    def _state(self, partner):
        partner.invalidate_cache()
        return partner.sudo(self.user).qualification_state

    def test_rejection_cannot_be_moved_away(self):
        review = self._review()
        review.sudo(self.reviewer).reject('Warehouse not GSP-fit')
        self.assertEqual(self._state(self.distributor), 'blocked')
        for user in self.user | self.reviewer:
            for vals in (
                    {'partner_id': self.shell.id},
                    {'company_id': False},
                    {'review_type': 'product',
                     'product_tmpl_id': self.product_i.product_tmpl_id.id},
                    {'category_ids': [(5, 0, 0)]}):
                with self.assertRaisesRegex(UserError, 'has been decided'):
                    review.sudo(user).write(vals)
        self.assertEqual(review.partner_id, self.distributor)
        self.assertEqual(review.company_id, self.env.user.company_id)
        self.assertEqual(self._state(self.distributor), 'blocked')
        # Comments still go on.
        review.sudo(self.user).write({'comments': 'Second visit planned'})
        self.assertEqual(review.comments, 'Second visit planned')

    def test_approval_cannot_be_given_to_another_partner(self):
        self.env.user.company_id.meddev_review_required = True
        review = self._review()
        review.sudo(self.reviewer).request_validation()
        review.sudo(self.reviewer).validate_tier()
        review.sudo(self.reviewer).action_approve()
        self.assertEqual(review.state, 'approved')
        self.assertEqual(self._state(self.shell), 'incomplete')
        with self.assertRaisesRegex(UserError, 'has been decided'):
            review.sudo(self.user).write({'partner_id': self.shell.id})
        self.assertEqual(self._state(self.shell), 'incomplete')

    def test_checklist_of_a_decided_review_is_kept(self):
        review = self._review()
        review.sudo(self.reviewer).reject('Warehouse not GSP-fit')
        line = review.line_ids[:1]
        passed = line.passed
        with self.assertRaisesRegex(UserError, 'checklist of'):
            line.sudo(self.user).write({'passed': not passed})
        with self.assertRaisesRegex(UserError, 'checklist of'):
            line.sudo(self.user).unlink()
        with self.assertRaisesRegex(UserError, 'checklist of'):
            self.env['meddev.qualification.review.line'].sudo(
                self.user).create({'review_id': review.id, 'name': 'Visit',
                                   'passed': True})
        self.assertEqual(line.passed, passed)
        self.assertTrue(line.exists())

    def test_tier_not_chosen_on_the_review(self):
        self.distributor.meddev_qualification_tier = 'strategic'
        review = self._review()
        self.assertEqual(review.tier, 'strategic')
        with self.assertRaisesRegex(AccessError, 'not by hand'):
            review.sudo(self.user).write({'tier': 'standard'})
        with self.assertRaisesRegex(UserError, 'created as a draft'):
            self.env['meddev.qualification.review'].sudo(self.user).create({
                'review_type': 'partner', 'partner_id': self.distributor.id,
                'tier': 'end_user'})
        review.sudo(self.user).request_validation()
        self.assertEqual(len(review.review_ids), 2)

    def test_licence_decided_through_its_buttons_only(self):
        licence = self._create_licence(
            self.shell, self.type_business, '91440300306000012W',
            long_term=True, state='submitted')
        for state in ('approved', 'rejected'):
            with self.assertRaisesRegex(AccessError, 'through its buttons'):
                licence.sudo(self.reviewer).write({'state': state})
        self.assertEqual(licence.state, 'submitted')
        licence.sudo(self.reviewer).action_approve()
        for state in ('revoked', 'expired'):
            with self.assertRaisesRegex(AccessError, 'through its buttons'):
                licence.sudo(self.reviewer).write({'state': state})
        self.assertEqual(licence.state, 'approved')
        self.assertEqual(licence.reviewer_id, self.reviewer)

    def test_copy_and_import_start_as_drafts(self):
        licence = self._create_licence(
            self.shell, self.type_business, '91440300306000012W',
            long_term=True)
        copy = licence.sudo(self.user).copy()
        self.assertEqual(copy.state, 'draft')
        self.assertFalse(copy.reviewer_id)
        self.assertFalse(copy.review_date)
        result = self.env['meddev.partner.licence'].sudo(self.user).load(
            ['partner_id/.id', 'licence_type_id/.id', 'number', 'long_term',
             'state'],
            [[str(self.shell.id), str(self.type_business.id),
              '91440300306000012W', '1', 'approved']])
        self.assertFalse(result['ids'])
        self.assertIn('must be created as a draft',
                      ' '.join(m['message'] for m in result['messages']))

    def test_approvals_not_erased_by_the_requester(self):
        self.distributor.meddev_qualification_tier = 'standard'
        review = self._review()
        review.sudo(self.user).request_validation()
        review.sudo(self.reviewer).validate_tier()
        with self.assertRaisesRegex(AccessError, 'restarted after a '
                                    'rejection'):
            self._button(review, 'restart_validation', self.user)
        self.assertEqual(review.review_ids.status, 'approved')
        # After a rejection the requester starts again.
        review.sudo(self.reviewer).reject_tier()
        self._button(review, 'restart_validation', self.user)
        self.assertFalse(review.review_ids)
