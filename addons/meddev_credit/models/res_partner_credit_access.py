from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.tools import create_values

# Who reads the credit fields of partners (read(), export, views, searches
# on them): the credit users, which Sales / User implies; salespeople
# explicitly too, so that they keep seeing their customer's hold and
# available credit should an implementer remove the implication. Plain
# employees and portal users do not. Server code reads the computed fields
# as attributes unchecked.
CREDIT_GROUPS = ('meddev_credit.group_meddev_credit_user,'
                 'sales_team.group_sale_salesman')

# Only credit managers change these (checked in create and write, not only
# in views).
CREDIT_MANAGER_FIELDS = {
    'credit_hold', 'credit_hold_reason', 'credit_hold_origin',
    'credit_hold_user_id', 'credit_hold_date', 'credit_rating',
    'credit_score', 'credit_rating_date',
}


class ResPartner(models.Model):
    """Who may see and change the credit data of customers: the company
    whose data is shown (never one the user does not work in), who reads
    it, and who sets limits, holds and ratings."""

    _inherit = 'res.partner'

    def _credit_company(self):
        """Return the company whose credit data is shown, searched or
        changed: the one forced in the context (force_company), or the
        user's. A company the user does not work in is refused: a client
        sends force_company as it likes."""
        user = self.env.user
        company_id = self.env.context.get('force_company')
        if not company_id or company_id == user.company_id.id:
            return user.company_id
        company = self.env['res.company'].browse(company_id)
        if self.env.uid != SUPERUSER_ID and \
                company not in self._credit_allowed_companies():
            raise AccessError(_(
                'You may not see or change the credit data of customers in '
                'the company %(company)s, where you do not work.') % {
                    # Naming the company refused reveals nothing of its
                    # customers.
                    'company': company.sudo().display_name})
        return company

    def _credit_allowed_companies(self):
        """Return the companies whose credit data the user may see: the
        allowed companies of the user and their branches, as the record
        rules per company let them."""
        user = self.env.user
        return self.env['res.company'].sudo().search(
            [('id', 'child_of', (user.company_ids | user.company_id).ids)])

    @api.model
    def _credit_may_read(self):
        """Whether the current user may read partners' credit fields;
        code that shows them through sudo (another module's summary of a
        customer) asks first."""
        return self.env.uid == SUPERUSER_ID or self.user_has_groups(
            CREDIT_GROUPS)

    # ------------------------------------------------------------------
    # Who may set limits, holds and ratings
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        """Only credit managers create customers with a limit, hold or
        rating (asked in ``vals``, as the caller's ``default_*`` or as the
        user's saved default)."""
        self._check_credit_create(create_values(
            self, vals, CREDIT_MANAGER_FIELDS | {'credit_limit'}))
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
