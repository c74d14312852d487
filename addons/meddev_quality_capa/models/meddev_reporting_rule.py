from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MeddevReportingRule(models.Model):
    """How many days a jurisdiction allows to report an adverse event.

    A complaint's reporting clock starts at the awareness date and runs for
    the days of the rule matching its country and severity.
    """

    _name = 'meddev.reporting.rule'
    _description = 'Adverse Event Reporting Rule'
    _order = 'country_id, days, id'

    name = fields.Char(required=True, translate=True)
    country_id = fields.Many2one(
        'res.country', string='Country', required=True, index=True,
        help="Jurisdiction whose authority receives the report.")
    severity = fields.Selection([
        ('death', 'Death'),
        ('serious_injury', 'Serious Injury'),
        ('other', 'Other'),
    ], required=True, index=True,
        help="Outcome of the adverse event the rule applies to.")
    days = fields.Integer(
        string='Deadline (Days)', required=True,
        help="Calendar days from the awareness date to the report.")
    company_id = fields.Many2one(
        'res.company', string='Company', index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.reporting.rule'),
        help="Leave empty to share the rule between companies.")
    active = fields.Boolean(default=True)

    @api.constrains('days')
    def _check_days(self):
        """Refuse deadlines that would be due before the event is known."""
        for rule in self:
            if rule.days <= 0:
                raise ValidationError(
                    _('The deadline of reporting rule "%(rule)s" must be at '
                      'least one day, not %(days)s.') % {
                        'rule': rule.name,
                        'days': rule.days,
                    })
