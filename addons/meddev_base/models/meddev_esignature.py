import hashlib
import json

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

MEANINGS = [
    ('authorship', 'Authorship'),
    ('review', 'Review'),
    ('approval', 'Approval'),
    ('verification', 'Verification'),
    ('closure', 'Closure'),
    ('rejection', 'Rejection'),
]


def signature_digest(payload):
    """Return the SHA-256 hex digest of ``payload`` (a JSON-able dict),
    serialised canonically so that the same values give the same hash."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False,
                      default=str, separators=(',', ':'))
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


class MeddevEsignature(models.Model):
    """An electronic signature: who signed which record, when, with what
    meaning, and a hash of the values signed (21 CFR Part 11 §11.50/§11.70).

    Rows are written only by the signature wizard, after the signer has
    re-entered their password; they cannot be changed or deleted. A user
    reads the signatures of the documents they may read only (see
    ``_apply_ir_rules``).
    """

    _name = 'meddev.esignature'
    _description = 'Electronic Signature'
    _inherit = ['meddev.regulated.mixin']
    _order = 'signed_on desc, id desc'
    _rec_name = 'record_name'

    user_id = fields.Many2one(
        'res.users', string='Signed By', required=True, readonly=True,
        index=True, ondelete='restrict')
    signed_on = fields.Datetime(required=True, readonly=True)
    meaning = fields.Selection(
        MEANINGS, required=True, readonly=True,
        help="What the signature stands for, printed with it.")
    res_model = fields.Char(
        string='Document Model', required=True, readonly=True, index=True)
    res_id = fields.Integer(
        string='Document ID', required=True, readonly=True, index=True)
    record_name = fields.Char(string='Document', readonly=True)
    method = fields.Char(
        string='Action Signed', readonly=True,
        help="The action of the document carried out with this signature.")
    comment = fields.Text(readonly=True)
    signed_values = fields.Text(
        readonly=True,
        help="The document's values at signature time, as signed (JSON).")
    signature_hash = fields.Char(
        readonly=True,
        help="SHA-256 of the signer, time, meaning, document and values: "
             "any later change of the row no longer matches it.")
    intact = fields.Boolean(
        compute='_compute_intact',
        help="The stored hash still matches the stored values.")
    consumed = fields.Boolean(
        readonly=True,
        help="The action it authorised has been carried out: a signature "
             "authorises one action only.")
    company_id = fields.Many2one(
        'res.company', string='Company', readonly=True, index=True)

    def _payload(self):
        self.ensure_one()
        return {
            'user': self.user_id.id,
            'login': self.user_id.login,
            'signed_on': self.signed_on,
            'meaning': self.meaning,
            'model': self.res_model,
            'res_id': self.res_id,
            'method': self.method or '',
            'comment': self.comment or '',
            'values': self.signed_values or '',
        }

    def _compute_intact(self):
        for signature in self:
            signature.intact = signature.signature_hash == signature_digest(
                signature._payload())

    @api.model
    def _apply_ir_rules(self, query, mode='read'):
        """Record rules, plus: a user reads a signature only if they may
        read the signed document (its model's access rights and record
        rules, and any restriction of its search).

        A record rule cannot say that (the document's model is a column).
        Odoo applies this method to every read of the table: search,
        search_count, name_search, read, field access, read_group, and
        many2many fields; so the restriction holds on every path."""
        super(MeddevEsignature, self)._apply_ir_rules(query, mode=mode)
        if self._uid == SUPERUSER_ID or mode != 'read':
            return
        clauses, params = [], []
        for model, res_ids in self._meddev_readable_documents().items():
            clauses.append('("{table}"."res_model" = %s AND '
                           '"{table}"."res_id" IN %s)'.format(
                               table=self._table))
            params += [model, tuple(res_ids)]
        query.where_clause.append('(%s)' % ' OR '.join(clauses)
                                  if clauses else 'FALSE')
        query.where_clause_params.extend(params)

    @api.model
    def _meddev_readable_documents(self):
        """Return ``{model: [ids]}``: the signed documents the current user
        may read, among those that have signatures."""
        # Read without the rules (this is the rule): the signed documents,
        # to be filtered by the user's own access to each.
        self.env.cr.execute(
            'SELECT res_model, array_agg(DISTINCT res_id) '
            'FROM meddev_esignature GROUP BY res_model')
        readable = {}
        for model, res_ids in self.env.cr.fetchall():
            if model not in self.env:
                continue
            documents = self.env[model].with_context(active_test=False)
            if documents._abstract or not documents.check_access_rights(
                    'read', raise_exception=False):
                continue
            try:
                ids = documents.search([('id', 'in', res_ids)]).ids
            except AccessError:
                continue
            if ids:
                readable[model] = ids
        return readable

    @api.multi
    def write(self, vals):
        if set(vals) - set(['consumed']):
            raise UserError(
                _('Electronic signatures cannot be changed once given.'))
        return super(MeddevEsignature, self).write(vals)

    @api.model
    def _signed_values(self, record):
        """Return the JSON text of the values of ``record`` that its
        signature covers: the fields named by the model's
        ``_meddev_signed_fields`` or, by default, its display name."""
        names = getattr(record, '_meddev_signed_fields', None) or [
            'display_name']
        values = record.read(names)[0]
        return json.dumps(values, sort_keys=True, ensure_ascii=False,
                          default=str)

    @api.model
    def _sign(self, record, meaning, method=False, comment=False):
        """Record the current user's signature of ``record`` and return it.

        Only the wizard calls this, once the password has been checked.
        """
        record.ensure_one()
        vals = {
            'user_id': self.env.uid,
            'signed_on': fields.Datetime.now(),
            'meaning': meaning,
            'res_model': record._name,
            'res_id': record.id,
            'record_name': record.display_name,
            'method': method,
            'comment': comment,
            'signed_values': self._signed_values(record),
            'company_id': self.env.user.company_id.id,
        }
        # Users may not create signatures themselves (no create right): the
        # row is written here, after the password check, as the superuser.
        signature = self.sudo().new(vals)
        vals['signature_hash'] = signature_digest(signature._payload())
        return self.sudo().create(vals).sudo(self.env.uid)

    @api.model
    def _check_signed(self, record, meaning):
        """Return the signature the context carries for ``record`` by the
        current user with ``meaning``, marked used; raise a UserError when
        there is none, so that a signed action cannot run unsigned."""
        record.ensure_one()
        signature_id = self.env.context.get('meddev_esignature_id')
        # The signer reads their own signature even without read rights.
        signature = self.sudo().browse(signature_id or []).exists()
        if not signature or signature.user_id.id != self.env.uid \
                or signature.res_model != record._name \
                or signature.res_id != record.id \
                or signature.meaning != meaning or signature.consumed:
            raise UserError(
                _('%(record)s: this action needs your electronic signature '
                  '(%(meaning)s). Use the button that asks for your '
                  'password.') % {
                    'record': record.display_name,
                    'meaning': dict(self._fields['meaning']._description_selection(
                        self.env)).get(meaning, meaning)})
        signature.write({'consumed': True})
        return signature

    @api.multi
    def action_open_document(self):
        """Open the signed document."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': self.res_model,
            'res_id': self.res_id,
            'view_mode': 'form',
        }
