from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevBaseCase


# After all modules load: the users and companies created here need the
# columns that later modules add to partners.
@at_install(False)
@post_install(True)
class TestEsignature(MeddevBaseCase):

    def _wizard(self, user, record, method, meaning, password):
        """Open the wizard as the web client does (action context), fill in
        the password and save it."""
        action = self.env['meddev.esignature.wizard']._action_open(
            record, method, meaning)
        wizards = self.env['meddev.esignature.wizard'].sudo(user).with_context(
            **action['context'])
        return wizards.create({'password': password, 'comment': 'OK'})

    def _signatures(self, record):
        return self.env['meddev.esignature'].search([
            ('res_model', '=', record._name), ('res_id', '=', record.id)])

    def test_right_password_signs_then_acts(self):
        wizard = self._wizard(self.signer, self.partner, 'toggle_active',
                              'approval', self.PASSWORD)
        self.assertFalse(wizard.password, 'the password is never stored')
        result = wizard.action_sign()
        self.assertEqual(result['type'], 'ir.actions.act_window_close')
        self.assertFalse(self.partner.active)
        signature = self._signatures(self.partner)
        self.assertEqual(len(signature), 1)
        self.assertEqual(signature.user_id, self.signer)
        self.assertEqual(signature.meaning, 'approval')
        self.assertEqual(signature.method, 'toggle_active')
        self.assertEqual(signature.comment, 'OK')
        self.assertIn('signature test', signature.signed_values)
        self.assertEqual(len(signature.signature_hash), 64)
        self.assertTrue(signature.intact)
        self.assertTrue(signature.signed_on)
        # One password, one signature.
        with self.assertRaisesRegex(UserError, 'Enter your password'):
            wizard.action_sign()

    def test_wrong_password_refused_nothing_changes(self):
        with self.assertRaisesRegex(UserError, 'Wrong password'):
            self._wizard(self.signer, self.partner, 'toggle_active',
                         'approval', 'not-my-password')
        with self.assertRaisesRegex(UserError, 'Wrong password'):
            self._wizard(self.signer, self.partner, 'toggle_active',
                         'approval', '')
        self.assertTrue(self.partner.active)
        self.assertFalse(self._signatures(self.partner))

    def test_flag_cannot_be_forced(self):
        wizard = self._wizard(self.signer, self.partner, 'toggle_active',
                              'approval', self.PASSWORD)
        wizard.action_sign()
        # A client sending the flag itself gains nothing.
        wizard.write({'password_checked': True})
        self.assertFalse(wizard.password_checked)
        wizard.write({'password': 'guess'})
        with self.assertRaises(UserError):
            wizard.action_sign()
        self.assertEqual(len(self._signatures(self.partner)), 1)

    def test_private_method_refused(self):
        with self.assertRaisesRegex(UserError, 'not an action'):
            self._wizard(self.signer, self.partner, '_write', 'approval',
                         self.PASSWORD)
        with self.assertRaisesRegex(UserError, 'not an action'):
            self._wizard(self.signer, self.partner, 'no_such_method',
                         'approval', self.PASSWORD)

    def test_signature_immutable(self):
        self._wizard(self.signer, self.partner, 'toggle_active',
                     'approval', self.PASSWORD).action_sign()
        signature = self._signatures(self.partner)
        with self.assertRaises(UserError):
            signature.write({'meaning': 'review'})
        with self.assertRaises(UserError):
            signature.unlink()
        # A row changed behind the ORM's back no longer matches its hash.
        self.env.cr.execute(
            "UPDATE meddev_esignature SET meaning = 'review' WHERE id = %s",
            [signature.id])
        signature.invalidate_cache()
        self.assertFalse(signature.intact)

    def test_users_cannot_create_signatures(self):
        with self.assertRaises(AccessError):
            self.env['meddev.esignature'].sudo(self.signer).create({
                'user_id': self.signer.id, 'signed_on': '2026-01-01 00:00:00',
                'meaning': 'approval', 'res_model': 'res.partner',
                'res_id': self.partner.id})

    def test_check_signed(self):
        signatures = self.env['meddev.esignature'].sudo(self.signer)
        with self.assertRaisesRegex(UserError, 'electronic signature'):
            signatures._check_signed(self.partner, 'approval')
        signature = signatures._sign(self.partner, 'approval')
        other = self._create_user('esign_other')
        # Someone else's signature, or another meaning, does not count.
        with self.assertRaises(UserError):
            signatures.sudo(other).with_context(
                meddev_esignature_id=signature.id)._check_signed(
                self.partner, 'approval')
        with self.assertRaises(UserError):
            signatures.with_context(
                meddev_esignature_id=signature.id)._check_signed(
                self.partner, 'closure')
        used = signatures.with_context(
            meddev_esignature_id=signature.id)._check_signed(
            self.partner, 'approval')
        self.assertEqual(used, signature)
        self.assertTrue(signature.consumed)
        # Used once: the same signature cannot authorise a second action.
        with self.assertRaises(UserError):
            signatures.with_context(
                meddev_esignature_id=signature.id)._check_signed(
                self.partner, 'approval')

    def test_company_rule(self):
        signature = self.env['meddev.esignature'].sudo(self.signer)._sign(
            self.partner, 'review')
        company = self.env['res.company'].create({'name': 'MedDev Sign Sub'})
        outsider = self._create_user('esign_sub', company=company)
        with self.assertRaises(AccessError):
            signature.sudo(outsider).read(['meaning'])
        self.assertEqual(signature.sudo(self.signer).read(
            ['meaning'])[0]['meaning'], 'review')

    def test_wizard_cannot_be_pointed_elsewhere_after_the_password(self):
        other = self.env['res.partner'].create({'name': '北京协和医院'})
        wizard = self._wizard(self.signer, self.partner, 'toggle_active',
                              'approval', self.PASSWORD)
        # Another document, a private method, another meaning: refused,
        # and nothing is signed or done.
        for vals in ({'res_id': other.id}, {'method': '_write'},
                     {'res_model': 'res.users'}, {'meaning': 'closure'}):
            with self.assertRaisesRegex(UserError, 'open the signature'):
                wizard.write(vals)
        self.assertTrue(other.active)
        self.assertFalse(self._signatures(other))
        wizard.action_sign()
        self.assertFalse(self.partner.active)
        self.assertTrue(other.active)

    def test_signature_not_used_by_its_action_is_spent(self):
        # toggle_active does not ask for the signature: once the wizard is
        # done, the signature cannot authorise another action.
        self._wizard(self.signer, self.partner, 'toggle_active',
                     'approval', self.PASSWORD).action_sign()
        signature = self._signatures(self.partner)
        self.assertTrue(signature.consumed)
        with self.assertRaisesRegex(UserError, 'electronic signature'):
            self.env['meddev.esignature'].sudo(self.signer).with_context(
                meddev_esignature_id=signature.id)._check_signed(
                self.partner, 'approval')
