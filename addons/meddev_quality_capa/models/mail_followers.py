from odoo import _, api, models
from odoo.exceptions import ValidationError

from .mail_message import GROUP_QUALITY_USER, QUALITY_SUBTYPE


class MailFollowers(models.Model):
    """Only the quality groups follow the quality handling of complaints:
    the subtype is hidden from the follower widget, but a service user
    could still subscribe to it by RPC (message_subscribe, or creating or
    editing their follower row) and receive the notes by e-mail."""

    _inherit = 'mail.followers'

    @api.model
    def _meddev_quality_partners(self):
        """Return the partners of the internal users of the quality groups
        (the managers and regulatory affairs imply the quality user)."""
        group = self.env.ref(GROUP_QUALITY_USER).sudo()
        return group.users.filtered(lambda user: not user.share).mapped(
            'partner_id')

    @api.multi
    def _meddev_quality_outsiders(self):
        """Return the followers among these that hold the quality subtype
        without being a quality user's partner (channels included: anyone
        may be a member of a channel)."""
        holding = self._meddev_quality_holding()
        if not holding:
            return self.browse()
        partners = self._meddev_quality_partners()
        return holding.filtered(
            lambda follower: follower.channel_id
            or follower.partner_id not in partners)

    @api.multi
    def _meddev_quality_holding(self):
        """Return, as the superuser, those of these followers that hold the
        quality subtype. One query, on the relation: every follower written
        is checked (mail's own, such as an invoice's customer subscribed at
        its posting), and the subtype's record (env.ref checks that it
        exists), the followers' rows and then their subtypes cost three
        (bench case 2: the posting's three queries over the suite's
        dependencies). The id comes from the xml ids' cache; a subtype
        gone holds no follower."""
        subtype_id = self.env['ir.model.data'].xmlid_to_res_id(
            QUALITY_SUBTYPE, raise_if_not_found=False)
        ids = tuple(self.ids)
        if not subtype_id or not ids:
            return self.sudo().browse()
        field = self._fields['subtype_ids']
        self.env.cr.execute(
            'SELECT DISTINCT "{id1}" FROM "{rel}"'
            ' WHERE "{id1}" IN %s AND "{id2}" = %s'.format(
                rel=field.relation, id1=field.column1, id2=field.column2),
            (ids, subtype_id))
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    # Constraints run on create and write, whoever writes: message_subscribe
    # writes the followers as the superuser.
    @api.constrains('subtype_ids', 'partner_id', 'channel_id')
    def _check_meddev_quality_subtype(self):
        outsiders = self._meddev_quality_outsiders()
        if outsiders:
            raise ValidationError(
                _('%(names)s may not follow the quality handling of '
                  'complaints: only the quality groups receive it.') % {
                    'names': ', '.join(
                        outsiders.mapped('partner_id.display_name')
                        + outsiders.mapped('channel_id.display_name'))})
