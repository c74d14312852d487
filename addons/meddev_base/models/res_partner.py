from odoo import _, api, models
from odoo.exceptions import AccessError

from ..tools.context import create_values

# Odoo computes it from the parent and the company flag, and stores what a
# caller sends (no inverse): the gates of qualification and credit judge a
# partner by it.
COMMERCIAL_FIELD = 'commercial_partner_id'


class ResPartner(models.Model):
    """A partner's commercial partner follows its parent and company flag
    only. Odoo 11 stores a ``commercial_partner_id`` an RPC caller writes:
    an unlicensed or listed customer would then be judged by a licensed
    distributor's licences, credit limit and hold. Only the superuser (data
    migrations) sets it by hand."""

    _inherit = 'res.partner'

    @api.model
    def create(self, vals):
        asked = create_values(self, vals, [COMMERCIAL_FIELD])
        if asked.get(COMMERCIAL_FIELD):
            self._meddev_refuse_commercial_partner(vals.get('name') or '-')
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        if COMMERCIAL_FIELD in vals and any(
                partner.commercial_partner_id.id != vals[COMMERCIAL_FIELD]
                for partner in self):
            self._meddev_refuse_commercial_partner(
                ', '.join(self.mapped('display_name')))
        return super(ResPartner, self).write(vals)

    @api.model
    def _meddev_refuse_commercial_partner(self, names):
        """Refuse a commercial partner given by hand, unless the superuser
        gives it."""
        if self.env.user._is_superuser():
            return
        raise AccessError(
            _('The commercial partner of %(partners)s follows its parent '
              'company and the company flag: change those instead (the '
              'licence and credit checks judge a partner by it).') % {
                'partners': names})

    @api.multi
    def _meddev_kept_records_naming(self, query):
        """Return ``(partner name, record names)`` for the first of these
        partners that kept records name, or None. ``query`` is plain SQL
        taking ``%(ids)s`` (the partners' ids) and returning rows of
        (partner id, record name): an addon refuses the partners' deletion
        with it, naming the records, whoever asks and whether or not they
        may read those records (the ``ondelete='restrict'`` foreign keys
        refuse it too, with a database error that names nothing)."""
        if not self.ids:
            return None
        self.env.cr.execute(query, {'ids': self.ids})
        rows = self.env.cr.fetchall()
        if not rows:
            return None
        names = sorted(set(row[1] for row in rows))
        return (self.browse(rows[0][0]).sudo().display_name,
                ', '.join(names[:5]))
