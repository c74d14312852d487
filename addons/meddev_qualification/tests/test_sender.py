from odoo.exceptions import UserError

from .common import MeddevTradeCase


class TestApproverWithoutEmail(MeddevTradeCase):
    """Odoo refuses chatter messages of a user without an email address;
    a reviewer without one still decides (the company's address is the
    sender), and a clear error names the user when there is no address at
    all."""

    @classmethod
    def setUpClass(cls):
        super(TestApproverWithoutEmail, cls).setUpClass()
        # Tracking on: the decision's chatter message is what failed.
        cls.env = cls.env(context=dict(cls.env.context,
                                       tracking_disable=False))
        cls.no_mail = cls._create_user('qual_no_mail', cls.group_reviewer)
        cls.no_mail.email = False
        cls.env.user.company_id.email = 'quality@kangda.example.com'

    def _licence(self, number):
        licence = self._create_licence(
            self.distributor, self.type_business, number, long_term=True,
            state='draft')
        licence.action_submit()
        return licence

    def test_reviewer_without_email_approves(self):
        licence = self._licence('91110105MA01ABCD39')
        licence.sudo(self.no_mail).action_approve()
        self.assertEqual(licence.state, 'approved')
        self.assertEqual(licence.reviewer_id, self.no_mail)
        message = licence.message_ids[0]
        self.assertEqual(message.author_id, self.no_mail.partner_id)
        self.assertIn('quality@kangda.example.com', message.email_from)
        self.assertIn('Qual No Mail', message.email_from)

    def test_reviewer_without_email_rejects_a_review(self):
        review = self.env['meddev.qualification.review'].sudo(
            self.user).create({
                'review_type': 'product',
                'product_tmpl_id': self.product_xray.product_tmpl_id.id})
        review.sudo(self.no_mail).reject('Certificate unreadable')
        self.assertEqual(review.state, 'rejected')

    def test_no_address_at_all_is_a_clear_error(self):
        licence = self._licence('91110105MA01ABCD39')
        self.env.user.company_id.email = False
        self.env['ir.config_parameter'].set_param('mail.catchall.domain', '')
        with self.assertRaisesRegex(
                UserError, 'Qual No Mail has no email address, nor has'):
            licence.sudo(self.no_mail).action_approve()
        self.assertEqual(licence.state, 'submitted')
