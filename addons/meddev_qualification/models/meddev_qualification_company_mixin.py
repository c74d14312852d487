from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.tools import create_values


class MeddevQualificationCompanyMixin(models.AbstractModel):
    """A qualification record that counts for the trade of its company
    only (a licence, a first-business review): the company is required,
    and a caller who sends it empty is told why (the column's NOT NULL
    error does not say). Each model words the refusal
    (``_company_missing_message``) and calls ``_check_company_given``
    from its ``create`` and ``write``."""

    _name = 'meddev.qualification.company.mixin'
    _description = 'Qualification Record of One Company'

    @api.model
    def _company_missing_message(self, names):
        """Return the refusal's text for the records named ``names``."""
        raise NotImplementedError(
            '%s must say why it needs a company' % self._name)

    @api.model
    def _check_company_given(self, vals, names, create=False):
        """Raise a UserError naming ``names`` when ``vals`` empties the
        company. On create (``create``) the company the record will get
        counts: the caller's ``default_company_id`` and a saved default
        fill it when ``vals`` lacks it (``create_values``)."""
        if create:
            vals = {'company_id': create_values(
                self, vals, ['company_id']).get('company_id')}
        if 'company_id' in vals and not vals['company_id']:
            raise UserError(self._company_missing_message(names or '-'))
