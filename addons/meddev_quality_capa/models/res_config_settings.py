from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Quality block of Settings: the company-level options of the
    module, read from and written to the settings' company (related
    fields: each company keeps its own, in the same res.company columns as
    on the company form before, so no migration is needed). Changed by
    quality managers and administrators only (res.company.write)."""

    _inherit = 'res.config.settings'

    meddev_quality_manager_id = fields.Many2one(
        related='company_id.meddev_quality_manager_id',
        string='Quality Manager')
    meddev_cluster_window_days = fields.Integer(
        related='company_id.meddev_cluster_window_days',
        string='Cluster Window (days)')
    meddev_cluster_threshold = fields.Integer(
        related='company_id.meddev_cluster_threshold',
        string='Cluster Threshold')
    meddev_product_cluster_threshold = fields.Integer(
        related='company_id.meddev_product_cluster_threshold',
        string='Product Cluster Threshold')
    meddev_trend_threshold = fields.Integer(
        related='company_id.meddev_trend_threshold',
        string='Trend Threshold')
    meddev_reporting_country_ids = fields.Many2many(
        related='company_id.meddev_reporting_country_ids',
        string='Active Jurisdictions')
    meddev_deadline_warning_hours = fields.Integer(
        related='company_id.meddev_deadline_warning_hours',
        string='Warn at Least (hours)')
