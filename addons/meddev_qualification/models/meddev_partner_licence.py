from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.meddev_base.tools import create_values, with_sender

from .. import uscc
from .access import REVIEWER_GROUP

__all__ = ['REVIEWER_GROUP', 'SYSTEM_FIELDS', 'MeddevPartnerLicence']

# Fields only the workflow, the expiry cron and the OCR job write: a user
# who could write them would forge who decided, when and why.
SYSTEM_FIELDS = {
    'submitted_by_id', 'author_ids', 'reviewer_id', 'review_date', 'decision_note',
    'alert_thresholds_done', 'ocr_state', 'ocr_message',
}


class MeddevPartnerLicence(models.Model):
    """A licence held by a partner (营业执照, 经营许可证 ...): recorded by
    sales as a draft, approved by quality, then read-only; the trade gates
    rely on approved licences only."""

    _name = 'meddev.partner.licence'
    # Drafts may be deleted: see _meddev_kept_records().
    _inherit = ['meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.qualification.company.mixin']
    _description = 'Partner Licence'
    _order = 'partner_id, licence_type_id, valid_to desc, id desc'
    _rec_name = 'number'

    partner_id = fields.Many2one(
        'res.partner', string='Partner', required=True, index=True,
        ondelete='restrict', track_visibility='onchange',
        domain="[('parent_id', '=', False)]")
    licence_type_id = fields.Many2one(
        'meddev.licence.type', string='Licence Type', required=True,
        index=True, ondelete='restrict', track_visibility='onchange')
    number = fields.Char(
        string='Licence Number', required=True, index=True,
        track_visibility='onchange')
    holder_name = fields.Char(
        string='Holder', track_visibility='onchange',
        help="Name of the holder as printed on the licence.")
    credit_code = fields.Char(
        string='Unified Social Credit Code', size=18,
        track_visibility='onchange',
        help="统一社会信用代码: 18 characters, checked against GB 32100-2015.")
    issuing_authority = fields.Char(track_visibility='onchange')
    issue_date = fields.Date(track_visibility='onchange')
    valid_from = fields.Date(track_visibility='onchange')
    valid_to = fields.Date(index=True, track_visibility='onchange')
    long_term = fields.Boolean(
        string='Long-Term', track_visibility='onchange',
        help="The licence has no end date (长期).")
    has_scope = fields.Boolean(related='licence_type_id.has_scope',
                               readonly=True)
    scope_category_ids = fields.Many2many(
        'meddev.device.category', 'meddev_partner_licence_category_rel',
        'licence_id', 'category_id', string='Scope',
        help="Device categories of the business scope; a category covers "
             "its subcategories.")
    attachment_ids = fields.Many2many(
        'ir.attachment', 'meddev_partner_licence_attachment_rel',
        'licence_id', 'attachment_id', string='Scans')
    state = fields.Selection([
        ('draft', 'Draft'),
        ('submitted', 'Submitted'),
        ('approved', 'Approved'),
        ('rejected', 'Rejected'),
        ('expired', 'Expired'),
        ('revoked', 'Revoked'),
    ], default='draft', required=True, readonly=True, index=True,
        copy=False, track_visibility='onchange')
    submitted_by_id = fields.Many2one(
        'res.users', string='Submitted By', readonly=True, copy=False,
        track_visibility='onchange',
        help="Who sent the licence for review: another reviewer approves "
             "it (four eyes).")
    author_ids = fields.Many2many(
        'res.users', 'meddev_partner_licence_author_rel', 'licence_id',
        'user_id', string='Entered or Changed By', readonly=True,
        copy=False,
        help="Everyone who recorded this licence, changed its data or "
             "scans, or submitted it: none of them approves it (four "
             "eyes).")
    reviewer_id = fields.Many2one(
        'res.users', string='Reviewer', readonly=True, copy=False,
        track_visibility='onchange')
    review_date = fields.Datetime(readonly=True, copy=False)
    decision_note = fields.Text(
        readonly=True, copy=False, track_visibility='onchange',
        help="Reason given when the licence was rejected or revoked.")
    alert_thresholds_done = fields.Char(
        readonly=True, copy=False,
        help="Alert thresholds (days) already scheduled by the expiry "
             "cron, so that it never schedules one twice.")
    # Required: a licence without a company would count for every
    # company's gate, also one that never reviewed it.
    company_id = fields.Many2one(
        'res.company', string='Company', index=True, required=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.partner.licence'))
    ocr_state = fields.Selection([
        ('queued', 'Queued'),
        ('done', 'Read'),
        ('failed', 'Failed'),
    ], string='OCR', readonly=True, copy=False)
    ocr_message = fields.Text(string='OCR Message', readonly=True,
                              copy=False)
    proposal_ids = fields.One2many(
        'meddev.licence.proposal', 'licence_id', string='OCR Proposals',
        readonly=True)
    user_id = fields.Many2one(
        related='partner_id.user_id', string='Salesperson', readonly=True)

    # Constraints

    @api.constrains('number', 'licence_type_id')
    def _check_number(self):
        """The number must match its licence type's pattern."""
        for licence in self:
            if not licence.licence_type_id.check_number(licence.number):
                example = licence.licence_type_id.number_example
                raise ValidationError(
                    _('Licence number "%(number)s" does not have the form of '
                      'a %(type)s number%(example)s.') % {
                        'number': licence.number,
                        'type': licence.licence_type_id.name,
                        'example': example and _(' (e.g. %(example)s)') % {
                            'example': example} or ''})

    @api.constrains('partner_id')
    def _check_partner(self):
        """Licences belong to the company, not to one of its contacts: the
        gates look them up on the commercial partner."""
        for licence in self:
            if licence.partner_id != licence.partner_id.commercial_partner_id:
                raise ValidationError(
                    _('Licence %(number)s must be recorded on %(company)s, '
                      'not on its contact %(contact)s.') % {
                        'number': licence.number,
                        'company': licence.partner_id.commercial_partner_id
                        .display_name,
                        'contact': licence.partner_id.display_name})

    @api.constrains('credit_code')
    def _check_credit_code(self):
        """The credit code must pass GB 32100-2015, check character too."""
        for licence in self.filtered('credit_code'):
            try:
                uscc.validate(licence.credit_code)
            except uscc.UsccError as error:
                raise ValidationError(
                    _('Credit code "%(code)s" of licence %(number)s is not '
                      'valid: %(reason)s.') % {
                        'code': licence.credit_code,
                        'number': licence.number,
                        'reason': licence._uscc_error_text(error)})

    @api.model
    def _uscc_error_text(self, error):
        """Say in the user's language what is wrong with a credit code
        (a ``uscc.UsccError``)."""
        params = dict(error.params, position=error.position)
        texts = {
            'length': _('a credit code has 18 characters, this one has '
                        '%(length)s'),
            'length17': _('the check character is computed from 17 '
                          'characters, not %(length)s'),
            'charset': _("character %(position)s '%(char)s' is not allowed "
                         "in a credit code"),
            'charset_lookalike': _(
                "character %(position)s '%(char)s' is not allowed in a "
                "credit code (did you mean '%(suggestion)s'?)"),
            'registration_authority': _(
                "character 1 '%(char)s' is not a registration authority "
                "code (1 to 9, A, N or Y)"),
            'institution_category': _(
                "character 2 '%(char)s' is not an institution category "
                "(1 to 9)"),
            'division': _(
                "character %(position)s '%(char)s' should be a digit: "
                "characters 3 to 8 are the administrative division code"),
            'check_character': _(
                "check character should be '%(expected)s', not "
                "'%(char)s'"),
        }
        if error.key not in texts:
            return error.message
        return texts[error.key] % params

    @api.constrains('valid_from', 'valid_to', 'long_term', 'licence_type_id')
    def _check_validity(self):
        """Dates in order; long-term only where the type allows it."""
        for licence in self:
            if licence.long_term and not licence.licence_type_id \
                    .allow_long_term:
                raise ValidationError(
                    _('Licence %(number)s cannot be long-term: licences of '
                      'type %(type)s have an end date.') % {
                        'number': licence.number,
                        'type': licence.licence_type_id.name})
            if licence.valid_from and licence.valid_to \
                    and licence.valid_to < licence.valid_from:
                raise ValidationError(
                    _('Licence %(number)s ends (%(to)s) before it starts '
                      '(%(from)s).') % {
                        'number': licence.number, 'to': licence.valid_to,
                        'from': licence.valid_from})

    @api.onchange('long_term')
    def _onchange_long_term(self):
        if self.long_term:
            self.valid_to = False

    # CRUD

    @api.model
    def create(self, vals):
        if vals.get('credit_code'):
            vals['credit_code'] = uscc.normalise(vals['credit_code'])
        if vals.get('long_term'):
            vals['valid_to'] = False
        # The caller's default_* keys and saved defaults fill the missing
        # fields: checked too.
        asked = create_values(self, vals, SYSTEM_FIELDS | {'state'})
        if (asked.get('state') or 'draft') != 'draft':
            # A licence is born a draft: approval is the reviewer's act.
            raise UserError(
                _('Licence %(number)s must be created as a draft and then '
                  'submitted for review.') % {'number': vals.get('number')})
        forged = SYSTEM_FIELDS & set(name for name in asked if asked[name])
        if forged and not self.env.user._is_superuser():
            raise AccessError(
                _('Licence %(number)s cannot be created with %(fields)s: '
                  'they are set by the review and the OCR.') % {
                    'number': vals.get('number'),
                    'fields': self._field_labels(forged)})
        # Sent empty, or emptied by the caller's default_company_id or a
        # saved default.
        self._check_company_given(vals, vals.get('number'), create=True)
        vals = self._with_author_stamp(vals)
        # A user without an email address records licences too.
        licence = super(MeddevPartnerLicence, with_sender(self)).create(
            vals).with_env(self.env)
        licence._queue_ocr(licence.attachment_ids)
        return licence

    @api.multi
    def write(self, vals):
        if vals.get('credit_code'):
            vals['credit_code'] = uscc.normalise(vals['credit_code'])
        self._check_write_allowed(vals)
        self._check_company_given(
            vals, ', '.join(self.mapped('number')))
        vals = self._with_author_stamp(vals)
        if vals.get('long_term'):
            vals['valid_to'] = False
        before = {licence.id: licence.attachment_ids for licence in self} \
            if 'attachment_ids' in vals else {}
        # The tracking message names the user, who may have no address.
        result = super(MeddevPartnerLicence, with_sender(self)).write(vals)
        for licence in self.filtered(lambda lic: lic.id in before):
            licence._queue_ocr(
                (licence.attachment_ids - before[licence.id])
                ._meddev_not_yet_queued(licence))
        return result

    @api.model
    def _company_missing_message(self, names):
        # A licence without a company counted for every company's gate.
        return _('Licence %(number)s needs a company: a licence counts '
                 'only for the company that recorded and reviewed it.') % {
                     'number': names}

    @api.multi
    def _meddev_kept_records(self):
        """Once submitted, a licence is a regulated record: rejected or
        revoked, never deleted. A draft that a reviewer has decided on
        (rejected, then taken back to draft) carries that decision and is
        kept like the others; a draft nobody reviewed is a data-entry
        mistake its author may delete."""
        return self.filtered(lambda lic: lic.state != 'draft'
                             or lic.review_date)

    @api.multi
    def unlink(self):
        """Delete draft licences; refuse the others, naming them."""
        submitted = self._meddev_kept_records()
        if submitted:
            # Clearer than the mixin's "cancel it": licences have no Cancel.
            raise UserError(
                _('Licence %(number)s of %(partner)s cannot be deleted: '
                  'it has been submitted for review. Reject or revoke '
                  'it instead.') % {
                    'number': ', '.join(submitted.mapped('number')),
                    'partner': ', '.join(submitted.mapped(
                        'partner_id.display_name'))})
        return super(MeddevPartnerLicence, self).unlink()

    def _field_labels(self, names):
        return ', '.join(sorted(
            self._fields[name].get_description(self.env)['string']
            for name in names))

    # Business

    def applies_to_company(self, company):
        """Tell whether this licence counts for trade by ``company``: only
        for the company that recorded and reviewed it. The gate, the
        qualification state and the review checklist all use this rule."""
        self.ensure_one()
        return self.company_id == company

    @api.model
    def _company_domain(self, company):
        """Search domain of the licences that count for ``company``."""
        return [('company_id', '=', company.id)]

    def is_valid_on(self, date):
        """Return True when this licence is approved and in date on
        ``date`` (a date string)."""
        self.ensure_one()
        return (self.state == 'approved'
                and (not self.valid_from or self.valid_from <= date)
                and (self.long_term or (self.valid_to
                                        and self.valid_to >= date)))
