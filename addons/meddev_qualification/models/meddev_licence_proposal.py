from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import licence_text

# OCR field -> licence field a proposal fills when accepted.
TARGETS = {
    'number': 'number',
    'holder': 'holder_name',
    'credit_code': 'credit_code',
    'issue_date': 'issue_date',
    'valid_from': 'valid_from',
    'valid_to': 'valid_to',
    'long_term': 'long_term',
    'issuing_authority': 'issuing_authority',
    'scope_codes': 'scope_category_ids',
}


class MeddevLicenceProposal(models.Model):
    """A value the OCR of a licence scan proposes for one field, with the
    text it was read from and a confidence; the user accepts it with one
    click."""

    _name = 'meddev.licence.proposal'
    _description = 'Licence OCR Proposal'
    _order = 'licence_id, sequence, id'

    licence_id = fields.Many2one(
        'meddev.partner.licence', required=True, ondelete='cascade',
        index=True)
    attachment_id = fields.Many2one(
        'ir.attachment', string='Scan', ondelete='set null')
    sequence = fields.Integer()
    field = fields.Selection([
        ('number', 'Licence Number'),
        ('holder', 'Holder'),
        ('credit_code', 'Unified Social Credit Code'),
        ('issue_date', 'Issue Date'),
        ('valid_from', 'Valid From'),
        ('valid_to', 'Valid To'),
        ('long_term', 'Long-Term'),
        ('issuing_authority', 'Issuing Authority'),
        ('scope_codes', 'Scope'),
        ('classes', 'Device Classes'),
        ('legal_representative', 'Legal Representative'),
        ('address', 'Address'),
    ], required=True)
    value = fields.Char(required=True)
    source = fields.Char(help="The line of the scan the value was read from.")
    confidence = fields.Float(
        digits=(3, 2), help="How sure the reading is, from 0 to 1.")
    confidence_percent = fields.Float(
        string='Confidence (%)', compute='_compute_confidence_percent',
        digits=(3, 0),
        help="The confidence on the 0-100 scale of the progress bar.")
    note = fields.Char()
    mismatch = fields.Char(
        help="Why the value disagrees with what is known of the partner.")
    accepted = fields.Boolean(readonly=True)
    can_accept = fields.Boolean(compute='_compute_can_accept')

    @api.depends('confidence')
    def _compute_confidence_percent(self):
        for proposal in self:
            proposal.confidence_percent = round(
                100 * min(max(proposal.confidence, 0.0), 1.0))

    @api.depends('field')
    def _compute_can_accept(self):
        for proposal in self:
            proposal.can_accept = proposal.field in TARGETS

    @api.model
    def _prepare_vals(self, licence, proposals, attachment):
        """Return create values for the ``licence_text.Proposal`` list,
        flagging a holder or credit code that differs from what is known of
        the partner (its name, its tax ID, its other licences)."""
        partner = licence.partner_id
        # sudo: the comparison is with licences the job's user may not read;
        # only their numbers and codes are shown, to the same user.
        known_codes = self.env['meddev.partner.licence'].sudo().search([
            ('partner_id', '=', partner.id), ('id', '!=', licence.id),
            ('credit_code', '!=', False),
            ('state', 'not in', ('rejected', 'revoked'))])
        vals_list = []
        for index, proposal in enumerate(proposals):
            data = proposal.as_dict()
            value = data['value']
            if isinstance(value, list):
                value = ', '.join(value)
            elif isinstance(value, bool):
                value = value and 'true' or 'false'
            mismatches = []
            if proposal.field == 'holder' and partner.name \
                    and not licence_text.names_match(value, partner.name):
                mismatches.append(_('The partner is called %(name)s.') % {
                    'name': partner.name})
            if proposal.field == 'credit_code':
                mismatches += self._credit_code_mismatches(
                    value, partner, known_codes)
            vals_list.append({
                'licence_id': licence.id,
                'attachment_id': attachment.id,
                'sequence': index,
                'field': proposal.field,
                'value': value,
                'source': data['source'],
                'confidence': data['confidence'],
                'note': licence._proposal_note_text(proposal) or False,
                'mismatch': ' '.join(mismatches) or False,
            })
        return vals_list

    @api.model
    def _credit_code_mismatches(self, code, partner, known_licences):
        """Return why the credit ``code`` read on a scan disagrees with the
        partner's tax ID and the codes of its other licences."""
        mismatches = []
        if partner.vat and partner.vat.strip().upper() != code:
            mismatches.append(_('The partner\'s tax ID is %(vat)s.') % {
                'vat': partner.vat})
        for other in known_licences.filtered(
                lambda lic: lic.credit_code != code):
            mismatches.append(
                _('Licence %(number)s of the partner has credit code '
                  '%(code)s.') % {'number': other.number,
                                  'code': other.credit_code})
        return mismatches

    @api.multi
    def action_accept(self):
        """Copy the proposed values into their licences."""
        for proposal in self:
            if proposal.field not in TARGETS:
                raise UserError(
                    _('The %(field)s read on the scan is for information '
                      'only: a licence has no such field.') % {
                        'field': dict(self._fields['field']._description_selection(
                            self.env))[proposal.field]})
            target = TARGETS[proposal.field]
            value = proposal.value
            if proposal.field == 'long_term':
                value = value == 'true'
            elif proposal.field == 'scope_codes':
                codes = [code.strip() for code in value.split(',')]
                categories = self.env['meddev.device.category'].search(
                    [('code', 'in', codes)])
                value = [(6, 0, (proposal.licence_id.scope_category_ids
                                 | categories).ids)]
            proposal.licence_id.write({target: value})
            proposal.accepted = True
        return True
