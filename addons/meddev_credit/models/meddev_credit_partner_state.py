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
OPERATORS = {
    '>': lambda a, b: a > b, '>=': lambda a, b: a >= b,
    '<': lambda a, b: a < b, '<=': lambda a, b: a <= b,
}


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
        # stored: drop what any environment cached of them, for the
        # partners and their contacts (which show their company's).
        self.env['res.partner'].invalidate_cache(fnames=list(STATE_FIELDS))

    @api.model
    def _partner_domain(self, company, state_field, operator, value):
        """Translate a search on a per-company partner field into a domain
        on commercial partners: one query on the states of ``company``;
        partners without a state count as empty."""
        # Searching by rating or hold reveals no more than the partner
        # fields, which the caller may read.
        states = self.sudo()
        matching = states.search([('company_id', '=', company.id),
                                  (state_field, operator, value)])
        domain = [('commercial_partner_id', 'in',
                   matching.mapped('partner_id').ids)]
        if self._empty_matches(operator, value):
            known = states.search([('company_id', '=', company.id)])
            domain = ['|', ('commercial_partner_id', 'not in',
                            known.mapped('partner_id').ids)] + domain
        return domain

    @api.model
    def _empty_matches(self, operator, value):
        """Whether an empty value (no state yet) satisfies the search."""
        if operator in ('=', '=='):
            return not value
        if operator in ('!=', '<>'):
            return bool(value)
        if operator == 'in':
            return any(not item for item in value)
        if operator == 'not in':
            return all(item for item in value)
        if operator in OPERATORS and isinstance(value, (int, float)):
            return OPERATORS[operator](0, value)
        return False
