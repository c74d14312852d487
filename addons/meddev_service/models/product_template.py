from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    service_warranty_months = fields.Integer(
        string='Warranty (months)',
        help="Warranty of an installed serial, from its installation.")
    service_pm_interval_months = fields.Integer(
        string='Maintenance Interval (months)',
        help="Preventive maintenance interval of an installed serial "
             "without a contract saying otherwise.")
    service_equipment_count = fields.Integer(
        compute='_compute_service_equipment_count')

    def _compute_service_equipment_count(self):
        counts = self.env['meddev.service.equipment'].read_group(
            [('product_id.product_tmpl_id', 'in', self.ids)],
            ['product_id'], ['product_id'])
        by_product = {}
        for row in counts:
            by_product[row['product_id'][0]] = row['product_id_count']
        for template in self:
            template.service_equipment_count = sum(
                by_product.get(product.id, 0)
                for product in template.product_variant_ids)

    @api.multi
    def action_view_service_equipment(self):
        """Open the installed serials of this product."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_equipment_action').read()[0]
        action['domain'] = [
            ('product_id.product_tmpl_id', '=', self.id)]
        return action
