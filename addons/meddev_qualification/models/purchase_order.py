from odoo import models


class PurchaseOrder(models.Model):
    """Purchase orders pass the licence gate of ``meddev.trade.order.gate``.
    Confirmed: Confirm, but also Approve (``button_approve``), which writes
    the state without checking where it comes from."""

    _name = 'purchase.order'
    _inherit = ['purchase.order', 'meddev.trade.order.gate']

    _meddev_confirmed_states = ('to approve', 'purchase', 'done')

    def _meddev_gate_items(self):
        """Purchases of a company whose purchase gate is off pass."""
        return self.env['meddev.trade.gate'].items_gated(
            super(PurchaseOrder, self)._meddev_gate_items(), 'supplier')

    def _meddev_today_items(self, products=None, partner=None):
        return self.env['meddev.trade.gate'].items_gated(
            super(PurchaseOrder, self)._meddev_today_items(
                products, partner), 'supplier')
