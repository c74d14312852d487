from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .meddev_licence_type import parse_alert_days


class ResCompany(models.Model):
    """Who the expiry reminders go to besides the salesperson, and when
    product certificates count as expiring."""

    _inherit = 'res.company'

    meddev_compliance_user_ids = fields.Many2many(
        'res.users', 'meddev_company_compliance_user_rel', 'company_id',
        'user_id', string='Compliance Team',
        help="Users who receive a reminder activity for every licence and "
             "product certificate nearing its expiry, besides the partner's "
             "salesperson or the product's responsible.")
    meddev_review_required = fields.Boolean(
        string='First-Business Review Required',
        help="Regulated devices are sold to or bought from a partner only "
             "after its first-business review (首营审核) has been approved "
             "for this company. A rejected review blocks trade whether or "
             "not this is set.")
    meddev_certificate_alert_days = fields.Char(
        string='Certificate Alert Thresholds (days)', default='180,90,30',
        help="Days before the expiry of a product's registration or filing "
             "certificate at which reminders are scheduled, separated by "
             "commas; the largest marks the certificate as expiring.")

    meddev_purchase_gate = fields.Boolean(
        string='Licence Gate on Purchases', default=True,
        help="Regulated devices are bought (purchase confirmation) and "
             "received only from suppliers whose licences cover them. "
             "Switched off, purchases and receipts are not checked; sales "
             "and deliveries always are.")

    @api.constrains('meddev_certificate_alert_days')
    def _check_meddev_certificate_alert_days(self):
        """Refuse thresholds that are not positive whole numbers."""
        for company in self:
            try:
                parse_alert_days(company.meddev_certificate_alert_days)
            except ValueError as error:
                raise ValidationError(
                    _('The certificate alert thresholds of %(company)s must '
                      'be positive numbers of days separated by commas '
                      '(e.g. 180,90,30), not "%(value)s".') % {
                        'company': company.name, 'value': error.args[0]})

    def meddev_certificate_alert_days_list(self):
        """Return the certificate alert thresholds, largest first."""
        self.ensure_one()
        return parse_alert_days(self.meddev_certificate_alert_days)
