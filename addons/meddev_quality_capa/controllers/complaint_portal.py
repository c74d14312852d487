from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ComplaintPortal(CustomerPortal):
    """Customers and distributors send complaints from the portal and
    follow them. The rules live in the complaint model; this only
    routes."""

    def _prepare_portal_layout_values(self):
        values = super(ComplaintPortal, self)._prepare_portal_layout_values()
        try:
            values['complaint_count'] = len(
                request.env['meddev.complaint']._portal_my_complaints())
        except AccessError:
            values['complaint_count'] = 0
        return values

    @http.route(['/my/complaints'], type='http', auth='user', website=True)
    def portal_my_complaints(self, **kw):
        try:
            complaints = request.env[
                'meddev.complaint']._portal_my_complaints()
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({'complaints': complaints, 'page_name': 'complaint'})
        return request.render(
            'meddev_quality_capa.portal_my_complaints', values)

    @http.route(['/my/complaints/new'], type='http', auth='user',
                website=True)
    def portal_new_complaint(self, error=None, form=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update({'error': error, 'form': form or {},
                       'page_name': 'complaint'})
        return request.render(
            'meddev_quality_capa.portal_new_complaint', values)

    @http.route(['/my/complaints/submit'], type='http', auth='user',
                methods=['POST'], website=True)
    def portal_submit_complaint(self, **post):
        # A file input left empty still posts a part without a name.
        files = [(upload.filename, upload.read()) for upload in
                 request.httprequest.files.getlist('attachments')
                 if upload.filename]
        post = dict((key, value) for key, value in post.items()
                    if key != 'attachments')
        try:
            request.env['meddev.complaint']._portal_create_complaint(
                post, files=files)
        except AccessError:
            return request.redirect('/my')
        except (UserError, ValidationError) as error:
            # What was typed comes back with the reason: nothing lost.
            return self.portal_new_complaint(error=error.name, form=post)
        return request.redirect('/my/complaints')
