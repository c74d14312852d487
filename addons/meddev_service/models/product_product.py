from odoo import api, models


class ProductProduct(models.Model):
    _inherit = 'product.product'

    @api.multi
    def copy(self, default=None):
        """Copy a variant: a new product keeps its template's warranty and
        maintenance interval, whoever copies it (product.template checks
        them on create)."""
        self.ensure_one()
        copied = super(ProductProduct, self.with_context(
            meddev_service_copy_of=self.product_tmpl_id.id)).copy(default)
        return copied.with_env(self.env)
