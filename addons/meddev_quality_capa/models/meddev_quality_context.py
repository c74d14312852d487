from odoo import api, models

from odoo.addons.meddev_base.tools.context import SWITCH_KEYS, without_keys


class MeddevQualityContextMixin(models.AbstractModel):
    """The quality documents ignore a caller's switches that would leave
    stored computed fields (warning date, company, risk level) unset or
    their changes untracked: ``recompute``, ``tracking_disable``,
    ``mail_notrack``, ``mail_create_nolog`` (meddev_base's ``SWITCH_KEYS``,
    which its ``_meddev_as_server()`` drops as well).

    Listed first in a model's ``_inherit`` so that it runs before
    ``mail.thread`` and the guarded mixin."""

    _name = 'meddev.quality.context.mixin'
    _description = 'Quality Documents Ignore the Caller Switches'

    def _meddev_caller_switches(self):
        """The switches dropped from this create or write: a caller's
        every switch (each change of a quality document is tracked, the
        rules and the README point to the chatter); on the server's own
        writes only ``recompute``, as its code may turn the tracking off
        on purpose (it posts one note instead)."""
        if self._meddev_is_server():
            return ('recompute',)
        return SWITCH_KEYS

    @api.model
    def create(self, vals):
        # Stored computed fields (company, due dates) are stored now and
        # the creation is logged.
        return super(MeddevQualityContextMixin, without_keys(
            self, self._meddev_caller_switches())).create(vals)

    @api.multi
    def write(self, vals):
        return super(MeddevQualityContextMixin, without_keys(
            self, self._meddev_caller_switches())).write(vals)
