from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevBaseCase


# After all modules load: the users and companies created here need the
# columns that later modules add to partners.
@at_install(False)
@post_install(True)
class TestRegulatedMixin(MeddevBaseCase):

    def test_unlink_refused_even_for_superuser(self):
        signature = self.env['meddev.esignature'].sudo(self.signer)._sign(
            self.partner, 'review')
        with self.assertRaisesRegex(UserError, 'Cancel it instead'):
            signature.sudo().unlink()
        self.assertTrue(signature.exists())

    def test_message_names_record_in_user_language(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_base'], ['zh_CN'])
        signature = self.env['meddev.esignature'].sudo(self.signer)._sign(
            self.partner, 'review')
        with self.assertRaisesRegex(UserError, '上海仁济医院.*受监管'):
            signature.with_context(lang='zh_CN').unlink()

    def test_empty_unlink_allowed(self):
        self.assertTrue(self.env['meddev.esignature'].browse().unlink())
