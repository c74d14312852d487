from odoo import api, fields, models


class MeddevLotLinkRetire(models.TransientModel):
    """Ask why lot links are retired, then retire them."""

    _name = 'meddev.lot.link.retire'
    _description = 'Retire Lot Links'

    link_ids = fields.Many2many(
        'meddev.lot.link', string='Links', required=True)
    reason = fields.Text(
        required=True,
        help="Why the links are wrong or no longer hold; kept with them.")

    @api.multi
    def action_confirm(self):
        """Retire the links with the reason given."""
        self.ensure_one()
        self.link_ids._retire(self.reason)
        return {'type': 'ir.actions.act_window_close'}
