from odoo import _, api, models


class ResPartner(models.Model):
    """The credit buttons of the customer form: its overrides, its credit
    log, and the hold wizard."""

    _inherit = 'res.partner'

    @api.multi
    def action_view_credit_overrides(self):
        """Open the credit overrides of this customer."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_credit.meddev_credit_override_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {}
        return action

    @api.multi
    def action_view_credit_log(self):
        """Open the credit log of this customer in the current company:
        the tracked changes of its limit, rating and hold."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_credit.meddev_credit_partner_state_action').read()[0]
        partner = self.commercial_partner_id
        action['domain'] = [('partner_id', '=', partner.id)]
        action['context'] = {}
        state = partner._credit_states(self._credit_company()).get(
            partner.id)
        if state:
            action.update(views=[(False, 'form')], view_mode='form',
                          res_id=state.id)
        return action

    @api.multi
    def action_credit_set_hold(self):
        """Open the wizard that puts this customer on credit hold."""
        return self._credit_hold_wizard_action('set', _('Put on Credit Hold'))

    @api.multi
    def action_credit_lift_hold(self):
        """Open the wizard that lifts this customer's credit hold."""
        return self._credit_hold_wizard_action('lift', _('Lift Credit Hold'))

    def _credit_hold_wizard_action(self, action, title):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': title,
            'res_model': 'meddev.credit.hold.wizard',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_partner_id': self.commercial_partner_id.id,
                'default_company_id': self._credit_company().id,
                'default_action': action,
            },
        }
