from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _action_done(self):
        moves = super(StockMove, self)._action_done()
        # A serial delivered to a customer becomes installed equipment.
        lots = moves.filtered(
            lambda move: move.state == 'done' and move.picking_id
            and move.location_dest_id.usage == 'customer'
            and move.product_id.tracking == 'serial').mapped(
            'move_line_ids.lot_id')
        if lots:
            # Delivering is a stock user's act; the installed base follows
            # whatever their service rights.
            self.env['meddev.service.equipment'].sudo()._record_deliveries(
                lots.ids)
        return moves
