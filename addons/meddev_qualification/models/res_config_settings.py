from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Qualification block of Settings: the company-level options of
    the module, read from and written to the settings' company (related
    fields), so that each company keeps its own."""

    _inherit = 'res.config.settings'

    meddev_compliance_user_ids = fields.Many2many(
        related='company_id.meddev_compliance_user_ids',
        string='Compliance Team')
    meddev_review_required = fields.Boolean(
        related='company_id.meddev_review_required',
        string='First-Business Review Required')
    meddev_certificate_alert_days = fields.Char(
        related='company_id.meddev_certificate_alert_days',
        string='Certificate Alert Thresholds (days)')
    meddev_purchase_gate = fields.Boolean(
        related='company_id.meddev_purchase_gate',
        string='Licence Gate on Purchases')
