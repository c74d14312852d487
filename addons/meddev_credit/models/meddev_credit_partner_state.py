from odoo import api, fields, models

from .meddev_credit_rating_history import RATINGS

# res.partner field -> meddev.credit.partner.state field
STATE_FIELDS = {
    'credit_rating': 'rating',
    'credit_score': 'score',
    'credit_rating_date': 'rating_date',
    'credit_hold': 'hold',
    'credit_hold_reason': 'hold_reason',
    'credit_hold_origin': 'hold_origin',
    'credit_hold_user_id': 'hold_user_id',
    'credit_hold_date': 'hold_date',
    'credit_limit': 'credit_limit',
}
HOLD_ORIGINS = [('manual', 'Manual'), ('automatic', 'Automatic')]


class MeddevCreditPartnerState(models.Model):
    """A customer's rating and hold in one company: the figures are per
    company, so are the decisions taken on them. Shown on the partner
    through fields that read the current company's row."""

    _name = 'meddev.credit.partner.state'
    _description = 'Credit Rating and Hold per Company'
    _rec_name = 'partner_id'
    _order = 'partner_id, company_id'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        ondelete='cascade')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        ondelete='cascade')
    rating = fields.Selection(RATINGS, string='Credit Rating', index=True)
    score = fields.Float(string='Credit Score', digits=(5, 2))
    rating_date = fields.Date(string='Rated on')
    hold = fields.Boolean(string='Credit Hold', index=True)
    hold_reason = fields.Char(string='Hold Reason')
    hold_origin = fields.Selection(HOLD_ORIGINS, string='Hold Origin')
    hold_user_id = fields.Many2one('res.users', string='Hold Set by')
    hold_date = fields.Datetime(string='Hold Changed on')
    hold_released_date = fields.Date(
        string='Automatic Hold Released on',
        help="A credit manager lifted the automatic hold on this date while "
             "its causes remained: the rating job holds again only for a "
             "new cause.")
    hold_released_causes = fields.Char(
        string='Causes Released',
        help="Codes of the causes present when the hold was lifted.")
    history_score = fields.Float(
        string='Score of the Last History Line', digits=(5, 2))
    credit_limit = fields.Float(
        string='Credit Limit',
        help="The customer's credit limit in this company, in its currency "
             "(0: no limit set, the company's policy applies).")
    currency_id = fields.Many2one(related='company_id.currency_id',
                                  readonly=True)

    _sql_constraints = [
        ('partner_company_uniq', 'unique(partner_id, company_id)',
         'A customer has one credit state per company.'),
    ]

    @api.model
    def create(self, vals):
        state = super(MeddevCreditPartnerState, self).create(vals)
        state._invalidate_partner_fields()
        return state

    @api.multi
    def write(self, vals):
        result = super(MeddevCreditPartnerState, self).write(vals)
        self._invalidate_partner_fields()
        return result

    def _invalidate_partner_fields(self):
        # The partner fields are computed from these rows without being
        # stored: drop what any environment cached of them.
        self.env['res.partner'].invalidate_cache(
            fnames=list(STATE_FIELDS), ids=self.mapped('partner_id').ids)
