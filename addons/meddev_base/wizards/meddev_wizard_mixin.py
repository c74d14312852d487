from odoo import models


class MeddevWizardMixin(models.AbstractModel):
    """Helpers for the suite's multi-step wizards (transient models)."""

    _name = 'meddev.wizard.mixin'
    _description = 'MedDev Wizard Helpers'

    def _reopen(self):
        """Return the action that shows this wizard again in its dialog,
        for a step (check, scan) whose result the user reads before the
        next one."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
        }
