from odoo import models


class SaleOrder(models.Model):
    """Sales orders pass the licence gate of ``meddev.trade.order.gate``.
    Confirmed: Confirm, but also Lock (``action_done``) and Unlock
    (``action_unlock``), which write the state without checking where it
    comes from."""

    _name = 'sale.order'
    _inherit = ['sale.order', 'meddev.trade.order.gate']

    _meddev_confirmed_states = ('sale', 'done')
