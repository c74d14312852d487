from odoo.exceptions import ValidationError

from .common import MeddevCreditCase


class TestCreditRatingHistory(MeddevCreditCase):

    def test_defaults_and_order(self):
        older = self._create_rating(
            self.customer, 'A', 90, date='2026-01-15')
        newer = self._create_rating(
            self.customer, 'C', 45, date='2026-06-30')
        self.assertEqual(older.company_id, self.env.user.company_id)
        histories = self.env['meddev.credit.rating.history'].sudo(self.user)
        # Newest first: the first line is the customer's current rating.
        self.assertEqual(
            histories.search([('partner_id', '=', self.customer.id)]).ids,
            [newer.id, older.id])
        self.assertEqual(newer.display_name, 'Eastern Hospital Supplies')

    def test_score_range(self):
        histories = self.env['meddev.credit.rating.history'].sudo(
            self.manager)
        for score in (0, 100):
            self.assertEqual(histories.create({
                'partner_id': self.customer.id, 'rating': 'B',
                'score': score}).score, score)
        for score in (-0.5, 100.01):
            with self.assertRaisesRegex(
                    ValidationError, 'Eastern Hospital Supplies'), \
                    self.cr.savepoint():
                histories.create({
                    'partner_id': self.customer.id, 'rating': 'B',
                    'score': score})

    def test_deleted_with_partner(self):
        history = self._create_rating(self.customer, 'B', 70)
        self.customer.unlink()
        self.assertFalse(history.exists())
