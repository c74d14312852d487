"""Odoo retries a request that hit a serialization failure with the same
arguments (``odoo.service.model.check``), and Odoo 11's mail.thread create
adds the creator's follower command to the caller's dict: the retry then
subscribed the creator twice (IntegrityError on mail_followers, the
bench's load case). meddev_base's mail.thread create works on a copy, for
every model with a chatter: shown here on contacts (Odoo's own model);
the suite's models in meddev_suite_tests/tests/test_create_retry_all.py."""

from .common import MeddevBaseCase, create_through_retry


class TestCreateRetry(MeddevBaseCase):

    def test_contact_created_on_retry_after_serialization_failure(self):
        vals = {'name': 'Retry Hospital', 'is_company': True}
        partner, attempts = create_through_retry(
            self.signer, 'res.partner', vals)
        self.assertEqual(attempts, 2)
        self.assertEqual(partner.name, 'Retry Hospital')
        # The partner's own create adds its images to the caller's dict
        # (harmless on a retry); the chatter's follower command stays out.
        self.assertNotIn('message_follower_ids', vals)
        self.assertIn(self.signer.partner_id, partner.message_partner_ids)

    def test_follower_list_of_the_caller_left_as_sent(self):
        """A follower list the client sends (here another contact) is not
        extended in place by the creator's command."""
        followers = self.env['mail.followers']._add_follower_command(
            'res.partner', [], {self.partner.id: None}, {}, force=True)[0]
        sent = list(followers)
        vals = {'name': 'Retry Clinic', 'message_follower_ids': followers}
        partner, attempts = create_through_retry(
            self.signer, 'res.partner', vals)
        self.assertEqual(attempts, 2)
        self.assertEqual(followers, sent)
        self.assertEqual(
            partner.message_partner_ids,
            self.partner | self.signer.partner_id)
