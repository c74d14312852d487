from odoo import api, models

from .meddev_trade_order_gate import retry_safe_values


class SaleOrder(models.Model):
    """Sales orders pass the licence gate of ``meddev.trade.order.gate``.
    Confirmed: Confirm, but also Lock (``action_done``) and Unlock
    (``action_unlock``), which write the state without checking where it
    comes from."""

    _name = 'sale.order'
    _inherit = ['sale.order', 'meddev.trade.order.gate']

    _meddev_confirmed_states = ('sale', 'done')

    @api.model
    def create(self, vals):
        return super(SaleOrder, self).create(retry_safe_values(vals))
