from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Traceability block of Settings: the company-level options of
    the module, read from and written to the settings' company (related
    fields: each company keeps its own, in the res.company columns, so no
    migration is needed). res.company checks who changes them."""

    _inherit = 'res.config.settings'

    recall_contact_category_id = fields.Many2one(
        related='company_id.recall_contact_category_id',
        string='Recall Contact Tag')
    recall_quarantine_location_id = fields.Many2one(
        related='company_id.recall_quarantine_location_id',
        string='Recall Quarantine Location')
    recall_overdue_grace_days = fields.Integer(
        related='company_id.recall_overdue_grace_days',
        string='Overdue Grace (days)')
    recall_notice_channel = fields.Char(
        related='company_id.recall_notice_channel',
        string='Notice Job Channel')
    recall_auto_quarantine = fields.Boolean(
        related='company_id.recall_auto_quarantine',
        string='Quarantine at Launch')
