from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import schedule_todo

from ..workflow_context import workflow_sudo


class MeddevServiceTicket(models.Model):
    """Closing a ticket: clocks stopped, maintenance recorded, what is not
    covered billed, the follow-up call planned and its satisfaction
    rated."""

    _inherit = 'meddev.service.ticket'

    billed_labour_hours = fields.Float(
        readonly=True, copy=False, groups='base.group_user',
        help="Labour hours already on a sale order: a ticket reopened and "
             "closed again bills only what was added.")
    billed_travel_hours = fields.Float(
        readonly=True, copy=False, groups='base.group_user')

    def _action_close(self, now):
        """Closing steps: stop the clocks, record the maintenance, bill
        what is not covered, plan the follow-up call."""
        self.ensure_one()
        self._as_server().write({'close_date': now})
        lines = self.sudo().sla_line_ids
        # Nobody went on site: the on-site clock was not met.
        unvisited = lines.filtered(
            lambda line: line.target == 'onsite' and not self.onsite_date)
        (lines - unvisited)._sla_reach(now)
        unvisited._sla_not_needed(now)
        if self.equipment_id and self.ticket_type == 'pm' and (
                self.pm_plan_id or self._is_dispatcher()):
            # The next maintenance is due one interval after this one: a
            # planned maintenance, or one a dispatcher closes (a hand-made
            # maintenance ticket must not postpone the plan).
            self.equipment_id.sudo()._meddev_as_server() \
                .last_maintenance_date = now[:10]
        if self.billable:
            # Reopened and closed again: only what was not billed yet.
            self._create_sale_order()
        self._schedule_follow_up()

    def _prepare_sale_lines(self):
        """Return the (product, quantity, price) the customer pays: the
        parts, labour and travel not covered and not billed yet."""
        self.ensure_one()
        lines = []
        if not self.covers_parts:
            for part in self._parts_to_bill():
                lines.append((part.product_id, part.quantity,
                              part.product_id.lst_price))
        product = self.team_id.labour_product_id
        if product:
            labour, travel = self._hours_to_bill()
            if labour > 0:
                lines.append((product, labour, self.team_id.labour_rate))
            if travel > 0:
                lines.append((product, travel, self.team_id.travel_rate))
        return lines

    def _parts_to_bill(self):
        """The used parts not on a sale order yet."""
        return self.part_ids.filtered(
            lambda part: part.state == 'done' and not part.billed)

    def _hours_to_bill(self):
        """Return (labour, travel) hours not covered and not billed."""
        labour = 0.0 if self.covers_labour else \
            self.labour_hours - self.billed_labour_hours
        travel = 0.0 if self.covers_travel else \
            self.travel_hours - self.billed_travel_hours
        return labour, travel

    def _create_sale_order(self):
        """Create the draft sale order of what is not covered; sales
        confirm it through the usual credit gate."""
        self.ensure_one()
        lines = self._prepare_sale_lines()
        if not lines or not self.partner_id:
            return False
        # Closing bills the customer: the engineer needs no sales rights,
        # the order stays a draft for the sales team (no caller's
        # default state, discount or sales team on it).
        order = workflow_sudo(self.env['sale.order']).create({
            'partner_id': self.partner_id.id,
            'partner_shipping_id': (self.site_id or self.partner_id).id,
            'company_id': self.company_id.id,
            'origin': self.name,
            'client_order_ref': self.name,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'name': '%s - %s' % (self.name, product.display_name),
                'product_uom_qty': quantity,
                'product_uom': product.uom_id.id,
                'price_unit': price,
            }) for product, quantity, price in lines],
        })
        labour, travel = self._hours_to_bill() \
            if self.team_id.labour_product_id else (0.0, 0.0)
        self._as_server().write({
            'sale_order_id': order.id,
            'billed_labour_hours': self.billed_labour_hours + max(labour, 0),
            'billed_travel_hours': self.billed_travel_hours + max(travel, 0)})
        if not self.covers_parts:
            self._parts_to_bill().sudo()._meddev_as_server().write(
                {'billed': True})
        self.message_post(
            body=_('Sale order %(order)s created for the work not '
                   'covered.') % {'order': order.name},
            subtype='mail.mt_note')
        return order

    def _schedule_follow_up(self):
        """Plan the follow-up call (回访) after a closed visit."""
        self.ensure_one()
        if self.ticket_type == 'consultation':
            return
        today = fields.Date.from_string(fields.Date.context_today(self))
        days = self.company_id.sudo().service_follow_up_days
        follow_up = fields.Date.to_string(today + timedelta(days=days))
        self._as_server().follow_up_date = follow_up
        schedule_todo(
            workflow_sudo(self),
            self.team_id.leader_id or self.user_id or self.env.user,
            _('Follow-up call: is %(customer)s satisfied?') % {
                'customer': self.partner_id.display_name or '-'},
            deadline=follow_up, activity_type=self.env.ref(
                'meddev_service.mail_activity_follow_up'))

    @api.multi
    def action_record_satisfaction(self):
        """Open the satisfaction form of the follow-up call."""
        self.ensure_one()
        if not self.is_closed or self.is_cancelled:
            raise UserError(
                _('Ticket %(name)s: ask for satisfaction once it is '
                  'closed.') % {'name': self.name})
        return {
            'type': 'ir.actions.act_window',
            'name': _('Customer Satisfaction'),
            'res_model': 'meddev.service.satisfaction',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_ticket_id': self.id},
        }

    def _record_satisfaction(self, rate, feedback=None):
        """Rate the ticket for its contact (rating mixin) and mark the
        follow-up call done: once, on a closed ticket, by a dispatcher or
        team leader who did not work on it."""
        self.ensure_one()
        self._check_may_rate()
        partner = self.contact_id or self.partner_id
        # Ratings belong to the customer; the caller only types them in.
        # The server mark lets the rating be written (rating_rating.py).
        ticket = self._as_server()
        token = ticket.rating_get_access_token(partner=partner)
        ticket.rating_apply(rate, token=token, feedback=feedback)
        activity_type = self.env.ref(
            'meddev_service.mail_activity_follow_up')
        self.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ).action_feedback(feedback=_('Satisfaction recorded: %s') % rate)

    def _check_may_rate(self):
        """The customer's satisfaction is a KPI of the work: recorded once
        the ticket is closed, once, by a dispatcher or team leader, never
        by one of those who did the work."""
        if not self.is_closed or self.is_cancelled:
            raise UserError(
                _('Ticket %(name)s: ask for satisfaction once it is '
                  'closed.') % {'name': self.name})
        workers = self.user_id | self.engineer_ids.mapped('user_id')
        # The team leader gets the follow-up call: he records it, with or
        # without the dispatcher group.
        leader = self.sudo().team_id.leader_id == self.env.user
        if not (self._is_dispatcher() or leader) or \
                self.env.user in workers:
            raise AccessError(
                _('Ticket %(name)s: the satisfaction is recorded by a '
                  'dispatcher or team leader who did not work on it.') % {
                    'name': self.name})
        if self.sudo().rating_ids.filtered('consumed'):
            raise UserError(
                _('Ticket %(name)s: the satisfaction was already '
                  'recorded.') % {'name': self.name})
