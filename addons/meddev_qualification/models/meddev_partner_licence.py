from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import uscc
from .access import REVIEWER_GROUP, as_workflow, in_workflow, is_reviewer

__all__ = ['REVIEWER_GROUP', 'MeddevPartnerLicence']

# States in which the licence's content is the approved record: it changes
# only through the workflow (revoke, expire), never by editing. A rejected
# licence goes back to draft to be corrected.
LOCKED_STATES = ('approved', 'expired', 'revoked', 'rejected')
# Fields only the workflow, the expiry cron and the OCR job write: a user
# who could write them would forge who decided, when and why.
SYSTEM_FIELDS = {
    'reviewer_id', 'review_date', 'decision_note',
    'alert_thresholds_done', 'ocr_state', 'ocr_message',
}
# Fields the workflow may still write when the licence is locked.
WORKFLOW_FIELDS = SYSTEM_FIELDS | {'state'}
# Transitions allowed from each state, and whether a reviewer is needed.
TRANSITIONS = {
    ('draft', 'submitted'): False,
    ('rejected', 'draft'): False,
    ('submitted', 'draft'): False,
    ('submitted', 'approved'): True,
    ('submitted', 'rejected'): True,
    ('approved', 'revoked'): True,
    ('approved', 'expired'): True,
}


