from odoo import _, api, fields, models


class MeddevTradeOrderGate(models.AbstractModel):
    """The licence gate of an order (sale or purchase): confirming it, or
    changing its partner once confirmed, needs licences of the order's
    partner that cover its regulated lines.

    Whatever takes an order into a confirmed state passes the gate: the
    Confirm button, but also the methods that write the state without
    checking where it comes from (Lock and Unlock of a sale, Approve of a
    purchase), the state written over XML-RPC and an order created
    confirmed. An inheriting model sets the confirmed states of its
    workflow in ``_meddev_confirmed_states``.
    """

    _name = 'meddev.trade.order.gate'
    _description = 'Licence Gate of an Order'

    # States of a confirmed order: set by the inheriting model.
    _meddev_confirmed_states = ()
    # Fields the gate reads: written together with the state, the order is
    # checked again once they are written.
    _meddev_gate_fields = {'partner_id', 'order_line', 'date_order',
                           'company_id'}

    def _meddev_is_confirmed(self):
        """Tell whether this order is in a confirmed state (no order, as
        for a line created without one, is not)."""
        return self.state in self._meddev_confirmed_states

    def _meddev_gate_items(self):
        """Return the (order, partner, product, date, company) of every
        regulated line, once for the order date and once for today: a
        backdated quotation or request for quotation is still checked on
        today's licences."""
        gate = self.env['meddev.trade.gate']
        return [
            (order, order.partner_id.commercial_partner_id, line.product_id,
             date, order.company_id)
            for order in self for date in gate.trade_dates(order.date_order)
            for line in order.order_line if line.product_id]

    def _meddev_enforce_gate(self):
        """Refuse to confirm regulated lines the partner's licences do not
        cover; all failing lines are listed in one message."""
        if self:
            self.env['meddev.trade.gate'].enforce(
                self._meddev_gate_items(), _('confirmed'))

    def _meddev_today_items(self, products=None, partner=None):
        """Return the gate items of these orders for ``products`` (default:
        their lines' products) and ``partner`` (default: theirs), on
        today's date."""
        today = fields.Date.context_today(self)
        return [
            (order, (partner or order.partner_id).commercial_partner_id,
             product, today, order.company_id)
            for order in self
            for product in (products if products is not None
                            else order.order_line.mapped('product_id'))]

    def _meddev_enforce_today(self, products=None, partner=None):
        """Refuse to give these confirmed orders regulated ``products``
        (default: their lines' products) or the customer or supplier
        ``partner`` (default: theirs) unless its licences cover them
        today: a line added or changed, or the partner changed, after
        confirmation."""
        self.env['meddev.trade.gate'].enforce(
            self._meddev_today_items(products, partner), _('changed'))

    def _meddev_confirming(self, state):
        """Return the orders that writing ``state`` takes from quotation
        (or cancelled) to confirmed."""
        if state not in self._meddev_confirmed_states:
            return self.browse()
        return self.filtered(lambda order: not order._meddev_is_confirmed())

    @api.model
    def create(self, vals):
        order = super(MeddevTradeOrderGate, self).create(vals)
        if order._meddev_is_confirmed():
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
            # delivered to that partner (or bought from it).
            (self.filtered(lambda order: order._meddev_is_confirmed())
             - confirming)._meddev_enforce_today(
                partner=self.env['res.partner'].browse(vals['partner_id']))
        result = super(MeddevTradeOrderGate, self).write(vals)
        if confirming and self._meddev_gate_fields & set(vals):
            confirming._meddev_enforce_gate()
        return result
