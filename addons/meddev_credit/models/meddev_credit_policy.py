from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .meddev_credit_rating_history import RATINGS


class MeddevCreditPolicy(models.Model):
    """What a credit grade allows: limit, payment terms, overrides and the
    grace given to overdue items, per company."""

    _name = 'meddev.credit.policy'
    _description = 'Credit Policy per Grade'
    _order = 'company_id, rating'
    _rec_name = 'rating'

    rating = fields.Selection(RATINGS, required=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.credit.policy'))
    min_score = fields.Float(
        string='Lowest Score', digits=(5, 2),
        help="Lowest score that earns this grade (ignored for D, which "
             "takes every score below C).")
    allow_sale = fields.Boolean(
        string='Sales Allowed', default=True,
        help="Untick to refuse confirming orders of customers in this "
             "grade: the grade is below the minimum.")
    limit_multiplier = fields.Float(
        string='Limit Multiplier', default=1.0, digits=(5, 2),
        help="The customer's credit limit is multiplied by this factor.")
    limit_cap = fields.Monetary(
        string='Limit Cap', currency_field='currency_id',
        help="Highest limit this grade allows (0 for no cap).")
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    tolerance_days = fields.Integer(
        string='Overdue Tolerance (days)', default=30,
        help="Orders are refused when an invoice is overdue by more days.")
    allow_override = fields.Boolean(
        string='Overrides Allowed', default=True,
        help="Whether a credit manager may approve a one-off override.")
    payment_term_ids = fields.Many2many(
        'account.payment.term', string='Allowed Payment Terms',
        help="Leave empty to allow every payment term.")
    payment_term_mode = fields.Selection(
        [('warning', 'Warn'), ('block', 'Refuse')],
        string='Other Payment Terms', default='warning', required=True)

    _sql_constraints = [
        ('rating_company_uniq', 'unique(rating, company_id)',
         'A company has one policy per grade.'),
    ]

    @api.constrains('limit_multiplier', 'limit_cap', 'tolerance_days',
                    'min_score')
    def _check_figures(self):
        """Keep policy figures in the ranges the gate understands."""
        for policy in self:
            if (policy.limit_multiplier < 0 or policy.limit_cap < 0
                    or policy.tolerance_days < 0
                    or not 0 <= policy.min_score <= 100):
                raise ValidationError(
                    _('The credit policy of grade %(rating)s has a negative '
                      'multiplier, cap or tolerance, or a lowest score '
                      'outside 0-100.') % {'rating': policy.rating})

    @api.model
    def _policies_by_rating(self, company):
        """Return {rating: policy} for ``company``."""
        policies = self.sudo().search([('company_id', '=', company.id)])
        return {policy.rating: policy for policy in policies}

    @api.model
    def _grade_thresholds(self, company):
        """Return {grade: lowest score} for A, B and C of ``company``."""
        thresholds = {'A': 80.0, 'B': 60.0, 'C': 40.0}
        for rating, policy in self._policies_by_rating(company).items():
            if rating in thresholds:
                thresholds[rating] = policy.min_score
        return thresholds
