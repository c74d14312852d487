from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# What a customer or distributor may say in the portal form; the rest is
# the quality team's assessment.
PORTAL_OUTCOMES = ('death', 'serious_injury', 'malfunction', 'no_harm')


class MeddevComplaint(models.Model):
    """Complaints sent by customers and distributors from the portal: a
    form that opens a complaint received now, and the list of their own
    complaints with their progress."""

    _inherit = 'meddev.complaint'

    @api.model
    def _portal_partner(self):
        """Return the commercial partner of the portal user, or refuse
        internal and public users (they use the back office or cannot
        complain anonymously)."""
        user = self.env.user
        if not user.has_group('base.group_portal'):
            raise AccessError(
                _('The complaint form of the portal is for customers and '
                  'distributors with a portal account.'))
        return user.partner_id.commercial_partner_id

    @api.model
    def _portal_my_complaints(self):
        """Return the complaints of the portal user's company, for the
        portal list (name, status, dates, product and description only)."""
        partner = self._portal_partner()
        # Portal users have no complaint rights: their own company's
        # complaints are read for them; the templates show no assessment.
        return self.sudo().search(
            [('partner_id', 'child_of', partner.id)],
            order='received_date desc, id desc')

    @api.model
    def _portal_create_complaint(self, values):
        """Open a complaint from the portal form ``values`` (strings as
        posted): the event, the serial or UDI, whether a patient was
        involved, and whether it is feedback of a distributor's customer.
        The clock starts now; the quality team assesses it."""
        partner = self._portal_partner()
        description = (values.get('description') or '').strip()
        if not description:
            raise UserError(_('Describe what happened first.'))
        outcome = values.get('patient_outcome') or 'no_harm'
        if outcome not in PORTAL_OUTCOMES:
            raise UserError(_('Choose the outcome for the patient from the '
                              'list.'))
        vals = {
            'channel': 'distributor' if values.get('distributor')
            else 'portal',
            'partner_id': partner.id,
            'reporter_id': self.env.user.partner_id.id,
            'description': description,
            'patient_involved': bool(values.get('patient_involved')),
            'patient_outcome': outcome,
            'company_id': self.env.user.company_id.id,
            'received_date': fields.Datetime.now(),
            'awareness_date': fields.Datetime.now(),
            'user_id': self.env.user.company_id.sudo()
            .meddev_quality_manager_id.id,
        }
        serial = (values.get('serial') or '').strip()
        udi = (values.get('udi') or '').strip()
        complaints = self.sudo()
        if udi:
            vals['udi'] = udi
        elif serial:
            lots = self.env['stock.production.lot'].sudo().search(
                [('name', '=', serial)], limit=2)
            if len(lots) == 1:
                vals['lot_id'] = lots.id
            else:
                # Unknown or ambiguous: quality finds the lot, nothing lost.
                vals['description'] = '%s\n%s' % (
                    description, _('Serial or lot given: %(serial)s') % {
                        'serial': serial})
        # Portal users may not create complaints themselves: the form's
        # whitelisted values are recorded for them, in their name.
        complaint = complaints.create(vals)
        complaint.message_post(
            body=_('Complaint sent from the portal by %(user)s.') % {
                'user': self.env.user.name},
            author_id=self.env.user.partner_id.id)
        return complaint
