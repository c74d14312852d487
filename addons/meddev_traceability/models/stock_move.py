from odoo import _, models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _action_assign(self):
        # Reservation skips the lots that an open recall quarantines.
        return super(StockMove, self.with_context(
            meddev_skip_recalled=True))._action_assign()

    def _action_done(self):
        self._check_no_recalled_delivery()
        self._check_no_recalled_consumption()
        moves = super(StockMove, self)._action_done()
        # A stock user validates returns; the recall line records them.
        self.env['meddev.recall.line'].sudo()._record_returns(
            moves.filtered(lambda move: move.state == 'done'))
        return moves

    def _check_no_recalled_delivery(self):
        """Refuse to deliver to a customer a lot under an open recall."""
        lines = self.mapped('move_line_ids').filtered(
            lambda line: line.lot_id and line.qty_done
            and line.location_dest_id.usage == 'customer')
        if lines:
            self.env['meddev.recall']._check_lots_not_recalled(
                lines.mapped('lot_id'), _('Delivery'))

    def _check_no_recalled_consumption(self):
        """Refuse to consume in manufacturing a lot under an open recall,
        even one picked by hand on the order's raw material lines."""
        lines = self.filtered('raw_material_production_id').mapped(
            'move_line_ids').filtered(
            lambda line: line.lot_id and line.qty_done)
        if lines:
            self.env['meddev.recall']._check_lots_not_recalled(
                lines.mapped('lot_id'), _('Consumption in manufacturing'))
