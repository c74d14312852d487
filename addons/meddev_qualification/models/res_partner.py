from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import create_values

from .access import is_reviewer

QUALIFICATION_STATES = [
    ('qualified', 'Qualified'),
    ('expiring', 'Expiring Soon'),
    ('expired', 'Expired'),
    ('incomplete', 'Incomplete'),
    ('blocked', 'Blocked'),
]
# Fields that decide which licences a partner needs and whether it may be
# traded with: only qualification reviewers set them.
REGULATORY_FIELDS = {
    'meddev_partner_kind', 'meddev_qualification_tier', 'meddev_watchlist',
    'meddev_watchlist_reason', 'meddev_watchlist_source'}
CLASS_FIELDS = (
    ('I', 'authorises_class_i'),
    ('II', 'authorises_class_ii'),
    ('III', 'authorises_class_iii'),
)


class ResPartner(models.Model):
    """Qualification of a partner: which licences it holds, what they allow
    it to trade, and whether it is blocked by a watchlist."""

    _inherit = 'res.partner'

    meddev_partner_kind = fields.Selection([
        ('distributor', 'Distributor'),
        ('hospital', 'Hospital'),
        ('manufacturer', 'Manufacturer'),
        ('supplier', 'Supplier'),
    ], string='Qualification Kind', track_visibility='onchange', copy=False,
        help="Decides which licence types the partner must hold.")
    meddev_qualification_tier = fields.Selection([
        ('strategic', 'Strategic'),
        ('standard', 'Standard'),
        ('end_user', 'End User'),
    ], string='Qualification Tier', track_visibility='onchange', copy=False)
    meddev_licence_ids = fields.One2many(
        'meddev.partner.licence', 'partner_id', string='Licences')
    meddev_review_ids = fields.One2many(
        'meddev.qualification.review', 'partner_id',
        string='First-Business Reviews')
    meddev_licence_count = fields.Integer(
        compute='_compute_meddev_licence_count', string='Licence Count')
    qualification_state = fields.Selection(
        QUALIFICATION_STATES, string='Qualification',
        compute='_compute_qualification', search='_search_qualification_state',
        help="For the current company. Qualified: every licence its kind "
             "requires is approved and in date. Expiring soon: one of them "
             "is within its alert threshold. Expired: one has expired. "
             "Incomplete: one has never been approved, or the company "
             "requires an approved first-business review and there is none. "
             "Blocked: on the watchlist, or its latest first-business review "
             "was rejected.")
    meddev_qualified_classes = fields.Char(
        compute='_compute_qualification', string='Qualified Classes')
    meddev_qualified_category_ids = fields.Many2many(
        'meddev.device.category', compute='_compute_qualification',
        string='Qualified Categories')
    meddev_next_expiry = fields.Date(
        compute='_compute_qualification', string='Next Licence Expiry')
    meddev_watchlist = fields.Boolean(
        string='On Watchlist', track_visibility='onchange', copy=False,
        help="Partners on the watchlist cannot be traded with.")
    meddev_watchlist_reason = fields.Char(
        string='Watchlist Reason', track_visibility='onchange', copy=False)
    meddev_watchlist_source = fields.Char(
        string='Watchlist Source', track_visibility='onchange', copy=False,
        help="Where the listing comes from, e.g. a regulator's notice.")

    @api.model
    def create(self, vals):
        # The caller's default_* keys and saved defaults fill the missing
        # fields: checked too.
        asked = create_values(self, vals, REGULATORY_FIELDS)
        self._check_regulatory_change(
            set(name for name in REGULATORY_FIELDS if asked.get(name)),
            vals.get('name'))
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        changed = set(
            name for name in REGULATORY_FIELDS & set(vals)
            if any(partner[name] != vals[name] for partner in self))
        self._check_regulatory_change(
            changed, ', '.join(self.mapped('display_name')))
        if {'parent_id', 'is_company'} & set(vals):
            self._check_commercial_partner_kept(vals)
        return super(ResPartner, self).write(vals)

    def _meddev_new_commercial_partner(self, vals):
        """Return the commercial partner this partner would have once
        ``vals`` (a parent, the company flag) are written."""
        self.ensure_one()
        is_company = vals.get('is_company', self.is_company)
        parent = self.browse(vals['parent_id'] or []) \
            if 'parent_id' in vals else self.parent_id
        if is_company or not parent:
            return self
        return parent.commercial_partner_id

    def _check_commercial_partner_kept(self, vals):
        """Refuse, except to qualification reviewers, a change of parent or
        of the company flag that gives a partner with a qualification (a
        kind, a licence, a watchlist entry) or with trade of its own (sale
        or purchase orders, transfers) another commercial partner: the gates
        judge the commercial partner, so that partner's orders would trade
        under the other one's licences, or escape its own listing. A
        partner without either moves freely, as a contact is created under
        a company (create is not checked: a new partner has no record)."""
        if is_reviewer(self.env):
            return
        # sudo: the partners and records that move along, whoever may read
        # them; only their names and the refusal are shown.
        partners = self.sudo().with_context(active_test=False)
        moves = {}
        for partner in partners:
            new = partner._meddev_new_commercial_partner(vals)
            if new != partner.commercial_partner_id:
                # The partner's own contacts change commercial partner too.
                moves[partner] = (partners.search([
                    ('id', 'child_of', partner.id),
                    ('commercial_partner_id', '=',
                     partner.commercial_partner_id.id)]), new)
        if not moves:
            return
        moving = partners.union(*[ids for ids, _new in moves.values()])
        licensed = self.env['meddev.partner.licence'].sudo().search(
            [('partner_id', 'in', moving.ids)]).mapped('partner_id')
        qualified = [
            partner for partner, (ids, _new) in moves.items()
            if any(one.meddev_partner_kind or one.meddev_watchlist
                   or one in licensed for one in ids)]
        if qualified:
            raise AccessError(
                _('Only qualification reviewers may make %(partners)s a '
                  'contact of another company: its licences, kind and '
                  'watchlist entry would no longer count.') % {
                    'partners': ', '.join(
                        partner.display_name for partner in qualified)})
        traded = moving._meddev_traded_partners()
        refused = [(partner, new) for partner, (ids, new) in moves.items()
                   if ids & traded]
        if refused:
            raise UserError(
                _('Only qualification reviewers may move %(partners)s to '
                  '%(new)s: it has sale or purchase orders or transfers of '
                  'its own, which the licence gate would then judge by the '
                  'licences of %(new)s instead of %(old)s.') % {
                    'partners': ', '.join(
                        partner.display_name for partner, _new in refused),
                    'new': ', '.join(sorted(set(
                        new.display_name for _partner, new in refused))),
                    'old': ', '.join(sorted(set(
                        partner.commercial_partner_id.display_name
                        for partner, _new in refused)))})

    def _meddev_traded_partners(self):
        """Return those of these partners that a sale order (as customer,
        invoice or delivery address), a purchase order or a transfer
        names: one query per model, active or not, any state."""
        traded = self.browse()
        for model, names in (
                ('sale.order', ('partner_id', 'partner_invoice_id',
                                'partner_shipping_id')),
                ('purchase.order', ('partner_id',)),
                ('stock.picking', ('partner_id',))):
            records = self.env[model].sudo().with_context(active_test=False)
            domain = ['|'] * (len(names) - 1) + [
                (name, 'in', self.ids) for name in names]
            for group in records.read_group(domain, list(names),
                                            list(names), lazy=False):
                for name in names:
                    if group[name]:
                        traded |= self.browse(group[name][0])
        return traded & self

    @api.model
    def _check_regulatory_change(self, names, partner_name):
        """Refuse a change of the qualification kind, tier or watchlist by
        anyone but a qualification reviewer (on create as on write)."""
        if names and not is_reviewer(self.env):
            raise AccessError(
                _('Only qualification reviewers may set %(fields)s of '
                  '%(partner)s (kind and tier decide which licences it '
                  'needs, the watchlist whether it may be traded with).') % {
                    'fields': ', '.join(sorted(
                        self._fields[name].get_description(
                            self.env)['string'] for name in names)),
                    'partner': partner_name or '-'})

    @api.model
    def _meddev_company(self):
        """The company whose licences the qualification figures count: the
        one the user works in, as for the orders they enter."""
        company_id = self.env.context.get('force_company')
        # A company forced in the context counts only if the user works in
        # it: the figures would otherwise reveal another company's
        # licences.
        if company_id and company_id in self.env.user.sudo().company_ids.ids:
            return self.env['res.company'].browse(company_id)
        return self.env.user.company_id

    def _compute_meddev_licence_count(self):
        # sudo: the count is shown to salespeople who may not read licences.
        licences = self.env['meddev.partner.licence'].sudo()
        groups = licences.read_group(
            [('partner_id', 'in', self.ids)]
            + licences._company_domain(self._meddev_company()),
            ['partner_id'], ['partner_id'])
        counts = {group['partner_id'][0]: group['partner_id_count']
                  for group in groups}
        for partner in self:
            partner.meddev_licence_count = counts.get(partner.id, 0)

    def _compute_qualification(self):
        data = self._meddev_qualification_data(
            self.mapped('commercial_partner_id'))
        for partner in self:
            values = data.get(partner.commercial_partner_id.id, {})
            partner.qualification_state = values.get('state', False)
            partner.meddev_qualified_classes = values.get('classes', False)
            partner.meddev_qualified_category_ids = values.get(
                'categories', self.env['meddev.device.category'])
            partner.meddev_next_expiry = values.get('next_expiry', False)

    @api.model
    def _meddev_qualification_data(self, partners, today=None,
                                   company=None):
        """Return {partner id: {state, classes, categories, next_expiry}}
        for commercial ``partners``, from the licences that count for
        ``company`` (default: the user's), as the trade gate reads them."""
        today = today or fields.Date.context_today(self)
        company = company or self._meddev_company()
        states = self._meddev_qualification_states(today, company, partners)
        # sudo: the qualification summary is shown to salespeople.
        licence_model = self.env['meddev.partner.licence'].sudo()
        licences = licence_model.search([
            ('partner_id', 'in', partners.ids),
            ('state', '=', 'approved'),
        ] + licence_model._company_domain(company))
        by_partner = {}
        for licence in licences:
            by_partner.setdefault(licence.partner_id.id, []).append(licence)
        data = {}
        for partner in partners:
            valid = [lic for lic in by_partner.get(partner.id, [])
                     if lic.is_valid_on(today)]
            classes = [name for name, field in CLASS_FIELDS
                       if any(lic.licence_type_id[field] for lic in valid)]
            categories = self.env['meddev.device.category']
            for licence in valid:
                categories |= licence.scope_category_ids
            ends = [lic.valid_to for lic in valid if not lic.long_term]
            data[partner.id] = {
                'state': states.get(partner.id, False),
                'classes': ', '.join(classes) or False,
                'categories': categories,
                'next_expiry': min(ends) if ends else False,
            }
        return data

    @api.model
    def _meddev_qualification_states(self, today, company, partners=None,
                                     states=None):
        """Return {partner id: state} in one query, for commercial
        ``partners`` (default: every partner with a kind or on the
        watchlist), keeping only ``states`` when given.

        Blocked: on the watchlist, or the latest decided first-business
        review of the company rejected it. Without a kind: no state.
        Incomplete: a required licence type was never approved (or the
        company requires an approved review and there is none); expired:
        one has only expired licences; expiring: one has no long-term
        licence and its latest ends within its first alert threshold."""
        gate = self.env['meddev.trade.gate']
        licence_types = self.env['meddev.licence.type'].sudo().search([])
        horizons = [(licence_type.id, gate.days_later(
            today, (licence_type.get_alert_days() or [0])[0]))
            for licence_type in licence_types]
        query = """
            WITH partner AS (
                SELECT p.id, p.meddev_partner_kind AS kind,
                       COALESCE(p.meddev_watchlist, FALSE) AS watchlist
                FROM res_partner p
                WHERE p.id = p.commercial_partner_id
                  AND (p.meddev_partner_kind IS NOT NULL OR p.meddev_watchlist)
                  AND (%(all)s OR p.id = ANY(%(partner_ids)s))
            ), horizon AS (
                SELECT * FROM unnest(%(type_ids)s::int[], %(limits)s::date[])
                    AS h(type_id, limit_date)
            ), per_type AS (
                SELECT p.id AS partner_id, t.id AS type_id,
                       COALESCE(bool_or(
                           l.state = 'approved'
                           AND (l.valid_from IS NULL
                                OR l.valid_from <= %(today)s)
                           AND (l.long_term OR l.valid_to >= %(today)s)),
                           FALSE) AS valid,
                       bool_or(l.id IS NOT NULL) AS held,
                       COALESCE(bool_or(
                           l.state = 'approved' AND l.long_term
                           AND (l.valid_from IS NULL
                                OR l.valid_from <= %(today)s)),
                           FALSE) AS forever,
                       max(l.valid_to) FILTER (
                           WHERE l.state = 'approved'
                             AND (l.valid_from IS NULL
                                  OR l.valid_from <= %(today)s)
                             AND l.valid_to >= %(today)s) AS latest
                FROM partner p
                JOIN meddev_licence_type t
                  ON t.active AND CASE p.kind
                      WHEN 'distributor' THEN t.for_distributor
                      WHEN 'hospital' THEN t.for_hospital
                      WHEN 'manufacturer' THEN t.for_manufacturer
                      WHEN 'supplier' THEN t.for_supplier
                      ELSE FALSE END
                LEFT JOIN meddev_partner_licence l
                  ON l.partner_id = p.id AND l.licence_type_id = t.id
                 AND l.state IN ('approved', 'expired')
                 AND l.company_id = %(company)s
                GROUP BY p.id, t.id
            ), review AS (
                SELECT DISTINCT ON (r.partner_id) r.partner_id, r.state
                FROM meddev_qualification_review r
                JOIN partner p ON p.id = r.partner_id
                WHERE r.review_type = 'partner'
                  AND r.state IN ('approved', 'rejected')
                  AND r.company_id = %(company)s
                ORDER BY r.partner_id, r.decision_date DESC, r.id DESC
            ), result AS (
                SELECT p.id, CASE
                    WHEN p.watchlist OR bool_or(r.state = 'rejected')
                        THEN 'blocked'
                    WHEN p.kind IS NULL THEN NULL
                    WHEN bool_or(NOT pt.valid AND NOT pt.held)
                      OR (%(review_required)s AND NOT bool_or(
                              COALESCE(r.state = 'approved', FALSE)))
                        THEN 'incomplete'
                    WHEN bool_or(NOT pt.valid) THEN 'expired'
                    WHEN bool_or(NOT pt.forever
                                 AND pt.latest <= h.limit_date)
                        THEN 'expiring'
                    ELSE 'qualified' END AS state
                FROM partner p
                LEFT JOIN per_type pt ON pt.partner_id = p.id
                LEFT JOIN horizon h ON h.type_id = pt.type_id
                LEFT JOIN review r ON r.partner_id = p.id
                GROUP BY p.id, p.kind, p.watchlist
            )
            SELECT id, state FROM result
            WHERE %(any_state)s OR state = ANY(%(states)s)
        """
        self.env.cr.execute(query, {
            'all': partners is None,
            'partner_ids': partners.ids if partners is not None else [],
            'type_ids': [type_id for type_id, _limit in horizons],
            'limits': [limit for _type_id, limit in horizons],
            'today': today,
            'company': company.id,
            # sudo: a user may work in a company whose record they cannot
            # read (Odoo's company rule follows the current company).
            'review_required': bool(company.sudo().meddev_review_required),
            'any_state': states is None,
            'states': list(states or []),
        })
        return dict(self.env.cr.fetchall())

    def _search_qualification_state(self, operator, value):
        """Search partners by qualification state for the user's company,
        in SQL; contacts share their company's state."""
        if operator not in ('=', '!=', 'in', 'not in'):
            raise UserError(_('Qualification can only be searched by '
                              'value, not with "%(operator)s".') % {
                                  'operator': operator})
        values = value if isinstance(value, (list, tuple)) else [value]
        today = fields.Date.context_today(self)
        company = self._meddev_company()
        wanted = [state for state in values if state]
        ids = list(self._meddev_qualification_states(
            today, company, states=wanted)) if wanted else []
        domain = [('commercial_partner_id', 'in', ids)]
        if len(wanted) < len(values):
            # No state (False): partners without a kind nor a listing.
            with_state = list(self._meddev_qualification_states(
                today, company))
            domain = ['|'] + domain + [
                ('commercial_partner_id', 'not in', with_state)]
        if operator in ('=', 'in'):
            return domain
        return ['!'] + domain

    @api.multi
    def action_view_meddev_licences(self):
        """Open the licences of this partner."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_qualification.meddev_partner_licence_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {
            'default_partner_id': self.commercial_partner_id.id}
        return action
