from odoo import _, fields, models

from odoo.addons.meddev_base.tools import xlsx_sheet

from ..models.meddev_credit_rating_history import RATINGS

# Columns of the template, in order: key, field of res.partner.
COLUMNS = [
    ('partner', 'name'),
    ('ref', 'ref'),
    ('currency', 'currency_id'),
    ('credit_limit', 'credit_limit'),
    ('credit_rating', 'credit_rating'),
]
REQUIRED = ('partner', 'credit_limit')
MANAGER_GROUP = 'meddev_credit.group_meddev_credit_manager'
USER_GROUP = 'meddev_credit.group_meddev_credit_user'


class MeddevCreditLimitImport(models.TransientModel):
    """Customers' credit limits and ratings brought in at go-live from the
    XLSX template, in the company the user works in: the template can be
    exported with the company's current limits and ratings, every row is
    checked first (dry run) and each bad row named with its reason; only a
    file without bad rows is written, in one go, through Odoo's import
    (``load``). The file, the dry run and the template are meddev_base's
    (``meddev.import.wizard``)."""

    _name = 'meddev.credit.limit.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Credit Limit and Rating Import'

    _import_model = 'res.partner'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Credit users export the limits; credit managers import them.
    _import_manager_group = MANAGER_GROUP
    _import_export_group = USER_GROUP
    _import_in_company = True

    company_id = fields.Many2one(
        help="The limits and ratings are those of this company (the one "
             "you work in).")
    with_current = fields.Boolean(
        string='Template with Current Limits', default=True,
        help="Fill the downloaded template with the customers that have a "
             "limit or a rating in this company, to edit and import back.")

    # ------------------------------------------------------------------
    # Hooks of meddev.import.wizard
    # ------------------------------------------------------------------

    def _import_label_overrides(self):
        return {'name': _('Customer'), 'ref': _('Customer Reference')}

    def _import_template_name(self):
        return 'credit_limit_template', _('Credit Limits')

    def _import_template_hint(self):
        return _('One row per customer (company or individual without a '
                 'parent). Customer by its reference when given, else by '
                 'its exact name; Currency: the company\'s (e.g. CNY); '
                 'Credit Limit: a number, 0 for none; Credit Rating: A, B, '
                 'C or D, empty to leave it as it is.')

    def _import_template_rows(self):
        """The company's customers with a limit or a rating, by name."""
        if not self.with_current:
            return []
        company = self._import_company()
        states = self.env['meddev.credit.partner.state'].search([
            ('company_id', '=', company.id),
            '|', ('credit_limit', '!=', 0), ('rating', '!=', False)])
        return [[state.partner_id.name, state.partner_id.ref or '',
                 company.currency_id.name, state.credit_limit,
                 state.rating or '']
                for state in states.sorted(lambda s: s.partner_id.name)]

    def _import_row_key(self, vals):
        return vals.get('partner_id')

    def _import_duplicate_text(self, row):
        return _('the same customer as row %(row)s') % {'row': row}

    def _import_check_row(self, cells, reasons):
        """Return {'partner_id', 'credit_limit', 'credit_rating'} of one
        row (None: leave as it is); append why it cannot be imported."""
        vals = {'partner_id': self._row_partner(cells, reasons)}
        self._row_currency(cells, reasons)
        text = cells.get('credit_limit')
        try:
            limit = xlsx_sheet.parse_number(text)
        except ValueError:
            limit = None
            reasons.append(_('credit limit "%(value)s" is not a number') % {
                'value': text})
        if limit is not None and limit < 0:
            reasons.append(_('credit limit %(value)s is negative') % {
                'value': text})
        vals['credit_limit'] = limit
        rating = (cells.get('credit_rating') or '').strip().upper()
        grades = [code for code, _label in RATINGS]
        if rating and rating not in grades:
            reasons.append(
                _('credit rating "%(value)s" is not one of %(grades)s') % {
                    'value': cells.get('credit_rating'),
                    'grades': ', '.join(grades)})
        vals['credit_rating'] = rating or None
        if not (text or '').strip() and not rating:
            reasons.append(_('neither a credit limit nor a rating given'))
        return vals

    def _import_load(self, values):
        """Write the limits and ratings through Odoo's import, in the
        wizard's company; a value left empty keeps the current one."""
        company = self._import_company()
        partners = self.env['res.partner'].with_context(
            force_company=company.id)
        current = {partner.id: partner for partner in partners.browse(
            [vals['partner_id'] for vals in values])}
        data = []
        for vals in values:
            partner = current[vals['partner_id']]
            limit = vals['credit_limit']
            data.append([
                str(partner.id),
                repr(limit if limit is not None else partner.credit_limit),
                vals['credit_rating'] or partner.credit_rating or ''])
        return partners.load(['.id', 'credit_limit', 'credit_rating'], data)

    def _import_done_text(self, count):
        return _('Credit limits and ratings of %(count)s customers imported '
                 'in %(company)s.') % {
                     'count': count, 'company': self._import_company().name}

    def _import_done(self, ids):
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Credit Limits'),
            'res_model': 'res.partner',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    # ------------------------------------------------------------------
    # Row checks
    # ------------------------------------------------------------------

    def _row_partner(self, cells, reasons):
        """Return the id of the row's customer (a commercial partner), by
        its reference when given, else by its exact name."""
        ref = (cells.get('ref') or '').strip()
        name = (cells.get('partner') or '').strip()
        domain = [('parent_id', '=', False)]
        if ref:
            partners = self.env['res.partner'].search(
                domain + [('ref', '=', ref)])
            label = _('reference "%(ref)s"') % {'ref': ref}
        elif name:
            partners = self.env['res.partner'].search(
                domain + [('name', '=', name)])
            label = '"%s"' % name
        else:
            reasons.append(_('no customer given'))
            return None
        if not partners:
            reasons.append(_('unknown customer %(customer)s') % {
                'customer': label})
        elif len(partners) > 1:
            reasons.append(
                _('%(count)s customers match %(customer)s: give the '
                  'customer reference') % {
                    'count': len(partners), 'customer': label})
        else:
            return partners.id
        return None

    def _row_currency(self, cells, reasons):
        """Refuse a currency other than the company's: limits are kept in
        the company currency and a rate at go-live would be a guess."""
        code = (cells.get('currency') or '').strip().upper()
        if not code:
            return
        company = self._import_company()
        currency = self.env['res.currency'].with_context(
            active_test=False).search(
                ['|', ('name', '=', code), ('symbol', '=', code)], limit=1)
        if not currency:
            reasons.append(_('unknown currency "%(code)s"') % {
                'code': cells.get('currency')})
        elif currency != company.currency_id:
            reasons.append(
                _('credit limits of %(company)s are in %(own)s, not '
                  '%(code)s') % {'company': company.name,
                                 'own': company.currency_id.name,
                                 'code': currency.name})
