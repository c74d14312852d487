from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .access import is_reviewer

from .expiry_alerts import (
    parse_days, schedule_threshold_activities)

DEVICE_CLASS_SELECTION = [
    ('none', 'Not a Medical Device'),
    ('I', 'Class I'),
    ('II', 'Class II'),
    ('III', 'Class III'),
]
# Fields that decide whether and under which licences a product may be
# traded: only qualification reviewers set them.
REGULATORY_FIELDS = {
    'device_class', 'device_category_id', 'device_certificate_number',
    'device_certificate_expiry'}
CERTIFICATE_STATES = [
    ('valid', 'Valid'),
    ('expiring', 'Expiring Soon'),
    ('expired', 'Expired'),
]


class ProductTemplate(models.Model):
    """Regulatory data of a medical device product: class, category and its
    registration certificate (注册证) or filing certificate (备案凭证)."""

    _inherit = 'product.template'

    device_class = fields.Selection(
        DEVICE_CLASS_SELECTION, string='Device Class', default='none',
        required=True, index=True, track_visibility='onchange',
        help="Regulatory class of the device; products of class I to III "
             "may only be sold to and bought from licensed partners.")
    device_category_id = fields.Many2one(
        'meddev.device.category', string='Device Category',
        ondelete='restrict', index=True, track_visibility='onchange',
        help="Category of the classification catalogue; the partner's "
             "licence scope must cover it.")
    device_certificate_number = fields.Char(
        string='Certificate Number', track_visibility='onchange',
        help="Number of the registration certificate (注册证) or, for "
             "Class I, of the filing certificate (备案凭证).")
    device_certificate_expiry = fields.Date(
        string='Certificate Expiry', track_visibility='onchange',
        help="Last day of validity of the certificate; the product cannot "
             "be sold or bought after it. Empty for certificates without "
             "an end date.")
    device_certificate_state = fields.Selection(
        CERTIFICATE_STATES, string='Certificate Status', index=True,
        readonly=True, copy=False, track_visibility='onchange',
        help="Valid, expiring (within the company's largest certificate "
             "alert threshold) or expired; set when the expiry date changes "
             "and updated by the daily expiry cron.")
    device_certificate_alerts_done = fields.Char(
        readonly=True, copy=False,
        help="Alert thresholds (days) already scheduled by the expiry "
             "cron for the current certificate, so that none is scheduled "
             "twice.")

    @api.constrains('device_class', 'device_category_id')
    def _check_device_category(self):
        """A regulated product must name its category."""
        for template in self:
            if template.device_class != 'none' \
                    and not template.device_category_id:
                raise ValidationError(
                    _('Product "%(product)s" is a Class %(class)s medical '
                      'device: give its device category.') % {
                        'product': template.display_name,
                        'class': template.device_class})

    @api.model
    def create(self, vals):
        self._check_regulatory_change(
            set(name for name in REGULATORY_FIELDS
                if vals.get(name) and vals[name] != 'none'),
            vals.get('name'))
        template = super(ProductTemplate, self).create(vals)
        template._meddev_refresh_certificate_state()
        return template

    @api.multi
    def write(self, vals):
        changed = set(
            name for name in REGULATORY_FIELDS & set(vals)
            if any(self._regulatory_value(template, name) != (
                vals[name] or False) for template in self))
        self._check_regulatory_change(
            changed, ', '.join(self.mapped('display_name')))
        if 'device_certificate_expiry' in vals:
            # A renewed certificate starts its reminders afresh.
            vals = dict(vals, device_certificate_alerts_done=False)
        result = super(ProductTemplate, self).write(vals)
        if {'device_class', 'device_certificate_expiry'} & set(vals):
            self._meddev_refresh_certificate_state()
        return result

    @staticmethod
    def _regulatory_value(template, name):
        value = template[name]
        return value.id if isinstance(value, models.BaseModel) else value

    @api.model
    def _check_regulatory_change(self, names, product_name):
        """Refuse a change of the device class, category or certificate by
        anyone but a qualification reviewer (on create as on write): they
        decide whether the trade gate checks the product at all."""
        if names and not is_reviewer(self.env):
            raise AccessError(
                _('Only qualification reviewers may set %(fields)s of '
                  '%(product)s.') % {
                    'fields': ', '.join(sorted(
                        self._fields[name].get_description(
                            self.env)['string'] for name in names)),
                    'product': product_name or '-'})

    # Hook for modules that cannot depend on this one

    def _meddev_device_classes(self):
        """Return {template id: device class} of these products, the class
        being 'none', 'I', 'II' or 'III' (read in one query).

        For modules that do not depend on meddev_qualification (service's
        SLA policies and engineer skills): they call it when it exists and
        treat every product as unclassified otherwise::

            classes = getattr(templates, '_meddev_device_classes', None)
            classes = classes() if classes else {}
            device_class = classes.get(template.id, 'none')
        """
        return {template.id: template.device_class for template in self}

    def _meddev_certificate_limit(self, today):
        """Return the last expiry date that counts as expiring on
        ``today``, from the current company's largest threshold."""
        thresholds = self.env.user.company_id \
            .meddev_certificate_alert_days_list()
        return self.env['meddev.trade.gate'].days_later(
            today, thresholds[0] if thresholds else 0)

    def _meddev_certificate_state_on(self, today, limit):
        self.ensure_one()
        if self.device_class == 'none':
            return False
        expiry = self.device_certificate_expiry
        if expiry and expiry < today:
            return 'expired'
        if expiry and expiry <= limit:
            return 'expiring'
        return 'valid'

    def _meddev_refresh_certificate_state(self, today=None):
        """Store the certificate status of these products on ``today``."""
        today = today or fields.Date.context_today(self)
        limit = self._meddev_certificate_limit(today)
        changes = {}
        for template in self:
            state = template._meddev_certificate_state_on(today, limit)
            if template.device_certificate_state != state:
                changes.setdefault(state, self.browse())
                changes[state] |= template
        for state, templates in changes.items():
            templates.write({'device_certificate_state': state})

    @api.model
    def _meddev_check_certificate_expiry(self, today, batch_size=200,
                                         commit=False):
        """Daily part of the expiry cron for products: mark certificates
        past their end date expired (with a chatter post), those within
        the alert horizon expiring, and schedule one reminder per
        threshold for the product's responsible and the compliance team.
        Return how many certificates expired. Idempotent."""
        templates = self.sudo().with_context(active_test=False)
        limit = self._meddev_certificate_limit(today)
        regulated = [('device_class', '!=', 'none')]
        expired_count = 0
        while True:
            batch = templates.search(regulated + [
                ('device_certificate_expiry', '<', today),
                ('device_certificate_state', '!=', 'expired')],
                limit=batch_size)
            if not batch:
                break
            batch.write({'device_certificate_state': 'expired'})
            for template in batch:
                template.message_post(body=_(
                    'Certificate %(number)s expired on %(date)s: the product '
                    'can no longer be sold or bought.') % {
                        'number': template.device_certificate_number or '-',
                        'date': template.device_certificate_expiry})
            expired_count += len(batch)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        expiring = templates.search(regulated + [
            ('device_certificate_expiry', '>=', today),
            ('device_certificate_expiry', '<=', limit)])
        expiring.filtered(
            lambda t: t.device_certificate_state != 'expiring').write(
                {'device_certificate_state': 'expiring'})
        # Renewed in the meantime, or the horizon was shortened.
        renewed = templates.search(regulated + [
            ('device_certificate_state', 'in', ('expiring', 'expired', False)),
            '|', ('device_certificate_expiry', '=', False),
            ('device_certificate_expiry', '>', limit)])
        renewed.write({'device_certificate_state': 'valid'})
        for start in range(0, len(expiring), batch_size):
            expiring[start:start + batch_size]._meddev_schedule_alerts(today)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return expired_count

    def _meddev_schedule_alerts(self, today):
        """One reminder per crossed certificate threshold and person."""
        company = self.env.user.company_id
        thresholds = company.meddev_certificate_alert_days_list()
        today_date = fields.Date.from_string(today)
        # Translated here, not in the lambda: _() reads the language from
        # its caller's frame.
        note_text = _('Threshold: %(threshold)s days. Renew the registration '
                      'or filing certificate.')
        for template in self:
            days_left = (fields.Date.from_string(
                template.device_certificate_expiry) - today_date).days
            users = template.responsible_id \
                | company.meddev_compliance_user_ids
            summary = _('Certificate %(number)s of %(product)s expires in '
                        '%(days)s days') % {
                            'number': template.device_certificate_number
                            or '-',
                            'product': template.display_name,
                            'days': days_left}
            done = schedule_threshold_activities(
                template, users, thresholds,
                parse_days(template.device_certificate_alerts_done),
                days_left, template.device_certificate_expiry, summary,
                lambda threshold: note_text % {'threshold': threshold})
            if done is not None:
                template.write({'device_certificate_alerts_done': done})
                template.message_post(body=summary)
