import binascii
import logging
import os

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.tools import float_is_zero

from .meddev_credit_exposure import (
    SALE_LINE_OPEN_QTY_SQL, SALE_LINE_PLANNED_JOIN_SQL)

_logger = logging.getLogger(__name__)

# The deferral of the flag's recomputation is keyed by a per-process random
# value: an RPC caller chooses its context and must not be able to keep the
# flag stale (a line out of the exposure) by sending the key itself.
_DEFER_KEY = 'meddev_credit_open_deferred'
_DEFER_MARK = binascii.hexlify(os.urandom(16)).decode()

# Open for credit: the order is confirmed and the line still has something
# to invoice now or later (SALE_LINE_OPEN_QTY_SQL); the same rule as
# SaleOrderLine._credit_is_open, for the rows that exist when the column
# is added. Needs the precision of quantities as the only parameter.
SALE_LINE_OPEN_FILL_SQL = """
    UPDATE sale_order_line target SET credit_open = TRUE
     WHERE target.id IN (
        SELECT line.id
          FROM sale_order_line line
          LEFT JOIN product_product product ON product.id = line.product_id
          LEFT JOIN product_template tmpl
                 ON tmpl.id = product.product_tmpl_id
          %s
         WHERE line.state IN ('sale', 'done')
           AND (ROUND(COALESCE(line.qty_to_invoice, 0)::numeric, %%(digits)s)
                <> 0
                OR ROUND((%s)::numeric, %%(digits)s) <> 0))
""" % (SALE_LINE_PLANNED_JOIN_SQL, SALE_LINE_OPEN_QTY_SQL)

# Stored computed fields of a line that the exposure reads, or that decide
# whether it counts (credit_open): Odoo's recomputation sets them, never a
# user (meddev.credit.computed.guard). credit_open itself is dropped from a
# user's values, as before, rather than refused.
LINE_COMPUTED_FIELDS = (
    'state', 'qty_invoiced', 'qty_to_invoice', 'invoice_status',
    'price_subtotal', 'price_tax', 'price_total', 'price_reduce',
    'price_reduce_taxinc', 'price_reduce_taxexcl', 'order_partner_id',
    'currency_id', 'company_id',
)


