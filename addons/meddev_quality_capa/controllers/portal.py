from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SupplierActionPortal(CustomerPortal):
    """The supplier's corrective action requests on the portal: list,
    detail and the answer form. The rules live in the action model; this
    only routes."""

    def _prepare_portal_layout_values(self):
        values = super(SupplierActionPortal,
                       self)._prepare_portal_layout_values()
        values['supplier_action_count'] = len(
            request.env['meddev.capa.action']._portal_supplier_actions())
        return values

    @http.route(['/my/supplier-actions'], type='http', auth='user',
                website=True)
    def portal_my_supplier_actions(self, **kw):
        values = self._prepare_portal_layout_values()
        # The rules chose the requests: show their names and lots.
        values.update({
            'actions': request.env[
                'meddev.capa.action']._portal_supplier_actions().sudo(),
            'page_name': 'supplier_action',
        })
        return request.render(
            'meddev_quality_capa.portal_my_supplier_actions', values)

    @http.route(['/my/supplier-actions/<int:action_id>'], type='http',
                auth='user', website=True)
    def portal_my_supplier_action(self, action_id, error=None, **kw):
        try:
            action = request.env[
                'meddev.capa.action']._portal_supplier_action(action_id)
        except (AccessError, MissingError):
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        # Readable by this supplier (checked above): show related names.
        values.update({'action': action.sudo(), 'error': error,
                       'page_name': 'supplier_action'})
        return request.render(
            'meddev_quality_capa.portal_my_supplier_action', values)

    @http.route(['/my/supplier-actions/<int:action_id>/respond'],
                type='http', auth='user', methods=['POST'], website=True)
    def portal_respond_supplier_action(self, action_id, response='', **kw):
        try:
            request.env['meddev.capa.action']._portal_respond(
                action_id, response)
        except (AccessError, MissingError):
            return request.redirect('/my')
        except UserError as error:
            return self.portal_my_supplier_action(action_id,
                                                  error=error.name)
        return request.redirect('/my/supplier-actions/%d' % action_id)
