from odoo import api, fields, models


class StockProductionLot(models.Model):
    _inherit = 'stock.production.lot'

    service_equipment_ids = fields.One2many(
        'meddev.service.equipment', 'lot_id', string='Installed Equipment')
    service_ticket_count = fields.Integer(
        compute='_compute_service_ticket_count')

    def _compute_service_ticket_count(self):
        counts = self.env['meddev.service.ticket'].read_group(
            [('lot_id', 'in', self.ids)], ['lot_id'], ['lot_id'])
        by_lot = {row['lot_id'][0]: row['lot_id_count'] for row in counts}
        for lot in self:
            lot.service_ticket_count = by_lot.get(lot.id, 0)

    @api.multi
    def action_view_service_equipment(self):
        """Open the installed equipment of this serial."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_equipment_action').read()[0]
        action['domain'] = [('lot_id', '=', self.id)]
        return action

    @api.multi
    def action_view_service_tickets(self):
        """Open the service tickets of this serial."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_ticket_action').read()[0]
        action['domain'] = [('lot_id', '=', self.id)]
        action['context'] = {'default_lot_id': self.id,
                             'default_product_id': self.product_id.id}
        return action
