from odoo import api, models

from .sale_order import CONFIRMED_STATES


class SaleOrderLine(models.Model):
    """A regulated line added to a confirmed order (or a confirmed line
    given another product) is checked as its order was at confirmation:
    it is delivered and invoiced like the others."""

    _inherit = 'sale.order.line'

    @api.model
    def create(self, vals):
        order = self.env['sale.order'].browse(vals.get('order_id'))
        if vals.get('product_id') and order.state in CONFIRMED_STATES:
            order._meddev_enforce_today(
                self.env['product.product'].browse(vals['product_id']))
        return super(SaleOrderLine, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get('product_id') or vals.get('order_id'):
            # A regulated line moved into a confirmed order is added to it.
            target = self.env['sale.order'].browse(vals.get('order_id'))
            for line in self:
                order = target or line.order_id
                if order.state in CONFIRMED_STATES:
                    order._meddev_enforce_today(
                        self.env['product.product'].browse(
                            vals['product_id']) if vals.get('product_id')
                        else line.product_id)
        return super(SaleOrderLine, self).write(vals)
