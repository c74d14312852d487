from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import dispatch_rank

# Workload counts the hours planned over this many days ahead, unless
# the company says otherwise (Settings > Field Service).
WORKLOAD_DAYS = 3


class MeddevServiceDispatch(models.TransientModel):
    """Suggested engineers for one ticket, best first, with why."""

    _name = 'meddev.service.dispatch'
    _description = 'Suggest Engineers'

    ticket_id = fields.Many2one(
        'meddev.service.ticket', required=True, ondelete='cascade')
    line_ids = fields.One2many(
        'meddev.service.dispatch.line', 'wizard_id', string='Suggestions')
    excluded = fields.Text(
        readonly=True, help="Team members not suggested, and why.")
    credit_warning = fields.Char(
        related='ticket_id.credit_warning', readonly=True)

    def _fill_suggestions(self):
        """Rank the team's engineers for the ticket and store the result
        as lines."""
        self.ensure_one()
        ticket = self.ticket_id
        if not ticket.team_id.engineer_ids:
            raise UserError(
                _('Ticket %(ticket)s: its team has no engineers to '
                  'suggest.') % {'ticket': ticket.name})
        candidates, notes = self._candidates(ticket)
        lines = []
        weights = ticket.company_id._service_dispatch_weights()
        for rank, candidate in enumerate(
                dispatch_rank.rank(candidates, weights), 1):
            lines.append((0, 0, {
                'rank': rank,
                'engineer_id': candidate['id'],
                'score': candidate['score'],
                'distance_km': candidate['distance_km'] or 0.0,
                'distance_known': candidate['distance_km'] is not None,
                'open_tickets': candidate['open_tickets'],
                'planned_hours': candidate['planned_hours'],
                'on_leave': candidate['on_leave'],
                'reason': candidate['reason'],
            }))
        self.write({'line_ids': lines, 'excluded': '\n'.join(notes)})

    def _candidates(self, ticket):
        """Return (candidate dicts for dispatch_rank, notes on the
        engineers left out)."""
        engineers = ticket.team_id.engineer_ids
        today = fields.Date.context_today(self)
        start = fields.Datetime.from_string(
            ticket.planned_start or fields.Datetime.now())
        end = start + timedelta(hours=ticket.planned_duration or 2.0)
        days = ticket.company_id.sudo().service_dispatch_workload_days
        horizon = fields.Datetime.to_string(
            start + timedelta(days=days if days > 0 else WORKLOAD_DAYS))
        load = self._workload(engineers, ticket, horizon)
        site = ticket.site_id or ticket.partner_id
        site_position = (site.partner_latitude, site.partner_longitude) \
            if site and (site.partner_latitude or site.partner_longitude) \
            else None
        categ = ticket.product_id.categ_id
        device_class = ticket._device_class()
        candidates, notes = [], []
        for engineer in engineers:
            skills = engineer._valid_skill_categories(today)
            # Trained on the device's category, or on its device class.
            skilled = not categ or bool(
                categ and skills and self.env['product.category'].
                search_count([('id', '=', categ.id),
                              ('id', 'child_of', skills.ids)])) or (
                device_class != 'none'
                and device_class in engineer._valid_skill_classes(today))
            if not skilled:
                notes.append(_('%(engineer)s: no valid training for '
                               '%(categ)s') % {
                    'engineer': engineer.name, 'categ': categ.display_name})
                continue
            distance = None
            home = engineer._home_position()
            if site_position and home:
                distance = dispatch_rank.haversine_km(
                    home[0], home[1], site_position[0], site_position[1])
            calendar = ticket.team_id.sudo()._working_calendar(
                engineer.resource_id)
            team_calendar = ticket.team_id._working_calendar()
            # Leave: less working time for the engineer than for the team.
            on_leave = calendar.working_hours(start, end) < \
                team_calendar.working_hours(start, end)
            open_tickets, hours = load.get(engineer.id, (0, 0.0))
            candidate = {
                'id': engineer.id, 'skilled': True, 'distance_km': distance,
                'open_tickets': open_tickets, 'planned_hours': hours,
                'on_leave': on_leave,
            }
            candidate['reason'] = self._reason(candidate, categ)
            candidates.append(candidate)
        return candidates, notes

    def _workload(self, engineers, ticket, horizon):
        """Return {engineer id: (open tickets, hours planned until
        ``horizon``)}, in one query."""
        self.env.cr.execute("""
            SELECT rel.engineer_id, COUNT(t.id),
                   COALESCE(SUM(t.planned_duration) FILTER (
                       WHERE t.planned_start <= %s), 0)
              FROM meddev_service_ticket_engineer_rel rel
              JOIN meddev_service_ticket t ON t.id = rel.ticket_id
             WHERE rel.engineer_id = ANY(%s) AND t.id != %s
               AND NOT COALESCE(t.is_closed, FALSE)
             GROUP BY rel.engineer_id
        """, [horizon, engineers.ids, ticket.id])
        return {row[0]: (row[1], float(row[2]))
                for row in self.env.cr.fetchall()}

    def _reason(self, candidate, categ):
        parts = [_('trained on %(categ)s') % {
            'categ': categ.display_name or _('any device')}]
        if candidate['distance_km'] is None:
            parts.append(_('distance unknown'))
        else:
            parts.append(_('%(km).0f km away') % {
                'km': candidate['distance_km']})
        parts.append(_('%(count)d open tickets, %(hours).1f h planned') % {
            'count': candidate['open_tickets'],
            'hours': candidate['planned_hours']})
        if candidate['on_leave']:
            parts.append(_('on leave during the visit'))
        return ', '.join(parts)


class MeddevServiceDispatchLine(models.TransientModel):
    """One suggested engineer, assigned in one click."""

    _name = 'meddev.service.dispatch.line'
    _description = 'Suggested Engineer'
    _order = 'rank'

    wizard_id = fields.Many2one(
        'meddev.service.dispatch', required=True, ondelete='cascade')
    rank = fields.Integer()
    engineer_id = fields.Many2one('meddev.service.engineer', readonly=True)
    score = fields.Float(digits=(8, 2), readonly=True)
    distance_km = fields.Float(string='Distance (km)', digits=(8, 1))
    distance_known = fields.Boolean()
    open_tickets = fields.Integer()
    planned_hours = fields.Float()
    on_leave = fields.Boolean()
    reason = fields.Char(string='Why')

    @api.multi
    def action_assign(self):
        """Assign this engineer to the ticket (dispatchers only)."""
        self.ensure_one()
        ticket = self.wizard_id.ticket_id
        vals = {'engineer_ids': [(4, self.engineer_id.id)]}
        if not ticket.user_id and self.engineer_id.user_id:
            vals['user_id'] = self.engineer_id.user_id.id
        ticket.write(vals)
        ticket.message_post(
            body=_('Engineer %(engineer)s assigned: %(reason)s.') % {
                'engineer': self.engineer_id.name, 'reason': self.reason},
            subtype='mail.mt_note')
        return {'type': 'ir.actions.act_window_close'}
