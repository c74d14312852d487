from odoo.exceptions import UserError, ValidationError

from .common import MeddevQualityCapaCase, call_button, frozen_now, rpc_write


class TestCancelReason(MeddevQualityCapaCase):
    """A complaint (and with it its reports still due) is cancelled only
    with a written reason, tracked and said in the chatter, on every path
    (review of issue 9, S1-6)."""

    def test_cancel_needs_a_reason_on_every_path(self):
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint()
            self._decide(complaint, self.china)
            report = complaint.report_ids
            self.assertEqual(report.state, 'open')
            managed = complaint.sudo(self.manager)
            # The button, as the web client calls it.
            with self.assertRaisesRegex(UserError, 'why it is cancelled'):
                call_button(managed, 'action_cancel')
            # Writing the state over XML-RPC.
            with self.assertRaises(UserError):
                rpc_write(managed, {'state': 'cancel'})
            # Even the server's own writes (imports, other modules).
            with self.assertRaisesRegex(ValidationError,
                                        'why it is cancelled'), \
                    self.env.cr.savepoint():
                complaint._meddev_as_server().write({'state': 'cancel'})
            complaint.invalidate_cache()
            self.assertEqual(complaint.state, 'intake')
            self.assertEqual(report.state, 'open')
            # Blanks are no reason.
            managed.cancel_reason = '   '
            with self.assertRaisesRegex(UserError, 'why it is cancelled'):
                call_button(managed, 'action_cancel')
            managed.with_context(tracking_disable=False).write(
                {'cancel_reason': '重复投诉，已并入 CMP/2026/00001'})
            call_button(managed, 'action_cancel')
        self.assertEqual(complaint.state, 'cancel')
        self.assertEqual(report.state, 'cancel')
        tracked = complaint.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'cancel_reason')
        self.assertIn('重复投诉，已并入 CMP/2026/00001',
                      tracked.mapped('new_value_text'))
        self.assertIn('重复投诉', complaint.message_ids[0].body)
        self.assertIn(self.manager.name, complaint.message_ids[0].body)
        # The reason of a cancelled complaint stays as written.
        with self.assertRaises(UserError):
            complaint.sudo(self.manager).write({'cancel_reason': '改写'})
