from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevManufacturingCase, MeddevTraceabilityCase


class TestTraceDag(MeddevTraceabilityCase):
    """Shared components: the trace walks lots, each once, at its nearest
    level; cycles are found apart and named; manual links are checked."""

    @classmethod
    def setUpClass(cls):
        super(TestTraceDag, cls).setUpClass()
        part = cls._create_product('Part', 'lot')
        lot = dict((name, cls._create_lot(part, name)) for name in (
            'C1', 'C2', 'M1', 'M2', 'D1', 'D2', 'S'))
        cls.lot = lot
        # Each module holds both components, each device both modules, the
        # system both devices and, directly, a spare C1.
        for parent, children in (('M1', 'C1 C2'), ('M2', 'C1 C2'),
                                 ('D1', 'M1 M2'), ('D2', 'M1 M2'),
                                 ('S', 'D1 D2 C1')):
            for child in children.split():
                cls._create_link(lot[parent], lot[child])

    def _levels(self, rows):
        names = dict((lot.id, name) for name, lot in self.lot.items())
        return dict((names[row['lot_id']], row['level']) for row in rows)

    def test_forward_each_lot_once_nearest_level(self):
        rows = self.lot['C1'].sudo(self.user).trace_forward()
        self.assertEqual(len(rows), 5)
        self.assertEqual(self._levels(rows), {
            'M1': 1, 'M2': 1, 'S': 1, 'D1': 2, 'D2': 2})
        via = dict((row['lot_id'], row['via_lot_id']) for row in rows)
        self.assertIn(via[self.lot['D1'].id],
                      (self.lot['M1'] | self.lot['M2']).ids)
        self.assertEqual(via[self.lot['S'].id], self.lot['C1'].id)

    def test_backward_each_lot_once_nearest_level(self):
        rows = self.lot['S'].sudo(self.user).trace_backward()
        self.assertEqual(self._levels(rows), {
            'D1': 1, 'D2': 1, 'C1': 1, 'M1': 2, 'M2': 2, 'C2': 3})

    def test_many_paths_walked_as_lots(self):
        # 20 levels of 4 lots, each made of the 4 lots below: 4^19 paths
        # lead from a bottom lot to a top one. A walk over paths would
        # never end; the statement timeout turns that into a failure.
        part = self.lot['S'].product_id
        levels = [[self._create_lot(part, 'L%02d-%d' % (depth, index))
                   for index in range(4)] for depth in range(20)]
        pairs = [(parent.id, child.id)
                 for below, above in zip(levels, levels[1:])
                 for parent in above for child in below]
        self.env.cr.execute("""
            INSERT INTO meddev_lot_link (parent_lot_id, child_lot_id,
                quantity, origin, date, company_id)
            SELECT p, c, 1, 'import', now(), %s
              FROM unnest(%s::int[], %s::int[]) AS pairs(p, c)
        """, [self.env.user.company_id.id, [pair[0] for pair in pairs],
              [pair[1] for pair in pairs]])
        self.env.cr.execute("SET LOCAL statement_timeout = '10s'")
        try:
            rows = levels[0][0].sudo(self.user).trace_forward()
        finally:
            self.env.cr.execute("SET LOCAL statement_timeout = 0")
        self.assertEqual(len(rows), 19 * 4)
        self.assertEqual(
            sorted(set(row['level'] for row in rows)), list(range(1, 20)))

    def test_cycle_found_and_named(self):
        # Bad data left by an old import: C2 said to contain S.
        self._insert_link_sql(self.lot['C2'], self.lot['S'])
        with self.assertRaisesRegex(UserError, 'cycle') as raised:
            self.lot['C1'].trace_forward()
        message = raised.exception.name
        for name in ('C2', 'S'):
            self.assertIn(name, message)
        # The cycle named is a closed walk: first lot repeated at the end.
        names = message.split(': ', 1)[1].split('. ')[0].split(' > ')
        self.assertEqual(names[0], names[-1])
        # A lot whose walk does not reach the cycle traces as before.
        box = self._create_lot(self.lot['S'].product_id, 'BOX')
        loose = self._create_lot(self.lot['S'].product_id, 'LOOSE')
        self._create_link(box, loose)
        self.assertEqual([row['lot_id'] for row in loose.trace_forward()],
                         box.ids)

    def test_capped_walk_stops_early(self):
        links = self.env['meddev.lot.link']
        rows, complete = links._trace_capped(
            self.lot['C1'].ids, 'forward', 2)
        self.assertEqual((len(rows), complete), (2, False))
        rows, complete = links._trace_capped(
            self.lot['C1'].ids, 'forward', 50)
        self.assertEqual((len(rows), complete), (5, True))

    def test_lot_form_tree_capped(self):
        lot_model = type(self.env['stock.production.lot'])
        limit = lot_model._GENEALOGY_TREE_LIMIT
        lot_model._GENEALOGY_TREE_LIMIT = 3
        try:
            fragment = self.lot['C1'].sudo(self.user).assembly_tree_html
        finally:
            lot_model._GENEALOGY_TREE_LIMIT = limit
        self.assertIn('Only the first 3 lots', fragment)
        self.assertEqual(fragment.count('<li'), 3)

    def test_manual_link_cycle_refused_on_create_and_write(self):
        links = self.env['meddev.lot.link'].sudo(self.manager)
        with self.assertRaisesRegex(
                ValidationError, 'C1 cannot contain S: S already contains '
                                 'C1'):
            links.create({'parent_lot_id': self.lot['C1'].id,
                          'child_lot_id': self.lot['S'].id,
                          'origin': 'import'})
        link = links.search([('parent_lot_id', '=', self.lot['M1'].id),
                             ('child_lot_id', '=', self.lot['C2'].id)])
        # A link is not rewritten by a user; the server's own writes meet
        # the cycle check.
        with self.assertRaisesRegex(UserError, 'not edited'):
            link.write({'child_lot_id': self.lot['S'].id})
        with self.assertRaisesRegex(ValidationError, 'already contains'):
            link._meddev_as_server().write({'child_lot_id': self.lot['S'].id})
        # A context key set by the client skips nothing.
        with self.assertRaisesRegex(ValidationError, 'already contains'):
            links.with_context(meddev_cycle_checked=True).create({
                'parent_lot_id': self.lot['C1'].id,
                'child_lot_id': self.lot['S'].id, 'origin': 'import'})
        # A link elsewhere in the same genealogy is fine.
        other = self._create_lot(self.lot['S'].product_id, 'C3')
        self.assertTrue(links.create({
            'parent_lot_id': self.lot['M2'].id, 'child_lot_id': other.id}))

    def test_retire_link_with_reason(self):
        # The bad link blocks every trace through it; a recall manager
        # retires it with a reason, from the link's button.
        bad = self._insert_link_sql(self.lot['C2'], self.lot['S'])
        with self.assertRaises(AccessError):
            bad.sudo(self.user).action_retire()
        action = bad.sudo(self.manager).action_retire()
        self.assertEqual(action['res_model'], 'meddev.lot.link.retire')
        wizard = self.env[action['res_model']].sudo(
            self.manager).with_context(**action['context']).create(
            {'reason': 'Imported by mistake.'})
        self.assertEqual(wizard.link_ids, bad)
        wizard.action_confirm()
        self.assertEqual(
            (bad.state, bad.removal_reason, bad.removed_uid),
            ('removed', 'Imported by mistake.', self.manager))
        self.assertEqual(len(self.lot['C1'].trace_forward()), 5)
        with self.assertRaisesRegex(UserError, 'already retired'):
            bad.sudo(self.manager)._retire('Again.')
        with self.assertRaisesRegex(UserError, 'Say why'):
            self.env['meddev.lot.link'].search(
                [('parent_lot_id', '=', self.lot['M1'].id)],
                limit=1).sudo(self.manager)._retire(' ')


