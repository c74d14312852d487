from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape


class MeddevCreditHoldWizard(models.TransientModel):
    """Put a customer on manual credit hold or lift its hold, with a
    reason kept in the customer's chatter."""

    _name = 'meddev.credit.hold.wizard'
    _description = 'Set or Lift a Credit Hold'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, readonly=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, readonly=True,
        default=lambda self: self.env.user.company_id,
        help="Holds are per company: this one's orders are held.")
    action = fields.Selection(
        [('set', 'Put on Hold'), ('lift', 'Lift Hold')],
        string='Action', required=True, readonly=True, default='set')
    reason = fields.Text(
        string='Reason',
        help="Why the hold is set or lifted; posted on the customer.")

    @api.multi
    def action_apply(self):
        """Set or lift the hold and post the reason on the customer."""
        self.ensure_one()
        # Transient models are open to every user: check the role here.
        if not self.env.user.has_group(
                'meddev_credit.group_meddev_credit_manager'):
            raise AccessError(_(
                'Only a credit manager may set or lift the credit hold of '
                '%(partner)s.') % {'partner': self.partner_id.display_name})
        partner = self.partner_id.commercial_partner_id.with_context(
            force_company=self.company_id.id)
        reason = (self.reason or '').strip()
        if not reason:
            raise UserError(_(
                'Give a reason to set or lift the credit hold of '
                '%(partner)s.') % {'partner': partner.display_name})
        if self.action == 'set':
            partner._credit_set_manual_hold(reason)
        else:
            partner._credit_lift_hold(reason)
        return {'type': 'ir.actions.act_window_close'}

    @api.model
    def _format_note(self, title, reason):
        """Return the chatter note for a hold change."""
        return '<p><b>%s</b></p><p>%s</p>' % (
            html_escape(title), html_escape(reason).replace('\n', '<br/>'))
