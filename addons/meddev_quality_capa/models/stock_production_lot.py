from odoo import _, api, fields, models
from odoo.tools import html_escape

QUALITY_USER = 'meddev_quality_capa.group_meddev_quality_capa_user'


class StockProductionLot(models.Model):
    """The change records (变更记录) of a lot's product, and whether the lot
    was made before or after each, shown with the lot's trace."""

    _inherit = 'stock.production.lot'

    meddev_change_record_ids = fields.Many2many(
        'meddev.change.record', string='Change Records',
        compute='_compute_meddev_changes',
        help="The effective change records of this lot's product.")
    meddev_change_count = fields.Integer(
        string='Changes', compute='_compute_meddev_changes')
    meddev_change_position_html = fields.Html(
        string='Before / After Changes', compute='_compute_meddev_changes',
        sanitize=False,
        help="For each effective change record of the product: whether this "
             "lot was made before or after the change (by production date, "
             "else the day the lot was recorded).")

    def _meddev_effective_changes(self):
        """Return the effective change records of this lot's product that
        the user may read (quality users; none for others)."""
        self.ensure_one()
        records = self.env['meddev.change.record']
        if not self.product_id or not self.env.user.has_group(QUALITY_USER):
            return records
        return records.search([
            ('product_ids', 'in', self.product_id.ids),
            ('state', '=', 'effective'),
            ('first_lot_id', '!=', False)], order='effective_date, id')

    def _compute_meddev_changes(self):
        labels = [html_escape(label) for label in (
            _('Change Record'), _('Title'), _('Effective Date'),
            _('First Lot After'), _('This Lot'))]
        before, after = _('Before the change'), _('After the change')
        for lot in self:
            changes = lot._meddev_effective_changes()
            lot.meddev_change_record_ids = changes
            lot.meddev_change_count = len(changes)
            rows = []
            for change in changes:
                is_after = change._lot_is_after(lot)
                cells = ''.join('<td>%s</td>' % html_escape(value) for value in (
                    change.name, change.title, change.effective_date or '',
                    change.first_lot_id.name))
                rows.append('<tr class="%s">%s<td><strong>%s</strong></td></tr>' % (
                    'o_meddev_after' if is_after else 'o_meddev_before',
                    cells, html_escape(after if is_after else before)))
            lot.meddev_change_position_html = rows and (
                '<table class="table table-condensed"><thead><tr>%s</tr>'
                '</thead><tbody>%s</tbody></table>' % (
                    ''.join('<th>%s</th>' % label for label in labels),
                    ''.join(rows))) or False

    @api.multi
    def action_view_change_records(self):
        """Open the effective change records of this lot's product."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Change Records of %(lot)s') % {'lot': self.name},
            'res_model': 'meddev.change.record',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', self._meddev_effective_changes().ids)],
        }
