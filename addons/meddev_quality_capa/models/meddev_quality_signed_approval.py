from odoo import api, models


class MeddevQualitySignedApprovalMixin(models.AbstractModel):
    """Quality documents approved with the approver's password (21 CFR
    Part 11): the button opens the signature wizard, which calls the
    document's ``action_approve_signed`` once the password is right."""

    _name = 'meddev.quality.signed.approval.mixin'
    _description = 'Approval Signed with the Password'

    @api.multi
    def action_request_approval_signature(self):
        """Ask the approver's password, then approve."""
        self.ensure_one()
        return self.env['meddev.esignature.wizard']._action_open(
            self, 'action_approve_signed', 'approval')
