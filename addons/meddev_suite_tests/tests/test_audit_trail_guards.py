"""Records never lost (issue 11 S1-1, S2-1, S2-2; ISO 13485 §4.2.5, 21 CFR
Part 11 audit trail): on every model of the suite that keeps its audit
trail (``meddev.audit.trail.mixin``: the regulated records and the credit
override), a user of each group that may write the model, writing a kept
record of it, cannot over XML-RPC delete a tracking message, rewrite it,
delete an evidence file or post under someone else's name; Odoo 11 alone
would let them (checked first, so that the refusal is the guard's). The
superuser still may. A model that opts in without a builder of a kept
record here fails the test."""

import base64

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from . import test_regulated_records as regulated
from .common import suite_models
from .test_context_defaults import rpc

TRAIL = 'audit trail'


def post(user, record, **kwargs):
    """Post on ``record`` as ``user`` the way an XML-RPC client calls
    message_post (its keyword arguments, the context among them); return
    the message."""
    env = api.Environment(user.env.cr, user.id, {})
    kwargs['context'] = {}
    message_id = api.call_kw(env[record._name], 'message_post',
                             [record.ids], kwargs)
    return record.env['mail.message'].browse(message_id)


# The override's order and the complaint's reports want the chart of
# accounts and the countries, installed after the suite.
@at_install(False)
@post_install(True)
class TestAuditTrailGuards(regulated.KeptRecordBuilders):

    @classmethod
    def setUpClass(cls):
        super(TestAuditTrailGuards, cls).setUpClass()
        cls.colleague = cls.env['res.partner'].create(
            {'name': 'Trail QA Manager', 'email': 'qa@example.com'})

    def _build(self, name):
        if name == 'meddev.credit.override':
            salesman = self._create_user(
                'trail_salesman', ['sales_team.group_sale_salesman'])
            order = self._create_order(self.partner, salesman, self.company)
            return self.env[name].create({
                'order_id': order.id, 'partner_id': self.partner.id,
                'company_id': self.company.id, 'reason': 'Tender deadline'})
        builder = getattr(self, '_build_' + name.replace('.', '_'), None)
        self.assertTrue(builder, '%s: no builder of a kept record' % name)
        record = builder()
        if name == 'meddev.capa.action':
            # Its files are evidence once it is done (before, its
            # working documents).
            record._meddev_as_server().write({'state': 'done'})
        return record

    def _trail_models(self):
        return [name for name in suite_models(self.env)
                if getattr(self.env[name], '_meddev_audit_trail', False)]

    def _writers(self, record):
        """Users, one per group that may write ``record``'s model, who
        may write ``record`` itself (access rights and record rules)."""
        accesses = self.env['ir.model.access'].search([
            ('model_id.model', '=', record._name), ('perm_write', '=', True),
            ('group_id', '!=', False)])
        writing = accesses.mapped('group_id')
        # And the suite's groups that hold them (its managers).
        groups = writing | self.env['res.groups'].search([]).filtered(
            lambda group: group.trans_implied_ids & writing)
        writers = []
        for group in groups:
            xml_id = group.get_external_id()[group.id]
            if not xml_id or not (group in writing
                                  or xml_id.startswith('meddev_')):
                continue
            groups = [xml_id] if group.share else ['base.group_user', xml_id]
            user = self._create_user(
                'trail_%s_%d' % (record._table, group.id), groups)
            as_user = record.sudo(user)
            if not as_user.check_access_rights('write', False):
                continue
            try:
                as_user.check_access_rule('write')
            except AccessError:
                continue
            writers.append((group, user))
        return writers

    def _tracking_message(self, record):
        return self.env['mail.message'].create({
            'model': record._name, 'res_id': record.id,
            'message_type': 'notification', 'body': '',
            'tracking_value_ids': [(0, 0, {
                'field': 'name', 'field_desc': 'Name', 'field_type': 'char',
                'old_value_char': 'Before', 'new_value_char': 'After'})]})

    def _evidence(self, record):
        return self.env['ir.attachment'].create({
            'name': 'trail-evidence.txt', 'datas_fname': 'evidence.txt',
            'datas': base64.b64encode(b'measured 4.2 mA'),
            'res_model': record._name, 'res_id': record.id})

    def assertRefused(self, pattern, user, model, method, args, msg):
        with self.assertRaisesRegex(AccessError, pattern, msg=msg), \
                self.env.cr.savepoint():
            rpc(user, model, method, args, {})

    def test_models_opted_in(self):
        """The regulated models and the credit override keep their
        trail: a model losing the opt-in fails here."""
        names = set(self._trail_models())
        self.assertLessEqual(set(
            regulated.TestRegulatedRecords._regulated_models(self)), names)
        self.assertIn('meddev.credit.override', names)

    def test_writers_cannot_erase_the_trail(self):
        checked = set()
        for name in self._trail_models():
            record = self._build(name)
            self.assertEqual(record._meddev_kept_records(), record, name)
            self.assertEqual(record._meddev_files_frozen(), record, name)
            threaded = 'message_ids' in record._fields
            message = self._tracking_message(record) if threaded else None
            evidence = self._evidence(record)
            writers = self._writers(record)
            for group, user in writers:
                what = '%s as %s' % (name, group.full_name)
                # Odoo 11 alone lets this user delete or rewrite both.
                evidence.sudo(user).check('unlink')
                evidence.sudo(user).check('write')
                self.assertRefused(TRAIL, user, 'ir.attachment', 'unlink',
                                   [evidence.ids], what)
                self.assertRefused(
                    TRAIL, user, 'ir.attachment', 'write',
                    [evidence.ids, {'datas': base64.b64encode(b'0 mA')}],
                    what)
                if not threaded:
                    continue
                message.sudo(user).check_access_rule('unlink')
                self.assertRefused(TRAIL, user, 'mail.message', 'unlink',
                                   [message.ids], what)
                self.assertRefused(TRAIL, user, 'mail.message', 'write',
                                   [message.ids, {'body': 'nothing'}], what)
                # Posting under their own name is theirs to do.
                own = post(user, record, body='Checked the trail')
                self.assertEqual(own.author_id, user.partner_id, what)
                with self.assertRaisesRegex(AccessError, 'own name',
                                            msg=what), \
                        self.env.cr.savepoint():
                    post(user, record, body='Approved',
                         author_id=self.colleague.id)
                checked.add(name)
            self.assertTrue(message is None or message.exists(), name)
            self.assertEqual(evidence.res_id, record.id, name)
            # The superuser (data files, the server's code) still may.
            self.assertEqual(self.env.uid, SUPERUSER_ID)
            if threaded:
                posted = record.message_post(
                    body='Forwarded from QA', author_id=self.colleague.id)
                self.assertEqual(posted.author_id, self.colleague)
                message.write({'body': 'rewritten by the server'})
                message.unlink()
            evidence.unlink()
        # The documents users work on, each checked by at least one
        # writer (a model no group may write is Odoo's rights' to keep).
        self.assertLessEqual({
            'meddev.capa', 'meddev.capa.action', 'meddev.change.record',
            'meddev.complaint', 'meddev.complaint.investigation',
            'meddev.credit.override', 'meddev.partner.licence',
            'meddev.qualification.review', 'meddev.recall',
            'meddev.regulatory.report', 'meddev.service.ticket'}, checked)

    def test_settings_admin_cannot_erase_tracking(self):
        """A Settings administrator (every right on tracking values in
        Odoo 11, not the superuser) changes no tracking value of a kept
        record; nobody creates a message on it directly with another
        author or tracking values (only message_post posts, and checks
        the author)."""
        capa = self._build_meddev_capa()
        value = self._tracking_message(capa).tracking_value_ids
        admin = self._create_user('trail_admin', [
            'base.group_user', 'base.group_system',
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        self.assertTrue(value.sudo(admin).check_access_rights('unlink'))
        self.assertRefused(TRAIL, admin, 'mail.tracking.value', 'unlink',
                           [value.ids], 'unlink')
        self.assertRefused(TRAIL, admin, 'mail.tracking.value', 'write',
                           [value.ids, {'new_value_char': 'Forged'}],
                           'write')
        self.assertEqual(value.new_value_char, 'After')
        for vals in ({'author_id': self.colleague.id},
                     {'tracking_value_ids': [(0, 0, {
                         'field': 'state', 'field_desc': 'Status',
                         'field_type': 'char', 'old_value_char': 'Open',
                         'new_value_char': 'Closed'})]}):
            vals.update(model=capa._name, res_id=capa.id, body='Closed',
                        message_type='comment')
            self.assertRefused(TRAIL, admin, 'mail.message', 'create',
                               [vals], str(vals))
        # The superuser's own tracking value (the server) may go.
        value.unlink()

    def test_writer_sends_mail_of_kept_record(self):
        """A mail of a kept record sent by a user who is not the superuser
        (a recall notice sent from the queue's "Send Now", a ticket's mail
        sent by the engineer) goes out: Odoo writes the Message-Id the
        mail server gave it on the message, which is no change of the
        trail. Refused, the mail stayed in exception with the guard's
        message as failure reason."""
        recall = self._build_meddev_recall()
        user = self._create_user('trail_sender', [
            'base.group_user',
            'meddev_traceability.group_meddev_traceability_manager'])
        mail = self.env['mail.mail'].sudo(user).create({
            'model': recall._name, 'res_id': recall.id,
            'subject': 'Recall notice', 'body_html': '<p>Return lot</p>',
            'email_to': 'hospital@example.com', 'auto_delete': False})
        self.assertEqual(mail.mail_message_id.message_type, 'email')
        self.assertTrue(recall._meddev_kept_records())
        mail.send()
        self.assertEqual(mail.state, 'sent', mail.failure_reason)
        self.assertTrue(mail.mail_message_id.message_id)

    def _recall_writer(self, login='trail_recall_writer'):
        """A recall manager (may write the recall), not the superuser."""
        return self._create_user(login, [
            'base.group_user',
            'meddev_traceability.group_meddev_traceability_manager'])

    def test_mail_of_kept_message_refused(self):
        """Nobody but the server makes an outgoing mail of an existing
        message: sent with auto_delete and no notification, Odoo deleted
        the message as the superuser (and mailed its body and files to any
        address). Refused for a writer of the record and a portal user,
        values or context default alike."""
        recall = self._build_meddev_recall()
        message = self._tracking_message(recall)
        portal = self._create_user('trail_portal', ['base.group_portal'])
        vals = {'notification': False, 'auto_delete': True,
                'state': 'sent', 'email_to': 'me@example.com'}
        for user in (self._recall_writer(), portal):
            self.assertRefused(
                'only the server', user, 'mail.mail', 'create',
                [dict(vals, mail_message_id=message.id)], user.login)
            with self.assertRaisesRegex(AccessError, 'only the server'), \
                    self.env.cr.savepoint():
                rpc(user, 'mail.mail', 'create', [vals],
                    {'default_mail_message_id': message.id})
        own = self.env['mail.mail'].create(
            {'subject': 'Own', 'body_html': '<p>x</p>'})
        self.assertRefused('only the server', portal, 'mail.mail', 'write',
                           [own.ids, {'mail_message_id': message.id}],
                           'write')
        self.assertTrue(message.exists())
        # The superuser's mail of it (mail.thread's notifications are
        # made so) is sent and deleted; the kept message stays.
        mail = self.env['mail.mail'].create(
            dict(vals, mail_message_id=message.id))
        mail.send()
        self.assertFalse(mail.exists())
        self.assertTrue(message.exists())
        self.assertTrue(message.tracking_value_ids)

    def test_post_cannot_forge_tracking_date_type_or_message_id(self):
        """message_post on a kept trail takes no tracking values, date,
        Message-Id or mail type from a user (Odoo writes them on the
        message as they come); tracking made by a write still posts."""
        recall = self._build_meddev_recall()
        user = self._recall_writer()
        forged = (
            {'tracking_value_ids': [(0, 0, {
                'field': 'state', 'field_desc': 'Status',
                'field_type': 'char', 'old_value_char': 'Draft',
                'new_value_char': 'Closed'})]},
            {'date': '2020-01-01 08:00:00'},
            {'message_id': '<forged@example.com>'},
            {'message_type': 'email'})
        for kwargs in forged:
            with self.assertRaisesRegex(AccessError, 'server sets them',
                                        msg=str(kwargs)), \
                    self.env.cr.savepoint():
                post(user, recall, body='Approved', **kwargs)
        own = post(user, recall, body='Checked', message_type='comment')
        self.assertEqual(own.author_id, user.partner_id)
        self.assertFalse(own.tracking_value_ids)
        # Tracking (message_track's post, as the user) goes on.
        before = recall.message_ids
        rpc(user, recall._name, 'write',
            [recall.ids, {'reason': 'Reason reworded'}], {})
        tracked = recall.message_ids - before
        self.assertTrue(tracked.mapped('tracking_value_ids'))
        self.assertEqual(tracked.mapped('author_id'), user.partner_id)

    def test_create_with_context_defaults_refused(self):
        """A message created directly takes its document and author from
        the caller's default_* context keys too: checked as if given."""
        recall = self._build_meddev_recall()
        user = self._recall_writer()
        for vals, context in (
                ({'body': 'Approved'},
                 {'default_model': recall._name, 'default_res_id': recall.id,
                  'default_author_id': self.colleague.id}),
                ({'body': 'Approved', 'model': recall._name,
                  'res_id': recall.id},
                 {'default_author_id': self.colleague.id}),
                ({'body': 'Approved', 'date': '2020-01-01 08:00:00'},
                 {'default_model': recall._name,
                  'default_res_id': recall.id})):
            with self.assertRaisesRegex(AccessError, TRAIL,
                                        msg=str(context)), \
                    self.env.cr.savepoint():
                rpc(user, 'mail.message', 'create', [vals], context)

    def test_message_not_moved_into_kept_trail(self):
        """A private message (its author, date and type the caller's
        choice, the caller notified so that Odoo lets them write it) is
        not moved into a kept record's chatter."""
        recall = self._build_meddev_recall()
        user = self._recall_writer()
        message_id = rpc(user, 'mail.message', 'create', [{
            'body': 'Approved by QA', 'message_type': 'notification',
            'author_id': self.colleague.id, 'date': '2020-01-01 08:00:00',
            'partner_ids': [(4, user.partner_id.id)]}], {})
        self.assertRefused(TRAIL, user, 'mail.message', 'write', [
            [message_id], {'model': recall._name, 'res_id': recall.id}],
            'moved in')
        self.assertFalse(self.env['mail.message'].browse(message_id).model)

    def test_message_id_written_by_the_send_only(self):
        """The Message-Id of a kept message is written by mail.mail's send
        only (test_writer_sends_mail_of_kept_record), not by a user: the
        gateway routes replies by it."""
        recall = self._build_meddev_recall()
        user = self._recall_writer()
        comment = post(user, recall, body='Checked', message_type='comment')
        for message in (comment, self._tracking_message(recall)):
            self.assertRefused(TRAIL, user, 'mail.message', 'write', [
                message.ids, {'message_id': '<other-record@example.com>'}],
                message.message_type)

    def test_settings_admin_adds_no_tracking(self):
        """A Settings administrator (every right on tracking values in
        Odoo 11) neither adds a tracking value to a kept message, by
        values or context default, nor moves one onto it."""
        capa = self._build_meddev_capa()
        message = self._tracking_message(capa)
        admin = self._create_user('trail_admin_create', [
            'base.group_user', 'base.group_system',
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        value = {'field': 'state', 'field_desc': 'Status',
                 'field_type': 'char', 'old_value_char': 'Open',
                 'new_value_char': 'Closed'}
        self.assertRefused(TRAIL, admin, 'mail.tracking.value', 'create',
                           [dict(value, mail_message_id=message.id)],
                           'create')
        with self.assertRaisesRegex(AccessError, TRAIL), \
                self.env.cr.savepoint():
            rpc(admin, 'mail.tracking.value', 'create', [value],
                {'default_mail_message_id': message.id})
        loose = self.env['mail.message'].create({'body': 'Elsewhere'})
        elsewhere = rpc(admin, 'mail.tracking.value', 'create',
                        [dict(value, mail_message_id=loose.id)], {})
        self.assertRefused(TRAIL, admin, 'mail.tracking.value', 'write',
                           [[elsewhere], {'mail_message_id': message.id}],
                           'moved')
        self.assertEqual(len(message.tracking_value_ids), 1)

    def test_kept_mail_not_readdressed(self):
        """A kept record's queued or failed mail (a follower's
        notification) keeps its recipients and content: written to another
        address and put back in the queue, the mail queue mailed the
        message's body and files there. Retrying it is still the user's."""
        recall = self._build_meddev_recall()
        message = self._tracking_message(recall)
        mail = self.env['mail.mail'].create({
            'mail_message_id': message.id, 'body_html': '<p>Lot 42</p>',
            'email_to': 'follower@example.com', 'state': 'exception'})
        user = self._recall_writer()
        portal = self._create_user('trail_portal_mail', ['base.group_portal'])
        for who in (user, portal):
            for vals in ({'email_to': 'me@example.com'},
                         {'recipient_ids': [(6, 0, who.partner_id.ids)]},
                         {'email_to': 'me@example.com', 'state': 'outgoing'},
                         {'notification': False, 'auto_delete': True}):
                self.assertRefused(TRAIL, who, 'mail.mail', 'write',
                                   [mail.ids, vals], str(vals))
        rpc(user, 'mail.mail', 'mark_outgoing', [mail.ids], {})
        self.assertEqual(mail.state, 'outgoing')
        self.assertEqual(mail.email_to, 'follower@example.com')

    def test_kept_mail_sent_once(self):
        """A kept record's mail that left stays sent (Retry over XML-RPC
        mailed a recall notice to the customer a second time) and a queued
        one is marked sent only by its sending (it never left); Retry and
        Cancel of a failed one are for those who may change the record,
        not a portal user (review issue 11 d, S1-2)."""
        recall = self._build_meddev_recall()
        message = self._tracking_message(recall)
        mails = self.env['mail.mail']
        sent, queued, failed = [mails.create({
            'mail_message_id': message.id, 'body_html': '<p>Lot 42</p>',
            'email_to': 'customer@example.com', 'state': state,
            'auto_delete': False}) for state in ('sent', 'outgoing',
                                                 'exception')]
        user = self._recall_writer()
        portal = self._create_user('trail_portal_state', ['base.group_portal'])
        for method, args in (('mark_outgoing', [sent.ids]),
                             ('cancel', [sent.ids]),
                             ('write', [sent.ids, {'state': 'exception'}]),
                             ('write', [queued.ids, {'state': 'sent'}]),
                             ('write', [failed.ids, {'state': 'received'}])):
            self.assertRefused('stays sent', user, 'mail.mail', method,
                               args, '%s %s' % (method, args))
        for method in ('mark_outgoing', 'cancel'):
            with self.assertRaises(AccessError, msg=method), \
                    self.env.cr.savepoint():
                rpc(portal, 'mail.mail', method, [failed.ids], {})
        self.assertEqual((sent.state, queued.state, failed.state),
                         ('sent', 'outgoing', 'exception'))
        rpc(user, 'mail.mail', 'cancel', [queued.ids], {})
        self.assertEqual(queued.state, 'cancel')
        # Its sending, as the user who clicks Send Now, marks it sent.
        failed.sudo(user).mark_outgoing()
        failed.sudo(user).send()
        self.assertEqual(failed.state, 'sent')

    def test_post_links_no_foreign_file(self):
        """A post on a kept trail takes the record's own files and those
        the user uploaded with it (moved onto the record, then frozen);
        not a file attached elsewhere, which its owner could still replace
        or delete while the kept message shows it."""
        recall = self._build_meddev_recall()
        user = self._recall_writer()
        files = self.env['ir.attachment'].sudo(user)
        foreign = self.env['ir.attachment'].create({
            'name': 'test.txt', 'datas_fname': 'test.txt',
            'datas': base64.b64encode(b'4.2 mA'),
            'res_model': 'res.partner', 'res_id': user.partner_id.id})
        loose = files.create({
            'name': 'loose.txt', 'datas_fname': 'loose.txt',
            'datas': base64.b64encode(b'4.2 mA')})
        for attachment in (foreign, loose):
            with self.assertRaisesRegex(AccessError, 'attach a new file',
                                        msg=attachment.name), \
                    self.env.cr.savepoint():
                post(user, recall, body='Measured',
                     attachment_ids=attachment.ids)
        uploaded = files.create({
            'name': 'upload.txt', 'datas_fname': 'upload.txt',
            'datas': base64.b64encode(b'4.2 mA'),
            'res_model': 'mail.compose.message', 'res_id': 0})
        posted = post(user, recall, body='Measured',
                      attachment_ids=uploaded.ids)
        self.assertEqual(posted.attachment_ids, uploaded)
        self.assertEqual((uploaded.res_model, uploaded.res_id),
                         (recall._name, recall.id))
        self.assertRefused(TRAIL, user, 'ir.attachment', 'unlink',
                           [uploaded.ids], 'uploaded')
        again = post(user, recall, body='Same file',
                     attachment_ids=uploaded.ids)
        self.assertEqual(again.attachment_ids, uploaded)

    def test_kept_mail_read_as_its_message(self):
        """A queued or failed mail of a kept record's message (a follower's
        notification) is read by those who may read the message, not by
        every employee (Odoo 11: its body and files through mail.mail)."""
        recall = self._build_meddev_recall()
        message = self._tracking_message(recall)
        mail = self.env['mail.mail'].create({
            'mail_message_id': message.id, 'body_html': '<p>Lot 42</p>',
            'email_to': 'follower@example.com', 'state': 'exception'})
        employee = self._create_user('trail_employee', ['base.group_user'])
        with self.assertRaises(AccessError):
            message.sudo(employee).check_access_rule('read')
        self.assertRefused('not allowed to access', employee, 'mail.mail',
                           'read', [mail.ids, ['body_html']], 'read')
        rows = rpc(self._recall_writer(), 'mail.mail', 'read',
                   [mail.ids, ['body_html']], {})
        self.assertEqual(rows[0]['body_html'], '<p>Lot 42</p>')
