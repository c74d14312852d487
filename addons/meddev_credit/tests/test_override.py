from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditFlowCase, call_button


class TestOverride(MeddevCreditFlowCase):

    @classmethod
    def setUpClass(cls):
        super(TestOverride, cls).setUpClass()
        cls.manager_2 = cls._create_user('credit_manager_2', cls.group_manager)
        cls._create_invoice(cls.customer, 9000.0)
        cls.order = cls._create_order(
            cls.customer, [(cls.product, 20, 100.0)], user=cls.salesman)

    def _request(self, order=None, reason='Hospital tender, paid by the '
                                          'provincial fund in 30 days'):
        wizard = self.env['meddev.credit.override.request'].sudo(
            self.salesman).with_context(
                default_order_id=(order or self.order).id).create({
                    'reason': reason})
        action = wizard.action_request()
        return self.env['meddev.credit.override'].browse(action['res_id'])

    def test_request_records_figures_and_asks_manager(self):
        with self.assertRaisesRegex(UserError, 'Request Credit Override'):
            self.order.sudo(self.salesman).action_confirm()
        override = self._request()
        self.assertEqual(override.state, 'requested')
        self.assertEqual(override.requester_id, self.salesman)
        self.assertEqual(override.partner_id, self.customer)
        self.assertEqual(override.order_id, self.order)
        self.assertEqual(override.amount, 2000.0)
        self.assertEqual(override.credit_limit, 10000.0)
        self.assertEqual(override.receivable, 9000.0)
        self.assertEqual(override.exposure, 11000.0)
        self.assertEqual(override.excess, 1000.0)
        self.assertIn('would exceed its credit limit', override.refusal)
        self.assertTrue(override.name.startswith('CO/'))
        activity = override.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(self.order.credit_override_count, 1)
        self.assertEqual(self.customer.credit_override_count, 1)
        self.assertEqual(
            self.env['meddev.credit.override'].search(
                self.customer.action_view_credit_overrides()['domain']),
            override)
        self.assertEqual(
            self.env['meddev.credit.override'].search(
                self.order.action_view_credit_overrides()['domain']),
            override)

    def test_approved_override_confirms_once(self):
        override = self._request()
        with self.assertRaisesRegex(AccessError, 'Only a credit manager'):
            override.sudo(self.salesman).action_approve()
        override.sudo(self.manager).action_approve()
        self.assertEqual(override.state, 'approved')
        self.assertEqual(override.approver_id, self.manager)
        self.assertTrue(override.decision_date)
        self.assertFalse(override.activity_ids, 'the to-do is done')
        self.order.sudo(self.salesman).action_confirm()
        self.assertEqual(self.order.state, 'sale')
        self.assertEqual(override.state, 'used')
        # Once: a copy of the order is refused again.
        copy = self.order.copy()
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            copy.sudo(self.salesman).action_confirm()

    def test_raising_the_order_voids_the_override(self):
        override = self._request()
        override.sudo(self.manager).action_approve()
        # Lowering keeps the override.
        self.order.order_line.sudo(self.salesman).product_uom_qty = 15
        self.assertEqual(override.state, 'approved')
        self.order.order_line.sudo(self.salesman).product_uom_qty = 21
        self.assertEqual(override.state, 'void')
        self.assertIn('2100.00', override.void_reason)
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            self.order.sudo(self.salesman).action_confirm()

    def test_rejected_override_keeps_the_order_blocked(self):
        override = self._request()
        override.sudo(self.manager).action_reject()
        self.assertEqual(override.state, 'rejected')
        self.assertEqual(override.approver_id, self.manager)
        with self.assertRaisesRegex(UserError, 'only requested'):
            override.sudo(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            self.order.sudo(self.salesman).action_confirm()
        # A new request is possible once the previous one is decided.
        self.assertEqual(self._request().state, 'requested')

    def test_requests_that_make_no_sense(self):
        with self.assertRaisesRegex(UserError, 'Give the reason'):
            self._request(reason='  ')
        small = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(UserError, 'passes the credit check'):
            self._request(small)
        self._request()
        with self.assertRaisesRegex(UserError, 'already has the credit'):
            self._request()
        self.customer.credit_rating = 'D'
        other = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(UserError, 'not allowed for customers '
                                               'rated D'):
            self._request(other)

    def test_four_eyes_and_no_deletion(self):
        own = self.env['meddev.credit.override'].sudo(
            self.manager)._request(self.order, 'My own customer')
        with self.assertRaisesRegex(AccessError, 'requested by you'):
            own.sudo(self.manager).action_approve()
        own.sudo(self.manager_2).action_approve()
        self.assertEqual(own.approver_id, self.manager_2)
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            own.sudo(self.manager).unlink()
        with self.assertRaises(AccessError):
            own.sudo(self.salesman).write({'state': 'approved'})

    def test_tiers_of_reviewers_where_configured(self):
        self.env['tier.definition'].create({
            'name': 'Over the limit by more than 500',
            'model_id': self.env['ir.model']._get(
                'meddev.credit.override').id,
            'review_type': 'individual',
            'reviewer_id': self.manager_2.id,
            'definition_domain': "[('excess', '>', 500)]",
        })
        self.assertIn('meddev.credit.override', self.env[
            'tier.definition']._get_tier_validation_model_names())
        override = self._request()
        self.assertEqual(override.review_ids.mapped('status'), ['pending'])
        with self.assertRaisesRegex(UserError, 'still waits for the review '
                                               'of Credit Manager 2'):
            override.sudo(self.manager).action_approve()
        # Nobody forges the review: not the requester, not another manager.
        review = override.review_ids
        for user, vals in ((self.salesman, {'status': 'approved'}),
                           (self.manager, {'status': 'approved',
                                           'done_by': self.manager_2.id}),
                           (self.manager, {'status': 'approved',
                                           'done_by': self.manager.id})):
            with self.assertRaisesRegex(AccessError, 'only through their '
                                                     'Validate and Reject'):
                review.sudo(user).write(vals)
        with self.assertRaises(AccessError):
            self.env['tier.review'].sudo(self.manager).create({
                'model': 'meddev.credit.override', 'res_id': override.id,
                'definition_id': review.definition_id.id,
                'status': 'approved', 'done_by': self.manager.id})
        with self.assertRaises(AccessError):
            review.sudo(self.manager).unlink()
        self.assertEqual(review.status, 'pending')
        call_button(override.sudo(self.manager_2), 'validate_tier')
        self.assertEqual(review.done_by, self.manager_2)
        self.assertTrue(override.validated)
        override.sudo(self.manager).action_approve()
        self.assertEqual(override.state, 'approved')
        # Below the tier's threshold no review is needed.
        self.order.order_line.product_uom_qty = 12   # 200 over the limit
        override.invalidate_cache()
        small = self.order.copy()
        small_override = self._request(small)
        self.assertFalse(small_override.review_ids)
        small_override.sudo(self.manager).action_approve()
        self.assertEqual(small_override.state, 'approved')
