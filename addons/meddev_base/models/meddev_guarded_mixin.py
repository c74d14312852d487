import binascii
import os

from odoo import _, models
from odoo.exceptions import UserError

from ..tools.context import SERVER_KEY, server_context

# A per-process random value: a client chooses the context it sends over
# RPC, so a plain flag would let it through; it cannot guess this value.
_SERVER_KEY = SERVER_KEY
_SERVER_MARK = binascii.hexlify(os.urandom(16)).decode()


class MeddevGuardedMixin(models.AbstractModel):
    """Fields that only the model's own methods set.

    ``readonly=True`` in a view protects nothing over XML-RPC, and Odoo
    writes stored computed fields a client sends. A model lists in
    ``_meddev_guarded_fields`` the fields its workflow owns (state, dates
    stamped by a button, figures it computes) and calls
    ``_meddev_check_guarded(vals)`` at the start of its ``create`` and
    ``write``; its own methods write them through ``_meddev_as_server()``.
    """

    _name = 'meddev.guarded.mixin'
    _description = 'Fields Set by the Workflow Only'

    _meddev_guarded_fields = ()

    def _meddev_as_server(self):
        """Return these records in an environment whose writes may set the
        guarded fields. Use it for the write itself, never for a method
        whose result (an action, say) goes back to the client.

        The client's ``default_*`` context keys, switches (``recompute``,
        ``tracking_disable``, ``mail_notrack``, ``mail_create_nolog``) and
        forcing keys (stock valuation's...) are dropped
        (``tools.context.server_context``): records the server writes here
        take their values from the server's code, never from defaults an
        RPC caller slipped into the context (a report born 'submitted', a
        complaint born 'closed'), and get their computed fields stored and
        their changes tracked. The server's code may add a switch after,
        on purpose (``._meddev_as_server().with_context(...)``)."""
        context = server_context(self.env.context)
        context[_SERVER_KEY] = _SERVER_MARK
        return self.with_env(self.env(context=context))

    def _meddev_is_server(self):
        """Whether the current call was marked by ``_meddev_as_server``."""
        return self.env.context.get(_SERVER_KEY) == _SERVER_MARK

    def _meddev_guarded_default(self, name):
        # The declared default (a client's context default is refused).
        field = self._fields[name]
        return field.default(self) if field.default else False

    def _meddev_check_guarded(self, vals, create=False):
        """Refuse the guarded fields in ``vals`` (and, on create, in the
        context's defaults and the user's saved defaults, ``ir.default``,
        which any internal user may set for themselves) unless they change
        nothing; return ``self`` without those context defaults, to create
        with."""
        guarded = [name for name in self._meddev_guarded_fields
                   if name in self._fields]
        if not guarded or self._meddev_is_server():
            return self
        refused = []
        if create:
            context = dict(self.env.context)
            saved = self.env['ir.default'].get_model_defaults(self._name)
            for name in guarded:
                default = self._meddev_guarded_default(name)
                for value in (context.pop('default_' + name, None),
                              vals.get(name),
                              None if name in vals else saved.get(name)):
                    if value not in (None, False) and value != default:
                        refused.append(name)
            if not refused:
                # Without the refused defaults (all of them equal to the
                # declared ones here): replace the context, not extend it.
                return self.with_env(self.env(context=context)) \
                    if context != self.env.context else self
        else:
            for name in guarded:
                if name not in vals:
                    continue
                field = self._fields[name]
                for record in self:
                    current = field.convert_to_write(record[name], record)
                    if field.type in ('many2many', 'one2many'):
                        refused.append(name)
                        break
                    if current != vals[name] and (current or vals[name]):
                        refused.append(name)
                        break
        if refused:
            labels = sorted(set(
                self._fields[name]._description_string(self.env)
                for name in refused))
            raise UserError(
                _('%(records)s: %(fields)s cannot be set directly; use the '
                  "document's buttons.") % {
                    'records': ', '.join(self[:5].mapped('display_name'))
                    or self._description,
                    'fields': ', '.join(labels)})
        return self
