import base64

from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase

# What the web client passes as the only argument of a button method.
WEB_CONTEXT = {'lang': 'en_US', 'tz': 'Asia/Shanghai', 'params': {}}
NUMBER = '京食药监械经营许20150035号'


class TestFourEyes(MeddevTradeCase):
    """Whoever recorded a licence, changed its data or scans or submitted
    it never approves it, whatever the path (form or RPC write, import,
    scan file replaced or deleted, bare state write); another reviewer
    approves it."""

    @classmethod
    def setUpClass(cls):
        super(TestFourEyes, cls).setUpClass()
        cls.second = cls._create_user(
            'qual_reviewer_second', cls.group_reviewer)

    def _call(self, records, method, user, args=(), kwargs=None):
        """Call ``method`` over RPC as ``user`` (what the web client
        does); a button gets the context as its only argument."""
        context = dict(WEB_CONTEXT, uid=user.id)
        model = records.sudo(user).with_context(**context)
        if kwargs is None:
            kwargs = {'context': context}
        return api.call_kw(model, method, [records.ids] + list(args), kwargs)

    def _approve(self, licence, user):
        context = dict(WEB_CONTEXT, uid=user.id)
        return api.call_kw(licence.sudo(user).with_context(**context),
                           'action_approve', [licence.ids, context], {})

    def _submitted_by_user(self, scan=None):
        """A licence recorded and submitted by the sales user."""
        licence = self.env['meddev.partner.licence'].sudo(self.user).create({
            'partner_id': self.distributor.id,
            'licence_type_id': self.type_trading.id,
            'number': NUMBER, 'valid_to': '2099-12-31',
            'scope_category_ids': [(6, 0, self.cat_imaging.ids)],
            'attachment_ids': [(6, 0, scan.ids if scan else [])],
        })
        self._call(licence, 'action_submit', self.user, [WEB_CONTEXT], {})
        self.assertEqual(licence.submitted_by_id, self.user)
        self.assertEqual(licence.author_ids, self.user)
        return licence.with_env(self.env)

    def _assert_four_eyes(self, licence, editor):
        """``editor`` is refused the approval; the other reviewer gives
        it."""
        with self.assertRaisesRegex(UserError, 'Four eyes: you recorded, '
                                               'changed or submitted'):
            self._approve(licence, editor)
        self.assertEqual(licence.state, 'submitted')
        other = self.second if editor == self.reviewer else self.reviewer
        self._approve(licence, other)
        self.assertEqual(licence.state, 'approved')
        self.assertEqual(licence.reviewer_id, other)

    def test_reviewer_edits_submitted_licence_then_approves(self):
        licence = self._submitted_by_user()
        self._call(licence, 'write', self.reviewer,
                   [{'valid_to': '2030-12-31'}])
        self.assertEqual(licence.valid_to, '2030-12-31')
        self.assertEqual(licence.submitted_by_id, self.user)
        self.assertEqual(licence.author_ids, self.user | self.reviewer)
        self._assert_four_eyes(licence, self.reviewer)

    def test_reviewer_changes_scope_then_approves(self):
        licence = self._submitted_by_user()
        self._call(licence, 'write', self.reviewer,
                   [{'scope_category_ids': [(4, self.cat_implant.id)]}])
        self._assert_four_eyes(licence, self.reviewer)

    def test_data_entered_in_draft_then_resubmitted_by_another(self):
        licence = self._submitted_by_user()
        self._call(licence, 'action_reset_draft', self.user,
                   [WEB_CONTEXT], {})
        self._call(licence, 'write', self.reviewer,
                   [{'number': '京食药监械经营许20150036号'}])
        self._call(licence, 'action_submit', self.user, [WEB_CONTEXT], {})
        self.assertEqual(licence.submitted_by_id, self.user)
        self._assert_four_eyes(licence, self.reviewer)

    def test_recorded_by_a_reviewer_submitted_by_another(self):
        licence = self.env['meddev.partner.licence'].sudo(
            self.reviewer).create({
                'partner_id': self.distributor.id,
                'licence_type_id': self.type_business.id,
                'number': '91110105MA01ABCD39', 'long_term': True})
        self._call(licence, 'action_submit', self.user, [WEB_CONTEXT], {})
        self.assertEqual(licence.submitted_by_id, self.user)
        self._assert_four_eyes(licence.with_env(self.env), self.reviewer)

    def test_imported_by_a_reviewer(self):
        result = self.env['meddev.partner.licence'].sudo(self.reviewer).load(
            ['partner_id', 'licence_type_id', 'number', 'long_term'],
            [['Kangda Medical', 'Test Business Licence', '91110105MA01ABCD39',
              '1']])
        self.assertFalse(result['messages'])
        licence = self.env['meddev.partner.licence'].browse(result['ids'])
        self.assertEqual(licence.author_ids, self.reviewer)
        self._call(licence, 'action_submit', self.user, [WEB_CONTEXT], {})
        self._assert_four_eyes(licence, self.reviewer)

    def test_bare_state_write_records_the_submitter(self):
        licence = self.env['meddev.partner.licence'].sudo(self.user).create({
            'partner_id': self.distributor.id,
            'licence_type_id': self.type_business.id,
            'number': '91110105MA01ABCD39', 'long_term': True})
        self._call(licence, 'write', self.reviewer, [{'state': 'submitted'}])
        self.assertEqual(licence.submitted_by_id, self.reviewer)
        self._assert_four_eyes(licence.with_env(self.env), self.reviewer)

    def test_authors_not_forged(self):
        licence = self._submitted_by_user()
        self._call(licence, 'write', self.reviewer,
                   [{'holder_name': 'Kangda'}])
        with self.assertRaisesRegex(AccessError, 'not by hand'):
            self._call(licence, 'write', self.reviewer,
                       [{'author_ids': [(5, 0, 0)]}])
        with self.assertRaisesRegex(AccessError, 'cannot be created with'):
            self.env['meddev.partner.licence'].sudo(self.user).create({
                'partner_id': self.distributor.id,
                'licence_type_id': self.type_business.id,
                'number': '91110105MA01ABCD39', 'long_term': True,
                'author_ids': [(6, 0, self.second.ids)]})
        self._assert_four_eyes(licence, self.reviewer)

    def _scan(self):
        return self.env['ir.attachment'].sudo(self.user).create({
            'name': 'licence.png', 'datas_fname': 'licence.png',
            'datas': base64.b64encode(b'first scan')})

    def test_scan_replaced_by_a_reviewer(self):
        scan = self._scan()
        licence = self._submitted_by_user(scan)
        # A sales user may not touch the scans of a licence under review.
        with self.assertRaisesRegex(AccessError, 'under review'):
            self._call(scan, 'write', self.user,
                       [{'datas': base64.b64encode(b'other scan')}])
        self._call(scan, 'write', self.reviewer,
                   [{'datas': base64.b64encode(b'other scan')}])
        self.assertEqual(base64.b64decode(scan.datas), b'other scan')
        self.assertEqual(licence.author_ids, self.user | self.reviewer)
        self._assert_four_eyes(licence, self.reviewer)
        # Once approved, the scan is the approved record.
        with self.assertRaisesRegex(UserError, 'cannot be changed'):
            self._call(scan, 'write', self.second,
                       [{'datas': base64.b64encode(b'third scan')}])
        with self.assertRaisesRegex(UserError, 'cannot be changed'):
            self._call(scan, 'unlink', self.second)
        self.assertEqual(licence.attachment_ids, scan)

    def test_scan_deleted_by_a_reviewer(self):
        scan = self._scan()
        licence = self._submitted_by_user(scan)
        self._call(scan, 'unlink', self.reviewer)
        self.assertFalse(licence.attachment_ids)
        self._assert_four_eyes(licence, self.reviewer)

    def test_reviewing_without_changing_does_not_count(self):
        """A reviewer who only reads, follows or comments still
        approves."""
        licence = self._submitted_by_user()
        licence.sudo(self.reviewer).message_post(body='Checked with NMPA')
        self._approve(licence, self.reviewer)
        self.assertEqual(licence.state, 'approved')


