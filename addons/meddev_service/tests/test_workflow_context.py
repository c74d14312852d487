from datetime import date

from odoo import api, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..workflow_context import workflow_context
from .common import call_button, frozen_now
from .test_parts import PartsCase


def rpc(records, method, args, context):
    """Call ``method`` of ``records`` as the web client does over RPC:
    call_kw with the ids and the caller's context in the keyword
    arguments (call_kw replaces the records' context with it)."""
    return api.call_kw(records, method, [records.ids] + list(args),
                       {'context': context})


class TestWorkflowContextHelper(PartsCase):
    """The context the workflow creates records in (pure helper)."""

    def test_defaults_and_switches_dropped(self):
        # An allow-list: the caller's defaults, switches, stock valuation
        # and company forcing keys do not reach what the workflow creates
        # under sudo (review 6, service S2).
        context = {'lang': 'zh_CN', 'tz': 'Asia/Shanghai',
                   'force_company': 3, 'default_state': 'sale',
                   'default_discount': 100, 'recompute': False,
                   'tracking_disable': True, 'mail_notrack': True,
                   'mail_create_nolog': True, 'meddev_auto_mail': True,
                   'force_valuation_amount': 0.01, 'forced_quantity': 99,
                   'force_period_date': '2001-01-01',
                   'meddev_skip_recalled': True, 'active_test': False}
        self.assertEqual(workflow_context(context), {
            'lang': 'zh_CN', 'tz': 'Asia/Shanghai',
            'meddev_auto_mail': True})
        self.assertEqual(workflow_context({}), {})


class TestWorkflowContext(PartsCase):
    """The caller's ``default_*`` keys and context switches reach no
    record the workflow creates for them under sudo in another model:
    SLA clocks, the closing sale order and its lines, stock moves,
    genealogy links, activities (N-1). Every call goes through call_kw
    as the engineer, with the context in the keyword arguments."""

    @classmethod
    def setUpClass(cls):
        super(TestWorkflowContext, cls).setUpClass()
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-WFC').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'WFC', 'name': 'Display dark'})
        cls.wrong_team = cls.env['crm.team'].create(
            {'name': 'Wrong Sales Team'})

    def _create(self, context, **vals):
        values = {'title': 'Monitor resets', 'team_id': self.team.id,
                  'equipment_id': self.equipment.id}
        values.update(vals)
        model = self.env['meddev.service.ticket'].sudo(self.user)
        return model.browse(api.call_kw(model, 'create', [values],
                                        {'context': context}))

    def test_clocks_ignore_the_callers_defaults(self):
        now = fields.Datetime.now()
        # Both opened at the same second: the same deadlines.
        with frozen_now(now):
            plain = self._create({}, date_open=now)
            forged = self._create({
                'default_status': 'paused',
                'default_reached_date': now,
                'default_paused_working_hours': 500,
                'default_escalated_failed': True,
                'default_escalated_at_risk': True}, date_open=now)
        self.assertEqual(len(forged.sla_line_ids), 3)
        for line in forged.sudo().sla_line_ids:
            with self.subTest(target=line.target):
                self.assertEqual(line.status, 'running')
                self.assertFalse(line.reached_date)
                self.assertFalse(line.paused_working_hours)
                self.assertFalse(line.escalated_failed)
                self.assertFalse(line.escalated_at_risk)
                self.assertEqual(
                    line.deadline, self._line(plain, line.target).deadline)
        self.assertEqual(forged.sla_status, 'running')

    def _billable_started(self):
        ticket = self._create({}, equipment_id=self.old_equipment.id,
                              triage_done=True, labour_hours=2,
                              fault_code_ids=[(6, 0, self.fault.ids)])
        self.assertTrue(ticket.billable)
        call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        return ticket

    def test_closing_sale_order_ignores_the_callers_defaults(self):
        ticket = self._billable_started()
        rpc(ticket.sudo(self.user), 'write',
            [{'stage_id': self.stage_done.id}], {
                'default_state': 'sale', 'default_discount': 100,
                'default_team_id': self.wrong_team.id,
                'default_note': 'Free of charge',
                'tracking_disable': True, 'mail_create_nolog': True})
        self.assertTrue(ticket.is_closed)
        order = ticket.sudo().sale_order_id
        # A draft for the sales team: it goes through the credit gate.
        self.assertEqual(order.state, 'draft')
        self.assertNotEqual(order.team_id, self.wrong_team)
        self.assertNotEqual(order.note, 'Free of charge')
        self.assertEqual(order.order_line.mapped('discount'), [0.0])
        self.assertEqual(order.amount_untaxed, 600.0)
        # Created with its chatter trail.
        self.assertTrue(order.message_ids)

    def test_dashboard_team_default_does_not_reach_the_order(self):
        # The team dashboard opens tickets with default_team_id (a
        # service team id); the form writes with that context.
        ticket = self._billable_started()
        rpc(ticket.sudo(self.user), 'write',
            [{'stage_id': self.stage_done.id}],
            {'default_team_id': self.team.id, 'search_default_open': 1})
        order = ticket.sudo().sale_order_id
        self.assertTrue(order)
        self.assertEqual(order.state, 'draft')

    def test_part_use_ignores_the_callers_defaults(self):
        part = self._part(self.new_board, removed_lot_id=self.old_board.id)
        incoming = self.env.ref('stock.picking_type_in')
        rpc(part.sudo(self.user), 'action_use', [], {
            'default_date_removed': fields.Datetime.now(),
            'default_removed_ref': 'forged',
            'default_picking_type_id': incoming.id})
        part = part.sudo()
        self.assertEqual(part.state, 'done')
        # The new board is in the device: not born retired.
        self.assertFalse(part.link_id.date_removed)
        self.assertEqual(part.link_id.state, 'current')
        components = [row['lot_id']
                      for row in self.serial.sudo().trace_backward()]
        self.assertIn(self.new_board.id, components)
        self.assertNotIn(self.old_board.id, components)
        # Plain moves of the part, in no receipt.
        for move in part.move_id | part.return_move_id:
            self.assertFalse(move.picking_type_id)
            self.assertFalse(move.picking_id)

    def test_activity_ignores_the_callers_defaults(self):
        ticket = self._create({'default_date_deadline': '2000-01-01',
                               'default_summary': 'Nothing to do'},
                              triage_done=True, triage_complaint=True)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', ticket._name), ('res_id', '=', ticket.id)])
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline,
                         fields.Date.context_today(activity))
        self.assertEqual(activity.summary, 'Evaluate as a possible complaint')
        self.assertNotEqual(activity.date_deadline, '2000-01-01')
        self.assertGreater(activity.date_deadline,
                           str(date(2001, 1, 1)))


