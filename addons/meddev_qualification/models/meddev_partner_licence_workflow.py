from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .access import as_workflow, in_workflow, is_reviewer
from .meddev_partner_licence import SYSTEM_FIELDS

# States in which the licence's content is the approved record: it changes
# only through the workflow (revoke, expire), never by editing. A rejected
# licence goes back to draft to be corrected.
LOCKED_STATES = ('approved', 'expired', 'revoked', 'rejected')
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


class MeddevPartnerLicenceWorkflow(models.Model):
    """The review of a licence: who may submit, approve, reject, revoke or
    change it, in which state, and the record of each decision. Checked on
    the server for every caller (web client, XML-RPC, code)."""

    _inherit = 'meddev.partner.licence'

    def _is_reviewer(self):
        return is_reviewer(self.env)

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
        data_fields = self._data_fields(vals)
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
                if step == ('submitted', 'approved'):
                    licence._check_four_eyes()
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

    @api.model
    def _data_fields(self, vals):
        """Return the names in ``vals`` that are the licence's data (what a
        reviewer approves), as opposed to its workflow fields and
        chatter."""
        return set(vals) - WORKFLOW_FIELDS - {
            name for name in vals
            if name.startswith(('message_', 'activity_'))}

    @api.model
    def _with_author_stamp(self, vals):
        """Return ``vals`` (create or write, already checked) with the
        current user added to the licence's authors when they record or
        change its data or submit it, and recorded as its submitter when
        they submit it, whatever the path (form, RPC, import, OCR
        proposal). The superuser, which loads data, is not recorded."""
        if self.env.user._is_superuser():
            return vals
        stamp = {}
        if self._data_fields(vals):
            stamp['author_ids'] = [(4, self.env.uid)]
        if vals.get('state') == 'submitted':
            stamp['author_ids'] = [(4, self.env.uid)]
            stamp['submitted_by_id'] = self.env.uid
        return dict(vals, **stamp) if stamp else vals

    def _record_scan_change(self):
        """Check and record a change of these licences' scans made outside
        the licence form (an attachment's file replaced or deleted): the
        same rules as a change of the licence's data, and the user becomes
        one of its authors. Called as the user who changes the scan."""
        if not self or self.env.user._is_superuser():
            return
        self._check_write_allowed({'attachment_ids': []})
        # The authors are the workflow's to write; the change was checked.
        as_workflow(self).write({'author_ids': [(4, self.env.uid)]})

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
        # The submitter is recorded by the workflow: nobody may forge it
        # to approve their own licence.
        as_workflow(self.filtered(lambda lic: lic.state == 'draft')).write(
            {'state': 'submitted', 'submitted_by_id': self.env.uid})
        return True

    @api.multi
    def action_reset_draft(self):
        """Take a submitted or rejected licence back to draft for
        correction; the reason of a rejection stays on the licence."""
        self.filtered(lambda lic: lic.state in ('submitted', 'rejected')) \
            .write({'state': 'draft'})
        return True

    def _check_four_eyes(self):
        """Four eyes: whoever recorded a licence, changed its data or scans
        or submitted it never approves it (the superuser, which loads data,
        excepted); a licence whose submitter is unknown (submitted before
        submitters were recorded) is submitted again first."""
        if self.env.user._is_superuser():
            return
        unknown = self.filtered(lambda lic: not lic.submitted_by_id)
        if unknown:
            raise UserError(
                _('Four eyes: nobody knows who submitted licence %(number)s '
                  '(it was submitted before submitters were recorded). Set '
                  'it back to draft and submit it again; another '
                  'qualification reviewer then approves it.') % {
                    'number': ', '.join(unknown.mapped('number'))})
        user = self.env.user
        own = self.filtered(lambda lic: lic.submitted_by_id == user
                            or user in lic.author_ids)
        if own:
            raise UserError(
                _('Four eyes: you recorded, changed or submitted licence '
                  '%(number)s, so another qualification reviewer must '
                  'approve it.') % {
                    'number': ', '.join(own.mapped('number'))})

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
        self._check_four_eyes()
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

    # Upgrade

    @api.model
    def _fill_missing_submitters(self):
        """Upgrade from before four eyes (11.0.1.2.0): give each submitted
        licence without a submitter the user who moved it to Submitted, as
        its chatter shows, when that move is the last state change the
        chatter holds; and give the licences not yet decided their authors
        (creator, submitter, users whose changes of the licence's data the
        chatter shows). Four eyes refuses the approval of a licence left
        without a submitter until it is submitted again. Return the
        submitted licences left without a submitter."""
        cr = self.env.cr
        submitted_labels = self._state_labels('submitted')
        cr.execute("""
            WITH last_state AS (
                SELECT DISTINCT ON (message.res_id)
                       message.res_id AS licence_id,
                       value.new_value_char AS label,
                       message.author_id
                  FROM mail_tracking_value value
                  JOIN mail_message message
                    ON message.id = value.mail_message_id
                 WHERE message.model = %s AND value.field = 'state'
                 ORDER BY message.res_id, message.date DESC,
                          message.id DESC)
            UPDATE meddev_partner_licence licence
               SET submitted_by_id = (
                       SELECT MIN(users.id) FROM res_users users
                        WHERE users.partner_id = last_state.author_id)
              FROM last_state
             WHERE last_state.licence_id = licence.id
               AND licence.state = 'submitted'
               AND licence.submitted_by_id IS NULL
               AND last_state.label IN %s
        """, (self._name, tuple(submitted_labels)))
        undecided = ('draft', 'submitted', 'rejected')
        cr.execute("""
            INSERT INTO meddev_partner_licence_author_rel
                   (licence_id, user_id)
            SELECT licence.id, author.user_id
              FROM meddev_partner_licence licence,
                   LATERAL (VALUES (licence.create_uid),
                                   (licence.submitted_by_id)) author(user_id)
             WHERE licence.state IN %(undecided)s
               AND author.user_id IS NOT NULL
               AND author.user_id != %(superuser)s
             UNION
            SELECT licence.id, users.id
              FROM meddev_partner_licence licence
              JOIN mail_message message
                ON message.model = %(model)s AND message.res_id = licence.id
              JOIN mail_tracking_value value
                ON value.mail_message_id = message.id
              JOIN res_users users ON users.partner_id = message.author_id
             WHERE licence.state IN %(undecided)s
               AND value.field NOT IN %(workflow)s
               AND users.id != %(superuser)s
            ON CONFLICT DO NOTHING
        """, {'undecided': undecided, 'superuser': SUPERUSER_ID,
              'model': self._name, 'workflow': tuple(WORKFLOW_FIELDS)})
        self.invalidate_cache(['submitted_by_id', 'author_ids'])
        return self.search([('state', '=', 'submitted'),
                            ('submitted_by_id', '=', False)])

    @api.model
    def _state_labels(self, state):
        """Return the labels of ``state`` in every language the chatter's
        tracking may have used."""
        labels = {dict(self._fields['state'].selection)[state]}
        translations = self.env['ir.translation'].search([
            ('type', '=', 'selection'),
            ('name', '=', '%s,state' % self._name),
            ('src', 'in', list(labels)), ('value', '!=', False)])
        return labels | set(translations.mapped('value'))