class MeddevPartnerLicence(models.Model):
    """A licence held by a partner (营业执照, 经营许可证 ...): recorded by
    sales as a draft, approved by quality, then read-only; the trade gates
    rely on approved licences only."""

    _name = 'meddev.partner.licence'
    _inherit = ['mail.thread', 'mail.activity.mixin']
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
    company_id = fields.Many2one(
        'res.company', string='Company', index=True,
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
        if vals.get('state', 'draft') != 'draft':
            # A licence is born a draft: approval is the reviewer's act.
            raise UserError(
                _('Licence %(number)s must be created as a draft and then '
                  'submitted for review.') % {'number': vals.get('number')})
        forged = SYSTEM_FIELDS & set(name for name in vals if vals[name])
        if forged and not self.env.user._is_superuser():
            raise AccessError(
                _('Licence %(number)s cannot be created with %(fields)s: '
                  'they are set by the review and the OCR.') % {
                    'number': vals.get('number'),
                    'fields': self._field_labels(forged)})
        licence = super(MeddevPartnerLicence, self).create(vals)
        licence._queue_ocr(licence.attachment_ids)
        return licence

    @api.multi
    def write(self, vals):
        if vals.get('credit_code'):
            vals['credit_code'] = uscc.normalise(vals['credit_code'])
        self._check_write_allowed(vals)
        if vals.get('long_term'):
            vals['valid_to'] = False
        before = {licence.id: licence.attachment_ids for licence in self} \
            if 'attachment_ids' in vals else {}
        result = super(MeddevPartnerLicence, self).write(vals)
        for licence in self.filtered(lambda lic: lic.id in before):
            licence._queue_ocr(
                (licence.attachment_ids - before[licence.id])
                ._meddev_not_yet_queued(licence))
        return result

    @api.multi
    def unlink(self):
        for licence in self:
            if licence.state != 'draft':
                raise UserError(
                    _('Licence %(number)s of %(partner)s cannot be deleted: '
                      'it has been submitted for review. Reject or revoke '
                      'it instead.') % {
                        'number': licence.number,
                        'partner': licence.partner_id.display_name})
        return super(MeddevPartnerLicence, self).unlink()

    def _is_reviewer(self):
        return is_reviewer(self.env)

    def _field_labels(self, names):
        return ', '.join(sorted(
            self._fields[name].get_description(self.env)['string']
            for name in names))

    def _check_write_allowed(self, vals):
        """Refuse edits of reviewed licences, workflow steps taken by
        someone without the right group and direct writes of the decision
        fields; checked on the server for every caller."""
        forged = SYSTEM_FIELDS & set(vals)
        if forged and not (self.env.user._is_superuser()
                           or in_workflow(self)):
            raise AccessError(
                _('%(fields)s of licence %(number)s are set by the review, '
                  'the expiry cron and the OCR, not by hand.') % {
                    'fields': self._field_labels(forged),
                    'number': ', '.join(self.mapped('number'))})
        data_fields = set(vals) - WORKFLOW_FIELDS - {
            name for name in vals
            if name.startswith(('message_', 'activity_'))}
        reviewer = self._is_reviewer()
        for licence in self:
            if 'state' in vals and vals['state'] != licence.state:
                step = (licence.state, vals['state'])
                if step not in TRANSITIONS:
                    raise UserError(
                        _('Licence %(number)s cannot go from %(from)s to '
                          '%(to)s.') % {
                            'number': licence.number,
                            'from': licence._state_label(licence.state),
                            'to': licence._state_label(vals['state'])})
                if TRANSITIONS[step] and not reviewer:
                    raise AccessError(
                        _('Only qualification reviewers may approve, reject, '
                          'revoke or expire licence %(number)s.') % {
                            'number': licence.number})
                if TRANSITIONS[step] and not (
                        self.env.user._is_superuser() or in_workflow(self)):
                    # A decision written as a bare state would have no
                    # reviewer, date or reason.
                    raise AccessError(
                        _('Licence %(number)s is approved, rejected or '
                          'revoked through its buttons, which record who '
                          'decided, when and why, not by writing its '
                          'state.') % {'number': licence.number})
            if not data_fields:
                continue
            if licence.state in LOCKED_STATES:
                raise UserError(
                    _('Licence %(number)s of %(partner)s is %(state)s and '
                      'cannot be changed. %(hint)s') % {
                        'number': licence.number,
                        'partner': licence.partner_id.display_name,
                        'state': licence._state_label(licence.state),
                        'hint': licence.state == 'rejected' and _(
                            'Set it back to draft to correct it.') or _(
                            'Revoke it and record a new licence instead.')})
            if licence.state == 'submitted' and not reviewer:
                raise AccessError(
                    _('Licence %(number)s is under review: only '
                      'qualification reviewers may change it.') % {
                        'number': licence.number})

    def _state_label(self, state):
        return dict(self._fields['state']._description_selection(
            self.env))[state]

    # Actions

    @api.multi
    def action_submit(self):
        """Send draft licences to quality for review."""
        for licence in self:
            if licence.state not in ('draft', 'rejected'):
                continue
            if not licence.long_term and not licence.valid_to:
                raise UserError(
                    _('Licence %(number)s needs an end date, or must be '
                      'marked long-term, before it is submitted.') % {
                        'number': licence.number})
            if licence.has_scope and not licence.scope_category_ids:
                raise UserError(
                    _('Licence %(number)s is a %(type)s: list the device '
                      'categories of its business scope before submitting '
                      'it.') % {'number': licence.number,
                                'type': licence.licence_type_id.name})
        self.filtered(lambda lic: lic.state == 'rejected').write(
            {'state': 'draft'})
        self.filtered(lambda lic: lic.state == 'draft').write(
            {'state': 'submitted'})
        return True

    @api.multi
    def action_reset_draft(self):
        """Take a submitted or rejected licence back to draft for
        correction; the reason of a rejection stays on the licence."""
        self.filtered(lambda lic: lic.state in ('submitted', 'rejected')) \
            .write({'state': 'draft'})
        return True

    def _check_reviewer(self):
        if not self._is_reviewer():
            raise AccessError(
                _('Only qualification reviewers may approve, reject or '
                  'revoke licences.'))

    def _check_state(self, state, message):
        for licence in self:
            if licence.state != state:
                raise UserError(message % {
                    'number': licence.number,
                    'state': licence._state_label(licence.state)})

    def _decide(self, state, note=False):
        """Record the reviewer's decision: state, who, when and why."""
        as_workflow(self).write({
            'state': state,
            'reviewer_id': self.env.uid,
            'review_date': fields.Datetime.now(),
            'decision_note': note,
        })

    @api.multi
    def action_approve(self):
        """Approve submitted licences: the gates now rely on them."""
        self._check_reviewer()
        self._check_state('submitted', _(
            'Licence %(number)s is %(state)s: only submitted licences are '
            'reviewed.'))
        self._decide('approved')
        return True

    @api.multi
    def action_reject(self):
        """Button: ask the reviewer why these licences are rejected."""
        self._check_reviewer()
        self._check_state('submitted', _(
            'Licence %(number)s is %(state)s: only submitted licences are '
            'reviewed.'))
        return self.env['meddev.decision.reason.wizard']._open_for(
            self, 'reject')

    @api.multi
    def reject(self, reason):
        """Reject submitted licences for ``reason`` (required text); the
        submitter may correct and resubmit them."""
        self._check_reviewer()
        reason = self.env['meddev.decision.reason.wizard']._clean_reason(
            reason, self)
        self._check_state('submitted', _(
            'Licence %(number)s is %(state)s: only submitted licences are '
            'reviewed.'))
        self._decide('rejected', reason)
        return True

    @api.multi
    def action_revoke(self):
        """Button: ask the reviewer why these licences are revoked."""
        self._check_reviewer()
        self._check_state('approved', _(
            'Licence %(number)s is %(state)s: only approved licences are '
            'revoked.'))
        return self.env['meddev.decision.reason.wizard']._open_for(
            self, 'revoke')

    @api.multi
    def revoke(self, reason):
        """Withdraw approved licences for ``reason`` (suspended by the
        authority, replaced, found false): trade under them stops at
        once."""
        self._check_reviewer()
        reason = self.env['meddev.decision.reason.wizard']._clean_reason(
            reason, self)
        self._check_state('approved', _(
            'Licence %(number)s is %(state)s: only approved licences are '
            'revoked.'))
        self._decide('revoked', reason)
        return True

    # Business

    def applies_to_company(self, company):
        """Tell whether this licence counts for trade by ``company``: a
        licence recorded without a company counts for every company. The
        gate, the qualification state and the review checklist all use
        this rule."""
        self.ensure_one()
        return not self.company_id or self.company_id == company

    @api.model
    def _company_domain(self, company):
        """Search domain of the licences that count for ``company``."""
        return ['|', ('company_id', '=', False),
                ('company_id', '=', company.id)]

    def is_valid_on(self, date):
        """Return True when this licence is approved and in date on
        ``date`` (a date string)."""
        self.ensure_one()
        return (self.state == 'approved'
                and (not self.valid_from or self.valid_from <= date)
                and (self.long_term or (self.valid_to
                                        and self.valid_to >= date)))
