from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    @api.model
    def create(self, vals):
        order = self.env['sale.order'].browse(vals.get('order_id'))
        amounts = self._credit_amounts_to_check(order)
        line = super(SaleOrderLine, self).create(vals)
        line.order_id._credit_void_raised_overrides()
        line.order_id._credit_check_raised(amounts)
        return line

    @api.multi
    def write(self, vals):
        orders = self.mapped('order_id')
        amounts = self._credit_amounts_to_check(orders)
        result = super(SaleOrderLine, self).write(vals)
        orders._credit_void_raised_overrides()
        orders._credit_check_raised(amounts)
        return result

    @api.model
    def _credit_amounts_to_check(self, orders):
        """Return the totals of the confirmed ``orders`` before a change
        of their lines. Lines written as the order's one2many commands are
        checked by the order once its totals and the figures are stored
        (the ORM postpones them until then)."""
        if not self.env.recompute:
            return {}
        return orders._credit_confirmed_amounts()
