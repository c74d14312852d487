from odoo.exceptions import UserError

from .common import MeddevTradeCase


class TestRegulatedRecords(MeddevTradeCase):
    """Licences and first-business reviews are regulated records of
    meddev_base (``meddev.regulated.mixin``) once a reviewer has seen them;
    their drafts are deleted with everything attached to them."""

    def _licence(self, state='draft', serial=5):
        return self._create_licence(
            self.distributor, self.type_trading,
            '京食药监械经营许2015003%s号' % serial, valid_to='2099-12-31',
            scope=self.cat_imaging, state=state)

    def _messages(self, record):
        return self.env['mail.message'].search([
            ('model', '=', record._name), ('res_id', '=', record.id)])

    def _review(self):
        return self.env['meddev.qualification.review'].sudo(self.user).create({
            'review_type': 'product',
            'product_tmpl_id': self.product_xray.product_tmpl_id.id})

    def test_draft_licence_deleted_with_its_chatter(self):
        draft = self._licence()
        draft.message_post(body='Scan requested from the customer')
        self.assertTrue(self._messages(draft))
        draft.sudo(self.user).unlink()
        self.assertFalse(draft.exists())
        self.assertFalse(self._messages(draft))

    def test_rejected_licence_taken_back_to_draft_is_kept(self):
        licence = self._licence('submitted', 7)
        licence.sudo(self.reviewer).reject('Scan unreadable')
        licence.sudo(self.user).action_reset_draft()
        self.assertEqual(licence.state, 'draft')
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            licence.sudo(self.user).unlink()
        self.assertTrue(licence.exists())

    def test_reviewed_licence_kept_even_for_superuser(self):
        self.assertIsInstance(self.env['meddev.partner.licence'],
                              type(self.env['meddev.regulated.mixin']))
        for serial, state in enumerate(('submitted', 'approved', 'revoked')):
            licence = self._licence(state, serial)
            with self.assertRaisesRegex(
                    UserError, 'Licence 京食药监械经营许2015003%s号 of Kangda '
                    'Medical cannot be deleted.*Reject or revoke' % serial):
                licence.sudo().unlink()
            self.assertTrue(licence.exists())

    def test_draft_review_deleted_with_its_tiers(self):
        review = self._review()
        review.message_post(body='Waiting for the certificate scan')
        review.request_validation()
        tiers = review.review_ids
        self.assertTrue(tiers)
        review.sudo(self.user).unlink()
        self.assertFalse(review.exists())
        self.assertFalse(tiers.exists())
        self.assertFalse(self._messages(review))

    def test_decided_review_is_a_regulated_record(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_base'], ['zh_CN'])
        review = self._review()
        review.sudo(self.reviewer).reject('Certificate forged')
        with self.assertRaisesRegex(
                UserError, 'First-business review: X-ray Unit cannot be '
                'deleted: a First-Business Review is a regulated record'):
            review.sudo().unlink()
        with self.assertRaisesRegex(UserError, 'X-ray Unit.*受监管'):
            review.with_context(lang='zh_CN').unlink()
        self.assertTrue(review.exists())
