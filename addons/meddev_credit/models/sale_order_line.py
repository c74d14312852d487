from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    @api.model
    def create(self, vals):
        line = super(SaleOrderLine, self).create(vals)
        line.order_id._credit_void_raised_overrides()
        return line

    @api.multi
    def write(self, vals):
        result = super(SaleOrderLine, self).write(vals)
        self.mapped('order_id')._credit_void_raised_overrides()
        return result
