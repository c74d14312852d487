from odoo import _, api, models


class MeddevTradeOrderLineGate(models.AbstractModel):
    """The licence gate of an order's lines: a regulated line added to a
    confirmed order, moved into one, or given another product once there,
    is checked as its order was at confirmation (it is delivered and
    invoiced, or received and billed, like the others). An inheriting
    model names its order model in ``_meddev_order_model``; the order
    model inherits ``meddev.trade.order.gate``."""

    _name = 'meddev.trade.order.line.gate'
    _description = 'Licence Gate of an Order Line'

    # Model of the order the lines belong to (through ``order_id``): set by
    # the inheriting model.
    _meddev_order_model = None

    @api.model
    def create(self, vals):
        order = self.env[self._meddev_order_model].browse(
            vals.get('order_id'))
        if vals.get('product_id') and order._meddev_is_confirmed():
            order._meddev_enforce_today(
                self.env['product.product'].browse(vals['product_id']))
        return super(MeddevTradeOrderLineGate, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get('product_id') or vals.get('order_id'):
            self._meddev_enforce_moved(vals)
        return super(MeddevTradeOrderLineGate, self).write(vals)

    def _meddev_enforce_moved(self, vals):
        """Refuse to write ``vals`` (a new product or order) on these lines
        when a confirmed order would get regulated products its partner's
        licences do not cover today; one gate call for all the lines."""
        target = self.env[self._meddev_order_model].browse(
            vals.get('order_id'))
        product = self.env['product.product'].browse(vals.get('product_id'))
        orders = target or self.mapped('order_id')
        items = []
        for order in orders.filtered(lambda o: o._meddev_is_confirmed()):
            # Moved into ``target``: every line lands there; otherwise each
            # line stays in its own order.
            lines = self if target else self.filtered(
                lambda line: line.order_id == order)
            items += order._meddev_today_items(
                product or lines.mapped('product_id'))
        if items:
            self.env['meddev.trade.gate'].enforce(items, _('changed'))
