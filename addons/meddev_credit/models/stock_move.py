from odoo import api, models

# What of a move changes its order line's credit flag (the quantity still
# planned to ship): sale.order.line._compute_credit_open.
CREDIT_MOVE_FIELDS = ('state', 'product_uom_qty', 'product_qty',
                      'product_uom', 'location_dest_id', 'sale_line_id')


class StockMove(models.Model):
    """Keeps the credit flag of the moves' order lines current: targeted
    invalidation of sale.order.line.credit_open from the moves that change,
    in place of a 'move_ids.*' dependency whose inverse search ran at every
    write of every move."""

    _inherit = 'stock.move'

    def _credit_mark_lines(self, lines=None):
        """Recompute the credit flag of the order lines of these moves (and
        of ``lines``), with what the ORM already has to recompute."""
        lines = (self.mapped('sale_line_id') | (
            lines or self.env['sale.order.line'])).sudo()
        if lines:
            lines._recompute_todo(lines._fields['credit_open'])
            if self.env.recompute and self.env.context.get('recompute', True):
                lines.recompute()

    @api.model
    def create(self, vals):
        move = super(StockMove, self).create(vals)
        if move.sale_line_id:
            move._credit_mark_lines()
        return move

    @api.multi
    def write(self, vals):
        if not any(name in vals for name in CREDIT_MOVE_FIELDS):
            return super(StockMove, self).write(vals)
        # A move taken off a line changes that line too.
        before = self.mapped('sale_line_id')
        result = super(StockMove, self).write(vals)
        self._credit_mark_lines(before)
        return result

    @api.multi
    def unlink(self):
        lines = self.mapped('sale_line_id')
        result = super(StockMove, self).unlink()
        if lines.exists():
            self.env['stock.move']._credit_mark_lines(lines.exists())
        return result
