import logging
from datetime import timedelta

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)


class MeddevCreditDemo(models.AbstractModel):
    """Builds the demo documents that need a chart of accounts."""

    _name = 'meddev.credit.demo'
    _description = 'Credit Control Demo Data'

    @api.model
    def _create_overdue_invoices(self, partner_ids, overdue):
        """Demo data only: post one invoice per (days overdue, amount) for
        each partner, when the company already has a chart of accounts
        (the generic chart may be installed after this module)."""
        company = self.env.user.company_id
        revenue = self.env['account.account'].search([
            ('company_id', '=', company.id),
            ('user_type_id', '=',
             self.env.ref('account.data_account_type_revenue').id)], limit=1)
        journal = self.env['account.journal'].search([
            ('company_id', '=', company.id), ('type', '=', 'sale')], limit=1)
        if not revenue or not journal:
            _logger.info('Credit demo: no chart of accounts yet, the '
                         'overdue demo invoices are left out.')
            return
        today = fields.Date.from_string(fields.Date.context_today(self))
        invoiced = self.env['account.invoice'].search([
            ('partner_id', 'in', partner_ids)]).mapped('partner_id')
        for partner in self.env['res.partner'].browse(partner_ids) - invoiced:
            for days, amount in overdue:
                invoice = self.env['account.invoice'].create({
                    'partner_id': partner.id,
                    'type': 'out_invoice',
                    'journal_id': journal.id,
                    'account_id': partner.property_account_receivable_id.id,
                    'date_invoice': fields.Date.to_string(
                        today - timedelta(days=days + 30)),
                    'date_due': fields.Date.to_string(
                        today - timedelta(days=days)),
                    'invoice_line_ids': [(0, 0, {
                        'name': _('Dental imaging units'),
                        'quantity': 1, 'price_unit': amount,
                        'account_id': revenue.id})],
                })
                invoice.action_invoice_open()
