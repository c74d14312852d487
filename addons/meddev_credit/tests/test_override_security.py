from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditFlowCase, call_button, call_kw


class TestOverrideSecurity(MeddevCreditFlowCase):
    """Overrides are created by the request and decided by their buttons
    only; approved ones expire and do not cover what appeared later."""

    @classmethod
    def setUpClass(cls):
        super(TestOverrideSecurity, cls).setUpClass()
        cls.seller = cls._create_user(
            'credit_seller', cls.env.ref('sales_team.group_sale_salesman'))
        cls.manager_2 = cls._create_user('credit_manager_2', cls.group_manager)
        cls._create_invoice(cls.customer, 9000.0)
        cls.order = cls._create_order(
            cls.customer, [(cls.product, 20, 100.0)], user=cls.seller)

    def _forged_vals(self):
        return {
            'order_id': self.order.id, 'partner_id': self.customer.id,
            'company_id': self.company.id, 'reason': 'Trust me',
            'state': 'approved', 'approver_id': self.manager.id,
            'amount': 1e9, 'problem_codes': 'hold,grade,overdue,limit',
            'expiry_date': '2099-12-31',
        }

    def _request(self, user=None):
        wizard = self.env['meddev.credit.override.request'].sudo(
            user or self.seller).with_context(
                default_order_id=self.order.id).create({
                    'reason': 'Tender paid by the provincial fund'})
        action = call_button(wizard, 'action_request')
        return self.env['meddev.credit.override'].browse(action['res_id'])

    def test_nobody_creates_an_approved_override(self):
        overrides = self.env['meddev.credit.override']
        for user in (self.seller, self.user, self.manager):
            with self.assertRaises(AccessError):
                overrides.sudo(user).create(self._forged_vals())
        self.assertFalse(self.order.credit_override_ids)
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            call_button(self.order.sudo(self.seller), 'action_confirm')

    def test_decision_and_figures_only_through_the_buttons(self):
        override = self._request()
        self.assertEqual(override.requester_id, self.seller)
        for user in (self.seller, self.user, self.manager):
            for vals in ({'state': 'approved'},
                         {'approver_id': self.manager_2.id},
                         {'amount': 1e9}, {'problem_codes': 'hold'},
                         {'expiry_date': '2099-12-31'},
                         {'reason': 'Another reason'}):
                with self.assertRaises(AccessError):
                    override.sudo(user).write(vals)
        self.assertEqual(override.state, 'requested')
        self.assertEqual(override.amount, 2000.0)
        # A manager may write a note, and decides with the button.
        override.sudo(self.manager).write({'decision_note': 'Call first'})
        call_button(override.sudo(self.manager), 'action_approve')
        self.assertEqual(override.state, 'approved')
        self.assertEqual(override.approver_id, self.manager)
        call_button(self.order.sudo(self.seller), 'action_confirm')
        self.assertEqual(self.order.state, 'sale')
        self.assertEqual(override.state, 'used')

    def test_override_expires(self):
        self.company.credit_override_validity_days = 3
        override = self._request()
        call_button(override.sudo(self.manager), 'action_approve')
        today = fields.Date.from_string(self.today)
        self.assertEqual(override.expiry_date, fields.Date.to_string(
            today + timedelta(days=3)))
        overrides = self.env['meddev.credit.override']
        self.assertFalse(overrides._cron_expire(
            fields.Date.to_string(today + timedelta(days=3))))
        self.assertEqual(overrides._cron_expire(
            fields.Date.to_string(today + timedelta(days=4))), override)
        self.assertEqual(override.state, 'expired')
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            call_button(self.order.sudo(self.seller), 'action_confirm')
        # An expired override is decided: a new request may be made.
        self.assertEqual(self._request().state, 'requested')

    def test_gate_ignores_an_override_past_its_date(self):
        self.company.credit_override_validity_days = 3
        override = self._request()
        call_button(override.sudo(self.manager), 'action_approve')
        later = fields.Date.to_string(
            fields.Date.from_string(self.today) + timedelta(days=4))
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            self.order.sudo(self.seller)._check_credit_gate(later)
        self.assertEqual(override.state, 'approved')

    def test_hold_set_after_approval_is_not_covered(self):
        override = self._request()
        self.assertEqual(override.problem_codes, 'limit')
        call_button(override.sudo(self.manager), 'action_approve')
        wizard = self.env['meddev.credit.hold.wizard'].sudo(
            self.manager_2).create({'partner_id': self.customer.id,
                                    'action': 'set',
                                    'reason': 'Cheque bounced'})
        call_button(wizard, 'action_apply')
        with self.assertRaises(UserError) as refusal:
            call_button(self.order.sudo(self.seller), 'action_confirm')
        message = refusal.exception.name
        self.assertIn('is on credit hold (Cheque bounced)', message)
        self.assertIn('The approved credit override %s does not cover'
                      % override.name, message)
        self.assertNotIn('would exceed its credit limit', message)
        self.assertEqual(self.order.state, 'draft')
        self.assertEqual(override.state, 'approved')

    def test_requester_posts_but_never_rewrites_the_chatter(self):
        """The chatter of an override is its trail: a credit manager who
        requested one (write access to overrides) posts to it like anyone
        who may, but rewrites or deletes none of its messages through the
        override's write."""
        override = self.env['meddev.credit.override'].sudo(
            self.manager)._request(self.order, 'Tender, paid in 30 days')
        requester = override.sudo(self.manager)
        message_id = call_kw(requester, 'message_post',
                             body='The hospital paid 5000 today.',
                             message_type='comment',
                             subtype='mail.mt_comment')
        message = self.env['mail.message'].browse(message_id)
        self.assertEqual(message.model, 'meddev.credit.override')
        self.assertEqual(message.res_id, override.id)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertIn(message, override.message_ids)
        for command in ((1, message.id, {'body': 'Nothing was paid.'}),
                        (2, message.id), (3, message.id), (5,),
                        (6, 0, []),
                        (0, 0, {'body': 'Approved by the CFO.',
                                'model': override._name,
                                'res_id': override.id})):
            with self.assertRaisesRegex(AccessError,
                                        'its messages cannot be written'):
                call_kw(requester, 'write', {'message_ids': [command]})
        self.assertIn('paid 5000 today', message.body)
        self.assertIn(message, override.message_ids)
        # The salesperson who requested posts too (a credit user may read
        # the override, and the chatter is for both sides).
        self.order = self._create_order(
            self.customer, [(self.product, 20, 100.0)], user=self.seller)
        requested = self._request()
        message_id = call_kw(requested.sudo(self.seller), 'message_post',
                             body='Deadline of the tender is Friday.',
                             message_type='comment',
                             subtype='mail.mt_comment')
        self.assertIn(self.env['mail.message'].browse(message_id),
                      requested.message_ids)

    def test_order_salesperson_does_not_approve_a_colleague_request(self):
        """Four eyes: the approver is a credit manager who is neither the
        requester nor the salesperson of the order (whose confirmation
        they gain from as much)."""
        seller_manager = self._create_user(
            'credit_seller_manager',
            self.env.ref('sales_team.group_sale_salesman') | self.group_manager)
        colleague = self._create_user(
            'credit_colleague',
            self.env.ref('sales_team.group_sale_salesman_all_leads'))
        order = self._create_order(
            self.customer, [(self.product, 20, 100.0)], user=seller_manager)
        wizard = self.env['meddev.credit.override.request'].sudo(
            colleague).with_context(default_order_id=order.id).create(
                {'reason': 'Tender paid by the provincial fund'})
        action = call_button(wizard, 'action_request')
        override = self.env['meddev.credit.override'].browse(action['res_id'])
        self.assertEqual(override.requester_id, colleague)
        self.assertEqual(override.user_id, seller_manager)
        with self.assertRaisesRegex(
                AccessError, 'is for your own order %s' % order.name):
            call_kw(override.sudo(seller_manager), 'action_approve')
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        with self.assertRaisesRegex(AccessError, '针对的是您本人负责的订单'):
            call_kw(override.sudo(seller_manager), 'action_approve',
                    context={'lang': 'zh_CN'})
        self.assertEqual(override.state, 'requested')
        self.assertFalse(override.approver_id)
        call_kw(override.sudo(self.manager_2), 'action_approve')
        self.assertEqual(override.state, 'approved')
        self.assertEqual(override.approver_id, self.manager_2)

    def test_requester_and_salesperson_do_not_validate_a_tier(self):
        """Four eyes on the tiers too: a tier whose reviewer requested the
        override, or sells the order, is not validated by them."""
        seller_manager = self._create_user(
            'credit_tier_seller',
            self.env.ref('sales_team.group_sale_salesman') | self.group_manager)
        self.env['tier.definition'].create({
            'name': 'Every override, by the first managers',
            'model_id': self.env['ir.model']._get(
                'meddev.credit.override').id,
            'review_type': 'group',
            'reviewer_group_id': self.group_manager.id,
            'definition_domain': "[]",
        })
        override = self._request(self.manager)
        self.assertEqual(override.requester_id, self.manager)
        self.assertEqual(override.review_ids.mapped('status'), ['pending'])
        with self.assertRaisesRegex(AccessError,
                                    'another reviewer validates its tiers'):
            call_kw(override.sudo(self.manager), 'validate_tier')
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        with self.assertRaisesRegex(AccessError, '由其他审核人'):
            call_kw(override.sudo(self.manager), 'validate_tier',
                    context={'lang': 'zh_CN'})
        # Nor writing the review the way validate_tier does.
        review = override.review_ids
        with self.assertRaisesRegex(AccessError,
                                    'another reviewer validates its tiers'):
            call_kw(review.sudo(self.manager), 'write', {
                'status': 'approved', 'done_by': self.manager.id})
        self.assertEqual(review.status, 'pending')
        # The order's salesperson neither.
        self.order.sudo().user_id = seller_manager
        with self.assertRaisesRegex(AccessError,
                                    'another reviewer validates its tiers'):
            call_kw(override.sudo(seller_manager), 'validate_tier')
        self.assertEqual(review.status, 'pending')
        # Another manager validates, then approves.
        call_kw(override.sudo(self.manager_2), 'validate_tier')
        self.assertEqual(review.done_by, self.manager_2)
        call_kw(override.sudo(self.manager_2), 'action_approve')
        self.assertEqual(override.state, 'approved')
