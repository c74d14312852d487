from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class MeddevServiceTicket(models.Model):
    """The ticket's mail gateway: a mail to a team's alias opens a ticket
    and is acknowledged with its number, a reply lands on its thread (on
    a closed one it opens a new ticket), and an employee's first public
    reply that reaches the customer is the first response."""

    _inherit = 'meddev.service.ticket'
    # An auto-reply or a bounce to a team's alias opens no ticket (the
    # gateway's mark, mail_thread.py).
    _meddev_no_automatic_mail = True

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias opens a ticket for its sender."""
        values = self._alias_ticket_values(custom_values)
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if not author and msg_dict.get('email_from'):
            # A first-time sender becomes a contact, to get its number.
            author = self.env['res.partner'].browse(
                self.env['res.partner'].find_or_create(
                    msg_dict['email_from']))
        values['title'] = msg_dict.get('subject') or _('(no subject)')
        values['description'] = html2plaintext(msg_dict.get('body') or '')
        # mail.thread would name the record after the subject: number it.
        values['name'] = '/'
        if author:
            values['contact_id'] = author.id
            values['partner_id'] = author.commercial_partner_id.id
        # The values come from the mail and the team (never from what an
        # alias' defaults add): created by the module.
        ticket = super(MeddevServiceTicket, self._meddev_as_server()) \
            .message_new(msg_dict, custom_values=values).with_env(self.env)
        if author:
            ticket.message_subscribe(partner_ids=author.ids)
        ticket._send_acknowledgement()
        return ticket

    @api.model
    def _route_with_alias_team(self, route):
        """Return the mail gateway's ``route`` with the team of the alias
        the mail came in on, when it opens a ticket: the team whose
        ``alias_id`` is that alias (the team's own field, written by
        service managers). The alias' defaults and its parent fields are
        editable by any employee in Odoo 11: they would send a team's
        customer mails to another team or company (R-1). An alias no
        team owns gives no team."""
        model, thread_id, custom_values, user_id, alias = route
        if model != self._name or thread_id or not alias:
            return route
        team = self.env['meddev.service.team'].sudo().with_context(
            active_test=False).search([('alias_id', '=', alias.id)],
                                      limit=1)
        values = {'team_id': team.id} if team else {}
        return model, thread_id, values, user_id, alias

    @api.model
    def _route_channel_closed(self, route):
        """Return the company of a route that would open a ticket in a
        company taking no tickets by mail (Settings > Field Service),
        else None."""
        model, thread_id, custom_values, _user_id, _alias = route
        if model != self._name or thread_id:
            return None
        team = self.env['meddev.service.team'].sudo().browse(
            (custom_values or {}).get('team_id')).exists()
        company = team.company_id or self.env.user.company_id
        return None if company._service_channel_open('email') else company

    @api.model
    def _bounce_closed_channel(self, message, message_dict, company):
        """Tell the sender of a mail that ``company`` takes no tickets by
        mail, instead of dropping it silently."""
        if message_dict.get('meddev_auto_submitted'):
            return
        body = _('<p>%(company)s does not open service tickets by email. '
                 'Please call the service desk or use the customer '
                 'portal.</p>') % {'company': company.name}
        self.env['mail.thread']._routing_create_bounce_email(
            message_dict.get('email_from'), body, message)

    @api.model
    def _alias_ticket_values(self, custom_values):
        """The values a mail's alias gives a new ticket: the team (the
        key ``team.get_alias_values()`` writes) and the team's company.
        Any employee may edit an alias' defaults in Odoo 11: nothing
        else of them reaches the ticket (approvals, clocks, assignment,
        billed hours, another company)."""
        values = {'channel': 'email'}
        team_id = (custom_values or {}).get('team_id')
        if isinstance(team_id, int) and not isinstance(team_id, bool):
            # The alias names its team; the team is read by the module.
            team = self.env['meddev.service.team'].sudo().browse(
                team_id).exists()
            if team:
                values.update(team_id=team.id,
                              company_id=team.company_id.id)
        return values

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        """A mail on the thread of a closed ticket opens a new ticket (the
        mail stays in the old thread too, as history)."""
        # Only the mail gateway (the superuser) opens follow-up tickets:
        # message_update is public, and an RPC caller would open one under
        # sudo with a subject of his choosing.
        if self.env.uid == SUPERUSER_ID and \
                self._mail_opens_follow_up(msg_dict):
            # A company that opens no tickets by mail keeps the mail in
            # the closed ticket's thread only (its team reads it there).
            for ticket in self.filtered(
                    lambda ticket: ticket.is_closed
                    and ticket.company_id._service_channel_open('email')):
                ticket._open_follow_up_ticket(msg_dict)
        return super(MeddevServiceTicket, self).message_update(
            msg_dict, update_vals=update_vals)

    @api.model
    def _mail_opens_follow_up(self, msg_dict):
        """Whether a mail on a closed ticket's thread is the customer
        writing again: not an automatic mail (out-of-office, bounce,
        auto-reply) and not an employee's mail (a colleague's reply stays
        history on the closed record)."""
        if msg_dict.get('meddev_auto_submitted'):
            return False
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        employees = author.sudo().user_ids.filtered(
            lambda user: not user.share)
        return not employees

    def _open_follow_up_ticket(self, msg_dict):
        """Open and acknowledge a new ticket for the same customer and
        equipment from ``msg_dict``; note it on this closed one."""
        self.ensure_one()
        # Built here from the closed ticket and the mail.
        new = self._as_server().create({
            'title': msg_dict.get('subject') or self.title,
            'description': html2plaintext(msg_dict.get('body') or ''),
            'channel': 'email',
            'team_id': self.team_id.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'contact_id': self.contact_id.id,
            'site_id': self.site_id.id,
            'equipment_id': self.equipment_id.id,
            'lot_id': self.lot_id.id,
            'product_id': self.product_id.id,
        })
        new = new.with_env(self.env)
        new.message_subscribe(partner_ids=self.contact_id.ids)
        new._send_acknowledgement()
        self.message_post(
            body=_('The customer wrote again after closure: new ticket '
                   '%(ticket)s.') % {'ticket': new.name},
            subtype='mail.mt_note')
        return new

    def _send_acknowledgement(self):
        """Mail the customer the ticket number (not a first response)."""
        template = self.env.ref(
            'meddev_service.mail_template_ticket_ack', raise_if_not_found=False)
        if not template:
            return
        for ticket in self.filtered('contact_id.email'):
            ticket.with_context(meddev_auto_mail=True).message_post_with_template(
                template.id, composition_mode='comment')

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, body='', subject=None,
                     message_type='notification', **kwargs):
        message = super(MeddevServiceTicket, self).message_post(
            body=body, subject=subject, message_type=message_type, **kwargs)
        # An employee's public reply that reaches the customer is the
        # first response (a note, or a message only colleagues receive,
        # answers nobody).
        if message_type == 'comment' and \
                not self.env.context.get('meddev_auto_mail') and \
                message.subtype_id == self.env.ref('mail.mt_comment') and \
                not self.env.user.share:
            self.filtered(
                lambda ticket: not ticket.first_response_date
                and ticket._message_reaches_customer(message)
            )._reach_response()
        return message

    def _message_reaches_customer(self, message):
        """Whether ``message`` (a public comment on this ticket) goes to
        the customer: the contact or a person of the customer company is
        among its recipients or among the followers who receive
        comments."""
        self.ensure_one()
        ticket = self.sudo()
        comment = self.env.ref('mail.mt_comment')
        followers = ticket.message_follower_ids.filtered(
            lambda follower: comment in follower.subtype_ids)
        partners = message.sudo().partner_ids | \
            followers.mapped('partner_id')
        customer = ticket.partner_id.commercial_partner_id
        return any(partner == ticket.contact_id or (
            customer and partner.commercial_partner_id == customer)
            for partner in partners)

    def _reach_response(self):
        now = fields.Datetime.now()
        self._as_server().write({'first_response_date': now})
        self.mapped('sla_line_ids').filtered(
            lambda line: line.target == 'response')._sla_reach(now)

    @api.multi
    def action_respond(self):
        """Answer the customer: the message composer, addressed to the
        ticket's contact (else the customer). The message sent is the
        first response; the button alone meets no clock (a phone call is
        confirmed in writing)."""
        self.ensure_one()
        self._check_may_edit()
        customer = self.contact_id or self.partner_id
        if not customer:
            raise UserError(
                _('The ticket %(ticket)s has no contact or customer to '
                  'respond to.') % {'ticket': self.name})
        form = self.env.ref('mail.email_compose_message_wizard_form')
        return {
            'type': 'ir.actions.act_window',
            'name': _('Respond to the Customer'),
            'res_model': 'mail.compose.message',
            'view_mode': 'form',
            'views': [(form.id, 'form')],
            'target': 'new',
            'context': {
                'default_model': self._name,
                'default_res_id': self.id,
                'default_composition_mode': 'comment',
                'default_partner_ids': [(6, 0, customer.ids)],
            },
        }
