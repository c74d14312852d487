from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.meddev_base.tools import schedule_todo

GROUP_MANAGER = 'meddev_quality_capa.group_meddev_quality_capa_manager'

RATINGS = [('1', '1'), ('2', '2'), ('3', '3'), ('4', '4'), ('5', '5')]
ROOT_CAUSE_METHODS = [
    ('five_whys', '5 Whys'),
    ('fishbone', 'Fishbone (Ishikawa)'),
    ('other', 'Other'),
]
ROOT_CAUSE_CATEGORIES = [
    ('man', 'Man (人)'),
    ('machine', 'Machine (机)'),
    ('material', 'Material (料)'),
    ('method', 'Method (法)'),
    ('environment', 'Environment (环)'),
    ('measurement', 'Measurement (测)'),
]


class MeddevCapa(models.Model):
    """A corrective and preventive action plan: the problem, its risk, the
    containment, the root cause, the actions with owners and due dates, the
    effectiveness check by an independent verifier, approval tiers and a
    signed closure. A regulated record: cancelled, never deleted."""

    _name = 'meddev.capa'
    _description = 'CAPA'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.quality.closed.mixin',
                'meddev.quality.signed.approval.mixin',
                'meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'tier.validation',
                'meddev.guarded.mixin']
    _order = 'id desc'
    _state_from = ['approval']
    _state_to = ['closed']
    _cancel_state = 'cancel'
    _meddev_signed_fields = ['name', 'problem', 'root_cause',
                             'effectiveness_result', 'effectiveness_note']
    # Set by the workflow only (see meddev.guarded.mixin).
    _meddev_guarded_fields = (
        'name', 'state', 'effectiveness_result', 'effectiveness_date',
        'reopen_count', 'ineffective_count', 'closed_date', 'risk_score',
        'risk_level', 'implementation_checked_by_id',
        'implementation_checked_date')

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    source = fields.Selection([
        ('complaint', 'Complaints'),
        ('audit', 'Audit'),
        ('nonconformity', 'Nonconformity'),
        ('supplier', 'Supplier'),
        ('trend', 'Trend'),
    ], required=True, default='complaint', track_visibility='onchange')
    complaint_ids = fields.Many2many(
        'meddev.complaint', 'meddev_capa_complaint_rel', 'capa_id',
        'complaint_id', string='Complaints')
    product_id = fields.Many2one('product.product', string='Product',
                                 index=True, ondelete='restrict')
    problem = fields.Text(string='Problem Statement', required=True)
    severity = fields.Selection(
        RATINGS, required=True, default='3', track_visibility='onchange',
        help="1 negligible ... 5 catastrophic (ISO 14971).")
    occurrence = fields.Selection(
        RATINGS, required=True, default='3', track_visibility='onchange',
        help="1 improbable ... 5 frequent.")
    risk_score = fields.Integer(
        compute='_compute_risk', store=True,
        help="Severity x occurrence.")
    risk_level = fields.Selection([
        ('low', 'Low'), ('medium', 'Medium'), ('high', 'High'),
    ], compute='_compute_risk', store=True, index=True)
    containment = fields.Text(
        help="Immediate action that stops the problem spreading.")
    root_cause_method = fields.Selection(ROOT_CAUSE_METHODS)
    root_cause_category = fields.Selection(
        ROOT_CAUSE_CATEGORIES, string='Root Cause Category',
        help="Fishbone category: man, machine, material, method, "
             "environment, measurement (人机料法环测).")
    root_cause = fields.Text(track_visibility='onchange')
    root_cause_lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_capa_root_cause_lot_rel', 'capa_id',
        'lot_id', string='Root-Cause Lots',
        help="Lots found to be the root cause: a recall starts from them.")
    action_ids = fields.One2many(
        'meddev.capa.action', 'capa_id', string='Actions')
    action_count = fields.Integer(compute='_compute_action_figures')
    action_done_count = fields.Integer(compute='_compute_action_figures')
    implementation_note = fields.Text(
        string='Implementation Check', track_visibility='onchange',
        help="How the implementation of the actions was checked and what "
             "was found: recorded with the button Implementation Checked "
             "(who and when) before the effectiveness check.")
    implementation_checked_by_id = fields.Many2one(
        'res.users', string='Implementation Checked By', readonly=True,
        ondelete='restrict',
        copy=False, track_visibility='onchange')
    implementation_checked_date = fields.Datetime(
        string='Implementation Checked On', readonly=True, copy=False)
    effectiveness_criteria = fields.Text(
        track_visibility='onchange',
        help="What must be observed to call the CAPA effective.")
    effectiveness_planned_date = fields.Date(
        string='Effectiveness Check Planned', track_visibility='onchange')
    verifier_id = fields.Many2one(
        'res.users', string='Verifier', track_visibility='onchange',
        ondelete='restrict',
        help="Checks the effectiveness; may not own any action.")
    effectiveness_result = fields.Selection([
        ('pending', 'Pending'),
        ('effective', 'Effective'),
        ('ineffective', 'Ineffective'),
    ], default='pending', required=True, readonly=True, copy=False,
        track_visibility='onchange')
    effectiveness_note = fields.Text(string='Effectiveness Evidence',
                                     track_visibility='onchange')
    effectiveness_date = fields.Date(readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False)
    ineffective_count = fields.Integer(
        string='Ineffective Verdicts', readonly=True, copy=False,
        help="How often the verifier found the CAPA ineffective (a rejected "
             "approval reopens it too, but is no verdict on its effect).")
    state = fields.Selection([
        ('draft', 'Draft'),
        ('open', 'Implementation'),
        ('verification', 'Effectiveness Check'),
        ('approval', 'Approval'),
        ('closed', 'Closed'),
        ('cancel', 'Cancelled'),
    ], default='draft', required=True, readonly=True, copy=False,
        index=True, track_visibility='onchange')
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        ondelete='restrict',
        track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.capa'))
    closed_date = fields.Datetime(readonly=True, copy=False)
    signature_count = fields.Integer(compute='_compute_signature_count')

    @api.depends('severity', 'occurrence')
    def _compute_risk(self):
        for capa in self:
            score = int(capa.severity or 0) * int(capa.occurrence or 0)
            capa.risk_score = score
            capa.risk_level = 'high' if score >= 15 else (
                'medium' if score >= 6 else 'low')

    @api.depends('action_ids.state')
    def _compute_action_figures(self):
        for capa in self:
            actions = capa.action_ids.filtered(
                lambda action: action.state != 'cancel')
            capa.action_count = len(actions)
            capa.action_done_count = len(actions.filtered(
                lambda action: action.state == 'done'))

    def _compute_signature_count(self):
        signatures = self.env['meddev.esignature']
        for capa in self:
            capa.signature_count = signatures.search_count([
                ('res_model', '=', self._name), ('res_id', '=', capa.id)])

    @api.constrains('verifier_id', 'action_ids')
    def _check_verifier_independent(self):
        """The effectiveness verifier must not own an action of the CAPA,
        nor have recorded one as done."""
        for capa in self:
            actions = capa.action_ids.filtered(
                lambda action: action.state != 'cancel')
            if capa.verifier_id and capa.verifier_id in (
                    actions.mapped('owner_id') | actions.mapped('done_by_id')):
                raise ValidationError(
                    _('%(capa)s: %(user)s owns an action and cannot verify '
                      'its effectiveness; choose an independent verifier.')
                    % {'capa': capa.name, 'user': capa.verifier_id.name})

    @api.model
    def create(self, vals):
        self = self._meddev_check_guarded(vals, create=True)
        vals = dict(vals)
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.capa') or '/'
        return super(MeddevCapa, self).create(vals)

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            self._check_write_allowed(vals)
        return super(MeddevCapa, self).write(vals)

    def _check_write_allowed(self, vals):
        """A CAPA stays in its company; once the effectiveness check has
        started, only a quality manager changes the verifier; a closed or
        cancelled CAPA is the record of what was done: only messages and
        activities are added to it."""
        self._check_closed_unchanged(vals)
        for capa in self:
            if 'implementation_note' in vals and \
                    capa.implementation_checked_by_id and \
                    vals['implementation_note'] != capa.implementation_note:
                raise UserError(
                    _('%(capa)s: the implementation check was recorded by '
                      '%(user)s on %(date)s; it changes only when the CAPA '
                      'is reopened.') % {
                        'capa': capa.name,
                        'user': capa.implementation_checked_by_id.name,
                        'date': capa.implementation_checked_date})
            if 'company_id' in vals and vals['company_id'] != \
                    capa.company_id.id:
                raise UserError(
                    _('%(capa)s stays in the company that opened it.') % {
                        'capa': capa.name})
            if 'verifier_id' in vals and \
                    vals['verifier_id'] != capa.verifier_id.id and \
                    capa.state not in ('draft', 'open') and \
                    not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    _('%(capa)s: once the effectiveness check has started, '
                      'only a quality manager changes the verifier.') % {
                        'capa': capa.name})
        self._check_verdict_unchanged(vals)

    def _check_verdict_unchanged(self, vals):
        """Once the CAPA is handed over to its effectiveness check
        (verification, then approval), the check is the independent
        verifier's: only the verifier, or a quality manager who owns no
        action of the CAPA, changes its criteria, planned date or evidence
        (README: "an effectiveness check by a verifier who owns no
        action"). An action owner never does: they would write the proof
        of their own work. The approvals are given on it (deleting the
        approval rows must not unlock it)."""
        names = sorted(name for name in vals
                       if name.startswith('effectiveness_'))
        if not names:
            return
        user = self.env.user
        is_manager = user.has_group(GROUP_MANAGER)
        for capa in self:
            if capa.state not in ('verification', 'approval'):
                continue
            owners = capa.sudo().action_ids.filtered(
                lambda action: action.state != 'cancel').mapped('owner_id')
            if user in owners or not (
                    capa.verifier_id == user or is_manager):
                raise AccessError(
                    _('%(capa)s: the effectiveness check is its verifier\'s '
                      '(%(fields)s); only the verifier or a quality manager '
                      'who owns no action of the CAPA may change it.') % {
                        'capa': capa.name, 'fields': ', '.join(names)})

    def _set_state(self, state, **vals):
        vals['state'] = state
        return self._meddev_as_server().write(vals)

    def _check_manager(self, what):
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                _('%(capas)s: only a quality manager may %(what)s a CAPA.')
                % {'capas': ', '.join(self.mapped('name')), 'what': what})

    def _check_state(self, states, what):
        for capa in self:
            if capa.state not in states:
                raise UserError(
                    _('%(capa)s: %(what)s is not possible in its current '
                      'status.') % {'capa': capa.name, 'what': what})

    @api.multi
    def action_open(self):
        """Start implementing: problem, risk and at least one action set."""
        self._check_state(['draft'], _('starting the implementation'))
        for capa in self:
            if not capa.action_ids:
                raise UserError(
                    _('%(capa)s: plan at least one action with an owner and '
                      'a due date first.') % {'capa': capa.name})
        return self._set_state('open')

    @api.multi
    def action_check_implementation(self):
        """Record that the implementation of the actions was checked:
        the result written in Implementation Check, who checked and when
        (stamped). Every action must be done with its evidence."""
        self._check_state(['open'], _('the implementation check'))
        for capa in self:
            capa._check_actions_done()
            if not (capa.implementation_note or '').strip():
                raise UserError(
                    _('%(capa)s: write the result of the implementation '
                      'check (Implementation Check) first.') % {
                        'capa': capa.name})
        self._meddev_as_server().write({
            'implementation_checked_by_id': self.env.uid,
            'implementation_checked_date': fields.Datetime.now()})
        return True

    def _check_implementation_checked(self):
        """The implementation check (who, when, result) comes before the
        effectiveness check and the closure."""
        for capa in self:
            if not capa.implementation_checked_by_id or not (
                    capa.implementation_note or '').strip():
                raise UserError(
                    _('%(capa)s: record the implementation check first '
                      '(its result in Implementation Check, then the button '
                      'Implementation Checked).') % {'capa': capa.name})

    @api.multi
    def action_to_verification(self):
        """Actions implemented and checked: hand over to the
        effectiveness check."""
        self._check_state(['open'], _('the effectiveness check'))
        for capa in self:
            capa._check_actions_done()
            capa._check_implementation_checked()
            if not capa.verifier_id or not capa.effectiveness_criteria:
                raise UserError(
                    _('%(capa)s: name the verifier and the effectiveness '
                      'criteria first.') % {'capa': capa.name})
        self._set_state('verification', effectiveness_result='pending')
        for capa in self:
            capa._schedule_verifier_activity()
        return True

    def _check_actions_done(self):
        """Every action done with evidence attached (cancelled ones aside)."""
        self.ensure_one()
        actions = self.action_ids.filtered(
            lambda action: action.state != 'cancel')
        if not actions:
            raise UserError(_('%(capa)s has no action.') % {
                'capa': self.name})
        for action in actions:
            if action.state != 'done':
                raise UserError(
                    _('%(capa)s: the action "%(action)s" of %(owner)s is '
                      'not done.') % {'capa': self.name,
                                      'action': action.name,
                                      'owner': action.owner_id.name})
            if not action.attachment_ids:
                raise UserError(
                    _('%(capa)s: the action "%(action)s" has no evidence '
                      'attached.') % {'capa': self.name,
                                      'action': action.name})

    def _schedule_verifier_activity(self):
        schedule_todo(
            self, self.verifier_id,
            _('Effectiveness check of %(capa)s') % {'capa': self.name},
            deadline=self.effectiveness_planned_date)

    def _check_verifier(self):
        for capa in self:
            if capa.state != 'verification':
                raise UserError(
                    _('%(capa)s is not waiting for its effectiveness '
                      'check.') % {'capa': capa.name})
            if capa.verifier_id != self.env.user:
                raise UserError(
                    _('%(capa)s: only its verifier %(verifier)s records the '
                      'effectiveness result.') % {
                        'capa': capa.name,
                        'verifier': capa.verifier_id.name or '-'})
            # Owners may have changed since the verifier was chosen.
            capa._check_verifier_independent()
            if not capa.effectiveness_note:
                raise UserError(
                    _('%(capa)s: describe the evidence of the effectiveness '
                      'check first.') % {'capa': capa.name})

    @api.multi
    def action_effective(self):
        """The verifier found the CAPA effective: on to approval."""
        self._check_verifier()
        self._set_state(
            'approval', effectiveness_result='effective',
            effectiveness_date=fields.Date.context_today(self))
        # Ask the approval tiers now: their reviewers are notified.
        self.filtered('need_validation').request_validation()
        return True

    @api.multi
    def action_ineffective(self):
        """The verifier found the CAPA ineffective: it reopens for new
        actions."""
        self._check_verifier()
        return self._reopen(
            _('Effectiveness check failed: the CAPA is reopened. Plan '
              'further actions.'), ineffective=True)

    def _reopen(self, message, ineffective=False):
        """Send these CAPAs back to implementation, counting the reopening
        (and the ineffective verdict, which the dashboard's pass rate
        counts), and say why in the chatter."""
        for capa in self:
            # The next round of actions is checked anew.
            vals = {'effectiveness_result': 'pending',
                    'reopen_count': capa.reopen_count + 1,
                    'implementation_checked_by_id': False,
                    'implementation_checked_date': False}
            if ineffective:
                vals.update(
                    effectiveness_result='ineffective',
                    effectiveness_date=fields.Date.context_today(self),
                    ineffective_count=capa.ineffective_count + 1)
            capa._set_state('open', **vals)
            capa.message_post(body=message)
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the CAPA (never delete it); quality managers only."""
        self._check_manager(_('cancel'))
        self._check_state(['draft', 'open', 'verification', 'approval'],
                          _('cancellation'))
        return self._set_state('cancel')

    @api.multi
    def action_view_signatures(self):
        """Open the electronic signatures given on this CAPA."""
        self.ensure_one()
        action = self.env.ref('meddev_base.meddev_esignature_action').read()[0]
        action['domain'] = [('res_model', '=', self._name),
                            ('res_id', '=', self.id)]
        return action
