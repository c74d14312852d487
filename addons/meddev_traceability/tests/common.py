from unittest.mock import patch

from odoo.tests.common import SavepointCase


class MeddevTraceabilityCase(SavepointCase):
    """Base class: one user per role, a finished serial and a component lot."""

    @classmethod
    def setUpClass(cls):
        super(MeddevTraceabilityCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_traceability.module_category_meddev_traceability')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_traceability.group_meddev_traceability_user')
        cls.group_manager = cls.env.ref(
            'meddev_traceability.group_meddev_traceability_manager')
        cls.employee = cls._create_user('trace_employee', cls.group_employee)
        cls.user = cls._create_user('trace_user', cls.group_user)
        cls.manager = cls._create_user('trace_manager', cls.group_manager)
        cls.monitor = cls._create_product('Patient Monitor PM-9', 'serial')
        cls.board = cls._create_product('Main Board MB-2', 'lot')
        cls.serial = cls._create_lot(cls.monitor, 'PM9-0001')
        cls.board_lot = cls._create_lot(cls.board, 'MB2-L042')

    @classmethod
    def _create_user(cls, login, groups, company=None):
        """Return a new internal user holding exactly ``groups``."""
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id, company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)

    @classmethod
    def _create_product(cls, name, tracking):
        """Return a new stockable product tracked by lot or serial."""
        return cls.env['product.product'].create({
            'name': name,
            'type': 'product',
            'tracking': tracking,
        })

    @classmethod
    def _create_lot(cls, product, name):
        """Return a new lot or serial number of ``product``."""
        return cls.env['stock.production.lot'].create({
            'name': name,
            'product_id': product.id,
        })

    @classmethod
    def _create_link(cls, parent, child, **vals):
        """Return a new genealogy link, recorded by the superuser."""
        vals.update(parent_lot_id=parent.id, child_lot_id=child.id)
        return cls.env['meddev.lot.link'].create(vals)

    def _send_mails(self, mails, failure=None):
        """Send ``mails`` as the mail queue does, through a stand-in SMTP
        server that accepts them, or raises ``failure``."""
        server = type(self.env['ir.mail_server'])

        def send_email(model, message, *args, **kwargs):
            if failure:
                raise failure
            return message['Message-Id']
        with patch.object(server, 'connect', lambda *a, **k: None), \
                patch.object(server, 'send_email', send_email):
            mails.send()

    @classmethod
    def _insert_link_sql(cls, parent, child, company=None):
        """Insert a link with SQL, past every check: the bad data an old
        import or a database repair leaves behind (a cycle, say)."""
        cls.env.cr.execute("""
            INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id,
                quantity, origin, date, company_id)
            VALUES (%s, %s, 1, 'import', now(), %s) RETURNING id
        """, [parent.id, child.id, (company or cls.env.user.company_id).id])
        link_id = cls.env.cr.fetchone()[0]
        cls.env['meddev.lot.link'].invalidate_cache()
        cls.env['stock.production.lot'].invalidate_cache()
        return cls.env['meddev.lot.link'].browse(link_id)


