import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Device classes a licence type may authorise, in the order of the catalogue.
DEVICE_CLASSES = ('I', 'II', 'III')
# Partner kinds a licence type may be required for.
PARTNER_KINDS = ('distributor', 'hospital', 'manufacturer', 'supplier')


def parse_alert_days(text):
    """Return the alert thresholds of ``text`` ("90,30,7") as ints, largest
    first; raise ValueError on anything but positive whole numbers."""
    days = set()
    for part in (text or '').split(','):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) <= 0:
            raise ValueError(part)
        days.add(int(part))
    return sorted(days, reverse=True)


class MeddevLicenceType(models.Model):
    """A kind of licence partners hold: which partners need it, which device
    classes it authorises, how its number looks and when to warn before it
    expires. Implementers configure these; the Chinese set ships as data."""

    _name = 'meddev.licence.type'
    _description = 'Licence Type'
    _order = 'sequence, code'

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    for_distributor = fields.Boolean(
        string='Required for Distributors',
        help="Distributors must hold an approved licence of this type.")
    for_hospital = fields.Boolean(
        string='Required for Hospitals',
        help="Hospitals and other medical institutions must hold an "
             "approved licence of this type.")
    for_manufacturer = fields.Boolean(
        string='Required for Manufacturers',
        help="Manufacturers must hold an approved licence of this type.")
    for_supplier = fields.Boolean(
        string='Required for Suppliers',
        help="Suppliers must hold an approved licence of this type.")
    authorises_class_i = fields.Boolean(
        string='Authorises Class I',
        help="A licence of this type allows trading Class I devices.")
    authorises_class_ii = fields.Boolean(
        string='Authorises Class II',
        help="A licence of this type allows trading Class II devices.")
    authorises_class_iii = fields.Boolean(
        string='Authorises Class III',
        help="A licence of this type allows trading Class III devices.")
    has_scope = fields.Boolean(
        string='Has Business Scope',
        help="Licences of this type list the device categories they cover; "
             "a device outside that scope may not be traded under them.")
    number_pattern = fields.Char(
        help="Regular expression that every licence number of this type "
             "must match in full, e.g. .*械经营许\\d{8}号")
    number_example = fields.Char(
        help="A valid number, shown to users whose number is refused.")
    alert_days = fields.Char(
        string='Alert Thresholds (days)', default='90,30,7',
        help="Days before expiry at which the partner's salesperson and "
             "the company's compliance team are reminded, separated by "
             "commas.")
    allow_long_term = fields.Boolean(
        string='May Be Long-Term',
        help="Licences of this type may have no end date (长期).")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ('code_uniq', 'unique (code)',
         'The code of a licence type must be unique.'),
    ]

    @api.constrains('number_pattern')
    def _check_number_pattern(self):
        """Refuse a number pattern that is not a regular expression."""
        for licence_type in self.filtered('number_pattern'):
            try:
                re.compile(licence_type.number_pattern)
            except re.error as error:
                raise ValidationError(
                    _('The number pattern of licence type "%(type)s" is not '
                      'a valid regular expression: %(error)s') % {
                        'type': licence_type.name, 'error': error})

    @api.constrains('alert_days')
    def _check_alert_days(self):
        """Refuse thresholds that are not positive whole numbers."""
        for licence_type in self:
            try:
                parse_alert_days(licence_type.alert_days)
            except ValueError as error:
                raise ValidationError(
                    _('The alert thresholds of licence type "%(type)s" must '
                      'be positive numbers of days separated by commas '
                      '(e.g. 90,30,7), not "%(value)s".') % {
                        'type': licence_type.name, 'value': error.args[0]})

    def get_alert_days(self):
        """Return the alert thresholds of this type, largest first."""
        self.ensure_one()
        return parse_alert_days(self.alert_days)

    def authorised_classes(self):
        """Return the device classes ('I', 'II', 'III') this type allows."""
        self.ensure_one()
        return tuple(
            device_class for device_class in DEVICE_CLASSES
            if self['authorises_class_%s' % device_class.lower()])

    def required_kinds(self):
        """Return the partner kinds that must hold this type."""
        self.ensure_one()
        return tuple(kind for kind in PARTNER_KINDS if self['for_%s' % kind])

    def check_number(self, number):
        """Return True when ``number`` matches this type's pattern."""
        self.ensure_one()
        if not self.number_pattern or not number:
            return True
        return bool(re.match(r'(?:%s)\Z' % self.number_pattern, number))
