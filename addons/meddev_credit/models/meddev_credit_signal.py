from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MeddevCreditSignal(models.Model):
    """Weight of one rating signal in a company's credit score.

    The signals themselves come from ``res.partner._credit_rating_signals``
    so that other modules add theirs; these records weigh them.
    """

    _name = 'meddev.credit.signal'
    _description = 'Credit Rating Signal Weight'
    _order = 'company_id, sequence, id'

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    weight = fields.Float(default=1.0, digits=(5, 2))
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.credit.signal'))

    _sql_constraints = [
        ('code_company_uniq', 'unique(code, company_id)',
         'A signal is weighed once per company.'),
    ]

    @api.constrains('weight')
    def _check_weight(self):
        """Weights are shares of the score: never negative."""
        for signal in self:
            if signal.weight < 0:
                raise ValidationError(
                    _('The weight of the credit signal %(name)s cannot be '
                      'negative.') % {'name': signal.name})

    @api.model
    def _weights(self, company):
        """Return {code: weight} of the active signals of ``company``."""
        signals = self.sudo().search([('company_id', '=', company.id)])
        return {signal.code: signal.weight for signal in signals}
