from odoo.exceptions import AccessError

from .common import MeddevServiceTicketCase
from .test_workflow_context import rpc


class ClosedTicketCase(MeddevServiceTicketCase):
    """A repair the engineer worked on and closed."""

    @classmethod
    def setUpClass(cls):
        super(ClosedTicketCase, cls).setUpClass()
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'PWR', 'name': 'Power supply'})
        cls.ticket = cls.env['meddev.service.ticket'].create({
            'title': 'No power', 'team_id': cls.team.id,
            'equipment_id': cls.equipment.id, 'contact_id': cls.nurse.id,
            'triage_done': True, 'user_id': cls.user.id,
            'fault_code_ids': [(6, 0, cls.fault.ids)]})
        # A note typed in the chatter (a comment on the note subtype):
        # a notification is the server's, never edited (meddev_base).
        cls.note = cls.ticket.sudo(cls.user).message_post(
            body='Replaced the fuse', subtype='mail.mt_note',
            message_type='comment')
        cls.ticket.write({'stage_id': cls.stage_done.id})
        cls.tracking = cls.ticket.message_ids.filtered('tracking_value_ids')


class TestRatingForge(ClosedTicketCase):
    """Review 6 S2: the engineer does not forge the satisfaction of his
    own work through rating.rating or the ticket's rating_ids."""

    def test_engineer_cannot_create_or_write_a_ticket_rating(self):
        ticket_model = self.env['ir.model']._get('meddev.service.ticket')
        ratings = self.env['rating.rating'].sudo(self.user)
        with self.assertRaisesRegex(AccessError, 'Record Satisfaction'), \
                self.env.cr.savepoint():
            ratings.create({'res_model_id': ticket_model.id,
                            'res_id': self.ticket.id, 'rating': 10,
                            'consumed': True})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rpc(self.ticket.sudo(self.user), 'write', [{'rating_ids': [
                (0, 0, {'res_model_id': ticket_model.id, 'rating': 10,
                        'consumed': True})]}], {})
        self.assertFalse(self.ticket.sudo().rating_ids)
        # The dispatcher records it; the engineer does not change it.
        self.ticket.sudo(self.dispatcher)._record_satisfaction(3, 'late')
        rating = self.ticket.sudo().rating_ids
        self.assertEqual(rating.rating, 3)
        for method, args in (('write', [{'rating': 10}]), ('unlink', [])):
            with self.subTest(method=method), \
                    self.assertRaises(AccessError), \
                    self.env.cr.savepoint():
                rpc(rating.sudo(self.user), method, args, {})
        self.ticket.invalidate_cache()
        self.assertEqual(self.ticket.rating_last_value, 3)


class TestClosedChatter(ClosedTicketCase):
    """Review 6 S2: the chatter of a closed ticket is part of the service
    record."""

    def test_engineer_cannot_edit_or_delete_messages(self):
        self.assertTrue(self.tracking)
        for message in (self.note, self.tracking[0]):
            for method, args in (('write', [{'body': 'nothing'}]),
                                 ('unlink', [])):
                with self.subTest(message=message.id, method=method), \
                        self.assertRaisesRegex(AccessError, 'service record'), \
                        self.env.cr.savepoint():
                    rpc(message.sudo(self.user), method, args, {})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rpc(self.ticket.sudo(self.user), 'write',
                [{'message_ids': [(2, self.note.id)]}], {})
        self.assertIn('Replaced the fuse', self.note.body)
        self.assertTrue(self.tracking.exists())
        # Stars and new messages stay open.
        rpc(self.note.sudo(self.user), 'toggle_message_starred', [], {})
        self.ticket.sudo(self.user).message_post(
            body='Customer called back', subtype='mail.mt_note')

    def test_dispatcher_edits_notes_never_tracking(self):
        rpc(self.note.sudo(self.dispatcher), 'write',
            [{'body': 'Replaced fuse F2'}], {})
        self.assertIn('fuse F2', self.note.body)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rpc(self.tracking[0].sudo(self.dispatcher), 'unlink', [], {})
        self.assertTrue(self.tracking.exists())

    def test_open_ticket_messages_stay_the_authors(self):
        ticket = self._ticket(self.user)
        note = ticket.sudo(self.user).message_post(
            body='First look', subtype='mail.mt_note', message_type='comment')
        rpc(note.sudo(self.user), 'write', [{'body': 'First look: fuse'}],
            {})
        self.assertIn('fuse', note.body)


class TestMessageUpdateOverRpc(ClosedTicketCase):
    """Review 6 S3: message_update is public; called over RPC it opens no
    follow-up ticket under sudo."""

    def test_rpc_message_update_opens_no_ticket(self):
        tickets = self.env['meddev.service.ticket']
        before = tickets.search_count([])
        rpc(self.ticket.sudo(self.user), 'message_update', [{
            'author_id': self.nurse.id, 'subject': 'Forged follow-up',
            'body': '<p>spam</p>'}], {})
        self.assertEqual(tickets.search_count([]), before)
        self.assertFalse(tickets.search([('title', '=', 'Forged follow-up')]))
