from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.job import job

from .meddev_credit_exposure import FIGURE_FIELDS
from .meddev_credit_partner_state import (
    HOLD_ORIGINS, OPERATORS, STATE_FIELDS)
from .meddev_credit_rating_history import RATINGS
from .meddev_credit_usage import USAGE_OPERATORS

# Who reads the credit fields of partners (read(), export, views): the
# credit users, which Sales / User implies; salespeople explicitly too, so
# that they keep seeing their customer's hold and available credit should
# an implementer remove the implication. Plain employees and portal users
# do not. Server code reads the computed fields as attributes unchecked.
CREDIT_GROUPS = ('meddev_credit.group_meddev_credit_user,'
                 'sales_team.group_sale_salesman')

# Only credit managers change these (checked in create and write, not only
# in views).
CREDIT_MANAGER_FIELDS = {
    'credit_hold', 'credit_hold_reason', 'credit_hold_origin',
    'credit_hold_user_id', 'credit_hold_date', 'credit_rating',
    'credit_score', 'credit_rating_date',
}
# The comparison that holds exactly when the key's does not.
COMPLEMENTS = {'>': '<=', '>=': '<', '<': '>=', '<=': '>'}


class ResPartner(models.Model):
    """Credit fields of customers: figures, limit, rating and hold in the
    current company, read from the exposure figures and the per-company
    credit state; the computations live in meddev.credit.exposure,
    meddev.credit.gate and meddev.credit.rating.engine."""

    _inherit = 'res.partner'

    # Per company: computed from meddev.credit.partner.state of the
    # commercial partner in the current company (force_company or the
    # user's), written through on commercial partners.
    credit_limit = fields.Float(
        groups=CREDIT_GROUPS,
        string='Credit Limit', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_limit', track_visibility='onchange',
        help="The customer's credit limit in the current company, in its "
             "currency; each company sets its own. 0: no limit set, the "
             "company's policy for customers without a limit applies.")
    credit_rating = fields.Selection(
        RATINGS, string='Credit Rating', readonly=True, copy=False,
        groups=CREDIT_GROUPS,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_rating', track_visibility='onchange')
    credit_score = fields.Float(
        groups=CREDIT_GROUPS,
        string='Credit Score', digits=(5, 2), readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_rating_date = fields.Date(
        groups=CREDIT_GROUPS,
        string='Rated on', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_hold = fields.Boolean(
        groups=CREDIT_GROUPS,
        string='Credit Hold', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_hold', track_visibility='onchange',
        help="Orders of a customer on hold are not confirmed.")
    credit_hold_reason = fields.Char(
        groups=CREDIT_GROUPS,
        string='Hold Reason', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        track_visibility='onchange')
    credit_hold_origin = fields.Selection(
        HOLD_ORIGINS, string='Hold Origin', readonly=True, copy=False,
        groups=CREDIT_GROUPS,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_hold_origin',
        help="Automatic holds are lifted by the rating job once their "
             "cause is gone; manual holds only by a credit manager.")
    credit_hold_user_id = fields.Many2one(
        'res.users', string='Hold Set by', readonly=True, copy=False,
        groups=CREDIT_GROUPS,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_hold_date = fields.Datetime(
        groups=CREDIT_GROUPS,
        string='Hold Changed on', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_state_ids = fields.One2many(
        'meddev.credit.partner.state', 'partner_id',
        groups=CREDIT_GROUPS,
        string='Credit State per Company')
    credit_currency_id = fields.Many2one(
        'res.currency', string='Credit Currency',
        groups=CREDIT_GROUPS,
        compute='_compute_credit_figures')
    credit_receivable = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Open Receivables', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Unpaid posted customer invoices net of unpaid credit notes.")
    credit_draft_invoice = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Draft Invoices', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_sale_order = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Orders Not Invoiced', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Confirmed sale orders' amount still to invoice: what was "
             "delivered or is still planned to ship, less what was "
             "invoiced (negative after a return not yet refunded).")
    credit_unreconciled_payment = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Unreconciled Payments', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Money received and posted but not yet matched to an "
             "invoice (negative: it reduces the exposure).")
    credit_exposure = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Credit Exposure', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_effective_limit = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Effective Limit', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="The limit the sale gate applies: the typed limit (or the "
             "company's policy without one) times the grade's multiplier, "
             "within the grade's cap.")
    credit_limit_basis = fields.Char(
        groups=CREDIT_GROUPS,
        string='Limit Basis', compute='_compute_credit_figures',
        help="How the effective limit is obtained from the typed one.")
    credit_available = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Available Credit', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_usage = fields.Float(
        groups=CREDIT_GROUPS,
        string='Limit Used (%)', digits=(6, 2),
        compute='_compute_credit_figures', search='_search_credit_usage')
    credit_overdue_amount = fields.Monetary(
        groups=CREDIT_GROUPS,
        string='Overdue', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Overdue invoices net of the payments and credit notes not "
             "matched yet (they settle the oldest first); nothing within "
             "the company's tolerance amount.")
    credit_overdue_days = fields.Integer(
        groups=CREDIT_GROUPS,
        string='Oldest Overdue (days)', compute='_compute_credit_figures')
    # Stored, so not restricted: attribute access to a stored field the
    # user may not read fails (the ORM prefetches it through read()), and
    # a time of the last check says nothing of the customer's credit.
    credit_gate_date = fields.Datetime(
        string='Last Credit Check', readonly=True, copy=False,
        help="Written by the confirmation gate so that two confirmations "
             "for one customer serialise.")
    credit_override_ids = fields.One2many(
        'meddev.credit.override', 'partner_id', string='Credit Overrides',
        groups=CREDIT_GROUPS)
    credit_override_count = fields.Integer(
        groups=CREDIT_GROUPS,
        compute='_compute_credit_override_count')
    credit_rating_history_ids = fields.One2many(
        'meddev.credit.rating.history', 'partner_id',
        groups=CREDIT_GROUPS,
        string='Rating History')

    # ------------------------------------------------------------------
    # Per-company state
    # ------------------------------------------------------------------

    def _credit_company(self):
        """Return the company whose figures are shown."""
        company_id = self.env.context.get('force_company')
        if company_id:
            return self.env['res.company'].browse(company_id)
        return self.env.user.company_id

    def _credit_states(self, company):
        """Return {partner id: its credit state row in ``company``}."""
        # Rating, limit and hold are not secret to whoever reads the
        # partner: the gate and the figures need them for any user.
        states = self.env['meddev.credit.partner.state'].sudo().search([
            ('partner_id', 'in', self.ids),
            ('company_id', '=', company.id)])
        return {state.partner_id.id: state for state in states}

    def _compute_credit_state(self):
        # A contact shows its company's limit, rating and hold.
        states = self.mapped('commercial_partner_id')._credit_states(
            self._credit_company())
        for partner in self:
            state = states.get(partner.commercial_partner_id.id)
            for name, state_name in STATE_FIELDS.items():
                partner[name] = state[state_name] if state else False

    def _inverse_credit_state(self):
        # The fields share one compute: reading one that is not being
        # written would recompute (and overwrite) those that are. Write
        # only the fields being written, which the ORM protects. Contacts
        # receive their company's values by the commercial sync: only
        # commercial partners hold a state.
        company = self._credit_company()
        commercials = self.filtered(
            lambda partner: partner.commercial_partner_id == partner)
        states = commercials._credit_states(company)
        for partner in commercials:
            vals = {}
            for name, state_name in STATE_FIELDS.items():
                if partner not in self.env.protected(self._fields[name]):
                    continue
                value = partner[name]
                vals[state_name] = value.id if isinstance(
                    value, models.BaseModel) else value
            state = states.get(partner.id)
            if state:
                changed = {
                    key: value for key, value in vals.items()
                    if (state[key].id if isinstance(
                        state[key], models.BaseModel) else state[key])
                    != value}
                if changed:
                    state.write(changed)
            elif any(vals.values()):
                vals.update(partner_id=partner.id, company_id=company.id)
                # create() and write() let only credit managers set these.
                states[partner.id] = self.env[
                    'meddev.credit.partner.state'].sudo().create(vals)

    def _search_credit_limit(self, operator, value):
        return self._credit_state_domain('credit_limit', operator, value)

    def _search_credit_rating(self, operator, value):
        return self._credit_state_domain('rating', operator, value)

    def _search_credit_hold(self, operator, value):
        return self._credit_state_domain('hold', operator, value)

    def _search_credit_hold_origin(self, operator, value):
        return self._credit_state_domain('hold_origin', operator, value)

    def _credit_state_domain(self, state_field, operator, value):
        return self.env['meddev.credit.partner.state']._partner_domain(
            self._credit_company(), state_field, operator, value)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _compute_credit_figures(self):
        company = self._credit_company()
        figures = self._credit_figures(company)
        for partner in self:
            values = figures[partner.commercial_partner_id.id]
            partner.credit_currency_id = company.currency_id
            for name in FIGURE_FIELDS:
                partner[name] = values[name]
            partner.credit_exposure = values['credit_exposure']
            partner.credit_overdue_days = values['credit_overdue_days']
            partner.credit_effective_limit = values['limit']
            partner.credit_limit_basis = values['limit_basis']
            partner.credit_available = values['credit_available']
            partner.credit_usage = values['credit_usage']

    def _compute_credit_override_count(self):
        counts = self.env['meddev.credit.override'].read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['partner_id'])
        by_partner = {row['partner_id'][0]: row['partner_id_count']
                      for row in counts}
        for partner in self:
            partner.credit_override_count = by_partner.get(partner.id, 0)

    def _credit_figures(self, company, today=None):
        """Return {commercial partner id: figures} for the commercial
        partners of ``self`` in ``company`` (see meddev.credit.exposure)."""
        return self.env['meddev.credit.exposure']._figures(
            self, company, today)

    def _search_credit_usage(self, operator, value):
        """Search customers by the share of their limit in use (the
        at-risk list): one query over the customers with an open document
        (the others use 0 %); a contact matches as its company, whose
        figures it shows."""
        if operator not in USAGE_OPERATORS or isinstance(value, bool) \
                or not isinstance(value, (int, float)):
            raise UserError(
                _('Limit usage can only be compared with >, >=, < or <= '
                  'and a number, not %(operator)s %(value)r.') % {
                      'operator': operator, 'value': value})
        company = self._credit_company()
        usage = self.env['meddev.credit.usage']
        if OPERATORS[operator](0.0, value):
            # Customers without open documents match: leave out the
            # exposed ones that do not.
            others = usage._partner_ids(
                company, COMPLEMENTS[operator], value)
            return [('commercial_partner_id', 'not in', others)]
        return [('commercial_partner_id', 'in',
                 usage._partner_ids(company, operator, value))]

    @api.model
    def _credit_may_read(self):
        """Whether the current user may read partners' credit fields;
        code that shows them through sudo (another module's summary of a
        customer) asks first."""
        return self.env.uid == SUPERUSER_ID or self.user_has_groups(
            CREDIT_GROUPS)

    @api.model
    def _commercial_fields(self):
        """The credit limit is not copied onto contacts: it is kept per
        company on the commercial partner's credit state, and contacts show
        it by computation. Copied, every edit of a company (its tax id, a
        new contact) would write a credit field that whoever edits may not
        even read."""
        return [name for name in super(ResPartner, self)._commercial_fields()
                if name != 'credit_limit']

    # ------------------------------------------------------------------
    # Who may set limits, holds and ratings
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        """Only credit managers create customers with a limit, hold or
        rating."""
        self._check_credit_create(vals)
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        """Only credit managers set holds, ratings and limits."""
        self._check_credit_write(vals)
        if 'credit_hold' in vals and 'credit_hold_origin' not in vals:
            vals = dict(vals, credit_hold_origin='manual')
        if 'credit_hold' in vals:
            vals.setdefault('credit_hold_user_id', self.env.uid)
            vals.setdefault('credit_hold_date', fields.Datetime.now())
        return super(ResPartner, self).write(vals)

    def _credit_is_manager(self):
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            'meddev_credit.group_meddev_credit_manager')

    @api.model
    def _check_credit_create(self, vals):
        if self._credit_is_manager():
            return
        touched = {name for name in CREDIT_MANAGER_FIELDS if vals.get(name)}
        # A contact's limit is its company's, copied: only a commercial
        # partner's counts.
        commercial = vals.get('is_company') or not vals.get('parent_id')
        if vals.get('credit_limit') and commercial:
            touched.add('credit_limit')
        if touched:
            raise AccessError(
                _('Only a credit manager may create the customer '
                  '%(partner)s with a credit limit, hold or rating '
                  '(%(fields)s).') % {
                    'partner': vals.get('name') or _('(unnamed)'),
                    'fields': ', '.join(sorted(touched))})

    def _check_credit_write(self, vals):
        if self._credit_is_manager():
            return
        touched = CREDIT_MANAGER_FIELDS.intersection(vals)
        # Contacts copy their company's limit: only the company's counts,
        # and that of a contact made a company of its own by this write.
        becomes_commercial = vals.get('is_company') or (
            'parent_id' in vals and not vals['parent_id'])
        if 'credit_limit' in vals and any(
                partner.credit_limit != vals['credit_limit']
                if partner.commercial_partner_id == partner
                else becomes_commercial and vals['credit_limit']
                for partner in self):
            touched.add('credit_limit')
        if touched:
            raise AccessError(
                _('Only a credit manager may change the credit limit, '
                  'hold or rating of %(partner)s (%(fields)s).') % {
                    'partner': ', '.join(self.mapped('display_name')),
                    'fields': ', '.join(sorted(touched)),
                })

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.multi
    def action_view_credit_overrides(self):
        """Open the credit overrides of this customer."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_credit.meddev_credit_override_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {}
        return action

    @api.multi
    def action_credit_set_hold(self):
        """Open the wizard that puts this customer on credit hold."""
        return self._credit_hold_wizard_action('set', _('Put on Credit Hold'))

    @api.multi
    def action_credit_lift_hold(self):
        """Open the wizard that lifts this customer's credit hold."""
        return self._credit_hold_wizard_action('lift', _('Lift Credit Hold'))

    def _credit_hold_wizard_action(self, action, title):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': title,
            'res_model': 'meddev.credit.hold.wizard',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_partner_id': self.commercial_partner_id.id,
                'default_company_id': self._credit_company().id,
                'default_action': action,
            },
        }

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------

    @api.model
    def _credit_rating_signals(self):
        """Return the rating signals as dicts with ``code``, ``name`` and
        ``compute``: a method (partner ids, company, date from, today) ->
        {partner id: risk from 0 to 1, or None without data}. Other modules
        extend this list (and ship a ``meddev.credit.signal`` weight)."""
        engine = self.env['meddev.credit.rating.engine']
        return [
            {'code': 'days_late', 'name': _('Average days late'),
             'compute': engine._signal_days_late},
            {'code': 'late_share', 'name': _('Share of invoices paid late'),
             'compute': engine._signal_late_share},
            {'code': 'overdue_ratio', 'name': _('Overdue ratio'),
             'compute': engine._signal_overdue_ratio},
            {'code': 'returns', 'name': _('Returns and cancellations'),
             'compute': engine._signal_returns},
        ]

    @api.model
    def _cron_rate_customers(self, batch_size=200, today=None,
                             use_jobs=False):
        """Nightly: rate every customer with recent or open invoices, put
        on hold or release; each company rates its own and the shared
        partners on its own figures, into its own rating and hold. With
        ``use_jobs``, each batch is a background job (queue_job), else
        batches run here."""
        self.env['meddev.credit.rating.engine']._rate_all_companies(
            batch_size, today, use_jobs)

    @job(default_channel='root.credit')
    @api.multi
    def _credit_rate_batch(self, company_id, today):
        """Rate one batch of commercial partners in one company."""
        company = self.env['res.company'].browse(company_id)
        self.env['meddev.credit.rating.engine'].with_context(
            force_company=company_id)._rate(self, company, today)
