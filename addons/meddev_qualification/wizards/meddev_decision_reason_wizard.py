from odoo import _, api, fields, models
from odoo.exceptions import UserError

# What the wizard may do: the decisions that need a reason, on the models
# that take them. Nothing else can be called through it.
DECISIONS = {
    ('meddev.partner.licence', 'reject'),
    ('meddev.partner.licence', 'revoke'),
    ('meddev.qualification.review', 'reject'),
}


class MeddevDecisionReasonWizard(models.TransientModel):
    """Ask the reviewer why licences or reviews are rejected or revoked:
    the reason is required and goes into the record's decision note."""

    _name = 'meddev.decision.reason.wizard'
    _description = 'Reason of a Qualification Decision'

    res_model = fields.Char(string='Document Model', required=True,
                            readonly=True)
    res_ids = fields.Char(
        string='Document IDs', required=True, readonly=True,
        help="Ids of the records decided, separated by commas.")
    decision = fields.Selection(
        [('reject', 'Reject'), ('revoke', 'Revoke')], required=True,
        readonly=True)
    reason = fields.Text(required=True)

    @api.model
    def _open_for(self, records, decision):
        """Return the window action asking the reason for ``decision``
        ('reject', 'revoke') on ``records``."""
        return {
            'type': 'ir.actions.act_window',
            'name': {'reject': _('Reason for Rejection'),
                     'revoke': _('Reason for Revocation')}[decision],
            'res_model': self._name,
            'view_mode': 'form',
            'views': [(self.env.ref(
                'meddev_qualification.meddev_decision_reason_wizard_view_form'
            ).id, 'form')],
            'target': 'new',
            'context': {
                'default_res_model': records._name,
                'default_res_ids': ','.join(str(rid) for rid in records.ids),
                'default_decision': decision,
            },
        }

    @api.model
    def _clean_reason(self, reason, records):
        """Return ``reason`` stripped; refuse anything but a non-empty text
        (a button call would pass the web client's context)."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                _('Give the reason for the decision on %(records)s.') % {
                    'records': ', '.join(records.mapped('display_name'))})
        return reason.strip()

    @api.multi
    def action_confirm(self):
        """Take the decision with the reason given."""
        self.ensure_one()
        if (self.res_model, self.decision) not in DECISIONS:
            raise UserError(
                _('%(decision)s is not a decision on %(model)s.') % {
                    'decision': self.decision, 'model': self.res_model})
        ids = [int(rid) for rid in self.res_ids.split(',') if rid.strip()]
        records = self.env[self.res_model].browse(ids)
        getattr(records, self.decision)(self.reason)
        return {'type': 'ir.actions.act_window_close'}
