from odoo.addons.meddev_base.tests.common import archived, archived_count

from ..hooks import uninstall_hook
from .common import MeddevCreditCase


class TestUninstallHook(MeddevCreditCase):
    """Uninstalling the module never loses the credit decisions (review
    S2-5): the hook copies the module's tables (limits and holds per
    company, rating history, overrides), the columns it adds to companies
    and order lines and the chatter of its records into an archive schema,
    which Odoo's clean-up leaves. Run on a savepoint, rolled back."""

    def test_uninstall_keeps_credit_records_and_company_columns(self):
        self.customer.write({'credit_limit': 50000.0})
        state = self.customer.credit_state_ids
        self.assertEqual(len(state), 1)
        rating = self._create_rating(self.customer, 'B', 71.5)
        state.message_post(body='信用经理批准新额度')
        company = self.env.user.company_id
        with archived(self, uninstall_hook) as schema:
            self.assertTrue(schema.startswith('meddev_credit_archive'))
            cr = self.cr
            self.assertEqual(archived_count(
                cr, schema, 'meddev_credit_partner_state',
                'id = %s AND partner_id = %s', (state.id, self.customer.id)),
                1)
            self.assertEqual(archived_count(
                cr, schema, 'meddev_credit_rating_history',
                'id = %s AND rating = %s', (rating.id, 'B')), 1)
            self.assertEqual(archived_count(
                cr, schema, 'res_company__columns',
                'id = %s AND credit_rating_window_days = %s',
                (company.id, company.credit_rating_window_days)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'mail_message',
                "model = 'meddev.credit.partner.state' AND res_id = %s "
                "AND body LIKE %s", (state.id, '%信用经理批准新额度%')), 1)
