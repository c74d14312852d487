import threading

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tools import (
    commit_batch, log_tracking, post_notes, schedule_todo, schedule_todos,
    search_batches, slice_batches, snapshot_tracked, with_sender,
    write_tracked)
from odoo.addons.meddev_base.tools import batch as batch_module

from .common import MeddevBaseCase


@at_install(False)
@post_install(True)
class TestScheduleTodo(MeddevBaseCase):

    @classmethod
    def setUpClass(cls):
        super(TestScheduleTodo, cls).setUpClass()
        cls.other = cls._create_user('todo_other')
        cls.partners = cls.env['res.partner'].browse([
            cls.env['res.partner'].create(
                {'name': '北京协和医院 %s' % number}).id
            for number in range(3)])

    def _activities(self):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'),
            ('res_id', 'in', self.partners.ids)])

    def test_one_per_record_and_user_duplicates_skipped(self):
        users = self.signer | self.other
        created = schedule_todo(self.partners, users, 'Call back',
                                note='<p>Ask for the licence</p>',
                                deadline='2026-03-01')
        self.assertEqual(len(created), 6)
        self.assertEqual(self._activities(), created)
        self.assertEqual(set(created.mapped('date_deadline')),
                         {'2026-03-01'})
        self.assertEqual(set(created.mapped('activity_type_id')),
                         {self.env.ref('mail.mail_activity_data_todo')})
        # Again, with one more record: only that record gets them.
        extra = self.partner
        again = schedule_todo(self.partners | extra, users, 'Call back')
        self.assertEqual(len(again), 2)
        self.assertEqual(again.mapped('res_id'), [extra.id] * 2)
        # Another summary is another request.
        self.assertEqual(len(schedule_todo(
            self.partners[0], self.signer, 'Visit')), 1)

    def test_no_user_no_activity(self):
        self.assertFalse(schedule_todo(
            self.partners, self.env['res.users'], 'Call back'))
        self.assertFalse(self._activities())

    def test_existing_activities_read_once(self):
        # The duplicate check costs no more for 3 records than for 1: one
        # search, then the creations. (<=: the first measure may pay a
        # one-off cache fill, 5 against 4 in a full-suite run.)
        counts = []
        for records in (self.partners[:1], self.partners):
            schedule_todo(records, self.signer, 'Prime')
            queries = self.cr.sql_log_count
            schedule_todo(records, self.signer, 'Prime')
            counts.append(self.cr.sql_log_count - queries)
        self.assertLessEqual(counts[1], counts[0])