class SaleOrderLine(models.Model):
    _inherit = ['sale.order.line', 'meddev.credit.computed.guard']
    _name = 'sale.order.line'

    _credit_computed_fields = LINE_COMPUTED_FIELDS

    # The exposure reads confirmed lines through a partial index on this
    # flag: a line closed short-shipped leaves it, so the rows read do not
    # grow with a customer's history.
    credit_open = fields.Boolean(
        string='Open for Credit', readonly=True, copy=False,
        compute='_compute_credit_open', store=True, compute_sudo=True,
        help="Confirmed line with something still to invoice, now or once "
             "what is planned ships: it counts in the customer's credit "
             "exposure.")

    @api.model_cr_context
    def _auto_init(self):
        # A new column would be computed line by line in Python over every
        # order line ever made: fill it with one UPDATE instead (the ORM
        # then finds the column and computes only what changes).
        cr = self.env.cr
        new_column = not tools.column_exists(cr, self._table, 'credit_open')
        if new_column:
            tools.create_column(cr, self._table, 'credit_open', 'boolean',
                                'Open for Credit')
            self._credit_fill_open()
        return super(SaleOrderLine, self)._auto_init()

    @api.model_cr
    def init(self):
        # The exposure reads open lines through this partial index; it
        # replaces the one on quantities that kept closed short-shipped
        # lines (11.0.1.2.0).
        self.env.cr.execute(
            "DROP INDEX IF EXISTS meddev_credit_sale_line_open_idx")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS "
            "meddev_credit_sale_line_credit_open_idx ON sale_order_line "
            "(order_partner_id) WHERE credit_open")

    @api.model
    def _credit_fill_open(self):
        """Set the flag of the existing open lines in one query (the others
        stay empty, which reads as not open)."""
        cr = self.env.cr
        cr.execute("SELECT digits FROM decimal_precision WHERE name = %s",
                   ('Product Unit of Measure',))
        row = cr.fetchone()
        cr.execute(SALE_LINE_OPEN_FILL_SQL, {'digits': row[0] if row else 2})
        _logger.info('Credit: %s open order lines flagged', cr.rowcount)

    # The moves' state, quantity and destination count too (what is still
    # planned to ship), but are not declared here: a 'move_ids.*'
    # dependency made the ORM search the order lines of every move at
    # each of its writes (about 200 queries on a 20-line confirmation,
    # bench case 1). stock.move marks its own lines instead
    # (stock_move.py, _credit_mark_lines).
    @api.depends('state', 'product_id', 'product_id.invoice_policy',
                 'product_id.type', 'product_uom', 'product_uom_qty',
                 'qty_delivered', 'qty_invoiced', 'qty_to_invoice')
    def _compute_credit_open(self):
        precision = self.env['decimal.precision'].precision_get(
            'Product Unit of Measure')
        for line in self:
            line.credit_open = line.state in ('sale', 'done') and not (
                float_is_zero(line.qty_to_invoice,
                              precision_digits=precision)
                and float_is_zero(line._credit_open_qty(),
                                  precision_digits=precision))

    def _recompute_todo(self, field):
        # Procurement creates and confirms the moves of an order line by
        # line, and each would rewrite the flag of its line (twice): the
        # lines whose procurement runs are recomputed together afterwards
        # (_action_launch_procurement_rule).
        lines = self
        deferred = self.env.context.get(_DEFER_KEY)
        if isinstance(deferred, (list, tuple)) and len(deferred) == 2 and (
                deferred[0] == _DEFER_MARK) and field.name == 'credit_open' \
                and field.model_name == self._name:
            deferred = set(deferred[1])
            lines = self.browse(
                [line_id for line_id in self._ids if line_id not in deferred])
            if not lines:
                return None
        return super(SaleOrderLine, lines)._recompute_todo(field)

    @api.multi
    def _action_launch_procurement_rule(self):
        lines = self.with_context(
            **{_DEFER_KEY: (_DEFER_MARK, tuple(self.ids))})
        result = super(SaleOrderLine, lines)._action_launch_procurement_rule()
        # One recomputation of the flag for all the lines, written as one
        # UPDATE per value.
        self.sudo()._recompute_todo(self._fields['credit_open'])
        self.recompute()
        return result

    def _credit_open_qty(self):
        """Return the quantity still to invoice as the exposure counts it
        (SALE_LINE_OPEN_QTY_SQL): goods invoiced on delivery count what
        shipped and what is still planned to ship, services invoiced on
        delivery the ordered quantity until delivered beyond it, the rest
        the ordered quantity; less what was invoiced."""
        self.ensure_one()
        product = self.product_id
        if product.invoice_policy != 'delivery':
            quantity = self.product_uom_qty
        elif product.type in ('product', 'consu'):
            planned = sum(
                move.product_qty for move in self.move_ids
                if move.state not in ('done', 'cancel')
                and move.location_dest_id.usage == 'customer')
            quantity = self.qty_delivered + product.uom_id._compute_quantity(
                planned, self.product_uom, round=False)
        else:
            quantity = max(self.product_uom_qty, self.qty_delivered)
        return quantity - self.qty_invoiced

    @api.model
    def create(self, vals):
        # The flag is the server's figure: a value sent over RPC would be
        # stored as given (a stored computed field) and hide the line from
        # the exposure.
        vals = {key: value for key, value in vals.items()
                if key != 'credit_open'}
        lines = self._credit_recomputed()
        lines._credit_check_computed(vals, create=True)
        order = lines.env['sale.order'].browse(vals.get('order_id'))
        amounts = lines._credit_amounts_to_check(order)
        line = super(SaleOrderLine, lines).create(vals)
        line.order_id._credit_void_raised_overrides()
        line.order_id._credit_check_raised(amounts)
        return line.with_env(self.env)

    @api.multi
    def write(self, vals):
        if 'credit_open' in vals:
            vals = {key: value for key, value in vals.items()
                    if key != 'credit_open'}
        lines = self._credit_recomputed()
        lines._credit_check_computed(
            vals, extra=lines._credit_stock_delivered_refused(vals))
        # A line moved to another order raises that one: it is checked too.
        orders = lines.mapped('order_id') | lines.env['sale.order'].browse(
            vals.get('order_id') or [])
        amounts = lines._credit_amounts_to_check(orders)
        result = super(SaleOrderLine, lines).write(vals)
        orders._credit_void_raised_overrides()
        orders._credit_check_raised(amounts)
        return result

    def _credit_stock_delivered_refused(self, vals):
        """Return ['qty_delivered'] when ``vals`` changes the delivered
        quantity of a line whose deliveries set it: goods (not re-invoiced
        expenses), as sale_stock decides (their quantity is not editable in
        the order form); it counts in the exposure and a lower one takes the
        line out of it. Services stay editable: their delivered quantity
        is entered by hand (or by timesheets and expenses), and a lower
        one never lowers what counts (the ordered quantity)."""
        if 'qty_delivered' not in vals or self.env.uid == SUPERUSER_ID:
            return []
        precision = self.env['decimal.precision'].precision_get(
            'Product Unit of Measure')
        for line in self:
            product = line.product_id
            if product.type in ('consu', 'product') \
                    and product.expense_policy == 'no' \
                    and not float_is_zero(
                        line.qty_delivered - (vals['qty_delivered'] or 0.0),
                        precision_digits=precision):
                return ['qty_delivered']
        return []

    @api.model
    def _credit_amounts_to_check(self, orders):
        """Return the totals of the confirmed ``orders`` before a change
        of their lines. Lines written as the order's one2many commands are
        checked by the order once its totals and the figures are stored
        (the ORM postpones them until then)."""
        if not self.env.recompute:
            return {}
        return orders._credit_confirmed_amounts()
