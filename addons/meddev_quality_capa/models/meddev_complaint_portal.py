import base64

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..evidence_upload import (
    ALLOWED_EXTENSIONS, MAX_FILE_BYTES, MAX_FILES, upload_problem)

# What a customer or distributor may say in the portal form; the rest is
# the quality team's assessment.
PORTAL_OUTCOMES = ('death', 'serious_injury', 'malfunction', 'no_harm')


class MeddevComplaint(models.Model):
    """Complaints sent by customers and distributors from the portal: a
    form that opens a complaint received now, and the list of the
    complaints they reported with their progress."""

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
        """Return the complaints the portal user reported, for the portal
        list (name, status, dates, product and serial only): a colleague's
        complaint may describe a patient, so the company's others stay
        with the quality team."""
        partner = self._portal_partner()
        # Portal users have no complaint rights: the ones they reported
        # for their own company are read for them; the templates show no
        # assessment.
        return self.sudo().search(
            [('reporter_id', '=', self.env.user.partner_id.id),
             ('partner_id', 'child_of', partner.id)],
            order='received_date desc, id desc')

    @api.model
    def _portal_delivered_lot(self, partner, product=None, name=None,
                              lot=None):
        """Return the lot or serial ``lot`` (or named ``name``, of
        ``product`` when given) if it was delivered to ``partner``'s
        company, else an empty recordset: a customer names only the
        devices it received, and learns nothing of other customers'."""
        lots = self.env['stock.production.lot']
        if not lot and not name:
            return lots
        # Deliveries are stock records the portal user may not read: the
        # search only answers whether they received this lot.
        domain = [('state', '=', 'done'),
                  ('location_dest_id.usage', '=', 'customer'),
                  ('picking_id.partner_id', 'child_of', partner.id)]
        if lot:
            domain.append(('lot_id', '=', lot.id))
        else:
            domain.append(('lot_id.name', '=', name))
        if product:
            domain.append(('product_id', '=', product.id))
        delivered = self.env['stock.move.line'].sudo().search(
            domain).mapped('lot_id')
        return delivered if len(delivered) == 1 else lots

    @api.model
    def _portal_check_files(self, files):
        """Refuse the portal upload ``files`` [(name, content bytes)] that
        break the limits, naming the file and the reason."""
        reasons = {
            'count': _('at most %(count)d files per complaint') % {
                'count': MAX_FILES},
            'empty': _('the file is empty'),
            'size': _('larger than %(size)d MB') % {
                'size': MAX_FILE_BYTES // (1024 * 1024)},
            'type': _('only photos, PDF, text, Office and ZIP files '
                      '(%(types)s)') % {
                'types': ' '.join(ALLOWED_EXTENSIONS)},
        }
        for position, (name, content) in enumerate(files, 1):
            problem = upload_problem(name, len(content or b''), position)
            if problem:
                raise UserError(
                    _('The file "%(file)s" cannot be attached: '
                      '%(reason)s.') % {'file': name or '-',
                                        'reason': reasons[problem]})

    @api.model
    def _portal_create_complaint(self, values, files=()):
        """Open a complaint from the portal form ``values`` (strings as
        posted) and the files attached ``files`` [(name, content bytes)]:
        the event, the serial or UDI of a device delivered to the portal
        user's company, whether a patient was involved, and whether it is
        feedback of a distributor's customer. The clock starts now; the
        quality team assesses it (and only then does it count for the
        cluster and trend alerts)."""
        partner = self._portal_partner()
        description = (values.get('description') or '').strip()
        if not description:
            raise UserError(_('Describe what happened first.'))
        outcome = values.get('patient_outcome') or 'no_harm'
        if outcome not in PORTAL_OUTCOMES:
            raise UserError(_('Choose the outcome for the patient from the '
                              'list.'))
        files = list(files or ())
        self._portal_check_files(files)
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
        unknown = serial
        if udi:
            # The product of a UDI-DI is public (it is printed on the
            # box); the serial in it is looked up among the deliveries.
            product, lot, _data = self.env['meddev.udi.scan'].sudo() \
                .find_lot(udi)
            if not product:
                raise UserError(
                    _('No product has the UDI-DI of the scanned UDI '
                      '%(udi)s.') % {'udi': udi})
            vals['product_id'] = product.id
            lot = self._portal_delivered_lot(partner, lot=lot) if lot \
                else lot
            if lot:
                vals.update(udi=udi, lot_id=lot.id)
                unknown = False
            else:
                unknown = udi
        elif serial:
            lot = self._portal_delivered_lot(partner, name=serial)
            if lot:
                vals.update(lot_id=lot.id, product_id=lot.product_id.id)
                unknown = False
        if unknown:
            # Not among the devices delivered to this customer (or
            # ambiguous): quality finds the lot, nothing lost.
            vals['description'] = '%s\n%s' % (
                description, _('Serial, lot or UDI given: %(serial)s') % {
                    'serial': unknown})
        # Portal users may not create complaints themselves: the form's
        # whitelisted values are recorded for them, in their name.
        complaint = self.sudo().create(vals)
        if files:
            # Stored for the portal user, on the complaint only they sent.
            attachments = self.env['ir.attachment'].sudo()
            for name, content in files:
                attachments |= attachments.create({
                    'name': name, 'datas_fname': name,
                    'datas': base64.b64encode(content),
                    'res_model': self._name, 'res_id': complaint.id})
            complaint._meddev_as_server().write(
                {'evidence_ids': [(4, attachment.id)
                                  for attachment in attachments]})
        complaint.message_post(
            body=_('Complaint sent from the portal by %(user)s.') % {
                'user': self.env.user.name},
            author_id=self.env.user.partner_id.id)
        return complaint
