"""Issue 11 item 6 (S2-13): an opened service ticket is a regulated record
(ISO 13485 4.2.5: it tells what the customer asked and what service did,
and may feed a complaint): nobody deletes it, the superuser included. A
draft typed in by mistake (the staff's, still in its first stage, nobody
answered, dispatched or triaged it) may still be deleted."""

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError

from .common import MeddevServiceTicketCase


class TestTicketKept(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketKept, cls).setUpClass()
        cls.stage_dispatched = cls.env.ref('meddev_service.stage_dispatched')

    def _unlink(self, ticket, user):
        """Delete ``ticket`` as ``user`` as the web client does."""
        tickets = ticket.sudo(user)
        return api.call_kw(tickets, 'unlink', [tickets.ids],
                           {'context': {}})

    def _opened_tickets(self):
        """One ticket per way of leaving the draft."""
        dispatched = self._ticket(title='Dispatched',
                                  stage_id=self.stage_dispatched.id)
        assigned = self._ticket(title='Assigned', user_id=self.user.id)
        answered = self._ticket(title='Answered')
        self._respond(answered, self.user)
        self.assertTrue(answered.first_response_date)
        by_mail = self._ticket(title='By mail', channel='email')
        triaged = self._ticket(title='Triaged', triage_done=True)
        return dispatched | assigned | answered | by_mail | triaged

    def _assert_refused(self, ticket, user):
        with self.assertRaises(UserError, msg=ticket.title) as caught, \
                self.env.cr.savepoint():
            self._unlink(ticket, user)
        message = caught.exception.name
        self.assertIn(ticket.name, message)
        self.assertIn('regulated record', message)
        self.assertIn('close it instead', message)
        self.assertTrue(ticket.exists(), ticket.title)

    def test_superuser_cannot_delete_an_opened_ticket(self):
        superuser = self.env['res.users'].browse(SUPERUSER_ID)
        for ticket in self._opened_tickets():
            self.assertEqual(ticket._meddev_kept_records(), ticket,
                             ticket.title)
            self._assert_refused(ticket, superuser)

    def test_service_manager_cannot_delete_an_opened_ticket(self):
        for ticket in self._opened_tickets():
            self._assert_refused(ticket, self.manager)

    def test_several_at_once_name_the_kept_ones(self):
        draft = self._ticket(title='Typo')
        kept = self._ticket(title='Assigned', user_id=self.user.id)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            self._unlink(draft | kept, self.manager)
        self.assertIn(kept.name, caught.exception.name)
        self.assertNotIn(draft.name, caught.exception.name)
        self.assertTrue((draft | kept).exists() == draft | kept)

    def test_draft_may_be_deleted(self):
        """A ticket typed in by mistake, untouched: the service manager
        deletes it (the engineer has no delete right at all)."""
        draft = self._ticket(user=self.dispatcher, title='Typo')
        self.assertEqual(draft.stage_id, self.stage_new)
        self.assertFalse(draft._meddev_kept_records())
        self._unlink(draft, self.manager)
        self.assertFalse(draft.exists())

    def test_taken_back_to_draft_is_kept(self):
        """Leaving the first stage opens the ticket for good: taken back
        to it and unassigned, it stays kept (its chatter tracked the
        moves)."""
        tracked = self.env(context=dict(self.env.context,
                                        tracking_disable=False))
        ticket = self._ticket(title='Back and forth').with_env(tracked)
        self.assertFalse(ticket._meddev_kept_records())
        ticket.write({'stage_id': self.stage_dispatched.id,
                      'user_id': self.user.id})
        ticket.write({'stage_id': self.stage_new.id, 'user_id': False})
        self._assert_refused(ticket, self.manager)
        # Assigned and unassigned in the first stage: the same.
        other = self._ticket(title='Unassigned').with_env(tracked)
        other.write({'user_id': self.user.id})
        other.write({'user_id': False})
        self._assert_refused(other, self.manager)
