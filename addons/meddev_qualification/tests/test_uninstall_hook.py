from odoo.addons.meddev_base.tests.common import archived, archived_count

from ..hooks import uninstall_hook
from .common import MeddevTradeCase


class TestUninstallHook(MeddevTradeCase):
    """Uninstalling the module never loses licences and reviews (review
    S2-5): the hook copies the module's tables, the columns it adds to
    partners and products and the licences' chatter into an archive
    schema, which Odoo's clean-up leaves. Run on a savepoint, rolled
    back."""

    def test_uninstall_keeps_licences_and_partner_columns(self):
        licence = self._create_licence(
            self.distributor, self.type_trading, '京食药监械经营许20150035号',
            valid_to='2030-12-31', scope=self.cat_imaging)
        self.assertEqual(licence.state, 'approved')
        licence.message_post(body='原件已核对')
        with archived(self, uninstall_hook) as schema:
            self.assertTrue(schema.startswith('meddev_qualification_archive'))
            cr = self.cr
            self.assertEqual(archived_count(
                cr, schema, 'meddev_partner_licence',
                'id = %s AND partner_id = %s AND state = %s',
                (licence.id, self.distributor.id, 'approved')), 1)
            # The licence's scope (a many2many of the module's model).
            self.assertEqual(archived_count(
                cr, schema, licence._fields['scope_category_ids'].relation,
                '%s = %%s' % licence._fields['scope_category_ids'].column1,
                (licence.id,)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'res_partner__columns',
                'id = %s AND meddev_partner_kind = %s',
                (self.distributor.id, 'distributor')), 1)
            self.assertEqual(archived_count(
                cr, schema, 'product_template__columns',
                'id = %s AND device_class = %s',
                (self.product_xray.product_tmpl_id.id, 'III')), 1)
            self.assertEqual(archived_count(
                cr, schema, 'mail_message',
                "model = 'meddev.partner.licence' AND res_id = %s "
                "AND body LIKE %s", (licence.id, '%原件已核对%')), 1)
