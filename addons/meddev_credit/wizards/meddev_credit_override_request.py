from odoo import api, fields, models


class MeddevCreditOverrideRequest(models.TransientModel):
    """Ask a credit manager to let a refused order through once."""

    _name = 'meddev.credit.override.request'
    _description = 'Request a Credit Override'

    order_id = fields.Many2one('sale.order', required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.multi
    def action_request(self):
        """Record the request and open it."""
        self.ensure_one()
        override = self.env['meddev.credit.override']._request(
            self.order_id, self.reason)
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.credit.override',
            'res_id': override.id,
            'view_mode': 'form',
        }
