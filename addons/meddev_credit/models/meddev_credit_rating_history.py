from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

RATINGS = [
    ('A', 'A - Low risk'),
    ('B', 'B - Moderate risk'),
    ('C', 'C - High risk'),
    ('D', 'D - Credit hold'),
]


class MeddevCreditRatingHistory(models.Model):
    """One credit rating given to a customer, kept as an audit trail.

    Records are only ever added: a new rating is a new line, so the history
    shows how a customer's risk moved over time.
    """

    _name = 'meddev.credit.rating.history'
    _description = 'Credit Rating History'
    _rec_name = 'partner_id'
    _order = 'date desc, id desc'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        ondelete='cascade')
    date = fields.Date(
        required=True, index=True, default=fields.Date.context_today)
    rating = fields.Selection(RATINGS, required=True)
    score = fields.Float(
        digits=(5, 2),
        help="Score from 0 (highest risk) to 100 (lowest risk) that the "
             "rating was derived from.")
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.credit.rating.history'))
    note = fields.Text()

    @api.constrains('score')
    def _check_score(self):
        """Keep scores on the 0-100 scale the ratings are derived from."""
        for history in self:
            if not 0.0 <= history.score <= 100.0:
                raise ValidationError(
                    _('The credit score of %(partner)s on %(date)s must be '
                      'between 0 and 100, not %(score)s.') % {
                        'partner': history.partner_id.display_name,
                        'date': history.date,
                        'score': history.score,
                    })