@at_install(False)
@post_install(True)
class TestSetBasedChatter(MeddevBaseCase):
    """schedule_todos and post_notes, the set-based forms crons use."""

    @classmethod
    def setUpClass(cls):
        super(TestSetBasedChatter, cls).setUpClass()
        cls.users = cls.env['res.users'].browse([
            cls._create_user('chatter_%s' % number).id
            for number in range(3)])

    def test_schedule_todos_names_given_and_users_read_once(self):
        first, second, third, fourth = self.env['res.partner'].browse([
            self.env['res.partner'].create({'name': 'Todo %s' % number}).id
            for number in range(4)])
        names = {first.id: 'Named by the caller',
                 second.id: 'Named by the caller'}

        def todos(partner, users):
            # Each user in a recordset of their own, nothing cached: a
            # cron builds them record by record.
            self.env['res.users'].invalidate_cache()
            return [(partner.id, self.env['res.users'].browse(user.id),
                     'Call', '<p>Call</p>', '2099-01-01') for user in users]

        # The one-off cache fills (model, activity type) out of the measure.
        schedule_todos(self.env, 'res.partner', todos(third, self.users[:1]),
                       names={third.id: 'Warm-up'})
        counts = []
        for partner, users in ((first, self.users[:1]),
                               (second, self.users)):
            wanted = todos(partner, users)
            queries = self.cr.sql_log_count
            created = schedule_todos(self.env, 'res.partner', wanted,
                                     names=names)
            counts.append(self.cr.sql_log_count - queries)
            self.assertEqual(created, len(users))
        # The users' partners in one read, not one read per user; the
        # names given are not read again.
        self.assertEqual(counts[1], counts[0], counts)
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'),
            ('res_id', 'in', (first | second).ids)])
        self.assertEqual(set(activities.mapped('res_name')),
                         {'Named by the caller'})
        self.assertEqual(activities.filtered(
            lambda act: act.res_id == second.id).mapped('user_id'),
            self.users)
        self.assertLessEqual(self.users.mapped('partner_id'),
                             second.message_partner_ids)
        # Without names, the record's own name.
        schedule_todos(self.env, 'res.partner', [(
            fourth.id, self.users[0], 'Named', False, False)])
        self.assertEqual(fourth.activity_ids.res_name, fourth.display_name)

    def test_post_notes_subtype_reply_to_and_names(self):
        first, second = self.env['res.partner'].browse([
            self.env['res.partner'].create({'name': 'Chatter %s' % number}).id
            for number in range(2)])
        subtype = self.env.ref('mail.mt_comment')
        ids = post_notes(
            self.env, 'res.partner',
            {first.id: '<p>First</p>', second.id: '<p>Second</p>'},
            subtype=subtype, reply_to={first.id: 'desk@example.com'},
            names={first.id: 'Given name'})
        messages = self.env['mail.message'].browse(ids)
        self.assertEqual(messages.mapped('subtype_id'), subtype)
        by_record = dict((msg.res_id, msg) for msg in messages)
        self.assertEqual(by_record[first.id].reply_to, 'desk@example.com')
        self.assertFalse(by_record[second.id].reply_to)
        self.assertEqual(by_record[first.id].record_name, 'Given name')
        self.assertFalse(by_record[second.id].record_name)
        # Named as mail.message names a record's message: a reply's
        # References lead back to the record.
        for res_id, message in by_record.items():
            self.assertIn('-openerp-%d-res.partner@' % res_id,
                          message.message_id)
        # The defaults: an internal note under the record's own name.
        note = self.env['mail.message'].browse(post_notes(
            self.env, 'res.partner', {second.id: '<p>Note</p>'}))
        self.assertEqual(note.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(note.record_name, second.display_name)
        self.assertFalse(note.reply_to)


@at_install(False)
@post_install(True)
class TestBatches(MeddevBaseCase):

    def test_never_commits_under_tests(self):
        with patch.object(type(self.env.cr), 'commit') as commit:
            self.assertFalse(commit_batch(self.env, True))
            self.assertFalse(commit_batch(self.env, False))
        commit.assert_not_called()

    def test_commits_only_when_asked_outside_tests_and_install(self):
        thread = threading.currentThread()
        with patch.object(type(self.env.cr), 'commit') as commit, \
                patch.object(thread, 'testing', False), \
                patch.object(type(self.env.registry), 'in_test_mode',
                             return_value=False):
            self.assertFalse(commit_batch(self.env, False))
            commit.assert_not_called()
            self.assertTrue(commit_batch(self.env, True))
            self.assertEqual(commit.call_count, 1)
            # While the registry loads (install, update, demo data).
            with patch.object(self.env.registry, 'ready', False):
                self.assertFalse(batch_module.may_commit(self.env))
                self.assertFalse(commit_batch(self.env, True))
            self.assertEqual(commit.call_count, 1)

    def test_search_batches_until_none_left(self):
        partners = self.env['res.partner'].browse([
            self.env['res.partner'].create(
                {'name': 'Batch %s' % number, 'ref': 'BATCH'}).id
            for number in range(5)])
        seen = []
        for batch in search_batches(self.env['res.partner'],
                                    [('ref', '=', 'BATCH')], 2, commit=True):
            seen.append(len(batch))
            batch.write({'ref': 'DONE'})
        self.assertEqual(seen, [2, 2, 1])
        self.assertEqual(set(partners.mapped('ref')), {'DONE'})

    def test_search_batches_stops_a_loop(self):
        self.env['res.partner'].create({'name': 'Stuck', 'ref': 'STUCK'})
        with self.assertRaisesRegex(RuntimeError, 'res.partner.*already'):
            for _batch in search_batches(
                    self.env['res.partner'], [('ref', '=', 'STUCK')], 10):
                pass

    def test_slice_batches(self):
        partners = self.env['res.partner'].search([], limit=5)
        self.assertEqual(
            [len(batch) for batch in slice_batches(partners, 2)], [2, 2, 1])


@at_install(False)
@post_install(True)
class TestWriteTracked(MeddevBaseCase):

    def test_one_tracking_message_per_changed_record(self):
        partners = self.partner | self.env['res.partner'].create(
            {'name': 'Second', 'function': 'Buyer'})
        field = self.env['res.partner']._fields['function']
        with patch.object(field, 'track_visibility', 'onchange',
                          create=True):
            before = self.env['mail.message'].search_count([])
            write_tracked(partners, {'function': 'Buyer'},
                          body='<p>Set by the cron</p>')
        self.assertEqual(set(partners.mapped('function')), {'Buyer'})
        # The second partner did not change: no tracking value, but the
        # body is logged on both.
        messages = self.env['mail.message'].search(
            [('model', '=', 'res.partner'), ('res_id', 'in', partners.ids)],
            order='id')
        self.assertEqual(self.env['mail.message'].search_count([]) - before,
                         2)
        self.assertEqual(set(messages.mapped('res_id')), set(partners.ids))
        first = messages.filtered(lambda msg: msg.res_id == self.partner.id)
        self.assertEqual(first.message_type, 'notification')
        self.assertEqual(first.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(first.author_id, self.env.user.partner_id)
        self.assertIn('Set by the cron', first.body)
        self.assertEqual(len(first.tracking_value_ids), 1)
        value = first.tracking_value_ids
        self.assertEqual((value.field, value.old_value_char,
                          value.new_value_char), ('function', False, 'Buyer'))
        self.assertIn(first, self.partner.message_ids)

    def test_constant_queries(self):
        field = self.env['res.partner']._fields['function']
        counts = []
        for size in (4, 40):
            partners = self.env['res.partner'].browse([
                self.env['res.partner'].create({'name': 'P%s' % n}).id
                for n in range(size)])
            partners.read(['function'])
            with patch.object(field, 'track_visibility', 'onchange',
                              create=True):
                queries = self.cr.sql_log_count
                write_tracked(partners, {'function': 'Nurse'})
                counts.append(self.cr.sql_log_count - queries)
        # Ten times the records: the same queries (give or take a read the
        # ORM's prefetching splits), not one more message per record.
        self.assertLessEqual(counts[1], counts[0] + 2, counts)

    def test_trail_of_a_write_made_by_sql(self):
        """Each record its own value, written by one UPDATE: the trail
        shows each change, and only the records that changed."""
        field = self.env['res.partner']._fields['function']
        counts = []
        for size in (2, 6):
            partners = self.env['res.partner'].browse([
                self.env['res.partner'].create(
                    {'name': 'Q%s' % n, 'function': 'Clerk'}).id
                for n in range(size)])
            partners.invalidate_cache()
            with patch.object(field, 'track_visibility', 'onchange',
                              create=True):
                queries = self.cr.sql_log_count
                before = snapshot_tracked(partners, ['function', 'name'])
                self.cr.execute("""
                    UPDATE res_partner SET function = 'Buyer ' || id
                     WHERE id = ANY(%s)
                """, [partners[1:].ids])
                partners.invalidate_cache(['function'])
                log_tracking(partners, before)
                counts.append(self.cr.sql_log_count - queries)
            self.assertFalse(partners[0].message_ids.mapped(
                'tracking_value_ids'))
            for partner in partners[1:]:
                value = partner.message_ids.mapped('tracking_value_ids')
                self.assertEqual(
                    (value.field, value.old_value_char, value.new_value_char),
                    ('function', 'Clerk', 'Buyer %s' % partner.id))
                self.assertEqual(partner.message_ids.author_id,
                                 self.env.user.partner_id)
        self.assertLessEqual(counts[1], counts[0], counts)


@at_install(False)
@post_install(True)
class TestKeptRecordsHook(MeddevBaseCase):

    def test_records_not_kept_are_deleted(self):
        signature = self.env['meddev.esignature'].sudo(self.signer)._sign(
            self.partner, 'review')
        model = type(self.env['meddev.esignature'])
        with patch.object(model, '_meddev_kept_records',
                          lambda records: records.browse()):
            signature.sudo().unlink()
        self.assertFalse(signature.exists())

    def test_hint_replaces_cancel(self):
        signature = self.env['meddev.esignature'].sudo(self.signer)._sign(
            self.partner, 'review')
        model = type(self.env['meddev.esignature'])
        with patch.object(model, '_meddev_keep_hint',
                          lambda records: 'Revoke it instead.'):
            with self.assertRaisesRegex(
                    UserError, 'must be kept. Revoke it instead.'):
                signature.sudo().unlink()
        self.assertTrue(signature.exists())

    def test_reopen_shows_the_wizard_again(self):
        action = self.env['meddev.wizard.mixin'].browse(7)._reopen()
        self.assertEqual(
            (action['res_model'], action['res_id'], action['target']),
            ('meddev.wizard.mixin', 7, 'new'))


@at_install(False)
@post_install(True)
class TestSender(MeddevBaseCase):

    def test_user_without_email_posts_with_company_address(self):
        user = self._create_user('no_address', email=False)
        user.company_id.email = 'office@example.com'
        partner = self.partner.sudo(user)
        with self.assertRaisesRegex(UserError, 'Unable to send email'), \
                self.cr.savepoint():
            partner.message_post(body='Checked')
        message = with_sender(partner).message_post(body='Checked')
        self.assertEqual(message.author_id, user.partner_id)
        self.assertEqual(message.email_from,
                         'No Address <office@example.com>')
        # A user with an address keeps it.
        self.assertEqual(with_sender(self.partner.sudo(self.signer)).env,
                         self.partner.sudo(self.signer).env)

    def test_no_address_anywhere_names_the_user(self):
        user = self._create_user('nowhere', email=False)
        user.company_id.email = False
        self.env['ir.config_parameter'].set_param('mail.catchall.domain', '')
        with self.assertRaisesRegex(UserError, 'Nowhere has no email'):
            with_sender(self.partner.sudo(user))
