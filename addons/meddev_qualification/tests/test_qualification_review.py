from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestQualificationReview(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestQualificationReview, cls).setUpClass()
        cls.qa_manager = cls._create_user('qa_manager', cls.group_manager)
        cls.reviewer2 = cls._create_user('qual_reviewer2', cls.group_reviewer)
        cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.agreement = cls.env['ir.attachment'].create({
            'name': 'quality-agreement.pdf', 'datas_fname': 'qa.pdf',
            'datas': 'JVBERi0xLjQK', 'res_model': 'res.partner',
            'res_id': cls.distributor.id})

    def _review(self, partner=None, categories=None, attach=True):
        return self.env['meddev.qualification.review'].sudo(self.user).create({
            'review_type': 'partner',
            'partner_id': (partner or self.distributor).id,
            'category_ids': [(6, 0, (categories or self.cat_xray).ids)],
            'agreement_ids': [(6, 0, self.agreement.ids if attach else [])],
        })

    def _items(self, review):
        return {line.name: line.passed for line in review.line_ids}

    def test_checklist(self):
        review = self._review(categories=self.cat_xray | self.cat_implant,
                              attach=False)
        self.assertEqual(self._items(review), {
            'Test Business Licence present': True,
            'Test Business Licence approved and in date': True,
            'Scope covers Imaging devices / X-ray equipment': True,
            'Scope covers Passive implants': False,
            'Quality agreement attached': False,
        })
        self.assertFalse(review.checklist_passed)
        with self.assertRaisesRegex(
                UserError, 'cannot be approved: Scope covers Passive '
                'implants, Quality agreement attached'):
            review.sudo(self.reviewer).action_approve()

    def test_standard_partner_one_tier(self):
        self.distributor.meddev_qualification_tier = 'standard'
        review = self._review()
        self.assertTrue(review.checklist_passed)
        review.request_validation()
        self.assertEqual(len(review.review_ids), 1)
        with self.assertRaises(AccessError):
            review.sudo(self.user).validate_tier()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            review.sudo(self.user).action_approve()
        review.sudo(self.reviewer).validate_tier()
        review.sudo(self.reviewer).action_approve()
        self.assertEqual(review.state, 'approved')
        self.assertEqual(review.decided_by_id, self.reviewer)

    def test_strategic_partner_two_tiers_in_order(self):
        self.distributor.meddev_qualification_tier = 'strategic'
        review = self._review()
        review.request_validation()
        self.assertEqual(
            review.review_ids.sorted('id').mapped('name'),
            ['QA manager (strategic partners)', 'Compliance officer'])
        # The QA manager's tier comes second.
        with self.assertRaises(AccessError):
            review.sudo(self.reviewer).action_approve()
        review.sudo(self.qa_manager).validate_tier()
        # Four eyes: the same manager may not approve the second tier.
        with self.assertRaisesRegex(UserError, 'already approved a tier'):
            review.sudo(self.qa_manager).validate_tier()
        with self.assertRaises(AccessError):
            review.sudo(self.reviewer2).validate_tier()
        # The manager approved the compliance tier; the QA tier needs a
        # manager who has not approved yet.
        other_manager = self._create_user('qa_manager2', self.group_manager)
        review.sudo(other_manager).validate_tier()
        self.assertTrue(review.validated)
        review.sudo(self.reviewer).action_approve()
        self.assertEqual(review.state, 'approved')

    def test_state_write_checks_group(self):
        review = self._review()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            review.sudo(self.user).write({'state': 'approved'})

    def test_forged_tier_approval_refused(self):
        self.distributor.meddev_qualification_tier = 'standard'
        review = self._review()
        review.request_validation()
        # OCA's tier.review is writable by everyone: this module refuses
        # direct writes of its tiers, over RPC as in Python.
        with self.assertRaisesRegex(AccessError, 'change only through'):
            review.review_ids.sudo(self.user).write(
                {'status': 'approved', 'done_by': self.user.id})
        with self.assertRaisesRegex(AccessError, 'change only through'):
            review.review_ids.sudo(self.reviewer).write(
                {'status': 'approved', 'done_by': self.reviewer.id})
        with self.assertRaisesRegex(AccessError, 'change only through'):
            self.env['tier.review'].sudo(self.user).create({
                'model': review._name, 'res_id': review.id,
                'definition_id': review.review_ids.definition_id.id,
                'status': 'approved', 'done_by': self.user.id})
        with self.assertRaisesRegex(AccessError, 'change only through'):
            review.review_ids.sudo(self.user).unlink()
        with self.assertRaisesRegex(AccessError, 'set by the decision'):
            review.sudo(self.user).write({'review_ids': [
                (1, review.review_ids.id, {'status': 'approved'})]})
        self.assertEqual(review.review_ids.status, 'pending')
        # The approval itself still rechecks who approved each tier.
        with self.assertRaisesRegex(AccessError, 'not approved by one of'):
            review.sudo(self.reviewer).action_approve()

    def test_tiers_change_through_their_buttons(self):
        self.distributor.meddev_qualification_tier = 'standard'
        review = self._review()
        review.sudo(self.user).request_validation()
        review.sudo(self.reviewer).reject_tier()
        self.assertEqual(review.review_ids.status, 'rejected')
        self.assertEqual(review.review_ids.done_by, self.reviewer)
        review.sudo(self.reviewer).restart_validation()
        self.assertFalse(review.review_ids)
        review.sudo(self.user).request_validation()
        review.sudo(self.reviewer).validate_tier()
        self.assertEqual(review.review_ids.status, 'approved')

    def test_product_review(self):
        review = self.env['meddev.qualification.review'].sudo(
            self.user).create({
                'review_type': 'product',
                'product_tmpl_id': self.product_xray.product_tmpl_id.id,
            })
        self.assertEqual(self._items(review), {
            'Device class set': True,
            'Device category set': True,
            'Certificate number recorded': True,
            'Certificate in date': True,
            'Certificate scan attached': False,
        })
        self.assertIn('X-ray Unit', review.name)

    def test_decided_review_not_deleted(self):
        review = self._review()
        review.sudo(self.reviewer).reject('Forged agreement')
        self.assertEqual(review.state, 'rejected')
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            review.sudo(self.manager).unlink()

    def test_draft_review_with_a_decided_tier_is_kept(self):
        # A tier decision is evidence: the draft that carries it is kept.
        self.distributor.meddev_qualification_tier = 'standard'
        review = self._review()
        review.request_validation()
        review.sudo(self.reviewer).validate_tier()
        self.assertEqual(review.state, 'draft')
        tiers = review.review_ids
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            review.sudo(self.user).unlink()
        self.assertTrue(review.exists())
        self.assertEqual(tiers.exists(), tiers)
        self.assertEqual(tiers.mapped('status'), ['approved'])
