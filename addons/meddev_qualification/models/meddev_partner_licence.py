import base64

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.exception import FailedJobError
from odoo.addons.queue_job.job import job

from .. import licence_ocr, licence_text, uscc

REVIEWER_GROUP = 'meddev_qualification.group_meddev_qualification_reviewer'
# States in which the licence's content is the approved record: it changes
# only through the workflow (revoke, expire), never by editing.
LOCKED_STATES = ('approved', 'expired', 'revoked', 'rejected')
# Fields the workflow and the mail machinery may still write when locked.
WORKFLOW_FIELDS = {
    'state', 'reviewer_id', 'review_date', 'decision_note',
    'alert_thresholds_done', 'ocr_state', 'ocr_message',
}
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
                        'reason': error.message})

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
            licence._queue_ocr(licence.attachment_ids - before[licence.id])
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
        return self.env.user._is_superuser() or self.env.user.has_group(
            REVIEWER_GROUP)

    def _check_write_allowed(self, vals):
        """Refuse edits of reviewed licences and workflow steps taken by
        someone without the right group; checked on the server."""
        data_fields = set(vals) - WORKFLOW_FIELDS - {
            name for name in vals
            if name.startswith(('message_', 'activity_'))}
        is_reviewer = self._is_reviewer()
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
                if TRANSITIONS[step] and not is_reviewer:
                    raise AccessError(
                        _('Only qualification reviewers may approve, reject, '
                          'revoke or expire licence %(number)s.') % {
                            'number': licence.number})
            if not data_fields:
                continue
            if licence.state in LOCKED_STATES:
                raise UserError(
                    _('Licence %(number)s of %(partner)s is %(state)s and '
                      'cannot be changed. Revoke it and record a new '
                      'licence instead.') % {
                        'number': licence.number,
                        'partner': licence.partner_id.display_name,
                        'state': licence._state_label(licence.state)})
            if licence.state == 'submitted' and not is_reviewer:
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
        """Take a submitted licence back to draft for correction."""
        self.filtered(lambda lic: lic.state == 'submitted').write(
            {'state': 'draft'})
        return True

    def _review(self, state, note=False):
        self._check_reviewer()
        for licence in self:
            if licence.state != 'submitted':
                raise UserError(
                    _('Licence %(number)s is %(state)s: only submitted '
                      'licences are reviewed.') % {
                        'number': licence.number,
                        'state': licence._state_label(licence.state)})
        self.write({
            'state': state,
            'reviewer_id': self.env.uid,
            'review_date': fields.Datetime.now(),
            'decision_note': note,
        })

    def _check_reviewer(self):
        if not self._is_reviewer():
            raise AccessError(
                _('Only qualification reviewers may approve, reject or '
                  'revoke licences.'))

    @api.multi
    def action_approve(self):
        """Approve submitted licences: the gates now rely on them."""
        self._review('approved')
        return True

    @api.multi
    def action_reject(self, reason=None):
        """Reject submitted licences; the submitter may correct and
        resubmit."""
        self._review('rejected', reason or False)
        return True

    @api.multi
    def action_revoke(self, reason=None):
        """Withdraw approved licences (suspended by the authority, replaced,
        found false): trade under them stops at once."""
        self._check_reviewer()
        for licence in self:
            if licence.state != 'approved':
                raise UserError(
                    _('Licence %(number)s is %(state)s: only approved '
                      'licences are revoked.') % {
                        'number': licence.number,
                        'state': licence._state_label(licence.state)})
        self.write({
            'state': 'revoked',
            'reviewer_id': self.env.uid,
            'review_date': fields.Datetime.now(),
            'decision_note': reason or False,
        })
        return True

    # Business

    def is_valid_on(self, date):
        """Return True when this licence is approved and in date on
        ``date`` (a date string)."""
        self.ensure_one()
        return (self.state == 'approved'
                and (not self.valid_from or self.valid_from <= date)
                and (self.long_term or (self.valid_to
                                        and self.valid_to >= date)))

    # OCR

    def _queue_ocr(self, attachments):
        """Queue one background OCR job per new scan: the upload never
        waits for tesseract."""
        self.ensure_one()
        if not attachments:
            return
        for attachment in attachments:
            self.with_delay(
                description=_('OCR of %(file)s for licence %(number)s') % {
                    'file': attachment.name, 'number': self.number},
            )._ocr_attachment(attachment.id, commit_failure=True)
        self.sudo().write({'ocr_state': 'queued', 'ocr_message': False})

    @job(default_channel='root')
    def _ocr_attachment(self, attachment_id, commit_failure=False):
        """Read a scan and store the proposals found on it. A file that
        cannot be read keeps its attachment, marks the licence's OCR
        failed with the reason, and fails the job."""
        self.ensure_one()
        attachment = self.env['ir.attachment'].sudo().browse(attachment_id)
        try:
            if not attachment.exists():
                raise licence_ocr.OcrError(
                    'empty', 'the scan has been deleted')
            data = base64.b64decode(attachment.datas or b'')
            text = licence_ocr.read_text(data)
        except licence_ocr.OcrError as error:
            message = _('The scan %(file)s could not be read: %(reason)s.') % {
                'file': attachment.name or attachment_id,
                'reason': error.message}
            self.sudo().write({'ocr_state': 'failed',
                               'ocr_message': message})
            self.message_post(body=message)
            if commit_failure:
                # The job is about to fail and roll back: keep the reason
                # the user must see.
                self.env.cr.commit()  # pylint: disable=invalid-commit
                raise FailedJobError(message)
            return message
        proposals = licence_text.extract_proposals(text)
        proposal_model = self.env['meddev.licence.proposal'].sudo()
        self.proposal_ids.filtered(
            lambda p: p.attachment_id == attachment).sudo().unlink()
        for vals in proposal_model._prepare_vals(self, proposals, attachment):
            proposal_model.create(vals)
        message = _('%(count)s values proposed from %(file)s.') % {
            'count': len(proposals), 'file': attachment.name}
        self.sudo().write({'ocr_state': 'done', 'ocr_message': message})
        self.message_post(body=message)
        return message

    # Cron

    @api.model
    def _cron_check_expiry(self, today=None, batch_size=200, commit=False):
        """Expire approved licences and product certificates past their
        end date and schedule one reminder activity per alert threshold and
        person to remind. Return how many licences expired. Idempotent: a second run
        finds nothing left to do. ``commit`` (set by the scheduled action)
        commits after each batch so that a crash resumes where it stopped.
        """
        today = today or fields.Date.context_today(self)
        licences = self.sudo()
        expired_count = 0
        while True:
            batch = licences.search([
                ('state', '=', 'approved'), ('long_term', '=', False),
                ('valid_to', '<', today)], limit=batch_size)
            if not batch:
                break
            batch.write({'state': 'expired'})
            for licence in batch:
                licence.message_post(body=_(
                    'Licence expired on %(date)s: trade under it has '
                    'stopped.') % {'date': licence.valid_to})
            expired_count += len(batch)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        horizon = max([0] + [
            (licence_type.get_alert_days() or [0])[0]
            for licence_type in self.env['meddev.licence.type'].sudo()
            .search([])])
        limit = self.env['meddev.trade.gate'].days_later(today, horizon)
        candidates = licences.search([
            ('state', '=', 'approved'), ('long_term', '=', False),
            ('valid_to', '>=', today), ('valid_to', '<=', limit)])
        for start in range(0, len(candidates), batch_size):
            candidates[start:start + batch_size]._schedule_expiry_alerts(
                today)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env['product.template']._meddev_check_certificate_expiry(
            today, batch_size, commit)
        return expired_count

    def _schedule_expiry_alerts(self, today):
        """Create one reminder activity per alert threshold crossed and not
        yet alerted, for the partner's salesperson and the company's
        compliance team; each threshold is recorded so it alerts once."""
        today_date = fields.Date.from_string(today)
        for licence in self:
            days_left = (fields.Date.from_string(licence.valid_to)
                         - today_date).days
            company = licence.company_id or self.env.user.company_id
            users = (licence.partner_id.user_id or licence.reviewer_id
                     or self.env.user) | company.meddev_compliance_user_ids
            summary = _('Licence %(number)s expires in %(days)s days') % {
                'number': licence.number, 'days': days_left}
            done = schedule_threshold_activities(
                licence, users, licence.licence_type_id.get_alert_days(),
                parse_days(licence.alert_thresholds_done), days_left,
                licence.valid_to, summary,
                lambda threshold, lic=licence: _(
                    'Threshold: %(threshold)s days. Ask %(partner)s for the '
                    'renewed licence.') % {
                        'threshold': threshold,
                        'partner': lic.partner_id.display_name})
            if done is not None:
                licence.write({'alert_thresholds_done': done})
                licence.message_post(body=summary)


def schedule_threshold_activities(record, users, thresholds, done, days_left,
                                  deadline, summary, note):
    """Create a to-do activity on ``record`` for each of ``users`` and each
    threshold of ``thresholds`` that ``days_left`` has crossed and that is
    not in ``done``; ``note(threshold)`` gives its text. Return the new
    comma-separated list of thresholds done, or None if nothing was due."""
    new = [days for days in thresholds
           if days_left <= days and days not in done]
    if not new:
        return None
    env = record.env
    activity_type = env.ref('mail.mail_activity_data_todo')
    model = env['ir.model']._get(record._name)
    for threshold in new:
        for user in users:
            env['mail.activity'].create({
                'res_model_id': model.id,
                'res_id': record.id,
                'activity_type_id': activity_type.id,
                'user_id': user.id,
                'date_deadline': deadline,
                'summary': summary,
                'note': note(threshold),
            })
    return ','.join(str(days) for days in
                    sorted(set(done) | set(new), reverse=True))


def parse_days(text):
    """Return the ints of a comma-separated list, ignoring junk."""
    return [int(part) for part in (text or '').split(',')
            if part.strip().isdigit()]
