from odoo import _, api, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = 'res.partner'

    @api.multi
    def unlink(self):
        """Refuse to delete a customer or delivery address that a recall
        line names: who received a recalled lot is the recall's evidence.
        The foreign keys (``ondelete='restrict'``) refuse it too, but with
        a database error that names no recall; archive the partner
        instead. (Merging partners moves the lines to the partner kept
        before deleting the others, and passes.)"""
        found = self._meddev_kept_records_naming("""
            SELECT p.id, r.name
              FROM meddev_recall_line l
              JOIN meddev_recall r ON r.id = l.recall_id
              JOIN res_partner p ON p.id IN (l.partner_id,
                                             l.shipping_partner_id)
             WHERE p.id = ANY(%(ids)s)
             ORDER BY 2
        """)
        if found:
            raise UserError(
                _('%(partner)s cannot be deleted: the recall '
                  '%(recalls)s records it as a customer or delivery '
                  'address of a recalled lot. Archive it '
                  'instead.') % {'partner': found[0], 'recalls': found[1]})
        return super(ResPartner, self).unlink()
