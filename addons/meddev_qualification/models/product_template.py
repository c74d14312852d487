from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DEVICE_CLASS_SELECTION = [
    ('none', 'Not a Medical Device'),
    ('I', 'Class I'),
    ('II', 'Class II'),
    ('III', 'Class III'),
]


class ProductTemplate(models.Model):
    """Regulatory data of a medical device product: class, category and its
    registration certificate (注册证) or filing certificate (备案凭证)."""

    _inherit = 'product.template'

    device_class = fields.Selection(
        DEVICE_CLASS_SELECTION, string='Device Class', default='none',
        required=True, index=True, track_visibility='onchange',
        help="Regulatory class of the device; products of class I to III "
             "may only be sold to and bought from licensed partners.")
    device_category_id = fields.Many2one(
        'meddev.device.category', string='Device Category',
        ondelete='restrict', index=True, track_visibility='onchange',
        help="Category of the classification catalogue; the partner's "
             "licence scope must cover it.")
    device_certificate_number = fields.Char(
        string='Certificate Number', track_visibility='onchange',
        help="Number of the registration certificate (注册证) or, for "
             "Class I, of the filing certificate (备案凭证).")
    device_certificate_expiry = fields.Date(
        string='Certificate Expiry', track_visibility='onchange',
        help="Last day of validity of the certificate; the product cannot "
             "be sold or bought after it. Empty for certificates without "
             "an end date.")

    @api.constrains('device_class', 'device_category_id')
    def _check_device_category(self):
        """A regulated product must name its category."""
        for template in self:
            if template.device_class != 'none' \
                    and not template.device_category_id:
                raise ValidationError(
                    _('Product "%(product)s" is a Class %(class)s medical '
                      'device: give its device category.') % {
                        'product': template.display_name,
                        'class': template.device_class})
