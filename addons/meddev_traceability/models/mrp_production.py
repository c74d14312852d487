from odoo import api, models


class MrpProduction(models.Model):
    _inherit = 'mrp.production'

    @api.multi
    def post_inventory(self):
        """Post the inventory, then record the genealogy it produced."""
        result = super(MrpProduction, self).post_inventory()
        self._record_lot_links()
        return result

    @api.multi
    def _record_lot_links(self):
        """Bring the manufacturing links of these orders in line with the
        consumed move lines that Odoo tied to each produced lot
        (``consume_line_ids``): one link per produced lot × consumed lot,
        with the consumed quantity in the component's unit. Safe to call
        again after a further posting: links are completed, not doubled."""
        if not self:
            return
        self.env.cr.execute("""
            SELECT fm.production_id, f.lot_id, c.lot_id,
                   SUM(c.qty_done / cu.factor * pu.factor)
              FROM stock_move_line f
              JOIN stock_move fm ON fm.id = f.move_id
              JOIN stock_move_line_consume_rel r ON r.consume_line_id = f.id
              JOIN stock_move_line c ON c.id = r.produce_line_id
              JOIN product_uom cu ON cu.id = c.product_uom_id
              JOIN product_product pp ON pp.id = c.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN product_uom pu ON pu.id = pt.uom_id
             WHERE fm.production_id = ANY(%s)
               AND f.lot_id IS NOT NULL AND c.lot_id IS NOT NULL
               AND f.lot_id != c.lot_id
               AND f.state = 'done' AND c.state = 'done'
             GROUP BY fm.production_id, f.lot_id, c.lot_id
        """, [self.ids])
        wanted = dict(((row[0], row[1], row[2]), row[3])
                      for row in self.env.cr.fetchall())
        # Whoever closes the order records its genealogy, even without
        # rights on the traceability records; the order and the quantity
        # of a link are the server's to set.
        links = self.env['meddev.lot.link'].sudo()._meddev_as_server()
        existing = links.search([
            ('production_id', 'in', self.ids),
            ('origin', '=', 'manufacturing')])
        by_key = dict(
            ((link.production_id.id, link.parent_lot_id.id,
              link.child_lot_id.id), link) for link in existing)
        lots = self.env['stock.production.lot'].sudo()
        for key, quantity in sorted(wanted.items()):
            link = by_key.get(key)
            if link:
                if link.quantity != quantity:
                    link.quantity = quantity
                continue
            production = self.browse(key[0])
            links.add_link(
                lots.browse(key[1]), lots.browse(key[2]), quantity,
                origin='manufacturing', source=production.name,
                production_id=production.id,
                company_id=production.company_id.id)
