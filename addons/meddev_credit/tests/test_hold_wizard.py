from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditCase


class TestHoldWizard(MeddevCreditCase):

    @classmethod
    def setUpClass(cls):
        super(TestHoldWizard, cls).setUpClass()
        cls.contact = cls.env['res.partner'].create({
            'name': 'Dr. Li, purchasing', 'parent_id': cls.customer.id})

    def _apply(self, action, reason, user=None, partner=None):
        wizard = self.env['meddev.credit.hold.wizard'].sudo(
            user or self.manager).create({
                'partner_id': (partner or self.customer).id,
                'action': action, 'reason': reason})
        return wizard.action_apply()

    def _last_note(self):
        """The last note on the customer's credit state, read as a credit
        user; the partner's chatter, read by every employee, has none."""
        self.assertFalse(self.customer.message_ids.filtered(
            lambda message: 'Credit hold' in (message.body or '')))
        state = self.customer.credit_state_ids.sudo(self.user)
        message = state.message_ids.sorted('id')[-1]
        self.assertEqual(message.author_id, self.manager.partner_id)
        return message.body

    def test_set_and_lift_with_reason_in_chatter(self):
        # Started from a contact, the hold is on its company.
        action = self.contact.sudo(self.manager).action_credit_set_hold()
        self.assertEqual(action['context']['default_partner_id'],
                         self.customer.id)
        self._apply('set', 'Disputed <invoices>', partner=self.contact)
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason,
                         'Disputed <invoices>')
        self.assertEqual(self.customer.credit_hold_origin, 'manual')
        self.assertEqual(self.customer.credit_hold_user_id, self.manager)
        note = self._last_note()
        self.assertIn('Credit hold set in %s' % self.env.user.company_id.name, note)
        self.assertIn('Disputed &lt;invoices&gt;', note)
        with self.assertRaisesRegex(
                UserError, r'Eastern Hospital Supplies is already on credit '
                           r'hold \(Disputed <invoices>\)'):
            self._apply('set', 'Again')
        self._apply('lift', 'Settled after the call of 3 May')
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer.credit_hold_reason)
        self.assertIn('Settled after the call of 3 May', self._last_note())
        self.assertIn('Credit hold lifted in', self._last_note())
        with self.assertRaisesRegex(
                UserError, 'Eastern Hospital Supplies is not on credit hold'):
            self._apply('lift', 'Nothing to lift')

    def test_manager_lifts_an_automatic_hold(self):
        self.customer.write({'credit_hold': True,
                             'credit_hold_reason': 'Credit rating D',
                             'credit_hold_origin': 'automatic'})
        self._apply('lift', 'Guarantee received from the parent group')
        self.assertFalse(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_user_id, self.manager)

    def test_reason_is_mandatory(self):
        for reason in (False, '   \n'):
            with self.assertRaisesRegex(
                    UserError, 'Give a reason to set or lift the credit hold '
                               'of Eastern Hospital Supplies'):
                self._apply('set', reason)
        self.assertFalse(self.customer.credit_hold)

    def test_only_credit_managers(self):
        with self.assertRaisesRegex(
                AccessError, 'Only a credit manager may set or lift the '
                             'credit hold of Eastern Hospital Supplies'):
            self._apply('set', 'Late payments', user=self.user)
        self.assertFalse(self.customer.credit_hold)
