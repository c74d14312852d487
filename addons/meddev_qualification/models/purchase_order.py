from odoo import models


class PurchaseOrder(models.Model):
    """Purchase orders pass the licence gate of ``meddev.trade.order.gate``.
    Confirmed: Confirm, but also Approve (``button_approve``), which writes
    the state without checking where it comes from."""

    _name = 'purchase.order'
    _inherit = ['purchase.order', 'meddev.trade.order.gate']

    _meddev_confirmed_states = ('to approve', 'purchase', 'done')
