import re

from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevServiceTicketCase, call_button, shanghai, \
    frozen_now
from .test_parts import PartsCase


class CancelCase(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(CancelCase, cls).setUpClass()
        cls.stage_cancelled = cls.env.ref('meddev_service.stage_cancelled')

    def _open_ticket(self):
        """A repair opened Monday 09:00 in Shanghai: no triage, no fault
        codes (it could not be closed), its clocks running."""
        return self._ticket(date_open=shanghai('2026-03-02 09:00'))

    def _cancel(self, ticket, user, reason='Duplicate of SRV/2026/00001'):
        """Cancel as the web client does: the Cancel button opens the
        wizard with its context, the wizard's button confirms."""
        ticket = ticket.sudo(user)
        action = call_button(ticket, 'action_cancel')
        self.assertEqual(action['res_model'], 'meddev.service.cancellation')
        wizard = api.call_kw(
            self.env['meddev.service.cancellation'].sudo(user), 'create',
            [{'reason': reason}], {'context': action['context']})
        wizard = self.env['meddev.service.cancellation'].sudo(user).browse(
            wizard)
        return call_button(wizard, 'action_confirm')


class TestTicketCancel(CancelCase):
    """Cancelled: a ticket's way out besides closing, for dispatchers and
    service managers, with a reason; the ticket is kept, its clocks stop,
    nothing is billed nor followed up; a dispatcher reopens it."""

    def test_dispatcher_cancels_with_reason(self):
        ticket = self._open_ticket()
        self.assertEqual(len(ticket.sla_line_ids), 3)
        with frozen_now(shanghai('2026-03-02 10:00')):
            self._cancel(ticket, self.dispatcher)
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.stage_cancelled)
        self.assertTrue(ticket.is_closed)
        self.assertTrue(ticket.is_cancelled)
        self.assertEqual(ticket.cancel_reason, 'Duplicate of SRV/2026/00001')
        self.assertEqual(ticket.cancel_date, shanghai('2026-03-02 10:00'))
        # Not closed: no closing date, no time to repair, no bill, no
        # follow-up call; the clocks stopped as not needed (in time).
        self.assertFalse(ticket.close_date)
        self.assertEqual(ticket.repair_hours, 0.0)
        self.assertFalse(ticket.sale_order_id)
        self.assertFalse(ticket.follow_up_date)
        self.assertFalse(ticket.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(
                'meddev_service.mail_activity_follow_up')))
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'cancelled'})
        self.assertEqual(set(ticket.sla_line_ids.mapped('reached_date')),
                         {ticket.cancel_date})
        self.assertFalse(ticket.sla_deadline)
        # Tracked in the chatter, under the dispatcher's name.
        tracked = ticket.message_ids.mapped('tracking_value_ids')
        reason = tracked.filtered(lambda value: value.field == 'cancel_reason')
        self.assertEqual(reason.new_value_char or reason.new_value_text,
                         'Duplicate of SRV/2026/00001')
        self.assertEqual(reason.mail_message_id.author_id,
                         self.dispatcher.partner_id)
        stage = tracked.filtered(lambda value: value.field == 'stage_id')
        self.assertEqual(stage.new_value_char, 'Cancelled')
        # The ticket is kept: a regulated record, never deleted.
        with self.assertRaises(UserError), self.env.cr.savepoint():
            ticket.sudo(self.manager).unlink()
        self.assertTrue(ticket.exists())

    def test_cancel_late_ticket_keeps_failed_clocks(self):
        ticket = self._open_ticket()
        # Tuesday 10:00: the 2-hour response clock is past its deadline.
        with frozen_now(shanghai('2026-03-03 10:00')):
            self._cancel(ticket, self.manager, reason='Customer withdrew')
        self.assertEqual(self._line(ticket, 'response').status, 'failed')
        self.assertEqual(self._line(ticket, 'resolution').status,
                         'cancelled')
        self.assertTrue(ticket.is_cancelled)

    def test_reason_required(self):
        ticket = self._open_ticket()
        # An empty one is refused by the form (required field).
        for reason in ('   ', '\n'):
            with self.assertRaisesRegex(UserError, 'reason'), \
                    self.env.cr.savepoint():
                self.env['meddev.service.cancellation'].sudo(
                    self.dispatcher).create({
                        'ticket_ids': [(6, 0, ticket.ids)],
                        'reason': reason}).action_confirm()
        self.assertFalse(ticket.is_closed)

    def test_service_user_may_not_cancel_or_reopen(self):
        ticket = self._open_ticket()
        with self.assertRaisesRegex(AccessError, 'dispatcher'), \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.user), 'action_cancel')
        # The wizard is anyone's (a transient model): its button refuses.
        wizard = self.env['meddev.service.cancellation'].sudo(
            self.user).create({'ticket_ids': [(6, 0, ticket.ids)],
                               'reason': 'Not needed'})
        with self.assertRaisesRegex(AccessError, 'dispatcher'), \
                self.env.cr.savepoint():
            call_button(wizard, 'action_confirm')
        ticket.invalidate_cache()
        self.assertFalse(ticket.is_closed)
        # Nor by writing the stage or the reason (statusbar, RPC).
        with self.assertRaisesRegex(UserError, 'Cancel button'), \
                self.env.cr.savepoint():
            api.call_kw(ticket.sudo(self.dispatcher), 'write', [
                ticket.ids, {'stage_id': self.stage_cancelled.id}], {})
        with self.assertRaisesRegex(UserError, 'buttons'), \
                self.env.cr.savepoint():
            api.call_kw(ticket.sudo(self.manager), 'write', [
                ticket.ids, {'cancel_reason': 'typed in'}], {})
        ticket.invalidate_cache()
        self.assertFalse(ticket.is_closed)
        self._cancel(ticket, self.dispatcher)
        with self.assertRaisesRegex(AccessError, 'dispatcher'), \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.user), 'action_reopen')
        # Nor by writing an open stage over RPC: the closed ticket's lock
        # answers (not any AccessError, a record rule's say).
        with self.assertRaisesRegex(
                AccessError, 'The ticket %s is closed: only a dispatcher or '
                             'a service manager may reopen it' % ticket.name), \
                self.env.cr.savepoint():
            api.call_kw(ticket.sudo(self.user), 'write', [
                ticket.ids, {'stage_id': self.stage_new.id}], {})
        ticket.invalidate_cache()
        self.assertTrue(ticket.is_cancelled)

    def test_reopen_restarts_the_clocks(self):
        ticket = self._open_ticket()
        with frozen_now(shanghai('2026-03-02 10:00')):
            self._cancel(ticket, self.dispatcher)
        # A cancelled ticket is not closed through the closing stage.
        with self.assertRaisesRegex(UserError, 'reopen'), \
                self.env.cr.savepoint():
            ticket.sudo(self.dispatcher).write(
                {'stage_id': self.stage_done.id})
        with self.assertRaisesRegex(UserError, 'reopen it first'), \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.dispatcher), 'action_cancel')
        # 10:10, before the response clock's at-risk time (10:36).
        with frozen_now(shanghai('2026-03-02 10:10')):
            call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.is_closed)
        self.assertFalse(ticket.cancel_reason)
        self.assertFalse(ticket.cancel_date)
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'running'})
        self.assertTrue(ticket.sla_deadline)
        self.assertTrue(any('Reopened' in body
                            for body in ticket.message_ids.mapped('body')))
        # The reason cleared is tracked too, under the dispatcher's name.
        cleared = ticket.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'cancel_reason'
            and not (value.new_value_char or value.new_value_text))
        self.assertEqual(cleared.mail_message_id.author_id,
                         self.dispatcher.partner_id)
        with self.assertRaisesRegex(UserError, 'open already'), \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.dispatcher), 'action_reopen')

    def _write_over_rpc(self, ticket, user, vals):
        """Write as the web client and XML-RPC do: the context as the
        ``context`` keyword."""
        return api.call_kw(
            self.env['meddev.service.ticket'].sudo(user), 'write',
            [ticket.ids, vals],
            {'context': {'lang': 'en_US', 'tz': 'Asia/Shanghai'}})

    def test_reopened_through_the_button_only(self):
        """Review 11c S3-4: a dispatcher's or manager's stage write (the
        statusbar, the kanban, RPC) does not reopen a cancelled ticket
        past the Reopen button (its reason kept, its clocks stopped);
        the button does."""
        ticket = self._open_ticket()
        with frozen_now(shanghai('2026-03-02 10:00')):
            self._cancel(ticket, self.dispatcher)
        message = re.escape(
            'The ticket %s is closed or cancelled: use the Reopen button'
            % ticket.name)
        for user in (self.dispatcher, self.manager):
            for stage in (self.stage_new, self.stage_parts, self.stage_done,
                          self.env['meddev.service.stage']):
                with self.assertRaisesRegex(UserError, 'reopen'), \
                        self.env.cr.savepoint():
                    self._write_over_rpc(ticket, user,
                                         {'stage_id': stage.id or False})
            with self.assertRaisesRegex(UserError, message), \
                    self.env.cr.savepoint():
                self._write_over_rpc(ticket, user,
                                     {'stage_id': self.stage_new.id})
        # Nor through the closing flags (the stage's, read-only).
        with self.assertRaisesRegex(UserError, 'cannot be set directly'), \
                self.env.cr.savepoint():
            self._write_over_rpc(ticket, self.dispatcher,
                                 {'is_closed': False, 'is_cancelled': False})
        # The stage sent unchanged (a form saved) reopens nothing.
        self._write_over_rpc(ticket, self.dispatcher,
                             {'stage_id': self.stage_cancelled.id})
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.stage_cancelled)
        self.assertTrue(ticket.cancel_reason)
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'cancelled'})
        # The button reopens it, called as the web client calls it.
        with frozen_now(shanghai('2026-03-02 10:10')):
            call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.is_closed)
        self.assertFalse(ticket.cancel_reason)
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'running'})
        # Open again: its stage moves as any open ticket's.
        self._write_over_rpc(ticket, self.dispatcher,
                             {'stage_id': self.stage_parts.id})
        self.assertEqual(ticket.stage_id, self.stage_parts)

    def test_cancelled_out_of_open_lists_and_crons(self):
        ticket = self._open_ticket()
        other = self._ticket(date_open=shanghai('2026-03-02 09:00'))
        with frozen_now(shanghai('2026-03-02 10:00')):
            self._cancel(ticket, self.dispatcher)
        tickets = self.env['meddev.service.ticket']
        # The search view's Open filter and the team's overview.
        self.assertEqual(
            tickets.search([('is_closed', '=', False),
                            ('team_id', '=', self.team.id)]), other)
        self.team.invalidate_cache()
        self.assertEqual(self.team.ticket_count, 1)
        # A week later the SLA cron fails and escalates the open ticket's
        # clocks only.
        escalated = self.env['meddev.service.ticket.sla']._cron_check_sla(
            now=shanghai('2026-03-09 10:00'))
        self.assertTrue(escalated)
        ticket.invalidate_cache()
        self.assertEqual(set(ticket.sla_line_ids.mapped('status')),
                         {'cancelled'})
        self.assertFalse(any(ticket.sla_line_ids.mapped('escalated_failed')))
        self.assertEqual(other.sla_status, 'failed')

    def test_no_report_nor_satisfaction_for_cancelled(self):
        ticket = self._open_ticket()
        self._cancel(ticket, self.dispatcher)
        with self.assertRaisesRegex(UserError, 'closed'), \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.manager),
                        'action_record_satisfaction')


class TestCancelUsedParts(PartsCase):

    def test_used_parts_refuse_cancelling(self):
        part = self._part(self.new_board, removed_lot_id=self.old_board.id)
        part.action_use()
        with self.assertRaisesRegex(UserError, 'close it instead'):
            call_button(self.ticket.sudo(self.dispatcher), 'action_cancel')
