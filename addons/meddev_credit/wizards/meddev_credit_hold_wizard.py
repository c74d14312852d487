from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape


class MeddevCreditHoldWizard(models.TransientModel):
    """Put a customer on manual credit hold or lift its hold, with a
    reason kept in the chatter of the customer's credit state in the
    company (read by credit users only, unlike the partner's)."""

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
        help="Why the hold is set or lifted; posted on the customer's "
             "credit log, which only credit users read.")

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
            self._set_manual_hold(partner, reason)
        else:
            self._lift_hold(partner, reason)
        return {'type': 'ir.actions.act_window_close'}

    def _set_manual_hold(self, partner, reason):
        """Put the commercial ``partner`` on manual hold for ``reason`` and
        note it in its chatter."""
        if partner.credit_hold:
            raise UserError(_(
                '%(partner)s is already on credit hold (%(reason)s).') % {
                    'partner': partner.display_name,
                    'reason': partner.credit_hold_reason
                    or _('no reason given')})
        partner.write({'credit_hold': True, 'credit_hold_reason': reason,
                       'credit_hold_origin': 'manual'})
        self._post_note(partner, _('Credit hold set in %(company)s') % {
            'company': self.company_id.name}, reason)

    def _lift_hold(self, partner, reason):
        """Lift the hold of the commercial ``partner``, manual or
        automatic, for ``reason`` and note it in its chatter. The causes
        present now are remembered: the rating job holds again only for a
        new one."""
        if not partner.credit_hold:
            raise UserError(_('%(partner)s is not on credit hold.') % {
                'partner': partner.display_name})
        company = self.company_id
        partner.write({'credit_hold': False, 'credit_hold_reason': False,
                       'credit_hold_origin': 'manual'})
        partner._credit_states(company)[partner.id].write(
            self.env['meddev.credit.rating.engine']._release_marker(
                partner, company, fields.Date.context_today(self)))
        self._post_note(partner, _('Credit hold lifted in %(company)s') % {
            'company': company.name}, reason)

    def _post_note(self, partner, title, reason):
        """Post the hold change on the credit state of ``partner`` in the
        wizard's company, signed by the credit manager."""
        # The state is read through sudo (_credit_states): the manager may
        # act for a company other than their current one.
        state = partner._credit_states(self.company_id)[partner.id]
        state.message_post(
            body=self._format_note(title, reason), subtype='mail.mt_note',
            author_id=self.env.user.partner_id.id)

    @api.model
    def _format_note(self, title, reason):
        """Return the chatter note for a hold change."""
        return '<p><b>%s</b></p><p>%s</p>' % (
            html_escape(title), html_escape(reason).replace('\n', '<br/>'))
