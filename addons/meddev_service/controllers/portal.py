from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, \
    pager as portal_pager


class ServicePortal(CustomerPortal):
    """The customer's service tickets on the portal: list, detail, the
    service report, and a form to open a ticket. The rules live in the
    ticket model; this only routes."""

    def _prepare_portal_layout_values(self):
        values = super(ServicePortal, self)._prepare_portal_layout_values()
        values['service_ticket_count'] = request.env[
            'meddev.service.ticket']._portal_tickets_count()
        return values

    @http.route(['/my/service-tickets',
                 '/my/service-tickets/page/<int:page>'], type='http',
                auth='user', website=True)
    def portal_my_service_tickets(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        model = request.env['meddev.service.ticket']
        pager = portal_pager(
            url='/my/service-tickets',
            total=model._portal_tickets_count(), page=page,
            step=self._items_per_page)
        tickets = model._portal_tickets(
            offset=pager['offset'], limit=self._items_per_page)
        # The rules chose the tickets; their serial, product and stage are
        # shown to the customer whose equipment it is.
        values.update({
            'tickets': tickets.sudo(),
            'portal_open': model._portal_channel_open(),
            'pager': pager,
            'page_name': 'service_ticket',
        })
        return request.render(
            'meddev_service.portal_my_service_tickets', values)

    @http.route(['/my/service-tickets/<int:ticket_id>'], type='http',
                auth='user', website=True)
    def portal_my_service_ticket(self, ticket_id, **kw):
        try:
            ticket = request.env['meddev.service.ticket']._portal_ticket(
                ticket_id)
        except (AccessError, MissingError):
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        # Readable by this user (checked above): show its related names.
        values.update({'ticket': ticket.sudo(),
                       'page_name': 'service_ticket'})
        return request.render(
            'meddev_service.portal_my_service_ticket', values)

    @http.route(['/my/service-tickets/<int:ticket_id>/report'],
                type='http', auth='user', website=True)
    def portal_my_service_ticket_report(self, ticket_id, **kw):
        try:
            pdf = request.env['meddev.service.ticket']._portal_report_pdf(
                ticket_id)
        except (AccessError, MissingError):
            return request.redirect('/my')
        return request.make_response(pdf, headers=[
            ('Content-Type', 'application/pdf'),
            ('Content-Length', len(pdf))])

    @http.route(['/my/service-tickets/new'], type='http', auth='user',
                methods=['POST'], website=True)
    def portal_new_service_ticket(self, title='', description='',
                                  serial='', **kw):
        try:
            ticket = request.env['meddev.service.ticket']._portal_create(
                title, description, serial)
        except AccessError:
            return request.redirect('/my')
        except UserError:
            # The company opens no tickets from the portal (the list
            # says to call instead).
            return request.redirect('/my/service-tickets')
        return request.redirect('/my/service-tickets/%d' % ticket.id)
