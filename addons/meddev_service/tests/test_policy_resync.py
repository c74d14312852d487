from unittest.mock import patch

from odoo.addons.queue_job.job import Job

from .common import MeddevServiceTicketCase


class TestPolicyResync(MeddevServiceTicketCase):
    """Which policy a ticket follows is chosen again when a policy's
    criteria, a new policy or a team's policies change, in queued jobs
    (S2-2)."""

    def _run_new_jobs(self, before):
        queued = self.env['queue.job'].search([]) - before
        self.assertTrue(queued)
        for queued_job in queued:
            Job.load(self.env, queued_job.uuid).perform()

    def test_criteria_change_moves_open_tickets(self):
        ticket = self._ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        before = self.env['queue.job'].search([])
        # The standard policy now applies to maintenance only.
        self.policy.sudo(self.manager).write({'ticket_type': 'pm'})
        self._run_new_jobs(before)
        ticket.invalidate_cache()
        self.assertNotEqual(ticket.sla_policy_id, self.policy)

    def test_new_policy_and_team_policies_queue_a_resync(self):
        ticket = self._ticket()
        before = self.env['queue.job'].search([])
        gold = self.env['meddev.sla.policy'].sudo(self.manager).create({
            'name': 'Gold', 'sequence': 1, 'response_hours': 1,
            'resolution_hours': 4})
        self.team.sudo(self.manager).write(
            {'sla_policy_ids': [(6, 0, gold.ids)]})
        self._run_new_jobs(before)
        ticket.invalidate_cache()
        self.assertEqual(ticket.sla_policy_id, gold)
        self.assertEqual(self._line(ticket, 'resolution').target_hours, 4)


class TestCronCommit(MeddevServiceTicketCase):
    """A cron commits per batch only when the ir.cron call asks for it:
    the demo and any caller inside a transaction never commit it
    (S2-10)."""

    def test_crons_commit_from_ir_cron_only(self):
        for xmlid in ('ir_cron_check_sla', 'ir_cron_pm_tickets',
                      'ir_cron_warranty_ending'):
            cron = self.env.ref('meddev_service.' + xmlid)
            self.assertIn('commit=True', cron.code)
        ticket = self._ticket(date_open='2026-11-02 01:00:00')
        self.assertTrue(ticket.sla_line_ids)
        target = 'odoo.addons.meddev_service.models.' \
            'meddev_service_ticket_sla.commit_batch'
        with patch(target) as commit:
            self.env['meddev.service.ticket.sla']._cron_check_sla()
        self.assertTrue(commit.called)
        self.assertTrue(all(call[0][1] is False
                            for call in commit.call_args_list))


class TestDeviceClassPolicy(MeddevServiceTicketCase):
    """A policy may ask for a minimum device class, read through the
    qualification module's hook when it exists (none here: unclassified
    devices)."""

    def test_policy_by_device_class(self):
        class_iii = self.env['meddev.sla.policy'].create({
            'name': 'Life support', 'sequence': 1, 'device_class': 'III',
            'response_hours': 1, 'resolution_hours': 4})
        self.team.sla_policy_ids = [(4, class_iii.id)]
        ticket = self._ticket()
        # Without the hook (qualification not installed): unclassified.
        self.assertEqual(ticket._device_class(), 'none')
        self.assertEqual(ticket.sla_policy_id, self.policy)
        product_model = type(self.env['product.product'])
        with patch.object(
                product_model, '_meddev_device_classes', create=True,
                new=lambda products: {product.id: 'III'
                                      for product in products}):
            self.assertEqual(ticket._device_class(), 'III')
            high = self._ticket()
            self.assertEqual(high.sla_policy_id, class_iii)
        class_iii.device_class = 'I'
        with patch.object(
                product_model, '_meddev_device_classes', create=True,
                new=lambda products: {product.id: 'II'
                                      for product in products}):
            self.assertEqual(self._ticket().sla_policy_id, class_iii)
