from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _action_assign(self):
        # Reservation skips the lots that an open recall quarantines.
        return super(StockMove, self.with_context(
            meddev_skip_recalled=True))._action_assign()
