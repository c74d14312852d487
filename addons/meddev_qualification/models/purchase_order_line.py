from odoo import models


class PurchaseOrderLine(models.Model):
    """Lines added to a confirmed purchase pass the licence gate of
    ``meddev.trade.order.line.gate``."""

    _name = 'purchase.order.line'
    _inherit = ['purchase.order.line', 'meddev.trade.order.line.gate']

    _meddev_order_model = 'purchase.order'
