from odoo import fields, models

from .res_company import MANAGER_GROUP


class ResConfigSettings(models.TransientModel):
    """The Credit Control block of Settings: the company-level options of
    the module, read from and written to the settings' company (related
    fields: each company keeps its own, in the same res.company columns as
    before, so no migration is needed)."""

    _inherit = 'res.config.settings'

    credit_rating_window_days = fields.Integer(
        related='company_id.credit_rating_window_days',
        string='Rating Window (days)')
    credit_full_risk_days = fields.Integer(
        related='company_id.credit_full_risk_days',
        string='Days Late at Full Risk')
    credit_hold_overdue_days = fields.Integer(
        related='company_id.credit_hold_overdue_days',
        string='Automatic Hold after (days overdue)')
    credit_default_tolerance_days = fields.Integer(
        related='company_id.credit_default_tolerance_days',
        string='Overdue Tolerance of Unrated Customers (days)')
    credit_overdue_tolerance_amount = fields.Monetary(
        related='company_id.credit_overdue_tolerance_amount',
        string='Overdue Tolerance Amount', currency_field='currency_id')
    credit_overdue_mode = fields.Selection(
        related='company_id.credit_overdue_mode',
        string='Overdue beyond Tolerance')
    credit_no_limit_policy = fields.Selection(
        related='company_id.credit_no_limit_policy',
        string='Customers without a Limit')
    credit_default_limit = fields.Monetary(
        related='company_id.credit_default_limit',
        string='Default Credit Limit', currency_field='currency_id')
    credit_override_validity_days = fields.Integer(
        related='company_id.credit_override_validity_days',
        string='Override Validity (days)')
    credit_history_score_step = fields.Float(
        related='company_id.credit_history_score_step',
        string='Score Change Recorded from')
    credit_manager_id = fields.Many2one(
        related='company_id.credit_manager_id', string='Credit Manager',
        domain=lambda self: [('groups_id', 'in', self.env.ref(
            MANAGER_GROUP).id)])