class TestConsultationIsAdvice(PartsCase):
    """A consultation is free advice, never billed nor held: it takes no
    parts, labour or travel; work is retyped by a dispatcher and then
    held and billed like a repair (N-3). Started work does not become a
    consultation unless a service manager retypes it (N-7)."""

    @classmethod
    def setUpClass(cls):
        super(TestConsultationIsAdvice, cls).setUpClass()
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-ADV').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})
        cls.hospital.write({'credit_hold': True,
                            'credit_hold_reason': 'Invoices overdue'})

    def _consultation(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(model, 'create', [{
            'title': 'How to calibrate?', 'team_id': self.team.id,
            'equipment_id': self.old_equipment.id, 'triage_done': True,
            'ticket_type': 'consultation'}], {'context': {}}))
        self.assertFalse(ticket.billable)
        # The van of the crew: parts could be taken from it.
        ticket.sudo(self.dispatcher).write(
            {'engineer_ids': [(6, 0, self.engineer.ids)]})
        return ticket

    def test_consultation_takes_no_parts(self):
        ticket = self._consultation()
        part = self._part(self.new_board, ticket_id=ticket.id)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertIn('consultation', caught.exception.name)
        self.assertIn(ticket.name, caught.exception.name)
        part.invalidate_cache()
        self.assertEqual(part.state, 'draft')
        self.assertFalse(part.sudo().move_id)

    def test_consultation_takes_no_hours(self):
        ticket = self._consultation()
        for vals in ({'labour_hours': 3}, {'travel_hours': 1}):
            with self.subTest(vals=vals), \
                    self.assertRaises(ValidationError) as caught, \
                    self.env.cr.savepoint():
                rpc(ticket.sudo(self.user), 'write', [vals], {})
            self.assertIn('consultation', caught.exception.name)
        # Nor is one created with them.
        model = self.env['meddev.service.ticket'].sudo(self.user)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            api.call_kw(model, 'create', [{
                'title': 'Advice with labour', 'team_id': self.team.id,
                'equipment_id': self.old_equipment.id,
                'ticket_type': 'consultation', 'labour_hours': 4}],
                {'context': {}})

    def test_retyped_to_repair_the_hold_applies(self):
        ticket = self._consultation()
        ticket.sudo(self.dispatcher).write({'ticket_type': 'repair'})
        self.assertTrue(ticket.billable)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        self.assertIn('Invoices overdue', caught.exception.name)

    def test_work_with_parts_is_not_retyped_consultation(self):
        self.hospital.write({'credit_hold': False})
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, ticket_type='installation',
                              engineer_ids=[(6, 0, self.engineer.ids)])
        part = self._part(self.new_board, ticket_id=ticket.id)
        rpc(part.sudo(self.user), 'action_use', [], {})
        # Parts used: no consultation, whoever retypes it (N-3; N-7, the
        # retype of started work by managers only, is the next test's).
        for user in (self.dispatcher, self.manager):
            with self.subTest(user=user.login), \
                    self.assertRaisesRegex(ValidationError,
                                           'takes no parts'), \
                    self.env.cr.savepoint():
                rpc(ticket.sudo(user), 'write',
                    [{'ticket_type': 'consultation'}], {})
        ticket.invalidate_cache()
        self.assertEqual(ticket.ticket_type, 'installation')

    def test_started_work_retyped_consultation_by_manager_only(self):
        self.hospital.write({'credit_hold': False})
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True, ticket_type='inspection')
        call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            rpc(ticket.sudo(self.dispatcher), 'write',
                [{'ticket_type': 'consultation'}], {})
        self.assertIn('service manager', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.ticket_type, 'inspection')
        rpc(ticket.sudo(self.manager), 'write',
            [{'ticket_type': 'consultation'}], {})
        self.assertEqual(ticket.ticket_type, 'consultation')


