from odoo.addons.meddev_base.tests.common import archived, archived_count

from ..hooks import uninstall_hook
from .common import MeddevServiceTicketCase


class TestUninstallHook(MeddevServiceTicketCase):
    """Uninstalling the module never loses the service history (review
    S2-5): the hook copies the module's tables (tickets, their SLA clocks,
    installed equipment), the columns it adds to products and companies
    and the tickets' chatter into an archive schema, which Odoo's clean-up
    leaves. Run on a savepoint, rolled back."""

    def test_uninstall_keeps_tickets_equipment_and_product_columns(self):
        ticket = self._ticket()
        ticket.message_post(body='工程师已到现场更换主板')
        with archived(self, uninstall_hook) as schema:
            self.assertTrue(schema.startswith('meddev_service_archive'))
            cr = self.cr
            self.assertEqual(archived_count(
                cr, schema, 'meddev_service_ticket',
                'id = %s AND equipment_id = %s',
                (ticket.id, self.equipment.id)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'meddev_service_equipment',
                'id = %s AND lot_id = %s', (self.equipment.id,
                                            self.serial.id)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'meddev_service_ticket_sla', 'ticket_id = %s',
                (ticket.id,)), len(ticket.sla_line_ids))
            self.assertEqual(archived_count(
                cr, schema, 'product_template__columns',
                'id = %s AND service_warranty_months = 12',
                (self.monitor.product_tmpl_id.id,)), 1)
            self.assertEqual(archived_count(
                cr, schema, 'mail_message',
                "model = 'meddev.service.ticket' AND res_id = %s "
                "AND body LIKE %s", (ticket.id, '%工程师已到现场更换主板%')), 1)
