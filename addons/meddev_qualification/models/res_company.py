from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .meddev_licence_type import parse_alert_days

MANAGER_GROUP = 'meddev_qualification.group_meddev_qualification_manager'
# Switches that turn qualification controls on or off for a company: only a
# qualification manager changes them, and every change is logged.
CONTROL_FIELDS = ('meddev_purchase_gate', 'meddev_review_required')


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

    @api.model
    def create(self, vals):
        """A new company with a control set apart from its default is a
        change of that control: checked and logged like a write."""
        defaults = self.default_get(list(CONTROL_FIELDS))
        changes = [(name, bool(defaults.get(name)), bool(vals[name]))
                   for name in CONTROL_FIELDS
                   if name in vals and bool(vals[name]) != bool(
                       defaults.get(name))]
        if changes:
            self._check_control_manager(vals.get('name'), changes)
        company = super(ResCompany, self).create(vals)
        if changes:
            self.env['meddev.qualification.settings.log']._log_changes(
                [(company, name, old, new) for name, old, new in changes])
        return company

    @api.multi
    def write(self, vals):
        """Let only qualification managers change a company's
        qualification controls (on every path: Settings, the company form,
        XML-RPC), and log each change with its old and new value."""
        changes = [(company, name, company[name], bool(vals[name]))
                   for company in self for name in CONTROL_FIELDS
                   if name in vals and bool(company[name]) != bool(vals[name])]
        if changes:
            self._check_control_manager(
                ', '.join(sorted(set(change[0].name for change in changes))),
                [change[1:] for change in changes])
        result = super(ResCompany, self).write(vals)
        if changes:
            self.env['meddev.qualification.settings.log']._log_changes(
                changes)
        return result

    def _check_control_manager(self, company_name, changes):
        if self.env.user.has_group(MANAGER_GROUP):
            return
        labels = sorted(set(
            self._fields[change[0]].get_description(self.env)['string']
            for change in changes))
        raise AccessError(
            _('%(company)s: only a qualification manager may change '
              '%(controls)s.') % {'company': company_name or '',
                                  'controls': ', '.join(labels)})

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
