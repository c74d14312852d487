from odoo import _, api, fields, models


class MeddevQualificationReviewTrade(models.Model):
    """What the decided first-business reviews mean for trade (see the
    README): the latest decision on a partner or product counts for the
    review's company only (every review has one); a rejection
    blocks confirmation, delivery and receipt, and a company may require an
    approved review of every partner. Read by the trade gate."""

    _inherit = 'meddev.qualification.review'

    @api.model
    def _decided_reviews(self, partners, templates):
        """Return the approved and rejected reviews of ``partners`` and
        product ``templates``, latest decision first, in one query."""
        return self.search([
            ('state', 'in', ('approved', 'rejected')), '|',
            '&', ('review_type', '=', 'partner'),
            ('partner_id', 'in', partners.ids),
            '&', ('review_type', '=', 'product'),
            ('product_tmpl_id', 'in', templates.ids),
        ], order='decision_date desc, id desc')

    @api.model
    def _latest_decision(self, decisions, review_type, subject, company):
        """Return the latest of ``decisions`` on ``subject`` (a partner or
        product template) that counts for ``company``, or no record."""
        field = 'partner_id' if review_type == 'partner' else \
            'product_tmpl_id'
        for review in decisions:
            if review.review_type == review_type \
                    and review[field] == subject \
                    and review.company_id == company:
                return review
        return self.browse()

    @api.model
    def _trade_refusals(self, decisions, partner, template, company):
        """Return why the first-business reviews forbid trading the product
        ``template`` with ``partner`` for ``company``: the latest decision
        on either is a rejection, or the company requires an approved
        review of the partner and there is none."""
        reasons = []
        partner_review = self._latest_decision(
            decisions, 'partner', partner, company)
        if partner_review.state == 'rejected':
            reasons.append(
                _('the first-business review of %(partner)s was rejected '
                  'on %(date)s (%(reason)s)') % {
                    'partner': partner.display_name,
                    'date': partner_review._decision_day(),
                    'reason': partner_review.decision_note
                    or _('no reason given')})
        elif not partner_review and company.meddev_review_required:
            reasons.append(
                _('%(partner)s has no approved first-business review '
                  '(required by %(company)s)') % {
                    'partner': partner.display_name,
                    'company': company.name})
        product_review = self._latest_decision(
            decisions, 'product', template, company)
        if product_review.state == 'rejected':
            reasons.append(
                _('the first-business review of the product was rejected '
                  'on %(date)s (%(reason)s)') % {
                    'date': product_review._decision_day(),
                    'reason': product_review.decision_note
                    or _('no reason given')})
        return reasons

    def _decision_day(self):
        """The day of the decision in the user's time zone (the stored time
        is UTC: the evening in China is the previous day there)."""
        if not self.decision_date:
            return ''
        return fields.Date.to_string(fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(self.decision_date)))
