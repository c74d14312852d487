from odoo import api, models


class ProductProduct(models.Model):
    _inherit = 'product.product'

    @api.model
    def create(self, vals):
        return super(ProductProduct, self).create(
            self.env['product.template']._normalise_udi_di_vals(vals))

    @api.multi
    def write(self, vals):
        # The UDI-DI lives on the template; variants normalise it too.
        return super(ProductProduct, self).write(
            self.env['product.template']._normalise_udi_di_vals(vals))
