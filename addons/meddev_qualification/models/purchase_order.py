from odoo import _, models


class PurchaseOrder(models.Model):
    _inherit = 'purchase.order'

    def _meddev_gate_items(self):
        """Return the (order, supplier, product, order date, company) of
        every regulated line, for the trade gate."""
        gate = self.env['meddev.trade.gate']
        return [
            (order, order.partner_id.commercial_partner_id, line.product_id,
             gate.date_of(order.date_order), order.company_id)
            for order in self for line in order.order_line
            if line.product_id]

    def button_confirm(self):
        """Refuse to confirm regulated lines the supplier's licences do not
        cover; all failing lines are listed in one message."""
        self.env['meddev.trade.gate'].enforce(
            self.filtered(lambda o: o.state in ('draft', 'sent'))
            ._meddev_gate_items(), _('confirmed'))
        return super(PurchaseOrder, self).button_confirm()
