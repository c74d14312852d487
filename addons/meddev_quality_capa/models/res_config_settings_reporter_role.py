from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings > Quality: the company's reporter role."""

    _inherit = 'res.config.settings'

    meddev_reporter_role = fields.Selection(
        related='company_id.meddev_reporter_role')