# After all modules load: companies created here need their columns.
@at_install(False)
@post_install(True)
class TestTraceCompany(MeddevManufacturingCase):
    """Raw queries keep to the records the record rules show: the current
    company (and its children), not every allowed company."""

    @classmethod
    def setUpClass(cls):
        super(TestTraceCompany, cls).setUpClass()
        cls.main_company = cls.env.user.company_id
        cls.other_company = cls.env['res.company'].create(
            {'name': 'MedDev Trace Subsidiary'})
        cls.both = cls._create_user('trace_both', cls.group_user)
        cls.both.write({
            'company_ids': [(6, 0, (cls.main_company
                                    | cls.other_company).ids)],
            'groups_id': [(4, cls.env.ref('stock.group_stock_user').id)]})
        cls.foreign_box = cls._create_lot(cls.monitor, 'BOX-OTHER')
        cls._insert_link_sql(cls.foreign_box, cls.serial,
                             company=cls.other_company)
        cls.picking = cls._deliver(cls.hospital_a, [(cls.serial, 1)])

    def test_trace_follows_current_company(self):
        reached = [row['lot_id'] for row in
                   self.board_lot.sudo(self.both).trace_forward()]
        self.assertIn(self.serial.id, reached)
        self.assertNotIn(self.foreign_box.id, reached)
        self.both.company_id = self.other_company
        self.env['meddev.lot.link'].invalidate_cache()
        reached = [row['lot_id'] for row in
                   self.serial.sudo(self.both).trace_forward()]
        self.assertEqual(reached, self.foreign_box.ids)
        # The main company's manufacturing links are not followed now.
        self.assertEqual(self.board_lot.sudo(self.both).trace_forward(), [])

    def test_deliveries_follow_rules_and_rights(self):
        links = self.env['meddev.lot.link']
        rows = links.sudo(self.both)._deliveries(self.serial.ids)
        self.assertEqual([row['picking_id'] for row in rows],
                         self.picking.ids)
        self.both.company_id = self.other_company
        self.assertEqual(links.sudo(self.both)._deliveries(self.serial.ids),
                         [])
        # Deliveries reveal transfers: no transfer rights, no rows.
        with self.assertRaises(AccessError):
            links.sudo(self.employee)._deliveries(self.serial.ids)
