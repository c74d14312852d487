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
        if self.ids:
            # Plain SQL: whoever may delete partners is refused, whether
            # or not they may read recalls.
            self.env.cr.execute("""
                SELECT p.id, r.name
                  FROM meddev_recall_line l
                  JOIN meddev_recall r ON r.id = l.recall_id
                  JOIN res_partner p ON p.id IN (l.partner_id,
                                                 l.shipping_partner_id)
                 WHERE p.id = ANY(%s)
                 ORDER BY r.name
            """, [self.ids])
            rows = self.env.cr.fetchall()
            if rows:
                partner = self.browse(rows[0][0])
                recalls = sorted(set(row[1] for row in rows))
                raise UserError(
                    _('%(partner)s cannot be deleted: the recall '
                      '%(recalls)s records it as a customer or delivery '
                      'address of a recalled lot. Archive it '
                      'instead.') % {
                        'partner': partner.sudo().display_name,
                        'recalls': ', '.join(recalls[:5])})
        return super(ResPartner, self).unlink()
