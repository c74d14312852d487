from odoo import api, models

# Context keys that switch off work Odoo does after a create or write:
# storing computed fields (``recompute``) and the chatter history. An RPC
# caller chooses its context; on the writes the server makes for it
# (reports, stamps) they would leave deadlines, companies and the trail
# unset.
CALLER_SWITCHES = ('recompute', 'tracking_disable', 'mail_notrack',
                   'mail_create_nolog')


def _without(records, keys):
    """Return ``records`` in a context without ``keys``."""
    context = records.env.context
    if not any(key in context for key in keys):
        return records
    return records.with_env(records.env(context=dict(
        (key, value) for key, value in context.items()
        if key not in keys)))


class MeddevQualityContextMixin(models.AbstractModel):
    """The quality documents ignore a caller's switches that would leave
    stored computed fields (warning date, company, risk level) unset or
    their changes untracked.

    Listed first in a model's ``_inherit`` so that it runs before
    ``mail.thread`` and the guarded mixin."""

    _name = 'meddev.quality.context.mixin'
    _description = 'Quality Documents Ignore the Caller Switches'

    def _meddev_as_server(self):
        """As the guarded mixin's, without the caller's switches: the
        records the server writes get their computed fields stored and
        their history kept (the server's code may add a switch after)."""
        records = super(MeddevQualityContextMixin, self)._meddev_as_server()
        return _without(records, CALLER_SWITCHES)

    def _meddev_caller_switches(self):
        """The switches dropped from this create or write: a caller's
        every switch (each change of a quality document is tracked, the
        rules and the README point to the chatter); on the server's own
        writes only ``recompute``, as its code may turn the tracking off
        on purpose (it posts one note instead)."""
        if self._meddev_is_server():
            return ('recompute',)
        return CALLER_SWITCHES

    @api.model
    def create(self, vals):
        # Stored computed fields (company, due dates) are stored now and
        # the creation is logged.
        return super(MeddevQualityContextMixin, _without(
            self, self._meddev_caller_switches())).create(vals)

    @api.multi
    def write(self, vals):
        return super(MeddevQualityContextMixin, _without(
            self, self._meddev_caller_switches())).write(vals)
