from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

TICKET_TYPES = [
    ('repair', 'Repair'),
    ('installation', 'Installation'),
    ('pm', 'Preventive Maintenance'),
    ('inspection', 'Inspection'),
    ('consultation', 'Consultation'),
]
PRIORITIES = [
    ('0', 'Low'),
    ('1', 'Normal'),
    ('2', 'High'),
    ('3', 'Urgent'),
]
# The SLA clocks a ticket may run, with the policy field holding its hours.
SLA_TARGETS = [
    ('response', 'First Response'),
    ('onsite', 'On-site Arrival'),
    ('resolution', 'Resolution'),
]
TARGET_FIELDS = {
    'response': 'response_hours',
    'onsite': 'onsite_hours',
    'resolution': 'resolution_hours',
}


# Regulatory classes, lowest first (meddev_qualification's
# product.template.device_class, read through its hook).
DEVICE_CLASSES = [('I', 'Class I'), ('II', 'Class II'), ('III', 'Class III')]
CLASS_RANK = {'none': 0, 'I': 1, 'II': 2, 'III': 3}
# What decides which tickets a policy applies to.
CRITERIA_FIELDS = ('team_ids', 'priority', 'ticket_type', 'device_class',
                   'product_categ_ids', 'partner_category_ids',
                   'contract_required', 'sequence', 'active', 'company_id')


class MeddevSlaPolicy(models.Model):
    """Service level promised for a kind of ticket: targets in working
    hours of the team's calendar and whom to warn when one is at risk."""

    _name = 'meddev.sla.policy'
    _description = 'SLA Policy'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="The first matching policy, in this order, applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.sla.policy'))
    description = fields.Text(translate=True)
    team_ids = fields.Many2many(
        'meddev.service.team', 'meddev_sla_policy_team_rel', 'policy_id',
        'team_id', string='Teams', help="Empty: every team.")
    priority = fields.Selection(
        PRIORITIES, string='Minimum Priority',
        help="Applies to tickets of this priority or higher; empty: any.")
    ticket_type = fields.Selection(
        TICKET_TYPES, help="Empty: every type of ticket.")
    product_categ_ids = fields.Many2many(
        'product.category', 'meddev_sla_policy_categ_rel', 'policy_id',
        'categ_id', string='Device Categories',
        help="Applies to equipment of these product categories (and "
             "their subcategories); empty: any device.")
    device_class = fields.Selection(
        DEVICE_CLASSES, string='Minimum Device Class',
        help="Applies to devices of this regulatory class or higher (the "
             "class comes from the qualification module when installed; "
             "without it every device counts as unclassified); empty: "
             "any device.")
    partner_category_ids = fields.Many2many(
        'res.partner.category', 'meddev_sla_policy_partner_categ_rel',
        'policy_id', 'category_id', string='Customer Tags',
        help="Applies to customers with one of these tags; empty: any.")
    contract_required = fields.Boolean(
        string='Under Contract Only',
        help="Applies only to equipment covered by an active service "
             "contract. A contract may also name its own policy.")
    response_hours = fields.Float(
        string='First Response (h)',
        help="Working hours to the first reply; 0: no clock.")
    onsite_hours = fields.Float(
        string='On-site Arrival (h)',
        help="Working hours until an engineer is on site; 0: no clock.")
    resolution_hours = fields.Float(
        string='Resolution (h)',
        help="Working hours until the ticket is closed; 0: no clock.")
    at_risk_percent = fields.Float(
        string='At Risk at (%)', default=80.0,
        help="A clock turns 'at risk' when this share of its time is used.")
    escalation_user_id = fields.Many2one(
        'res.users', string='Escalation Recipient',
        help="Receives an activity and a mail when a clock is at risk or "
             "failed; the team leader when empty.")

    @api.constrains('response_hours', 'onsite_hours', 'resolution_hours',
                    'at_risk_percent')
    def _check_targets(self):
        for policy in self:
            hours = [policy[name] for name in TARGET_FIELDS.values()]
            if any(value < 0 for value in hours):
                raise ValidationError(
                    _('The SLA policy %(name)s cannot have negative '
                      'targets.') % {'name': policy.name})
            if not 0 < policy.at_risk_percent <= 100:
                raise ValidationError(
                    _('The at-risk threshold of the SLA policy %(name)s '
                      'must lie between 0 and 100 %%.') % {
                        'name': policy.name})

    @api.model
    def create(self, vals):
        policy = super(MeddevSlaPolicy, self).create(vals)
        # A new policy may fit open tickets of its company better.
        policy._queue_company_resync()
        return policy

    @api.multi
    def write(self, vals):
        result = super(MeddevSlaPolicy, self).write(vals)
        watched = set(TARGET_FIELDS.values()) | {'at_risk_percent'}
        if set(vals) & set(CRITERIA_FIELDS):
            # Which tickets the policy fits changed: every open ticket of
            # its companies chooses its policy again.
            self._queue_company_resync()
        elif watched & set(vals):
            # Open tickets follow the new targets in background jobs (the
            # save does not wait for them); met and failed clocks stay.
            self.env['meddev.service.ticket']._sla_queue_resync(
                [('sla_policy_id', 'in', self.ids)],
                _('SLA policy %(names)s changed: recompute the clocks') % {
                    'names': ', '.join(self.mapped('name'))})
        return result

    @api.multi
    def unlink(self):
        tickets = self.env['meddev.service.ticket'].sudo().search(
            [('sla_policy_id', 'in', self.ids), ('is_closed', '=', False)])
        result = super(MeddevSlaPolicy, self).unlink()
        if tickets:
            tickets._sla_queue_resync(
                [('id', 'in', tickets.ids)],
                _('SLA policies deleted: recompute the clocks'))
        return result

    def _queue_company_resync(self):
        """Queue the recomputation of the open tickets of these
        policies' companies (background jobs, in batches)."""
        companies = self.mapped('company_id')
        self.env['meddev.service.ticket']._sla_queue_resync(
            [('company_id', 'in', companies.ids)],
            _('SLA policy %(names)s criteria changed: choose the policies '
              'again') % {'names': ', '.join(self.mapped('name'))})

    def _targets(self):
        """Return [(target code, hours)] of the clocks this policy runs."""
        self.ensure_one()
        return [(code, self[TARGET_FIELDS[code]]) for code, _label
                in SLA_TARGETS if self[TARGET_FIELDS[code]] > 0]

    def _applies_to(self, ticket):
        """Whether this policy's criteria match ``ticket``."""
        self.ensure_one()
        if self.company_id != ticket.company_id:
            return False
        if self.team_ids and ticket.team_id not in self.team_ids:
            return False
        if self.priority and (ticket.priority or '0') < self.priority:
            return False
        if self.ticket_type and ticket.ticket_type != self.ticket_type:
            return False
        if self.product_categ_ids:
            categ = ticket.product_id.categ_id
            if not categ or not self.env['product.category'].search_count([
                    ('id', '=', categ.id),
                    ('id', 'child_of', self.product_categ_ids.ids)]):
                return False
        if self.device_class and CLASS_RANK.get(
                ticket._device_class(), 0) < CLASS_RANK[self.device_class]:
            return False
        if self.partner_category_ids and not (
                ticket.partner_id.category_id & self.partner_category_ids):
            return False
        if self.contract_required and not ticket.contract_id:
            return False
        return True