class MeddevManufacturingCase(MeddevTraceabilityCase):
    """Adds a real manufacturing chain: board and cable lots go into a
    lot of main modules (one MO), which go into two monitor serials (one
    MO, produced twice); builders for deliveries."""

    @classmethod
    def setUpClass(cls):
        super(MeddevManufacturingCase, cls).setUpClass()
        cls.stock_location = cls.env.ref('stock.stock_location_stock')
        cls.customer_location = cls.env.ref('stock.stock_location_customers')
        cls.picking_type_out = cls.env.ref('stock.picking_type_out')
        cls.stock_user = cls._create_user(
            'trace_stock_user',
            cls.env.ref('stock.group_stock_user')
            | cls.env.ref('mrp.group_mrp_user'))
        cls.cable = cls._create_product('Cable Set CB-1', 'lot')
        cls.module = cls._create_product('Main Module MM-1', 'lot')
        cls.cable_lot = cls._create_lot(cls.cable, 'CB1-L007')
        cls.module_lot = cls._create_lot(cls.module, 'MM1-A')
        cls.serial_2 = cls._create_lot(cls.monitor, 'PM9-0002')
        cls.module_bom = cls._create_bom(
            cls.module, [(cls.board, 1), (cls.cable, 1)])
        cls.monitor_bom = cls._create_bom(cls.monitor, [(cls.module, 1)])
        cls._stock(cls.board_lot, 5)
        cls._stock(cls.cable_lot, 5)
        cls.module_mo = cls._manufacture(cls.module_bom, 2, [
            (cls.module_lot, 2, [(cls.board_lot, 2), (cls.cable_lot, 2)]),
        ])
        cls.monitor_mo = cls._manufacture(cls.monitor_bom, 2, [
            (cls.serial, 1, [(cls.module_lot, 1)]),
            (cls.serial_2, 1, [(cls.module_lot, 1)]),
        ])
        cls.hospital_a = cls.env['res.partner'].create({
            'name': 'Renji Hospital', 'customer': True, 'is_company': True,
            'email': 'equipment@renji.example.com'})
        cls.hospital_b = cls.env['res.partner'].create({
            'name': 'Ruijin Hospital', 'customer': True, 'is_company': True,
            'email': 'equipment@ruijin.example.com'})

    @classmethod
    def _create_bom(cls, product, components):
        """Return a bill of materials of one ``product`` from
        ``components``, pairs of (product, quantity)."""
        return cls.env['mrp.bom'].create({
            'product_tmpl_id': product.product_tmpl_id.id,
            'product_id': product.id,
            'product_qty': 1.0,
            'bom_line_ids': [
                (0, 0, {'product_id': component.id, 'product_qty': qty})
                for component, qty in components],
        })

    @classmethod
    def _stock(cls, lot, quantity):
        """Put ``quantity`` of ``lot`` in stock."""
        cls.env['stock.quant']._update_available_quantity(
            lot.product_id, cls.stock_location, quantity, lot_id=lot)

    @classmethod
    def _manufacture(cls, bom, quantity, productions, user=None):
        """Run a real manufacturing order of ``bom`` and return it, done.

        ``productions`` lists (finished lot, quantity, [(component lot,
        quantity)]): one 'Produce' step each, consuming exactly those lots.
        """
        env = cls.env(user=user.id) if user else cls.env
        product = bom.product_id
        production = env['mrp.production'].create({
            'product_id': product.id,
            'product_qty': quantity,
            'product_uom_id': product.uom_id.id,
            'bom_id': bom.id,
        })
        production.action_assign()
        for finished_lot, finished_qty, consumed in productions:
            wizard = env['mrp.product.produce'].with_context(
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
            wizard.write({
                'product_qty': finished_qty,
                'lot_id': finished_lot.id,
                'produce_line_ids': lines,
            })
            wizard.do_produce()
        production.button_mark_done()
        return production

    @classmethod
    def _deliver(cls, partner, lots, user=None, validate=True):
        """Deliver one unit (or the given quantity) of each lot to
        ``partner``: ``lots`` is a list of (lot, quantity). Return the
        picking, done when ``validate``."""
        env = cls.env(user=user.id) if user else cls.env
        picking = env['stock.picking'].create({
            'partner_id': partner.id,
            'picking_type_id': cls.picking_type_out.id,
            'location_id': cls.stock_location.id,
            'location_dest_id': cls.customer_location.id,
            'move_lines': [(0, 0, {
                'name': lot.product_id.name,
                'product_id': lot.product_id.id,
                'product_uom_qty': qty,
                'product_uom': lot.product_id.uom_id.id,
                'location_id': cls.stock_location.id,
                'location_dest_id': cls.customer_location.id,
            }) for lot, qty in lots],
        })
        picking.action_confirm()
        picking.action_assign()
        if not validate:
            return picking
        # The lots asked for, whatever the reservation picked.
        for move, (lot, qty) in zip(picking.move_lines, lots):
            move.move_line_ids[1:].unlink()
            if move.move_line_ids:
                move.move_line_ids.write({'lot_id': lot.id, 'qty_done': qty})
            else:
                env['stock.move.line'].create({
                    'move_id': move.id, 'picking_id': picking.id,
                    'product_id': lot.product_id.id,
                    'product_uom_id': lot.product_id.uom_id.id,
                    'lot_id': lot.id, 'qty_done': qty,
                    'location_id': cls.stock_location.id,
                    'location_dest_id': cls.customer_location.id,
                })
        picking.action_done()
        return picking
