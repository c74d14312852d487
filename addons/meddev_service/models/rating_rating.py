from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

TICKET_MODEL = 'meddev.service.ticket'


class RatingRating(models.Model):
    """A ticket's satisfaction is a KPI of the work: recorded once, on a
    closed ticket, by a dispatcher who did not work on it
    (``_record_satisfaction``). Odoo 11 lets every employee create and
    write any rating: a ticket's ratings are written only by that
    method (the server mark) or the superuser (Odoo's rating link)."""

    _inherit = 'rating.rating'

    @api.model
    def create(self, vals):
        model = self.env['ir.model'].sudo().browse(
            vals.get('res_model_id')).model or vals.get('res_model')
        if model == TICKET_MODEL:
            self._check_ticket_rating_access(vals.get('res_id'))
        return super(RatingRating, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_ticket_ratings_access(vals)
        return super(RatingRating, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_ticket_ratings_access()
        return super(RatingRating, self).unlink()

    def _check_ticket_ratings_access(self, vals=None):
        """Refuse a change of ticket ratings, or a rating moved onto a
        ticket, outside the satisfaction flow."""
        ticket_model = self.env['ir.model'].sudo()._get(TICKET_MODEL)
        ratings = self.sudo().filtered(
            lambda rating: rating.res_model == TICKET_MODEL)
        if ratings or (vals or {}).get('res_model_id') == ticket_model.id:
            self._check_ticket_rating_access(
                ratings[:1].res_id or (vals or {}).get('res_id'))

    def _check_ticket_rating_access(self, ticket_id):
        if self.env.uid == SUPERUSER_ID or \
                self.env[TICKET_MODEL]._meddev_is_server():
            return
        ticket = self.env[TICKET_MODEL].sudo().browse(ticket_id).exists()
        raise AccessError(
            _('The satisfaction of ticket %(ticket)s is recorded with its '
              '"Record Satisfaction" button (once, on the closed ticket, by '
              'a dispatcher who did not work on it): ratings of tickets are '
              'not written directly.') % {
                'ticket': ticket.name or ticket_id or '-'})
