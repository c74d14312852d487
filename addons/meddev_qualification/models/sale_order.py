from odoo import _, api, fields, models

# States of a confirmed order. Whatever takes a quotation into one of them
# passes the gate: Confirm, but also Lock (action_done) and Unlock
# (action_unlock), which write the state without checking where it comes
# from, and the state written over XML-RPC.
CONFIRMED_STATES = ('sale', 'done')
# Fields the gate reads: written together with the state, the order is
# checked again once they are written.
GATE_FIELDS = {'partner_id', 'order_line', 'date_order', 'company_id'}


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    def _meddev_gate_items(self):
        """Return the (order, customer, product, date, company) of every
        regulated line, once for the order date and once for today: a
        backdated quotation is still checked on today's licences."""
        gate = self.env['meddev.trade.gate']
        return [
            (order, order.partner_id.commercial_partner_id, line.product_id,
             date, order.company_id)
            for order in self for date in gate.trade_dates(order.date_order)
            for line in order.order_line if line.product_id]

    def _meddev_enforce_gate(self):
        """Refuse to confirm regulated lines the customer's licences do not
        cover; all failing lines are listed in one message."""
        if self:
            self.env['meddev.trade.gate'].enforce(
                self._meddev_gate_items(), _('confirmed'))

    def _meddev_enforce_today(self, products=None, partner=None):
        """Refuse to give these confirmed orders regulated ``products``
        (default: their lines' products) or the customer or supplier
        ``partner`` (default: theirs) unless its licences cover them
        today: a line added or changed, or the partner changed, after
        confirmation."""
        today = fields.Date.context_today(self)
        self.env['meddev.trade.gate'].enforce([
            (order, (partner or order.partner_id).commercial_partner_id,
             product, today, order.company_id)
            for order in self
            for product in (products if products is not None
                            else order.order_line.mapped('product_id'))],
            _('changed'))

    def _meddev_confirming(self, state):
        """Return the orders that writing ``state`` takes from quotation
        (or cancelled) to confirmed."""
        if state not in CONFIRMED_STATES:
            return self.browse()
        return self.filtered(
            lambda order: order.state not in CONFIRMED_STATES)

    @api.model
    def create(self, vals):
        order = super(SaleOrder, self).create(vals)
        if order.state in CONFIRMED_STATES:
            # Created confirmed (XML-RPC, import): checked like a
            # confirmation.
            order._meddev_enforce_gate()
        return order

    @api.multi
    def write(self, vals):
        confirming = self._meddev_confirming(vals.get('state'))
        # Checked before the write, so that a refused order keeps its state.
        confirming._meddev_enforce_gate()
        if vals.get('partner_id'):
            # A confirmed order handed to another partner is invoiced and
            # delivered to that partner.
            (self.filtered(lambda order: order.state in CONFIRMED_STATES)
             - confirming)._meddev_enforce_today(
                partner=self.env['res.partner'].browse(vals['partner_id']))
        result = super(SaleOrder, self).write(vals)
        if confirming and GATE_FIELDS & set(vals):
            confirming._meddev_enforce_gate()
        return result
