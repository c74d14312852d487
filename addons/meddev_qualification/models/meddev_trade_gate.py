from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

CLASS_FIELDS = {
    'I': 'authorises_class_i',
    'II': 'authorises_class_ii',
    'III': 'authorises_class_iii',
}


class MeddevTradeGate(models.AbstractModel):
    """The licence check shared by sale confirmation, delivery and purchase
    confirmation. Its cost is a fixed number of queries whatever the number
    of lines, licences or past orders: everything is read in batches."""

    _name = 'meddev.trade.gate'
    _description = 'Medical Device Trade Gate'

    @api.model
    def check_items(self, items):
        """Check regulated products against their partners' licences and
        first-business reviews.

        ``items``: list of (document, partner, product, date, company) where
        date is a date string and partner the commercial partner (an empty
        one when the document names none: refused). Return
        (failures, warnings): failures maps each document to a list of
        (product, reason); warnings maps each document to a dict
        {licence: days_left} of licences within their alert threshold.
        """
        failures = {}
        warnings = {}
        # sudo: the salesperson confirming an order may not read licences,
        # reviews or device categories, but the gate must; it reveals only
        # the refusal reasons.
        items = [(document, partner.sudo(), product.sudo(), date, company)
                 for document, partner, product, date, company in items
                 if product and product.sudo().device_class != 'none']
        if not items:
            return failures, warnings
        partners = self.env['res.partner'].union(
            *[item[1] for item in items])
        licences = self.env['meddev.partner.licence'].sudo().search([
            ('partner_id', 'in', partners.ids),
            ('state', 'in', ('approved', 'expired')),
        ])
        licence_types = self.env['meddev.licence.type'].sudo().search([])
        products = self.env['product.product'].sudo().union(
            *[item[2] for item in items])
        # One query for the ancestry of every category involved: a scope
        # covers the subcategories of the categories it lists.
        ancestors = products.mapped(
            'device_category_id')._ancestor_ids_map()
        reviews = self.env['meddev.qualification.review'].sudo()
        decisions = reviews._decided_reviews(
            partners, products.mapped('product_tmpl_id'))
        by_partner = {}
        for licence in licences:
            by_partner.setdefault(licence.partner_id.id, []).append(licence)
        for document, partner, product, date, company in items:
            if not partner:
                # A transfer whose partner was cleared must not pass for
                # want of someone to check.
                reasons = [_('no partner is named whose licences could be '
                             'checked')]
            else:
                reasons = reviews._trade_refusals(
                    decisions, partner, product.product_tmpl_id, company)
                reasons += self._item_reasons(
                    partner, product, date, company,
                    by_partner.get(partner.id, []), licence_types, document,
                    warnings, ancestors)
            for reason in reasons:
                lines = failures.setdefault(document, [])
                # A line checked on the order date and on today's date
                # gives the same reason twice.
                if (product, reason) not in lines:
                    lines.append((product, reason))
        return failures, warnings

    def _item_reasons(self, partner, product, date, company, licences,
                      licence_types, document, warnings, ancestors):
        """Return why ``product`` may not be traded with ``partner`` on
        ``date`` for ``company``; record near-expiry warnings in
        ``warnings``. ``ancestors`` maps category ids to their ancestry."""
        reasons = []
        if partner.meddev_watchlist:
            reasons.append(
                _('%(partner)s is on the watchlist (%(reason)s)') % {
                    'partner': partner.display_name,
                    'reason': partner.meddev_watchlist_reason or _(
                        'no reason given')})
        device_class = product.device_class
        category = product.device_category_id
        if not product.device_certificate_number:
            reasons.append(_('the product has no registration or filing '
                             'certificate number'))
        elif product.device_certificate_expiry \
                and product.device_certificate_expiry < date:
            reasons.append(
                _('the product certificate %(number)s expired on '
                  '%(date)s') % {
                    'number': product.device_certificate_number,
                    'date': product.device_certificate_expiry})
        class_field = CLASS_FIELDS[device_class]
        authorising = [
            licence for licence in licences
            if licence.licence_type_id[class_field]
            and licence.applies_to_company(company)]
        valid = [licence for licence in authorising
                 if licence.is_valid_on(date)]
        covering = [licence for licence in valid
                    if self._covers(licence, category, ancestors)]
        if not authorising:
            needed = ' / '.join(
                licence_types.filtered(class_field).mapped('name'))
            reasons.append(
                _('%(partner)s holds no approved licence for Class '
                  '%(class)s devices (needs: %(types)s)') % {
                    'partner': partner.display_name,
                    'class': device_class, 'types': needed or '-'})
        elif not valid:
            latest = max(authorising, key=lambda lic: lic.valid_to or '')
            reasons.append(
                _('licence %(number)s (%(type)s) of %(partner)s is not '
                  'valid on %(date)s (valid until %(valid_to)s)') % {
                    'number': latest.number,
                    'type': latest.licence_type_id.name,
                    'partner': partner.display_name, 'date': date,
                    'valid_to': latest.valid_to or '-'})
        elif not covering:
            reasons.append(
                _('the scope of licence %(number)s (%(type)s) of '
                  '%(partner)s does not cover category %(category)s') % {
                    'number': valid[0].number,
                    'type': valid[0].licence_type_id.name,
                    'partner': partner.display_name,
                    'category': category.display_name or '-'})
        else:
            best = max(covering, key=lambda lic: (
                lic.long_term, lic.valid_to or ''))
            if not best.long_term:
                days_left = (fields.Date.from_string(best.valid_to)
                             - fields.Date.from_string(date)).days
                thresholds = best.licence_type_id.get_alert_days()
                if thresholds and days_left <= thresholds[0]:
                    # One warning per licence: the nearest expiry of the
                    # dates checked.
                    document_warnings = warnings.setdefault(document, {})
                    document_warnings[best] = min(
                        days_left, document_warnings.get(best, days_left))
        return reasons

    @api.model
    def _covers(self, licence, category, ancestors=None):
        """A licence without scope covers every category; with one, a
        listed category covers itself and its subcategories. ``ancestors``
        is the result of ``_ancestor_ids_map`` for ``category`` (read when
        not given)."""
        if not licence.licence_type_id.has_scope:
            return True
        if not category:
            return False
        if ancestors is None or category.id not in ancestors:
            ancestors = category._ancestor_ids_map()
        return bool(ancestors[category.id]
                    & set(licence.scope_category_ids.ids))

    @api.model
    def items_gated(self, items, direction):
        """Return the ``items`` that the gate of ``direction`` ('customer':
        sale and delivery, 'supplier': purchase and receipt) checks: the
        items of a company that switched off its purchase gate are left
        out of the supplier direction. An item without company stays
        checked."""
        if direction != 'supplier':
            return items
        return [item for item in items
                if not item[4] or item[4].sudo().meddev_purchase_gate]

    @api.model
    def enforce(self, items, action_label):
        """Raise one UserError listing every failing line of every
        document; post near-expiry warnings in the documents' chatter."""
        failures, warnings = self.check_items(items)
        # Templates translated outside the comprehensions: _() finds the
        # language in its caller's frame.
        line_text = _('- %(product)s: %(reason)s')
        warning_text = _('Licence %(number)s (%(type)s) of %(partner)s '
                         'expires on %(date)s, in %(days)s days.')
        if failures:
            blocks = []
            for document, lines in failures.items():
                text = '\n'.join(
                    line_text % {
                        'product': product.display_name, 'reason': reason}
                    for product, reason in lines)
                blocks.append(
                    _('%(document)s cannot be %(action)s:\n%(lines)s') % {
                        'document': document.display_name,
                        'action': action_label, 'lines': text})
            raise UserError('\n\n'.join(blocks))
        for document, licence_days in warnings.items():
            if not hasattr(document, 'message_post'):
                # A move without a transfer has no chatter.
                continue
            licence_days = sorted(licence_days.items(),
                                  key=lambda item: (item[1], item[0].id))
            body = '<br/>'.join(
                warning_text % {
                    'number': licence.number,
                    'type': licence.licence_type_id.name,
                    'partner': licence.partner_id.display_name,
                    'date': licence.valid_to, 'days': days}
                for licence, days in licence_days)
            document.message_post(
                body=body, subject=_('Licence expiring soon'))
        return True

    @api.model
    def date_of(self, value):
        """Return the date, in the user's time zone, of a UTC datetime
        string (an order placed at 07:00 in Beijing is dated that day)."""
        if not value:
            return fields.Date.context_today(self)
        moment = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(value))
        return fields.Date.to_string(moment.date())

    @api.model
    def trade_dates(self, date_order):
        """Return the dates an order is checked on: its own date and today,
        so that a backdated quotation cannot pass on a licence that has
        expired since."""
        today = fields.Date.context_today(self)
        return sorted({self.date_of(date_order), today})

    @api.model
    def days_later(self, date, days):
        return fields.Date.to_string(
            fields.Date.from_string(date) + timedelta(days=days))
