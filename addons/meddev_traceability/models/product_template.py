from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..udi import UdiError, is_valid_gtin, normalise_gtin14


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    # No size: Odoo 11 cuts a longer value to the size without a word, so
    # a GTIN-14 typed or sent with a suffix was stored cut and passed the
    # check; the constraint below refuses anything but a GTIN-14, naming
    # the whole code.
    udi_di = fields.Char(
        string='UDI-DI (GTIN-14)', index=True, copy=False,
        help="Device identifier of the UDI: the GTIN-14 printed after AI "
             "(01) on the label. A GTIN-8, -12 or -13 is stored as a "
             "GTIN-14 with leading zeros.")

    @api.model
    def _normalise_udi_di_vals(self, vals):
        """Store any valid GTIN as its GTIN-14; leave faulty codes to the
        constraint, which names the fault."""
        code = vals.get('udi_di')
        if code and isinstance(code, str):
            code = code.strip()
            if is_valid_gtin(code):
                code = normalise_gtin14(code)
            vals['udi_di'] = code
        return vals

    @api.model
    def create(self, vals):
        return super(ProductTemplate, self).create(
            self._normalise_udi_di_vals(vals))

    @api.multi
    def write(self, vals):
        return super(ProductTemplate, self).write(
            self._normalise_udi_di_vals(vals))

    @api.constrains('udi_di', 'company_id')
    def _check_udi_di(self):
        templates = self.filtered('udi_di')
        for template in templates:
            code = template.udi_di
            try:
                valid = normalise_gtin14(code) == code
            except (UdiError, TypeError) as error:
                raise ValidationError(
                    _('The UDI-DI %(code)s of %(product)s is not a valid '
                      'GTIN-14: %(reason)s') % {
                        'code': code, 'product': template.display_name,
                        'reason': error})
            if not valid:
                raise ValidationError(
                    _('The UDI-DI %(code)s of %(product)s must have 14 '
                      'digits.') % {
                        'code': code, 'product': template.display_name})
        if not templates:
            return
        # One search for the whole batch: same code, same company (or none).
        others = self.with_context(active_test=False).search([
            ('udi_di', 'in', templates.mapped('udi_di')),
        ])
        for template in templates:
            for other in others:
                if other == template or other.udi_di != template.udi_di:
                    continue
                if (not other.company_id or not template.company_id
                        or other.company_id == template.company_id):
                    raise ValidationError(
                        _('The UDI-DI %(code)s of %(product)s is already '
                          'used by %(other)s.') % {
                            'code': template.udi_di,
                            'product': template.display_name,
                            'other': other.display_name})
