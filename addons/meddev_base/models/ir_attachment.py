from odoo import _, api, models

# What makes an attachment the file it is and where it belongs: its
# content and the record it is attached to.
EVIDENCE_FIELDS = frozenset((
    'datas', 'db_datas', 'store_fname', 'url', 'type', 'res_model',
    'res_id', 'res_field', 'checksum', 'file_size'))


class IrAttachment(models.Model):
    """The files of a record that keeps its audit trail (see
    ``meddev.audit.trail.mixin``: a submitted regulatory report, a CAPA,
    a change record, a recall, an opened ticket...) are evidence: not
    deleted, their content not replaced, not moved to another record,
    whoever asks but the superuser and the server's own code. Odoo 11
    lets anyone who may write the record do all three. A new file is
    attached instead."""

    _inherit = 'ir.attachment'

    @api.multi
    def write(self, vals):
        if set(vals) & EVIDENCE_FIELDS:
            self._meddev_check_kept_evidence(
                _('its files cannot be replaced or moved to another record; '
                  'attach a new file instead.'))
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_kept_evidence(
            _('its files cannot be deleted; attach a new file instead.'))
        return super(IrAttachment, self).unlink()

    def _meddev_check_kept_evidence(self, what):
        trail = self.env['meddev.audit.trail.mixin']
        if not self or trail._meddev_audit_bypass():
            return
        # Read as the server (ir.attachment's own check ran, or runs, for
        # the user): what a file is attached to.
        self.env.cr.execute(
            'SELECT res_model, res_id FROM ir_attachment WHERE id IN %s',
            (tuple(self.ids),))
        kept = trail._meddev_kept_targets(self.env.cr.fetchall(), files=True)
        if kept:
            trail._meddev_refuse_trail_change(kept, what)
