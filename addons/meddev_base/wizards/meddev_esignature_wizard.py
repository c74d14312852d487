from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError

from ..models.meddev_esignature import MEANINGS


class MeddevEsignatureWizard(models.TransientModel):
    """Ask the signer's password, record the signature, then carry out the
    signed action on the document as the signer.

    The password is checked when the wizard is saved and never stored: a
    wrong one refuses the save, so nothing is signed and nothing changes.
    """

    _name = 'meddev.esignature.wizard'
    _description = 'Electronic Signature'

    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    method = fields.Char(required=True)
    meaning = fields.Selection(MEANINGS, required=True)
    record_name = fields.Char(
        string='Document', compute='_compute_record_name')
    comment = fields.Text(
        help="Optional remark signed with the document.")
    password = fields.Char(
        help="Your login password: it confirms that you, and nobody else "
             "at your keyboard, sign.")
    password_checked = fields.Boolean(readonly=True)

    @api.depends('res_model', 'res_id')
    def _compute_record_name(self):
        for wizard in self:
            if wizard.res_model in self.env and wizard.res_id:
                wizard.record_name = self.env[wizard.res_model].browse(
                    wizard.res_id).display_name

    @api.model
    def _action_open(self, record, method, meaning):
        """Return the window action asking the current user to sign
        ``record`` with ``meaning``, then to call ``method`` on it."""
        record.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Electronic Signature'),
            'res_model': self._name,
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_res_model': record._name,
                'default_res_id': record.id,
                'default_method': method,
                'default_meaning': meaning,
            },
        }

    def _password_ok(self, password):
        # Like Odoo's login: an empty password never matches (with
        # auth_crypt, check_credentials alone would accept it).
        if not password:
            return False
        try:
            self.env['res.users'].check_credentials(password)
        except AccessDenied:
            return False
        return True

    def _check_target(self, vals):
        model = vals.get('res_model')
        method = vals.get('method') or ''
        if model not in self.env or method.startswith('_') or not hasattr(
                self.env[model], method):
            raise UserError(
                _('%(method)s of %(model)s is not an action that can be '
                  'signed.') % {'method': method, 'model': model})
        record = self.env[model].browse(vals.get('res_id')).exists()
        if not record:
            raise UserError(
                _('The document to sign (%(model)s %(id)s) no longer '
                  'exists.') % {'model': model, 'id': vals.get('res_id')})
        record.check_access_rights('read')
        record.check_access_rule('read')

    @api.model
    def create(self, vals):
        # The document comes from the action's context defaults.
        vals = self._add_missing_default_values(dict(vals))
        password = vals.pop('password', False)
        self._check_target(vals)
        if not self._password_ok(password):
            raise UserError(
                _('Wrong password: the signature of %(user)s was refused and '
                  'nothing was changed.') % {'user': self.env.user.name})
        vals['password_checked'] = True
        return super(MeddevEsignatureWizard, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        # The password was checked for this document and action: a client
        # may not point the wizard at another one afterwards.
        for wizard in self:
            for name in ('res_model', 'res_id', 'method', 'meaning'):
                if name in vals and vals[name] != wizard[name]:
                    raise UserError(
                        _('%(document)s: the signature was asked for this '
                          'document and action; open the signature again '
                          'for another one.') % {
                            'document': wizard.record_name})
        # Only a password check sets the flag, never a value sent by a client.
        vals.pop('password_checked', None)
        if 'password' in vals:
            vals['password_checked'] = self._password_ok(vals.pop('password'))
        return super(MeddevEsignatureWizard, self).write(vals)

    @api.multi
    def action_sign(self):
        """Record the signature and carry out the signed action; return
        that action's result (or close the dialog)."""
        self.ensure_one()
        if not self.password_checked or self.create_uid != self.env.user:
            raise UserError(
                _('Enter your password to sign %(document)s.') % {
                    'document': self.record_name})
        # Checked again: only a public action of a readable document.
        self._check_target({'res_model': self.res_model,
                            'res_id': self.res_id, 'method': self.method})
        record = self.env[self.res_model].browse(self.res_id)
        signature = self.env['meddev.esignature']._sign(
            record, self.meaning, self.method, self.comment)
        # One password, one signature: the wizard cannot sign twice.
        super(MeddevEsignatureWizard, self).write({'password_checked': False})
        result = getattr(record.with_context(
            meddev_esignature_id=signature.id), self.method)()
        # A signature authorises the action it was given for, once: an
        # action that did not use it cannot leave it for another one.
        signature.sudo().write({'consumed': True})
        if isinstance(result, dict):
            return result
        return {'type': 'ir.actions.act_window_close'}
