from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .meddev_partner_licence import REVIEWER_GROUP

QUALIFICATION_STATES = [
    ('qualified', 'Qualified'),
    ('expiring', 'Expiring Soon'),
    ('expired', 'Expired'),
    ('incomplete', 'Incomplete'),
    ('blocked', 'Blocked'),
]
WATCHLIST_FIELDS = {
    'meddev_watchlist', 'meddev_watchlist_reason', 'meddev_watchlist_source'}
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
    ], string='Qualification Kind', track_visibility='onchange',
        help="Decides which licence types the partner must hold.")
    meddev_qualification_tier = fields.Selection([
        ('strategic', 'Strategic'),
        ('standard', 'Standard'),
        ('end_user', 'End User'),
    ], string='Qualification Tier', track_visibility='onchange')
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
        help="Qualified: every licence its kind requires is approved and in "
             "date. Expiring soon: one of them is within its alert "
             "threshold. Expired: one has expired. Incomplete: one has never "
             "been approved. Blocked: on the watchlist.")
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

    @api.multi
    def write(self, vals):
        if WATCHLIST_FIELDS & set(vals) and not (
                self.env.user._is_superuser()
                or self.env.user.has_group(REVIEWER_GROUP)):
            raise AccessError(
                _('Only qualification reviewers may put %(partner)s on the '
                  'watchlist or take it off.') % {
                    'partner': ', '.join(self.mapped('display_name'))})
        return super(ResPartner, self).write(vals)

    def _compute_meddev_licence_count(self):
        # sudo: the count is shown to salespeople who may not read licences.
        groups = self.env['meddev.partner.licence'].sudo().read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['partner_id'])
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
    def _meddev_qualification_data(self, partners, today=None):
        """Return {partner id: {state, classes, categories, next_expiry}}
        for commercial ``partners``, from one read of their licences."""
        today = today or fields.Date.context_today(self)
        # sudo: the qualification summary is shown to salespeople.
        licences = self.env['meddev.partner.licence'].sudo().search([
            ('partner_id', 'in', partners.ids),
            ('state', 'in', ('approved', 'expired')),
        ])
        licence_types = self.env['meddev.licence.type'].sudo().search([])
        by_partner = {}
        for licence in licences:
            by_partner.setdefault(licence.partner_id.id, []).append(licence)
        data = {}
        for partner in partners:
            held = by_partner.get(partner.id, [])
            valid = [lic for lic in held if lic.is_valid_on(today)]
            classes = [name for name, field in CLASS_FIELDS
                       if any(lic.licence_type_id[field] for lic in valid)]
            categories = self.env['meddev.device.category']
            for licence in valid:
                categories |= licence.scope_category_ids
            ends = [lic.valid_to for lic in valid if not lic.long_term]
            data[partner.id] = {
                'state': self._meddev_state(
                    partner, held, valid, licence_types, today),
                'classes': ', '.join(classes) or False,
                'categories': categories,
                'next_expiry': min(ends) if ends else False,
            }
        return data

    def _meddev_state(self, partner, held, valid, licence_types, today):
        if partner.meddev_watchlist:
            return 'blocked'
        kind = partner.meddev_partner_kind
        if not kind:
            return False
        required = licence_types.filtered('for_%s' % kind)
        state = 'qualified'
        for licence_type in required:
            type_valid = [lic for lic in valid
                          if lic.licence_type_id == licence_type]
            if not type_valid:
                if any(lic.licence_type_id == licence_type for lic in held):
                    state = 'expired'
                    continue
                return 'incomplete'
            if state == 'qualified' and not any(
                    lic.long_term for lic in type_valid):
                thresholds = licence_type.get_alert_days()
                latest = max(lic.valid_to for lic in type_valid)
                limit = self.env['meddev.trade.gate'].days_later(
                    today, thresholds[0] if thresholds else 0)
                if latest <= limit:
                    state = 'expiring'
        return state

    def _search_qualification_state(self, operator, value):
        if operator not in ('=', '!=', 'in', 'not in'):
            raise UserError(_('Qualification can only be searched by '
                              'value, not with "%(operator)s".') % {
                                  'operator': operator})
        values = value if isinstance(value, (list, tuple)) else [value]
        candidates = self.search([
            ('parent_id', '=', False), '|',
            ('meddev_partner_kind', '!=', False),
            ('meddev_watchlist', '=', True)])
        data = self._meddev_qualification_data(candidates)
        ids = [pid for pid, values_ in data.items()
               if values_['state'] in values]
        if operator in ('=', 'in'):
            return [('commercial_partner_id', 'in', ids)]
        return [('commercial_partner_id', 'not in', ids)]

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
