from odoo import _, models


class PurchaseOrder(models.Model):
    _inherit = 'purchase.order'

    def _meddev_gate_items(self):
        """Return the (order, supplier, product, date, company) of every
        regulated line, once for the order date and once for today: a
        backdated request for quotation is still checked on today's
        licences."""
        gate = self.env['meddev.trade.gate']
        return [
            (order, order.partner_id.commercial_partner_id, line.product_id,
             date, order.company_id)
            for order in self for date in gate.trade_dates(order.date_order)
            for line in order.order_line if line.product_id]

    def button_confirm(self):
        """Refuse to confirm regulated lines the supplier's licences do not
        cover; all failing lines are listed in one message."""
        self.env['meddev.trade.gate'].enforce(
            self.filtered(lambda o: o.state in ('draft', 'sent'))
            ._meddev_gate_items(), _('confirmed'))
        return super(PurchaseOrder, self).button_confirm()
