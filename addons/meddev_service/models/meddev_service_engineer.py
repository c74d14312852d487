from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .meddev_sla_policy import DEVICE_CLASSES


class MeddevServiceEngineer(models.Model):
    """A field engineer: skills, home base, van stock and working time
    (leaves through the resource)."""

    _name = 'meddev.service.engineer'
    _description = 'Service Engineer'
    _inherit = ['resource.mixin', 'mail.thread']
    _inherits = {'resource.resource': 'resource_id'}
    _order = 'name'

    team_ids = fields.Many2many(
        'meddev.service.team', 'meddev_service_engineer_team_rel',
        'engineer_id', 'team_id', string='Teams')
    skill_ids = fields.One2many(
        'meddev.service.engineer.skill', 'engineer_id', string='Skills')
    home_latitude = fields.Float(
        string='Home Base Latitude', digits=(10, 7))
    home_longitude = fields.Float(
        string='Home Base Longitude', digits=(10, 7))
    van_location_id = fields.Many2one(
        'stock.location', string='Van Stock',
        domain=[('usage', '=', 'internal')],
        help="Stock location of the engineer's van; Odoo's reordering "
             "rules on it replenish it.")
    phone = fields.Char()
    ticket_ids = fields.Many2many(
        'meddev.service.ticket', 'meddev_service_ticket_engineer_rel',
        'engineer_id', 'ticket_id', string='Tickets')

    _sql_constraints = [
        ('user_uniq', 'unique(resource_id)', 'One engineer per resource.'),
    ]

    @api.model
    def create(self, vals):
        """Create on a copy of ``vals``: Odoo's resource.mixin (before
        meddev_base's mail.thread copy in the chain) writes the resource it
        creates into the caller's dict, and Odoo retries a request that hit
        a serialization failure with the same arguments: the retry pointed
        at the rolled-back resource (MissingError)."""
        return super(MeddevServiceEngineer, self).create(dict(vals))

    def _home_position(self):
        """Return (latitude, longitude) of the home base: the engineer's
        own, else the geolocation of the user's partner, else None."""
        self.ensure_one()
        if self.home_latitude or self.home_longitude:
            return (self.home_latitude, self.home_longitude)
        partner = self.user_id.partner_id
        if partner.partner_latitude or partner.partner_longitude:
            return (partner.partner_latitude, partner.partner_longitude)
        return None

    def _valid_skills(self, on_date):
        self.ensure_one()
        return self.skill_ids.filtered(
            lambda skill: not skill.date_expiry
            or skill.date_expiry >= on_date)

    def _valid_skill_categories(self, on_date):
        """Return the product categories this engineer's unexpired
        training covers on ``on_date``."""
        return self._valid_skills(on_date).mapped('categ_id')

    def _valid_skill_classes(self, on_date):
        """Return the device classes this engineer's unexpired training
        covers on ``on_date``."""
        return set(self._valid_skills(on_date).filtered(
            'device_class').mapped('device_class'))


class MeddevServiceEngineerSkill(models.Model):
    """A training record: the engineer may work on devices of a product
    category, or of a regulatory device class, until the training
    expires."""

    _name = 'meddev.service.engineer.skill'
    _description = 'Engineer Skill'
    _order = 'engineer_id, categ_id'

    engineer_id = fields.Many2one(
        'meddev.service.engineer', required=True, ondelete='cascade',
        index=True)
    categ_id = fields.Many2one(
        'product.category', string='Device Category')
    device_class = fields.Selection(
        DEVICE_CLASSES,
        help="Trained on every device of this regulatory class (read from "
             "the qualification module when installed).")
    level = fields.Selection([
        ('basic', 'Basic'),
        ('advanced', 'Advanced'),
        ('expert', 'Expert'),
    ], default='basic', required=True)
    date_expiry = fields.Date(
        string='Training Valid Until',
        help="After this date the engineer is no longer suggested for "
             "these devices.")
    company_id = fields.Many2one(
        related='engineer_id.company_id', store=True, readonly=True)

    @api.constrains('categ_id', 'device_class', 'engineer_id')
    def _check_unique(self):
        for skill in self:
            if not skill.categ_id and not skill.device_class:
                raise ValidationError(
                    _('A skill of %(engineer)s needs a device category or '
                      'a device class.') % {
                        'engineer': skill.engineer_id.name})
            if len(skill.engineer_id.skill_ids.filtered(
                    lambda other: other.categ_id == skill.categ_id
                    and other.device_class == skill.device_class)) > 1:
                raise ValidationError(
                    _('%(engineer)s already has a skill for %(categ)s.') % {
                        'engineer': skill.engineer_id.name,
                        'categ': skill.categ_id.display_name})
