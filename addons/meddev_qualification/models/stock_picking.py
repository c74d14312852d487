from odoo import _, fields, models


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    def _meddev_gate_items(self):
        """Return the (picking, customer, product, delivery date, company)
        of every regulated move of outgoing pickings: a licence may expire
        between order and delivery."""
        today = fields.Date.context_today(self)
        return [
            (picking, picking.partner_id.commercial_partner_id,
             move.product_id, today, picking.company_id)
            for picking in self
            if picking.picking_type_code == 'outgoing'
            and picking.partner_id
            for move in picking.move_lines if move.state != 'cancel']

    def action_done(self):
        """Refuse to deliver regulated products the customer's licences do
        not cover on the delivery date."""
        self.env['meddev.trade.gate'].enforce(
            self._meddev_gate_items(), _('delivered'))
        return super(StockPicking, self).action_done()
