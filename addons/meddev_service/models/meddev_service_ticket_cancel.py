from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .meddev_service_ticket import INTERNAL


class MeddevServiceTicket(models.Model):
    """Cancelling a ticket (a duplicate, a call withdrawn, a device not
    ours): the ticket is kept as a regulated record, moved to the
    cancelling stage with the reason, its clocks stopped as a closing
    stops them, nothing billed nor followed up; a dispatcher may reopen
    it."""

    _inherit = 'meddev.service.ticket'

    is_cancelled = fields.Boolean(
        string='Cancelled', related='stage_id.is_cancelled', store=True,
        readonly=True, index=True)
    cancel_reason = fields.Text(
        string='Cancel Reason', readonly=True, copy=False,
        track_visibility='onchange', groups=INTERNAL,
        help="Why a dispatcher or service manager cancelled the ticket.")
    cancel_date = fields.Datetime(
        string='Cancelled on', readonly=True, copy=False, groups=INTERNAL)

    @property
    def _meddev_guarded_fields(self):
        # Written by the Cancel and Reopen buttons only.
        return super(MeddevServiceTicket, self)._meddev_guarded_fields + (
            'cancel_reason', 'cancel_date')

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _check_cancel_rights(self):
        """Cancelling or reopening a ticket is a dispatcher's or service
        manager's decision, checked here whatever the path (button,
        wizard, RPC), then the caller's write access to the tickets."""
        if not self._is_dispatcher():
            raise AccessError(
                _('Only a dispatcher or a service manager may cancel or '
                  'reopen the ticket %(tickets)s.') % {
                    'tickets': ', '.join(self.mapped('name'))})
        self._check_may_edit()

    def _check_cancel_stage_move(self, vals):
        """The cancelling stage is reached through the Cancel button only
        (it asks the reason); a cancelled ticket is reopened before it
        is closed (closing bills and plans the follow-up)."""
        if not vals.get('stage_id') or self._meddev_is_server():
            return
        stage = self.env['meddev.service.stage'].browse(vals['stage_id'])
        moved = self.filtered(lambda ticket: ticket.stage_id != stage)
        if stage.is_cancelled and moved:
            raise UserError(
                _('Use the Cancel button to cancel %(tickets)s: it asks '
                  'for the reason.') % {
                    'tickets': ', '.join(moved.mapped('name'))})
        cancelled = moved.filtered('is_cancelled')
        if stage.is_closed and cancelled:
            raise UserError(
                _('The ticket %(tickets)s is cancelled: reopen it before '
                  'closing it.') % {
                    'tickets': ', '.join(cancelled.mapped('name'))})

    @api.multi
    def write(self, vals):
        self._check_cancel_stage_move(vals)
        return super(MeddevServiceTicket, self).write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.multi
    def action_cancel(self):
        """Open the wizard that asks why these tickets are cancelled."""
        self._check_cancel_rights()
        self._check_may_cancel()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Cancel Ticket'),
            'res_model': 'meddev.service.cancellation',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_ticket_ids': [(6, 0, self.ids)]},
        }

    @api.multi
    def action_reopen(self):
        """Reopen cancelled or closed tickets in their team's first stage:
        the clocks the cancelling or closing stopped run again."""
        self._check_cancel_rights()
        not_closed = self.filtered(lambda ticket: not ticket.is_closed)
        if not_closed:
            raise UserError(
                _('The ticket %(tickets)s is open already.') % {
                    'tickets': ', '.join(not_closed.mapped('name'))})
        for ticket in self:
            # Rights checked above; tracked under the caller's name
            # whatever switches the client's context carries.
            ticket._meddev_as_server().write(
                {'stage_id': self._first_stage(ticket.team_id.id).id})
        return True

    def _check_may_cancel(self):
        """Only open tickets are cancelled, and none on which parts were
        used: that work was done and is closed (and billed) instead."""
        for ticket in self:
            if ticket.is_closed:
                raise UserError(
                    _('The ticket %(name)s is %(stage)s already: reopen it '
                      'first.') % {'name': ticket.name,
                                   'stage': ticket.stage_id.name})
            if ticket.sudo().part_ids.filtered(
                    lambda part: part.state == 'done'):
                raise UserError(
                    _('Parts were used on the ticket %(name)s: close it '
                      'instead of cancelling it.') % {'name': ticket.name})

    def _cancel_stage(self):
        """The cancelling stage of this ticket's team (or shared)."""
        self.ensure_one()
        domain = [('is_cancelled', '=', True)]
        if self.team_id:
            domain = ['|', ('team_ids', '=', False),
                      ('team_ids', '=', self.team_id.id)] + domain
        stage = self.env['meddev.service.stage'].search(domain, limit=1)
        if not stage:
            raise UserError(
                _('No cancelling stage is configured for the ticket '
                  '%(name)s (Field Service > Configuration > '
                  'Stages).') % {'name': self.name})
        return stage

    def _cancel(self, reason):
        """Cancel these tickets for ``reason`` (required): the reason and
        the date recorded and tracked, the cancelling stage entered (the
        clocks stop there)."""
        reason = (reason or '').strip()
        if not reason:
            raise UserError(
                _('Give the reason why %(tickets)s is cancelled.') % {
                    'tickets': ', '.join(self.mapped('name'))})
        self._check_cancel_rights()
        self._check_may_cancel()
        now = fields.Datetime.now()
        for ticket in self:
            # The reason, date and stage are the button's (rights checked
            # above); tracked under the canceller's name.
            ticket._meddev_as_server().write({
                'cancel_reason': reason, 'cancel_date': now,
                'stage_id': ticket._cancel_stage().id})
        return True

    def _action_cancel(self, now):
        """Cancelling steps, run on entering the cancelling stage: the
        clocks stop as on a closing without a visit (not needed, failed
        once past their deadline); no billing, no maintenance date, no
        follow-up call."""
        self.ensure_one()
        self.sudo().sla_line_ids._sla_not_needed(self.cancel_date or now)
