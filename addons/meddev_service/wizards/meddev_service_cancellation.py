from odoo import api, fields, models


class MeddevServiceCancellation(models.TransientModel):
    """Ask why service tickets are cancelled: the reason is required and
    kept on the ticket, tracked in its chatter."""

    _name = 'meddev.service.cancellation'
    _description = 'Cancel Service Tickets'

    ticket_ids = fields.Many2many(
        'meddev.service.ticket', 'meddev_service_cancellation_ticket_rel',
        'cancellation_id', 'ticket_id', string='Tickets', required=True)
    reason = fields.Text(
        required=True,
        help="Why the tickets are cancelled (duplicate, request "
             "withdrawn, device not serviced by us...).")

    @api.multi
    def action_confirm(self):
        """Cancel the tickets for the reason given; the ticket checks
        who may cancel it."""
        self.ensure_one()
        self.ticket_ids._cancel(self.reason)
        return {'type': 'ir.actions.act_window_close'}