class TestUnknownSubmitter(MeddevTradeCase):
    """Licences submitted before submitters were recorded: the upgrade
    takes the submitter from the chatter; a licence whose submitter stays
    unknown is submitted again before it is approved."""

    def _licence(self, number):
        return self.env['meddev.partner.licence'].sudo(self.user).with_context(
            tracking_disable=False).create({
                'partner_id': self.distributor.id,
                'licence_type_id': self.type_business.id,
                'number': number, 'long_term': True})

    def _forget(self, licences):
        """Put ``licences`` back as an older version left them."""
        self.env.cr.execute(
            "UPDATE meddev_partner_licence SET submitted_by_id = NULL"
            " WHERE id IN %s", (tuple(licences.ids),))
        self.env.cr.execute(
            "DELETE FROM meddev_partner_licence_author_rel"
            " WHERE licence_id IN %s", (tuple(licences.ids),))
        licences.invalidate_cache()

    def test_submitter_from_chatter_or_resubmission(self):
        known = self._licence('91110105MA01ABCD39')
        known.sudo(self.reviewer).write({'holder_name': 'Kangda'})
        known.action_submit()
        # The chatter's last state of ``hidden`` is Draft: an untracked
        # resubmission followed, by someone the chatter does not name.
        hidden = self._licence('91440300306000012W')
        hidden.action_submit()
        hidden.action_reset_draft()
        hidden.with_context(tracking_disable=True).action_submit()
        untracked = self._licence('91110000100000000R')
        untracked.with_context(tracking_disable=True).action_submit()
        known, hidden, untracked = (
            lic.with_env(self.env) for lic in (known, hidden, untracked))
        self._forget(known | hidden | untracked)

        left = self.env['meddev.partner.licence']._fill_missing_submitters()

        self.assertEqual(left, hidden | untracked)
        self.assertEqual(known.submitted_by_id, self.user)
        self.assertEqual(known.author_ids, self.user | self.reviewer)
        self.assertFalse(untracked.submitted_by_id)
        self.assertEqual(untracked.author_ids, self.user)
        with self.assertRaisesRegex(UserError, 'Four eyes: you recorded'):
            known.sudo(self.reviewer).action_approve()
        with self.assertRaisesRegex(UserError, 'nobody knows who submitted '
                                               'licence 91110000100000000R'):
            untracked.sudo(self.reviewer).action_approve()
        self.assertEqual(untracked.state, 'submitted')
        untracked.sudo(self.user).action_reset_draft()
        untracked.sudo(self.user).action_submit()
        untracked.sudo(self.reviewer).action_approve()
        self.assertEqual(untracked.state, 'approved')
        # A second run changes nothing.
        self.assertEqual(
            self.env['meddev.partner.licence']._fill_missing_submitters(),
            hidden)
        self.assertEqual(known.author_ids, self.user | self.reviewer)
