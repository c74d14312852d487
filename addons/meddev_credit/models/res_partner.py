from collections import defaultdict

from odoo import api, fields, models

from .meddev_credit_exposure import FIGURE_FIELDS
from .meddev_credit_partner_state import HOLD_ORIGINS, STATE_FIELDS
from .meddev_credit_rating_history import RATINGS
from .res_partner_credit_access import CREDIT_GROUPS


class ResPartner(models.Model):
    """Credit fields of customers: figures, limit, rating and hold in the
    current company, read from the exposure figures and the per-company
    credit state. The rest of the partner's credit lives beside this file,
    one idea each: who may see and change it (res_partner_credit_access),
    searching by it (res_partner_credit_search), its buttons
    (res_partner_credit_actions) and the rating job's entry points
    (res_partner_credit_rating); the computations in meddev.credit.exposure,
    meddev.credit.gate and meddev.credit.rating.engine."""

    _inherit = 'res.partner'

    # Per company: computed from meddev.credit.partner.state of the
    # commercial partner in the current company (force_company or the
    # user's), written through on commercial partners.
    credit_limit = fields.Float(
        groups=CREDIT_GROUPS,
        string='Credit Limit', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_limit',
        help="The customer's credit limit in the current company, in its "
             "currency; each company sets its own. 0: no limit set, the "
             "company's policy for customers without a limit applies.")
    credit_rating = fields.Selection(
        RATINGS, string='Credit Rating', readonly=True, copy=False,
        groups=CREDIT_GROUPS,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_rating')
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
        search='_search_credit_hold',
        help="Orders of a customer on hold are not confirmed.")
    credit_hold_reason = fields.Char(
        groups=CREDIT_GROUPS,
        string='Hold Reason', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
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

    def _credit_states(self, company):
        """Return {partner id: its credit state row in ``company``}, the
        states sharing one prefetch (their fields read in one query)."""
        # Rating, limit and hold are not secret to whoever reads the
        # partner: the gate and the figures need them for any user. The
        # pairs come from SQL: the rating job calls this several times a
        # batch, and reading each state's partner through the ORM cost
        # more than the rating's own queries. States are never pending in
        # the ORM (Odoo 11 writes them at once).
        partner_ids = [partner_id for partner_id in self.ids
                       if isinstance(partner_id, int)]
        if not partner_ids:
            return {}
        self.env.cr.execute("""
            SELECT id, partner_id FROM meddev_credit_partner_state
             WHERE partner_id = ANY(%s) AND company_id = %s
             ORDER BY partner_id
        """, [partner_ids, company.id])
        partner_of = dict(self.env.cr.fetchall())
        states = self.env['meddev.credit.partner.state'].sudo().browse(
            list(partner_of))
        return {partner_of[state.id]: state for state in states}

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
        # The state's chatter records the change in the name of the user
        # who made it (see its message_post).
        state_context = dict(
            credit_author_id=self.env.user.partner_id.id,
            mail_create_nosubscribe=True, mail_create_nolog=True)
        # One write per set of changed values: a batch written alike (the
        # rating job's grades) costs one UPDATE, not one per partner.
        changes = defaultdict(
            lambda: self.env['meddev.credit.partner.state'].sudo())
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
                    changes[tuple(sorted(changed.items()))] |= state
            elif any(vals.values()):
                vals.update(partner_id=partner.id, company_id=company.id)
                # create() and write() let only credit managers set these.
                states[partner.id] = self.env[
                    'meddev.credit.partner.state'].sudo().with_context(
                        **state_context).create(vals)
        for changed, group in changes.items():
            group.with_context(**state_context).write(dict(changed))

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

    @api.model
    def _commercial_fields(self):
        """The credit limit is not copied onto contacts: it is kept per
        company on the commercial partner's credit state, and contacts show
        it by computation. Copied, every edit of a company (its tax id, a
        new contact) would write a credit field that whoever edits may not
        even read."""
        return [name for name in super(ResPartner, self)._commercial_fields()
                if name != 'credit_limit']
