from odoo import models


class ProductProduct(models.Model):
    """The device-class hook of ``product.template`` on variants."""

    _inherit = 'product.product'

    def _meddev_device_classes(self):
        """Return {variant id: device class} of these variants: their
        template's class ('none', 'I', 'II' or 'III'); see
        ``product.template._meddev_device_classes``."""
        return {product.id: product.device_class for product in self}
