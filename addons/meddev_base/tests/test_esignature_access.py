from odoo import api
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevBaseCase


def rpc(model, method, args, kwargs=None):
    """Call ``method`` as the web client does (call_kw, empty context)."""
    kwargs = dict(kwargs or {}, context={})
    return api.call_kw(model, method, args, kwargs)


@at_install(False)
@post_install(True)
class TestEsignatureAccess(MeddevBaseCase):
    """A user reads the electronic signatures of the documents they may
    read only (SECURITY.md F3): every employee of the company used to read
    them all, the signed values of documents hidden from them included.
    Every read path is checked as the web client calls it."""

    @classmethod
    def setUpClass(cls):
        super(TestEsignatureAccess, cls).setUpClass()
        cls.outsider = cls._create_user('esign_outsider')
        cls.admin = cls._create_user(
            'esign_admin', groups=('base.group_user', 'base.group_system'))
        # Record rule path: a private channel only its members read.
        cls.board = cls.env['mail.channel'].create({
            'name': 'Board Signing Room', 'public': 'private',
            'channel_partner_ids': [(4, cls.signer.partner_id.id)]})
        cls.lobby = cls.env['mail.channel'].create(
            {'name': 'Lobby Signing Room', 'public': 'public'})
        # Access rights path: only administrators read parameters.
        cls.parameter = cls.env['ir.config_parameter'].create(
            {'key': 'meddev.signed.parameter', 'value': '42'})
        signatures = cls.env['meddev.esignature']
        cls.board_signature = signatures.sudo(cls.signer)._sign(
            cls.board, 'approval', comment='Secret board decision')
        cls.lobby_signature = signatures.sudo(cls.signer)._sign(
            cls.lobby, 'review')
        cls.parameter_signature = signatures._sign(
            cls.parameter, 'approval')
        cls.all_signatures = (cls.board_signature | cls.lobby_signature
                              | cls.parameter_signature).sudo()

    def _ours(self, user):
        """The test's signatures that ``user`` finds with search."""
        model = self.env['meddev.esignature'].sudo(user)
        found = rpc(model, 'search', [[
            ('id', 'in', self.all_signatures.ids)]])
        return self.env['meddev.esignature'].browse(found)

    def test_outsider_reads_only_signatures_of_readable_documents(self):
        model = self.env['meddev.esignature'].sudo(self.outsider)
        domain = [('id', 'in', self.all_signatures.ids)]
        self.assertEqual(self._ours(self.outsider), self.lobby_signature)
        self.assertEqual(rpc(model, 'search_count', [domain]), 1)
        rows = rpc(model, 'search_read', [domain, ['record_name']])
        self.assertEqual([row['id'] for row in rows],
                         self.lobby_signature.ids)
        # name_search (a many2one's autocompletion) by the document name.
        self.assertFalse(rpc(model, 'name_search', ['Board Signing']))
        self.assertEqual(
            [row[0] for row in rpc(model, 'name_search', ['Lobby Signing'])],
            self.lobby_signature.ids)
        # read_group (list grouped by document model, pivot).
        groups = rpc(model, 'read_group', [
            domain, ['res_model'], ['res_model']])
        self.assertEqual(
            sorted((group['res_model'], group['res_model_count'])
                   for group in groups), [('mail.channel', 1)])

    def test_outsider_cannot_read_a_hidden_signature_by_id(self):
        model = self.env['meddev.esignature'].sudo(self.outsider)
        for signature in (self.board_signature, self.parameter_signature):
            with self.subTest(document=signature.res_model), \
                    self.assertRaises(AccessError):
                rpc(model, 'read', [signature.ids, ['comment',
                                                    'signed_values']])
        # Nor through the ORM (a field of a record in a computation).
        with self.assertRaises(AccessError):
            self.board_signature.sudo(self.outsider).comment
        self.assertEqual(rpc(model, 'read', [
            self.lobby_signature.ids, ['meaning']])[0]['meaning'], 'review')

    def test_each_reader_sees_the_documents_they_may_read(self):
        # The channel's member reads its signatures, not the parameter's.
        self.assertEqual(self._ours(self.signer),
                         self.board_signature | self.lobby_signature)
        self.assertEqual(rpc(
            self.env['meddev.esignature'].sudo(self.signer), 'read',
            [self.board_signature.ids, ['comment']])[0]['comment'],
            'Secret board decision')
        # An administrator reads the parameter, not the private channel.
        self.assertEqual(self._ours(self.admin),
                         self.lobby_signature | self.parameter_signature)
        # The superuser reads every signature.
        self.assertEqual(self.env['meddev.esignature'].search([
            ('id', 'in', self.all_signatures.ids)]), self.all_signatures)

    def test_joining_the_document_gives_its_signatures(self):
        self.assertNotIn(self.board_signature, self._ours(self.outsider))
        self.board.write({
            'channel_partner_ids': [(4, self.outsider.partner_id.id)]})
        self.assertIn(self.board_signature, self._ours(self.outsider))
