from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import (
    commit_batch, create_values, schedule_todo)


class MeddevCapaAction(models.Model):
    """One corrective or preventive action of a CAPA: who does what by
    when, and the evidence that it was done. Addressed to a supplier, it is
    a supplier corrective action request tied to the supplier's lots."""

    _name = 'meddev.capa.action'
    _description = 'CAPA Action'
    # Regulated: an action is the CAPA's evidence, never deleted.
    _inherit = ['meddev.quality.context.mixin', 'meddev.regulated.mixin',
                'mail.thread', 'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'capa_id, due_date, id'
    # Set by the buttons, the supplier portal and the cron only.
    _meddev_guarded_fields = (
        'state', 'done_date', 'done_by_id', 'overdue_notified', 'sent_date',
        'response_date', 'company_id', 'supplier_response')

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
        ondelete='restrict',
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
    done_by_id = fields.Many2one(
        'res.users', string='Done By', readonly=True, ondelete='restrict',
        help="Who recorded the action as done: the owner or a quality "
             "manager, never the effectiveness verifier.")
    attachment_ids = fields.Many2many(
        'ir.attachment', 'meddev_capa_action_attachment_rel', 'action_id',
        'attachment_id', string='Evidence')
    overdue_notified = fields.Boolean(readonly=True, copy=False)
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier', index=True, ondelete='restrict',
        help="Set to make this action a supplier corrective action request.")
    supplier_lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_capa_action_lot_rel', 'action_id',
        'lot_id', string="Supplier's Lots",
        help="The supplier's material lots concerned; their certificates "
             "are attached to the receipts of these lots.")
    supplier_response = fields.Text(
        readonly=True, copy=False, track_visibility='onchange',
        help="The supplier's answer, as given on the portal (the quality "
             "team answers in the chatter).")
    sent_date = fields.Datetime(string='Sent to Supplier', readonly=True)
    response_date = fields.Datetime(
        string='Supplier Answered', readonly=True, copy=False)
    company_id = fields.Many2one(
        related='capa_id.company_id', store=True, readonly=True)
    receipt_ids = fields.Many2many(
        'stock.picking', compute='_compute_certificates',
        string="Supplier's Receipts",
        help="The done receipts from this supplier that brought its lots.")
    certificate_ids = fields.Many2many(
        'ir.attachment', compute='_compute_certificates',
        string='Certificates',
        help="The certificates of conformity and test reports (合格证 / "
             "检测报告) attached to the supplier's lots or to the receipts "
             "that brought them.")
    certificate_summary = fields.Html(
        compute='_compute_certificates', sanitize=False,
        string='Lots and Certificates')

    @api.depends('supplier_id', 'supplier_lot_ids')
    def _compute_certificates(self):
        # The quality team sees which receipts and certificates exist for
        # the supplier's lots without stock rights: names, not contents.
        attachments = self.env['ir.attachment'].sudo()
        for action in self:
            lots = action.supplier_lot_ids
            receipts = self.env['stock.picking']
            certificates = attachments
            if action.supplier_id and lots:
                receipts = action._supplier_receipt_lines().mapped(
                    'picking_id')
                certificates = attachments.search([
                    '|', '&', ('res_model', '=', 'stock.picking'),
                    ('res_id', 'in', receipts.ids or [0]),
                    '&', ('res_model', '=', 'stock.production.lot'),
                    ('res_id', 'in', lots.ids)], order='id')
            action.receipt_ids = receipts
            action.certificate_ids = certificates
            action.certificate_summary = action._certificate_summary_html(
                lots, receipts, certificates)

    def _supplier_receipt_lines(self):
        """Return the done receipt lines that brought this action's lots
        from its supplier (any contact of the supplier's company)."""
        self.ensure_one()
        # Stock records the quality team may not read: only which lots
        # came from the supplier, and by which receipt, is shown.
        return self.env['stock.move.line'].sudo().search([
            ('lot_id', 'in', self.supplier_lot_ids.ids),
            ('state', '=', 'done'),
            ('picking_id.picking_type_code', '=', 'incoming'),
            ('picking_id.partner_id', 'child_of',
             self.supplier_id.commercial_partner_id.id)])

    @api.constrains('supplier_id', 'supplier_lot_ids')
    def _check_supplier_lots(self):
        """The lots of a supplier corrective action request are lots the
        supplier delivered: a request about another supplier's material
        would reach the wrong company."""
        for action in self.filtered(
                lambda action: action.supplier_id and
                action.supplier_lot_ids):
            received = action._supplier_receipt_lines().mapped('lot_id')
            foreign = action.supplier_lot_ids.sudo() - received.sudo()
            if foreign:
                raise ValidationError(
                    _('The action "%(action)s": the lots %(lots)s were not '
                      'received from %(supplier)s; name only lots this '
                      'supplier delivered.') % {
                        'action': action.name,
                        'lots': ', '.join(foreign.mapped('name')),
                        'supplier': action.supplier_id.display_name})

    def _certificate_lines(self, lots, receipts, certificates):
        """Return [(lot name, receipt names, certificate names)] for
        ``lots``: what the supplier delivered and certified."""
        rows = []
        for lot in lots:
            lot_receipts = receipts.filtered(
                lambda picking: lot in picking.sudo().move_line_ids.mapped(
                    'lot_id'))
            names = certificates.filtered(lambda attachment: (
                attachment.res_model == 'stock.production.lot'
                and attachment.res_id == lot.id) or (
                attachment.res_model == 'stock.picking'
                and attachment.res_id in lot_receipts.ids)).mapped('name')
            rows.append((lot.name, lot_receipts.mapped('name'), names))
        return rows

    def _certificate_summary_html(self, lots, receipts, certificates):
        if not lots:
            return False
        rows = self._certificate_lines(lots, receipts, certificates)
        none = _('none')
        return '<table class="table table-condensed"><tr><th>%s</th>' \
            '<th>%s</th><th>%s</th></tr>%s</table>' % (
                html_escape(_('Lot')), html_escape(_('Receipts')),
                html_escape(_('Certificates')), ''.join(
                    '<tr><td>%s</td><td>%s</td><td>%s</td></tr>' % (
                        html_escape(lot), html_escape(
                            ', '.join(pickings) or none),
                        html_escape(', '.join(names) or none))
                    for lot, pickings, names in rows))

    @api.multi
    def action_view_certificates(self):
        """Open the certificates of the supplier's lots."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Certificates'),
            'res_model': 'ir.attachment',
            'view_mode': 'kanban,tree,form',
            'domain': [('id', 'in', self.certificate_ids.ids)],
        }

    @api.constrains('owner_id', 'capa_id', 'state', 'done_by_id')
    def _check_owner_not_verifier(self):
        """An action owner cannot be the CAPA's effectiveness verifier."""
        self.mapped('capa_id')._check_verifier_independent()

    @api.model
    def create(self, vals):
        self = self._meddev_check_guarded(vals, create=True)
        # The CAPA and the files the action gets, from the values or from
        # the caller's default_* keys and saved defaults alike.
        values = create_values(self, vals, ['capa_id', 'attachment_ids'])
        if not self._meddev_is_server():
            self._check_capa_planning(self.env['meddev.capa'].browse(
                values.get('capa_id')))
        attachments = self.env['ir.attachment']
        if values.get('attachment_ids'):
            attachments._meddev_check_evidence_link(
                self, 'attachment_ids', values['attachment_ids'])
        action = super(MeddevCapaAction, self).create(vals)
        attachments._meddev_rehome_evidence(
            action, action.sudo().attachment_ids)
        action._schedule_owner_activity(
            _('CAPA action due: %(action)s') % {'action': action.name})
        return action

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            if 'capa_id' in vals and any(
                    action.capa_id.id != vals['capa_id'] for action in self):
                raise UserError(
                    _('%(actions)s: an action stays on its CAPA; plan a new '
                      'one on the other CAPA.') % {
                        'actions': ', '.join(self.mapped('name'))})
            for action in self:
                if action.state != 'open' and set(vals) & set(
                        ['owner_id', 'due_date', 'name', 'attachment_ids',
                         'action_type', 'description']):
                    raise UserError(
                        _('The action "%(action)s" of %(capa)s is %(state)s: '
                          'it can no longer change.') % {
                            'action': action.name,
                            'capa': action.capa_id.name,
                            'state': action.state})
        attachments = self.env['ir.attachment']
        if vals.get('attachment_ids'):
            attachments._meddev_check_evidence_link(
                self, 'attachment_ids', vals['attachment_ids'])
        result = super(MeddevCapaAction, self).write(vals)
        if vals.get('attachment_ids'):
            attachments._meddev_rehome_evidence(
                self, self.sudo().attachment_ids)
        return result

    def _check_capa_planning(self, capa):
        """Actions are planned while the CAPA is drafted or implemented."""
        if capa and capa.state not in ('draft', 'open'):
            raise UserError(
                _('%(capa)s is not being planned or implemented: it takes no '
                  'new action.') % {'capa': capa.name})

    def _schedule_owner_activity(self, summary):
        for action in self:
            schedule_todo(action, action.owner_id, summary,
                          deadline=action.due_date)

    @api.multi
    def _meddev_files_frozen(self):
        """The files of an action are its working documents until it is
        done; then they are its evidence (audit trail mixin)."""
        return self.filtered(lambda action: action.state == 'done')

    @api.multi
    def action_done(self):
        """Record the action as done today, by its owner or a quality
        manager; evidence is required."""
        is_manager = self.env.user.has_group(
            'meddev_quality_capa.group_meddev_quality_capa_manager')
        for action in self:
            if action.state != 'open':
                raise UserError(
                    _('The action "%(action)s" is not open.') % {
                        'action': action.name})
            if action.owner_id != self.env.user and not is_manager:
                raise AccessError(
                    _('The action "%(action)s" is recorded as done by its '
                      'owner %(owner)s or a quality manager.') % {
                        'action': action.name,
                        'owner': action.owner_id.name})
            if not action.attachment_ids:
                raise UserError(
                    _('The action "%(action)s" of %(capa)s needs evidence: '
                      'attach a document first.') % {
                        'action': action.name, 'capa': action.capa_id.name})
            if action.capa_id.state not in ('draft', 'open'):
                raise UserError(
                    _('%(capa)s is not being implemented.') % {
                        'capa': action.capa_id.name})
        self._meddev_as_server().write({
            'state': 'done', 'done_by_id': self.env.uid,
            'done_date': fields.Date.context_today(self)})
        self.mapped('activity_ids').action_feedback(_('Action done.'))
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the action (it no longer counts for closure); quality
        managers only, while the CAPA is planned or implemented."""
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_manager'):
            raise AccessError(
                _('Only a quality manager cancels a CAPA action (a cancelled '
                  'action no longer counts for the closure).'))
        for action in self:
            self._check_capa_planning(action.capa_id)
        self.filtered(lambda action: action.state == 'open') \
            ._meddev_as_server().write({'state': 'cancel'})
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
        if self.certificate_summary:
            # The supplier checks its own certificates of these lots.
            body += '<p>%s</p>%s' % (
                html_escape(_('Your receipts and certificates of these '
                              'lots on our side:')),
                self.certificate_summary)
        self.message_subscribe(partner_ids=self.supplier_id.ids)
        self.message_post(
            body=body, subject=_('Supplier corrective action request '
                                 '%(capa)s') % {'capa': self.capa_id.name},
            partner_ids=self.supplier_id.ids, subtype='mail.mt_comment',
            message_type='comment')
        self._meddev_as_server().write({'sent_date': fields.Datetime.now()})
        return True

    # Supplier portal ---------------------------------------------------

    @api.model
    def _portal_supplier_actions(self):
        """Return the corrective action requests sent to the portal
        user's company: none for internal users, who read every request
        in the back office but do not answer as the supplier."""
        user = self.env.user
        if not user.has_group('base.group_portal'):
            return self.browse()
        return self.search([
            ('supplier_id', 'child_of', user.commercial_partner_id.ids),
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
        recorded._meddev_as_server().write({
            'supplier_response': response,
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
            # One message per CAPA listing its overdue actions.
            line_text = _('The action "%(action)s" of %(owner)s was due '
                          '%(due)s.')
            for capa in batch.mapped('capa_id'):
                lines = [line_text % {'action': action.name,
                                      'owner': action.owner_id.name,
                                      'due': action.due_date}
                         for action in batch if action.capa_id == capa]
                capa.message_post(body='<ul>%s</ul>' % ''.join(
                    '<li>%s</li>' % html_escape(line) for line in lines))
            batch._meddev_as_server().write({'overdue_notified': True})
            reminded |= batch
            commit_batch(self.env, self.env.context.get('meddev_cron_commit'))
        return reminded
