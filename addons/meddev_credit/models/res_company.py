from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MANAGER_GROUP = 'meddev_credit.group_meddev_credit_manager'

NO_LIMIT_POLICIES = [
    ('unlimited', 'Not checked'),
    ('default', 'Default limit'),
    ('block', 'No credit'),
]


OVERDUE_MODES = [
    ('block', 'Refuse the order'),
    ('warn', 'Confirm and warn'),
]
# The company's credit options, shown in Settings > Credit Control (related
# fields of res.config.settings): only credit managers and administrators
# change them, on every path.
SETTING_FIELDS = (
    'credit_rating_window_days', 'credit_full_risk_days',
    'credit_hold_overdue_days', 'credit_default_tolerance_days',
    'credit_overdue_tolerance_amount', 'credit_overdue_mode',
    'credit_no_limit_policy', 'credit_default_limit',
    'credit_override_validity_days', 'credit_history_score_step',
    'credit_manager_id',
)


class ResCompany(models.Model):
    """The company's credit options (Settings > Credit Control)."""

    _inherit = 'res.company'

    credit_rating_window_days = fields.Integer(
        string='Rating Window (days)', default=365,
        help="Invoices dated within this many days feed the rating.")
    credit_full_risk_days = fields.Integer(
        string='Days Late at Full Risk', default=60,
        help="An average lateness of this many days counts as the highest "
             "risk of the days-late signal.")
    credit_hold_overdue_days = fields.Integer(
        string='Automatic Hold after (days overdue)', default=90,
        help="The rating job puts customers on hold when an invoice is "
             "overdue by more days (0 to disable).")
    credit_default_tolerance_days = fields.Integer(
        string='Overdue Tolerance of Unrated Customers (days)', default=30)
    credit_overdue_tolerance_amount = fields.Monetary(
        string='Overdue Tolerance Amount', currency_field='currency_id',
        help="Overdue amounts up to this, net of payments and credit notes "
             "not yet matched, are ignored by the sale gate and the "
             "automatic holds (small differences, bank charges).")
    credit_overdue_mode = fields.Selection(
        OVERDUE_MODES, string='Overdue beyond Tolerance', required=True,
        default='block',
        help="What the sale gate does with an order of a customer whose "
             "invoices are overdue beyond the tolerance: refuse it (an "
             "approved override lets it through), or confirm it with a "
             "warning in the order's chatter and a to-do for the credit "
             "manager. Limits, holds and grades refuse orders either way.")
    credit_no_limit_policy = fields.Selection(
        NO_LIMIT_POLICIES, string='Customers without a Limit',
        required=True, default='unlimited',
        help="What the sale gate does for a customer without a credit "
             "limit in this company: not check the limit, apply the "
             "default limit below, or give no credit at all (every order "
             "that adds exposure is refused until a limit is set).")
    credit_default_limit = fields.Monetary(
        string='Default Credit Limit', currency_field='currency_id',
        help="Limit of customers without their own, when the policy for "
             "customers without a limit is 'Default limit'.")
    credit_override_validity_days = fields.Integer(
        string='Override Validity (days)', default=7,
        help="An approved credit override must be used within this many "
             "days, after which it expires.")
    credit_history_score_step = fields.Float(
        string='Score Change Recorded from', default=5.0, digits=(5, 2),
        help="The rating job adds a history line when the grade changes "
             "or the score moved by at least this many points since the "
             "last line.")
    credit_manager_id = fields.Many2one(
        'res.users', string='Credit Manager',
        domain=lambda self: [('groups_id', 'in', self.env.ref(
            MANAGER_GROUP).id)],
        help="Receives the activities of override requests and automatic "
             "holds (the first credit manager when empty); a credit manager "
             "who works in this company.")

    @api.constrains('credit_manager_id')
    def _check_credit_manager(self):
        """The credit manager receives the customers' overdue figures and
        the override requests: a credit manager of the company, who may
        read them and act."""
        group = self.env.ref(MANAGER_GROUP)
        for company in self.filtered('credit_manager_id'):
            # sudo: the groups and companies of another user.
            manager = company.credit_manager_id.sudo()
            if group not in manager.groups_id:
                reason = _('they are not a credit manager (Credit Control: '
                           'Manager)')
            elif company not in manager.company_ids:
                reason = _('they do not work in this company (Allowed '
                           'Companies)')
            else:
                continue
            raise ValidationError(
                _('%(user)s cannot be the credit manager of %(company)s: '
                  '%(reason)s.') % {'user': manager.name,
                                    'company': company.name,
                                    'reason': reason})

    @api.model
    def _meddev_guarded_settings(self):
        """The credit options: credit managers (and administrators) only."""
        guarded = super(ResCompany, self)._meddev_guarded_settings()
        guarded.update(dict.fromkeys(SETTING_FIELDS, MANAGER_GROUP))
        return guarded

    @api.model
    def create(self, vals):
        """A new company gets the main company's grade policies and rating
        signal weights."""
        company = super(ResCompany, self).create(vals)
        company._credit_ensure_defaults()
        return company

    def _credit_manager(self):
        """Return the user who handles this company's credit decisions."""
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        group = self.env.ref(MANAGER_GROUP)
        return group.users.filtered(
            lambda user: self in user.company_ids).sorted('id')[:1]

    @api.model
    def _credit_ensure_all_defaults(self):
        """Give every company the grade policies and rating signal weights
        it lacks (called when the module is installed or updated)."""
        self.sudo().search([])._credit_ensure_defaults()

    def _credit_ensure_defaults(self):
        """Copy the main company's grade policies and signal weights to
        these companies where they have none: without weights a company
        is never rated, without policies grades change nothing."""
        template_company = self.env.ref('base.main_company',
                                        raise_if_not_found=False)
        if not template_company:
            return
        for model in ('meddev.credit.policy', 'meddev.credit.signal'):
            # Configuration records: copied whatever the user may read.
            records = self.env[model].sudo().with_context(active_test=False)
            templates = records.search(
                [('company_id', '=', template_company.id)])
            for company in self - template_company:
                existing = records.search([('company_id', '=', company.id)])
                key = 'rating' if model == 'meddev.credit.policy' else 'code'
                have = set(existing.mapped(key))
                for template in templates:
                    if template[key] not in have:
                        template.copy({'company_id': company.id})
