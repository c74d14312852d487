from odoo import models


class SaleOrderLine(models.Model):
    """Lines added to a confirmed sale pass the licence gate of
    ``meddev.trade.order.line.gate``."""

    _name = 'sale.order.line'
    _inherit = ['sale.order.line', 'meddev.trade.order.line.gate']

    _meddev_order_model = 'sale.order'
