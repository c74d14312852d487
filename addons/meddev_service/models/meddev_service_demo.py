from datetime import timedelta

from odoo import api, fields, models


class MeddevServiceDemo(models.AbstractModel):
    """Builds the demo tickets, whose SLA statuses depend on the day the
    database is created, and the part swap, which needs real stock moves."""

    _name = 'meddev.service.demo'
    _description = 'Field Service Demo Builder'

    @api.model
    def _build_demo(self):
        """Record the traceability demo's delivered serials as installed
        equipment, stock the vans, and open tickets in every SLA status,
        one with a part swap. Does nothing the second time."""
        ref = self.env.ref
        if self.env['meddev.service.ticket'].search_count(
                [('title', '=', '开机后反复重启')]):
            return False
        serials = [ref('meddev_traceability.lot_monitor_%04d_demo' % number)
                   for number in (1, 2, 3)]
        equipment = self.env['meddev.service.equipment']
        equipment._record_deliveries([lot.id for lot in serials])
        by_lot = {eq.lot_id.id: eq for eq in equipment.search(
            [('lot_id', 'in', [lot.id for lot in serials])])}
        contract = ref('meddev_service.meddev_service_contract_demo')
        if serials[0].id in by_lot:
            contract.equipment_ids = [(4, by_lot[serials[0].id].id)]
            contract.action_activate()
        quants = self.env['stock.quant']
        module = ref('meddev_traceability.product_module_demo')
        new_module = ref('meddev_service.lot_module_b_demo')
        van = ref('meddev_service.stock_location_van_zhang_demo')
        quants._update_available_quantity(module, van, 2, lot_id=new_module)
        east = ref('meddev_service.meddev_service_team_east_demo')
        south = ref('meddev_service.meddev_service_team_south_demo')
        zhang = ref('meddev_service.meddev_service_engineer_zhang_demo')
        tickets = self.env['meddev.service.ticket']
        now = fields.Datetime.from_string(fields.Datetime.now())

        def open_ticket(title, lot, team, **vals):
            values = {
                'title': title, 'team_id': team.id,
                'channel': 'phone', 'triage_done': True,
                'description': title,
            }
            if lot.id in by_lot:
                values['equipment_id'] = by_lot[lot.id].id
            values.update(vals)
            return tickets.create(values)

        # Running: opened now.
        open_ticket('监护仪屏幕闪烁', serials[1], east)
        # Failed: opened ten days ago, nobody answered.
        open_ticket('血氧读数不稳定', serials[2], south,
                    date_open=fields.Datetime.to_string(
                        now - timedelta(days=10)), priority='2')
        # Paused: waiting for parts.
        open_ticket('电池无法充电', serials[1], east,
                    stage_id=ref('meddev_service.stage_waiting_parts').id)
        # At risk: its first-response clock is past 80 % (shown by the
        # SLA cron).
        at_risk = open_ticket('报警音量过低', serials[2], south)
        at_risk.sla_line_ids.filtered(
            lambda line: line.target == 'response').write(
            {'at_risk_date': fields.Datetime.to_string(
                now - timedelta(minutes=5))})
        self.env['meddev.service.ticket.sla']._cron_check_sla()
        # Met, with the part swap: the main module of PM9-0001, from a
        # lot reached by the recall, replaced from Zhang Wei's van.
        repair = open_ticket(
            '开机后反复重启', serials[0], east,
            engineer_ids=[(6, 0, zhang.ids)], user_id=zhang.user_id.id,
            labour_hours=1.5,
            travel_hours=0.5,
            fault_code_ids=[(6, 0, [
                ref('meddev_service.fault_code_reboot_demo').id,
                ref('meddev_service.fault_code_board_demo').id,
                ref('meddev_service.fault_code_replace_demo').id])])
        repair.action_respond()
        repair.action_arrive_on_site()
        self.env['meddev.service.ticket.part'].create({
            'ticket_id': repair.id, 'product_id': module.id,
            'lot_id': new_module.id, 'location_id': van.id,
            'removed_lot_id': ref('meddev_traceability.lot_module_a_demo').id,
        }).action_use()
        repair.write({'stage_id': ref('meddev_service.stage_done').id,
                      'work_done': '<p>更换主模块 MM1-A → MM1-B,'
                                   '开机自检通过。</p>',
                      'signed_by': '王护士长'})
        return True
