from odoo import SUPERUSER_ID, api, fields, models

from ..comparisons import OPERATORS
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
    through fields that read the current company's row.

    Changes of limit, rating and hold are tracked here, not on the
    partner: the partner's chatter is read by every employee, this
    record's only by credit users of the company (its access rules)."""

    _name = 'meddev.credit.partner.state'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Credit Rating and Hold per Company'
    _rec_name = 'partner_id'
    _order = 'partner_id, company_id'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        ondelete='cascade')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        ondelete='cascade')
    rating = fields.Selection(RATINGS, string='Credit Rating', index=True,
                              track_visibility='onchange')
    score = fields.Float(string='Credit Score', digits=(5, 2))
    rating_date = fields.Date(string='Rated on')
    hold = fields.Boolean(string='Credit Hold', index=True,
                          track_visibility='onchange')
    hold_reason = fields.Char(string='Hold Reason',
                              track_visibility='onchange')
    hold_origin = fields.Selection(HOLD_ORIGINS, string='Hold Origin',
                                   track_visibility='onchange')
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
        string='Credit Limit', track_visibility='onchange',
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

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, *args, **kwargs):
        """Credit the tracked change to the user who made it: partners
        write their state through sudo (a credit manager may set the state
        of a company other than their current one), which would make the
        superuser its author. Only honoured under sudo: a client cannot
        reach it with its own context to sign as someone else."""
        author_id = self.env.context.get('credit_author_id')
        if author_id and self.env.uid == SUPERUSER_ID and kwargs.get(
                'author_id') is None:
            kwargs['author_id'] = author_id
        return super(MeddevCreditPartnerState, self).message_post(
            *args, **kwargs)

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
        # res.partner refuses the search to whoever may not read the
        # partner fields searched (_credit_check_search): the states of the
        # company are read through sudo, like the fields themselves.
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
