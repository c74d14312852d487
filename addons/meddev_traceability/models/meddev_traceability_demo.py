from odoo import api, models


class MeddevTraceabilityDemo(models.AbstractModel):
    """Builds the demo genealogy with real manufacturing orders and
    deliveries, which XML records alone cannot do (the produce wizard)."""

    _name = 'meddev.traceability.demo'
    _description = 'Traceability Demo Builder'

    @api.model
    def _build_demo_chain(self):
        """Stock the component lots, make the main modules and the monitor
        serials through manufacturing orders, deliver the serials to two
        hospitals and launch the demo recall. Does nothing the second
        time."""
        ref = self.env.ref
        recall = ref('meddev_traceability.meddev_recall_demo')
        if recall.state != 'draft':
            return False
        stock = ref('stock.stock_location_stock')
        quants = self.env['stock.quant']
        for xmlid, qty in (('lot_board_l042_demo', 3),
                           ('lot_board_l043_demo', 5),
                           ('lot_cable_l007_demo', 5)):
            lot = ref('meddev_traceability.' + xmlid)
            quants._update_available_quantity(
                lot.product_id, stock, qty, lot_id=lot)
        board = ref('meddev_traceability.lot_board_l042_demo')
        cable = ref('meddev_traceability.lot_cable_l007_demo')
        module = ref('meddev_traceability.lot_module_a_demo')
        self._demo_manufacture(
            ref('meddev_traceability.mrp_bom_module_demo'), 3,
            [(module, 3, [(board, 3), (cable, 3)])])
        serials = [ref('meddev_traceability.lot_monitor_%04d_demo' % number)
                   for number in (1, 2, 3)]
        self._demo_manufacture(
            ref('meddev_traceability.mrp_bom_monitor_demo'), 3,
            [(serial, 1, [(module, 1)]) for serial in serials])
        self._demo_deliver(
            ref('meddev_traceability.res_partner_hospital_a_demo'),
            serials[:2])
        self._demo_deliver(
            ref('meddev_traceability.res_partner_hospital_b_demo'),
            serials[2:])
        recall.action_launch()
        recall.line_ids[:1].action_mark_notified()
        return True

    @api.model
    def _demo_manufacture(self, bom, quantity, productions):
        """Run a manufacturing order of ``bom``: ``productions`` lists
        (finished lot, quantity, [(component lot, quantity)])."""
        product = bom.product_id
        production = self.env['mrp.production'].create({
            'product_id': product.id,
            'product_qty': quantity,
            'product_uom_id': product.uom_id.id,
            'bom_id': bom.id,
        })
        production.action_assign()
        for finished_lot, finished_qty, consumed in productions:
            wizard = self.env['mrp.product.produce'].with_context(
                active_id=production.id, active_ids=production.ids,
            ).create({})
            lines = [(5, 0, 0)]
            for lot, qty in consumed:
                move = production.move_raw_ids.filtered(
                    lambda m, lot=lot: m.product_id == lot.product_id)
                lines.append((0, 0, {
                    'move_id': move.id,
                    'product_id': lot.product_id.id,
                    'product_uom_id': lot.product_id.uom_id.id,
                    'lot_id': lot.id,
                    'qty_to_consume': qty,
                    'qty_done': qty,
                }))
            wizard.write({'product_qty': finished_qty,
                          'lot_id': finished_lot.id,
                          'produce_line_ids': lines})
            wizard.do_produce()
        production.button_mark_done()
        return production

    @api.model
    def _demo_deliver(self, partner, lots):
        """Deliver one unit of each serial in ``lots`` to ``partner``."""
        stock = self.env.ref('stock.stock_location_stock')
        customers = self.env.ref('stock.stock_location_customers')
        picking = self.env['stock.picking'].create({
            'partner_id': partner.id,
            'picking_type_id': self.env.ref('stock.picking_type_out').id,
            'location_id': stock.id,
            'location_dest_id': customers.id,
            'move_lines': [(0, 0, {
                'name': lot.product_id.name,
                'product_id': lot.product_id.id,
                'product_uom_qty': 1,
                'product_uom': lot.product_id.uom_id.id,
                'location_id': stock.id,
                'location_dest_id': customers.id,
            }) for lot in lots],
        })
        picking.action_confirm()
        picking.action_assign()
        lot_ids = set(lots.ids) if hasattr(lots, 'ids') else set(
            lot.id for lot in lots)
        for move_line in picking.move_line_ids:
            move_line.qty_done = move_line.product_uom_qty
        if set(picking.move_line_ids.mapped('lot_id').ids) != lot_ids:
            # Reservation chose other serials: deliver exactly these.
            picking.do_unreserve()
            for move, lot in zip(picking.move_lines, lots):
                self.env['stock.move.line'].create({
                    'move_id': move.id, 'picking_id': picking.id,
                    'product_id': lot.product_id.id,
                    'product_uom_id': lot.product_id.uom_id.id,
                    'lot_id': lot.id, 'qty_done': 1,
                    'location_id': stock.id,
                    'location_dest_id': customers.id,
                })
        picking.action_done()
        return picking
