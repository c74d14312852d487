from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import (
    create_values, schedule_todo, search_batches, slice_batches,
    write_tracked)

from .access import is_reviewer
from .expiry_alerts import parse_days

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
        # The caller's default_* keys and saved defaults fill the missing
        # fields: checked too.
        asked = create_values(self, vals, REGULATORY_FIELDS)
        self._check_regulatory_change(
            set(name for name in REGULATORY_FIELDS
                if asked.get(name) and asked[name] != 'none'),
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
        past their end date expired (the change tracked on each product),
        those within the alert horizon expiring, and remind the product's
        responsible and the compliance team once per threshold crossed.
        Return how many certificates expired. Idempotent."""
        templates = self.sudo().with_context(active_test=False)
        limit = self._meddev_certificate_limit(today)
        regulated = [('device_class', '!=', 'none')]
        expired_count = 0
        for batch in search_batches(templates, regulated + [
                ('device_certificate_expiry', '<', today),
                ('device_certificate_state', '!=', 'expired')],
                batch_size, commit):
            write_tracked(batch, {'device_certificate_state': 'expired'},
                          body=_('<p>The registration or filing certificate '
                                 'expired: the product can no longer be sold '
                                 'or bought.</p>'))
            expired_count += len(batch)
        expiring = templates.search(regulated + [
            ('device_certificate_expiry', '>=', today),
            ('device_certificate_expiry', '<=', limit)])
        becoming = expiring.filtered(
            lambda t: t.device_certificate_state != 'expiring')
        write_tracked(becoming, {'device_certificate_state': 'expiring'})
        # Renewed in the meantime, or the horizon was shortened.
        renewed = templates.search(regulated + [
            ('device_certificate_state', 'in', ('expiring', 'expired', False)),
            '|', ('device_certificate_expiry', '=', False),
            ('device_certificate_expiry', '>', limit)])
        write_tracked(renewed, {'device_certificate_state': 'valid'})
        for batch in slice_batches(expiring, batch_size, commit):
            batch._meddev_schedule_alerts(today)
        return expired_count

    def _meddev_schedule_alerts(self, today):
        """One reminder per product and person for the certificate
        thresholds crossed and not yet alerted (the nearest one named),
        noted on the product's chatter; each threshold alerts once."""
        company = self.env.user.company_id
        thresholds = company.meddev_certificate_alert_days_list()
        users = company.meddev_compliance_user_ids
        today_date = fields.Date.from_string(today)
        by_done = {}
        for template in self:
            days_left = (fields.Date.from_string(
                template.device_certificate_expiry) - today_date).days
            done = parse_days(template.device_certificate_alerts_done)
            crossed = [days for days in thresholds
                       if days_left <= days and days not in done]
            if not crossed:
                continue
            summary = _('Certificate %(number)s of %(product)s expires in '
                        '%(days)s days') % {
                            'number': template.device_certificate_number
                            or '-',
                            'product': template.display_name,
                            'days': days_left}
            note = html_escape(_(
                'Threshold: %(threshold)s days. Renew the registration or '
                'filing certificate.') % {'threshold': min(crossed)})
            schedule_todo(template, template.responsible_id | users, summary,
                          note=note,
                          deadline=template.device_certificate_expiry)
            key = ','.join(str(days) for days in sorted(
                set(done) | set(crossed), reverse=True))
            by_done.setdefault(key, self.browse())
            by_done[key] |= template
        for done, templates in by_done.items():
            write_tracked(templates, {'device_certificate_alerts_done': done},
                          body=_('<p>Certificate expiry reminder sent '
                                 '(thresholds alerted: %(done)s days).</p>')
                          % {'done': done})
