from odoo import SUPERUSER_ID, _, models
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.tools import create_values, without_keys


class MeddevCreditComputedGuard(models.AbstractModel):
    """Stored computed fields of sale orders and their lines that the
    credit exposure and gate read (quantities invoiced and to invoice,
    amounts, state, customer, currency, company).

    Odoo stores a value a client sends for a stored computed field without
    an inverse, and recomputes it only when one of its dependencies
    changes: a salesperson who writes ``qty_invoiced`` or ``state`` on
    their confirmed lines takes them out of the exposure, and the next
    order passes the limit. Odoo's own flows set these fields through the
    ORM's recomputation or as the superuser (deliveries, invoices), never
    through a user's ``create`` or ``write``: those refuse them, unless
    they change nothing, and they always store them
    (``_credit_recomputed``)."""

    _name = 'meddev.credit.computed.guard'
    _description = 'Credit Figures Computed by the Server Only'

    # The models list the fields they guard.
    _credit_computed_fields = ()

    def _credit_refused_values(self, vals, create=False):
        """Return the names among the guarded fields that ``vals`` (on
        create, with the caller's context and saved defaults) would
        change."""
        names = [name for name in self._credit_computed_fields
                 if name in self._fields]
        if create:
            values = create_values(self, vals, names)
            return [name for name in names if values.get(name) not in (
                None, False, self._credit_declared_default(name))]
        refused = []
        for name in names:
            if name not in vals:
                continue
            field = self._fields[name]
            if any(field.convert_to_write(record[name], record) != vals[name]
                   and (record[name] or vals[name]) for record in self):
                refused.append(name)
        return refused

    def _credit_recomputed(self):
        """These records without a user's ``recompute=False`` context key,
        for their ``create`` and ``write``: with it, Odoo stores no
        computed field at the end of the call (amounts, line prices,
        quantities to invoice, credit_open). The exposure the gate reads in
        SQL then missed a dearer price on a confirmed order, and the table
        kept the old figures for the next requests (a quotation's Confirm
        reads its stored total). The superuser's code may defer the
        recomputation on purpose."""
        if self.env.uid == SUPERUSER_ID:
            return self
        return without_keys(self, ('recompute',))

    def _credit_declared_default(self, name):
        field = self._fields[name]
        return field.default(self) if field.default else False

    def _credit_check_computed(self, vals, create=False, extra=()):
        """Refuse a user's values of the guarded fields (and of the
        ``extra`` names already found refused)."""
        if self.env.uid == SUPERUSER_ID:
            return
        refused = sorted(set(self._credit_refused_values(vals, create))
                         | set(extra))
        if not refused:
            return
        raise AccessError(_(
            '%(records)s: %(fields)s are computed by Odoo from the order, '
            'its deliveries and its invoices, and count in the customer\'s '
            'credit exposure; they cannot be set directly. Change the '
            'quantities or prices, deliver, or invoice instead.') % {
                'records': ', '.join(self[:5].mapped('display_name'))
                or self._description,
                'fields': ', '.join(sorted(set(
                    self._fields[name]._description_string(self.env)
                    for name in refused)))})
