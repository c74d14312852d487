from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from ..comparisons import COMPLEMENTS, OPERATORS, USAGE_OPERATORS
from .meddev_credit_partner_state import STATE_FIELDS


class ResPartner(models.Model):
    """Searching customers by their credit fields in the current company
    (the at-risk list, held customers, ratings), for those who may read
    them only."""

    _inherit = 'res.partner'

    def _search_credit_limit(self, operator, value):
        return self._credit_state_domain('credit_limit', operator, value)

    def _search_credit_rating(self, operator, value):
        return self._credit_state_domain('credit_rating', operator, value)

    def _search_credit_hold(self, operator, value):
        return self._credit_state_domain('credit_hold', operator, value)

    def _search_credit_hold_origin(self, operator, value):
        return self._credit_state_domain(
            'credit_hold_origin', operator, value)

    def _credit_state_domain(self, name, operator, value):
        self._credit_check_search(name)
        return self.env['meddev.credit.partner.state']._partner_domain(
            self._credit_company(), STATE_FIELDS[name], operator, value)

    @api.model
    def _credit_check_search(self, name):
        """Refuse a search on the credit field ``name`` to whoever may
        not read it: the ORM checks field groups on read, not in domains,
        and counting the customers with a limit above a value, bisecting,
        would reveal the limit (search, search_count, read_group all go
        through the field's search method)."""
        if not self._credit_may_read():
            raise AccessError(_(
                'You may not search customers by %(field)s: only credit '
                'users and salespeople see the credit data of '
                'customers.') % {'field': self._fields[name].string})

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
        self._credit_check_search('credit_usage')
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