class TestEquipmentSerial(PartsCase):
    """A ticket with equipment has the equipment's serial, whether the
    equipment comes in the values or as a context default; then the
    strict check applies (no serial is no exception)."""

    def test_default_equipment_fills_the_serial(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(
            model, 'create', [{'title': 'From history',
                               'team_id': self.team.id}],
            {'context': {'default_equipment_id': self.equipment.id}}))
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.lot_id, self.serial)
        self.assertEqual(ticket.product_id, self.monitor)
        self.assertEqual(ticket.partner_id, self.hospital)
        # Swaps are recorded into that serial.
        part = self._part(self.new_board, ticket_id=ticket.id,
                          removed_lot_id=self.old_board.id)
        ticket.sudo(self.dispatcher).write(
            {'engineer_ids': [(6, 0, self.engineer.ids)],
             'triage_done': True})
        rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertEqual(part.sudo().link_id.parent_lot_id, self.serial)

    def test_equipment_without_its_serial_refused(self):
        other_serial = self._create_lot(self.monitor, 'X1-NOEQ')
        model = self.env['meddev.service.ticket'].sudo(self.user)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            api.call_kw(model, 'create', [{
                'title': 'Other serial', 'team_id': self.team.id,
                'lot_id': other_serial.id}],
                {'context': {'default_equipment_id': self.equipment.id}})
        ticket = self._ticket(user=self.user)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            rpc(ticket.sudo(self.user), 'write', [{'lot_id': False}], {})
        ticket.invalidate_cache()
        self.assertEqual(ticket.lot_id, self.serial)

    def test_equipment_written_alone_brings_its_serial(self):
        ticket = self._ticket(user=self.user, equipment_id=False,
                              partner_id=self.hospital.id)
        self.assertFalse(ticket.lot_id)
        rpc(ticket.sudo(self.user), 'write',
            [{'equipment_id': self.equipment.id}], {})
        self.assertEqual(ticket.lot_id, self.serial)
        self.assertEqual(ticket.product_id, self.monitor)
