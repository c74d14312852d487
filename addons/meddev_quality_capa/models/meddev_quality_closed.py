from odoo import _, models
from odoo.exceptions import UserError

from ..record_lock import frozen_fields


class MeddevQualityClosedMixin(models.AbstractModel):
    """A closed or cancelled quality document (complaint, CAPA) is the
    record of what was done: only messages and activities are added to
    it."""

    _name = 'meddev.quality.closed.mixin'
    _description = 'Closed Quality Documents Are Frozen'

    def _check_closed_unchanged(self, vals):
        """Refuse ``vals`` on the closed or cancelled records among these,
        naming them and the fields refused."""
        names = frozen_fields(vals)
        locked = self.filtered(
            lambda record: record.state in ('closed', 'cancel'))
        if names and locked:
            raise UserError(
                _('%(names)s is closed or cancelled: it can no longer '
                  'change (%(fields)s); add a message instead.') % {
                    'names': ', '.join(locked.mapped('name')),
                    'fields': ', '.join(names)})
