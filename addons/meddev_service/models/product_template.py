from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

# They decide the warranty (so the coverage, billing and credit hold) and
# the maintenance due dates of every installed serial of the product.
SERVICE_TERMS = ('service_warranty_months', 'service_pm_interval_months')
MANAGER = 'meddev_service.group_meddev_service_manager'


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    service_warranty_months = fields.Integer(
        string='Warranty (months)', track_visibility='onchange',
        help="Warranty of an installed serial, from its installation.")
    service_pm_interval_months = fields.Integer(
        string='Maintenance Interval (months)', track_visibility='onchange',
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

    @api.model
    def create(self, vals):
        """A new product's warranty and maintenance interval are a service
        manager's too; a copy keeps those of its original."""
        original = self.browse(
            self.env.context.get('meddev_service_copy_of')).exists()
        if original:
            original._check_service_terms(vals)
        else:
            self.browse()._check_service_terms(vals)
        return super(ProductTemplate, self).create(vals)

    @api.multi
    def copy(self, default=None):
        """Copy a product: its copy may keep its warranty and maintenance
        interval, whoever copies it (another value is a service
        manager's)."""
        self.ensure_one()
        copied = super(ProductTemplate, self.with_context(
            meddev_service_copy_of=self.id)).copy(default)
        return copied.with_env(self.env)

    @api.multi
    def write(self, vals):
        self._check_service_terms(vals)
        return super(ProductTemplate, self).write(vals)

    def _check_service_terms(self, vals):
        """Only a service manager changes the warranty or maintenance
        interval of a product (sales and stock managers edit products
        too); a value sent back unchanged passes."""
        # On create (no template) any value but 0 is a change.
        templates = self or [self.browse()]
        changed = [name for name in SERVICE_TERMS if name in vals and any(
            ((template[name] if template else 0) or 0) != (vals[name] or 0)
            for template in templates)]
        if not changed or self.env.uid == SUPERUSER_ID or \
                self.env.user.has_group(MANAGER):
            return
        raise AccessError(
            _('Only a service manager may change %(fields)s of %(products)s: '
              'they decide the warranty and maintenance of every installed '
              'serial.') % {
                'fields': ', '.join(sorted(
                    self._fields[name]._description_string(self.env)
                    for name in changed)),
                'products': ', '.join(self[:5].mapped('display_name'))
                or vals.get('name') or _('a new product')})

    @api.multi
    def action_view_service_equipment(self):
        """Open the installed serials of this product."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_equipment_action').read()[0]
        action['domain'] = [
            ('product_id.product_tmpl_id', '=', self.id)]
        return action
