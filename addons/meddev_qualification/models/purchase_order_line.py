from odoo import api, models

from .purchase_order import CONFIRMED_STATES


class PurchaseOrderLine(models.Model):
    """A regulated line added to a confirmed purchase (or a confirmed line
    given another product) is checked as its order was at confirmation."""

    _inherit = 'purchase.order.line'

    @api.model
    def create(self, vals):
        order = self.env['purchase.order'].browse(vals.get('order_id'))
        if vals.get('product_id') and order.state in CONFIRMED_STATES:
            order._meddev_enforce_today(
                self.env['product.product'].browse(vals['product_id']))
        return super(PurchaseOrderLine, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get('product_id') or vals.get('order_id'):
            # A regulated line moved into a confirmed order is added to it.
            target = self.env['purchase.order'].browse(vals.get('order_id'))
            for line in self:
                order = target or line.order_id
                if order.state in CONFIRMED_STATES:
                    order._meddev_enforce_today(
                        self.env['product.product'].browse(
                            vals['product_id']) if vals.get('product_id')
                        else line.product_id)
        return super(PurchaseOrderLine, self).write(vals)
