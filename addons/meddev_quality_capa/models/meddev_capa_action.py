from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape


class MeddevCapaAction(models.Model):
    """One corrective or preventive action of a CAPA: who does what by
    when, and the evidence that it was done. Addressed to a supplier, it is
    a supplier corrective action request tied to the supplier's lots."""

    _name = 'meddev.capa.action'
    _description = 'CAPA Action'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'capa_id, due_date, id'

    capa_id = fields.Many2one(
        'meddev.capa', string='CAPA', required=True, index=True,
        ondelete='restrict')
    name = fields.Char(string='Action', required=True)
    action_type = fields.Selection([
        ('corrective', 'Corrective'),
        ('preventive', 'Preventive'),
    ], required=True, default='corrective')
    description = fields.Text()
    owner_id = fields.Many2one(
        'res.users', string='Owner', required=True, index=True,
        track_visibility='onchange')
    due_date = fields.Date(required=True, index=True,
                           track_visibility='onchange')
    state = fields.Selection([
        ('open', 'Open'),
        ('done', 'Done'),
        ('cancel', 'Cancelled'),
    ], default='open', required=True, readonly=True, index=True,
        track_visibility='onchange')
    done_date = fields.Date(readonly=True)
    attachment_ids = fields.Many2many(
        'ir.attachment', 'meddev_capa_action_attachment_rel', 'action_id',
        'attachment_id', string='Evidence')
    overdue_notified = fields.Boolean(readonly=True, copy=False)
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier', index=True,
        help="Set to make this action a supplier corrective action request.")
    supplier_lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_capa_action_lot_rel', 'action_id',
        'lot_id', string="Supplier's Lots",
        help="The supplier's material lots concerned; their certificates "
             "are attached to the receipts of these lots.")
    supplier_response = fields.Text(track_visibility='onchange')
    sent_date = fields.Datetime(string='Sent to Supplier', readonly=True)
    response_date = fields.Datetime(
        string='Supplier Answered', readonly=True, copy=False)
    company_id = fields.Many2one(
        related='capa_id.company_id', store=True, readonly=True)

    @api.constrains('owner_id', 'capa_id', 'state')
    def _check_owner_not_verifier(self):
        """An action owner cannot be the CAPA's effectiveness verifier."""
        self.mapped('capa_id')._check_verifier_independent()

    @api.model
    def create(self, vals):
        action = super(MeddevCapaAction, self).create(vals)
        action._schedule_owner_activity(
            _('CAPA action due: %(action)s') % {'action': action.name})
        return action

    @api.multi
    def write(self, vals):
        for action in self:
            if action.state != 'open' and set(vals) & set(
                    ['owner_id', 'due_date', 'name', 'attachment_ids']):
                raise UserError(
                    _('The action "%(action)s" of %(capa)s is %(state)s: it '
                      'can no longer change.') % {
                        'action': action.name, 'capa': action.capa_id.name,
                        'state': action.state})
        return super(MeddevCapaAction, self).write(vals)

    def _schedule_owner_activity(self, summary):
        activity_type = self.env.ref('mail.mail_activity_data_todo')
        model = self.env['ir.model']._get(self._name)
        for action in self:
            self.env['mail.activity'].create({
                'res_model_id': model.id,
                'res_id': action.id,
                'activity_type_id': activity_type.id,
                'summary': summary,
                'user_id': action.owner_id.id,
                'date_deadline': action.due_date,
            })

    @api.multi
    def action_done(self):
        """Record the action as done today; evidence is required."""
        for action in self:
            if action.state != 'open':
                raise UserError(
                    _('The action "%(action)s" is not open.') % {
                        'action': action.name})
            if not action.attachment_ids:
                raise UserError(
                    _('The action "%(action)s" of %(capa)s needs evidence: '
                      'attach a document first.') % {
                        'action': action.name, 'capa': action.capa_id.name})
            if action.capa_id.state not in ('draft', 'open'):
                raise UserError(
                    _('%(capa)s is not being implemented.') % {
                        'capa': action.capa_id.name})
        self.write({'state': 'done',
                    'done_date': fields.Date.context_today(self)})
        self.mapped('activity_ids').action_feedback(_('Action done.'))
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the action (it no longer counts for closure)."""
        self.filtered(lambda action: action.state == 'open').write(
            {'state': 'cancel'})
        return True

    @api.multi
    def action_send_to_supplier(self):
        """Mail the corrective action request to the supplier, listing its
        lots, and follow the answer in this action's chatter."""
        self.ensure_one()
        if not self.supplier_id:
            raise UserError(
                _('The action "%(action)s" is not addressed to a supplier.')
                % {'action': self.name})
        lots = ', '.join(self.supplier_lot_ids.mapped('name')) or '-'
        body = _('<p>Dear supplier,</p><p>Please investigate and correct: '
                 '%(action)s (CAPA %(capa)s), lots %(lots)s, answer due '
                 '%(due)s.</p><p>%(description)s</p>') % {
            'action': html_escape(self.name),
            'capa': html_escape(self.capa_id.name),
            'lots': html_escape(lots), 'due': self.due_date,
            'description': html_escape(self.description or '')}
        self.message_subscribe(partner_ids=self.supplier_id.ids)
        self.message_post(
            body=body, subject=_('Supplier corrective action request '
                                 '%(capa)s') % {'capa': self.capa_id.name},
            partner_ids=self.supplier_id.ids, subtype='mail.mt_comment',
            message_type='comment')
        self.sent_date = fields.Datetime.now()
        return True

    # Supplier portal ---------------------------------------------------

    @api.model
    def _portal_supplier_actions(self):
        """Return the corrective action requests sent to the portal
        user's company (the record rules choose them)."""
        return self.search([('supplier_id', '!=', False),
                            ('sent_date', '!=', False)])

    @api.model
    def _portal_supplier_action(self, action_id):
        """Return the request ``action_id`` if the portal user's company
        may see it, else raise AccessError."""
        action = self._portal_supplier_actions().filtered(
            lambda candidate: candidate.id == action_id)
        if not action:
            raise AccessError(_('This corrective action request is not '
                                'addressed to your company.'))
        return action

    @api.model
    def _portal_respond(self, action_id, response):
        """Record the supplier's answer to request ``action_id`` from
        the portal and tell the owner in the action's chatter."""
        action = self._portal_supplier_action(action_id)
        response = (response or '').strip()
        if not response:
            raise UserError(_('Write your answer first.'))
        if action.state != 'open':
            raise UserError(
                _('The request "%(action)s" is closed: it takes no more '
                  'answers.') % {'action': action.name})
        # Portal users may not write actions: the answer is recorded for
        # them, on the request the rules let them read, in their name.
        recorded = action.sudo()
        recorded.write({'supplier_response': response,
                        'response_date': fields.Datetime.now()})
        recorded.message_post(
            body=html_escape(response), author_id=self.env.user.partner_id.id,
            subject=_('Supplier answer'),
            partner_ids=recorded.owner_id.partner_id.ids,
            subtype='mail.mt_comment', message_type='comment')
        return action

    @api.model
    def _cron_overdue_actions(self, batch_size=500):
        """Remind each owner once of an open action past its due date and
        say so on the CAPA; in batches, committed when scheduled."""
        today = fields.Date.context_today(self)
        reminded = self.browse()
        while True:
            batch = self.search([
                ('state', '=', 'open'), ('due_date', '<', today),
                ('overdue_notified', '=', False)], limit=batch_size)
            if not batch:
                break
            for action in batch:
                action._schedule_owner_activity(
                    _('Overdue CAPA action: %(action)s') % {
                        'action': action.name})
                action.capa_id.message_post(body=_(
                    'The action "%(action)s" of %(owner)s was due '
                    '%(due)s.') % {'action': action.name,
                                   'owner': action.owner_id.name,
                                   'due': action.due_date})
            batch.write({'overdue_notified': True})
            reminded |= batch
            if self.env.context.get('meddev_cron_commit'):
                # Scheduled run: keep finished batches if a later one fails.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return reminded
