from odoo import _, api, fields, models


class MeddevServiceTicket(models.Model):
    """A ticket whose triage says complaint or possible adverse event
    opens a complaint; any ticket can open one by its button."""

    _inherit = 'meddev.service.ticket'

    complaint_ids = fields.One2many(
        'meddev.complaint', 'ticket_id', string='Complaints', readonly=True)
    complaint_count = fields.Integer(compute='_compute_complaint_count')

    def _compute_complaint_count(self):
        counts = dict((row['ticket_id'][0], row['ticket_id_count'])
                      for row in self.env['meddev.complaint'].read_group(
                          [('ticket_id', 'in', self.ids)], ['ticket_id'],
                          ['ticket_id']))
        for ticket in self:
            ticket.complaint_count = counts.get(ticket.id, 0)

    @api.multi
    def _on_quality_flag(self):
        """Open the complaint of each ticket its triage just marked for
        quality (once: a ticket with a complaint keeps it)."""
        result = super(MeddevServiceTicket, self)._on_quality_flag()
        for ticket in self.filtered(lambda ticket: not ticket.complaint_ids):
            complaint = ticket._create_complaint()
            ticket.message_post(
                body=_('Complaint %(complaint)s opened for quality.') % {
                    'complaint': complaint.name},
                subtype='mail.mt_note')
        return result

    def _prepare_complaint_vals(self):
        """Return the values of the complaint opened from this ticket:
        customer, contact, serial, product, fault codes and description;
        the clock starts when the ticket was marked for quality."""
        self.ensure_one()
        description = '\n'.join(part for part in (
            self.title, self.description) if part)
        awareness = self.quality_flag_date or fields.Datetime.now()
        return {
            'channel': 'service_ticket',
            'ticket_id': self.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'reporter_id': (self.contact_id or self.partner_id).id,
            'product_id': self.product_id.id,
            'lot_id': self.lot_id.id,
            'fault_code_ids': [(6, 0, self.fault_code_ids.ids)],
            'description': description or self.name,
            'patient_involved': self.triage_patient_involved,
            # A possible adverse event counts as one that could cause a
            # serious injury until quality assesses it: the safer clock.
            'patient_outcome': 'malfunction' if self.triage_adverse_event
            else 'no_harm',
            # Received when the ticket opened (never after it was flagged).
            'received_date': min(self.date_open or awareness, awareness),
            'awareness_date': awareness,
        }

    def _create_complaint(self):
        self.ensure_one()
        # The ticket link is set by the ticket only (a guarded field).
        complaints = self.env['meddev.complaint']
        return complaints._meddev_as_server().create(
            self._prepare_complaint_vals()).with_env(complaints.env)

    @api.multi
    def action_open_complaint(self):
        """Open the ticket's complaint, creating it when there is none."""
        self.ensure_one()
        complaint = self.complaint_ids[:1] or self._create_complaint()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.complaint',
            'res_id': complaint.id,
            'view_mode': 'form',
        }

    def _service_360_sections(self):
        """Add the complaints on this ticket's serial."""
        sections = super(MeddevServiceTicket, self)._service_360_sections()
        if self.lot_id:
            sections.append(self.env['meddev.service.view360']._section(
                _('Complaints on %(lot)s') % {'lot': self.lot_id.name},
                'meddev.complaint', ['|', ('lot_id', '=', self.lot_id.id),
                                     ('lot_ids', 'in', self.lot_id.ids)]))
        return sections
