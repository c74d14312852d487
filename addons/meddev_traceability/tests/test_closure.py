import random

from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevTraceabilityCase


def expected_closure(links):
    """Return {(lot, ancestor): nearest depth} of the (parent, child)
    pairs ``links``, by a breadth-first walk up from every lot: what the
    stored closure must hold."""
    parents = {}
    for parent, child in links:
        parents.setdefault(child, set()).add(parent)
    closure = {}
    for lot in parents:
        frontier, depth, seen = {lot}, 0, set()
        while frontier:
            depth += 1
            frontier = set(parent for node in frontier
                           for parent in parents.get(node, ())) - seen
            for ancestor in frontier:
                closure[(lot, ancestor)] = depth
            seen |= frontier
    return closure


class ClosureMixin(object):

    def _stored_closure(self, lots=None):
        """Return {(lot, ancestor): depth} stored for ``lots`` (all lots
        of this test by default)."""
        lot_ids = (lots or self.lots).ids
        self.env.cr.execute("""
            SELECT lot_id, ancestor_id, depth FROM meddev_lot_link_closure
             WHERE lot_id = ANY(%s)
        """, [lot_ids])
        return dict(((row[0], row[1]), row[2])
                    for row in self.env.cr.fetchall())

    def _current_pairs(self, lots=None):
        lot_ids = (lots or self.lots).ids
        links = self.env['meddev.lot.link'].sudo().search([
            ('child_lot_id', 'in', lot_ids), ('date_removed', '=', False)])
        return [(link.parent_lot_id.id, link.child_lot_id.id)
                for link in links]

    def assertClosureRight(self, lots=None):
        """The stored closure of ``lots`` is fresh and equals the one
        computed from their current links."""
        links = self.env['meddev.lot.link']
        self.assertFalse(links._closure_is_stale())
        self.assertEqual(self._stored_closure(lots),
                         expected_closure(self._current_pairs(lots)))

    def assertTraceAsWalk(self, lot, user):
        """The forward trace of ``lot`` comes from the closure and gives
        the lots and levels of the recursive walk; each via is a lot one
        level nearer (or the start) that the lot contains, with that
        link's quantity."""
        links = self.env['meddev.lot.link'].sudo(user)
        closure_rows = links._trace_forward_closure(lot.ids)
        self.assertIsNotNone(closure_rows)
        self.assertEqual(lot.sudo(user).trace_forward(), closure_rows)
        walk_rows, complete = links._trace_walk(lot.ids, 'forward')
        self.assertTrue(complete)
        self.assertEqual(
            sorted((row['lot_id'], row['level']) for row in closure_rows),
            sorted((row['lot_id'], row['level']) for row in walk_rows))
        levels = dict((row['lot_id'], row['level']) for row in closure_rows)
        levels[lot.id] = 0
        for row in closure_rows:
            self.assertEqual(levels[row['via_lot_id']], row['level'] - 1)
            link = self.env['meddev.lot.link'].sudo().search([
                ('parent_lot_id', '=', row['lot_id']),
                ('child_lot_id', '=', row['via_lot_id']),
                ('date_removed', '=', False)])
            self.assertIn(row['quantity'], link.mapped('quantity'))
        return closure_rows


class TestClosure(ClosureMixin, MeddevTraceabilityCase):
    """The stored closure follows every change made through the ORM and
    answers the forward trace as the walk over the links would."""

    @classmethod
    def setUpClass(cls):
        super(TestClosure, cls).setUpClass()
        part = cls._create_product('Closure Part', 'lot')
        cls.lot = dict((name, cls._create_lot(part, name)) for name in (
            'C1', 'C2', 'M1', 'M2', 'D1', 'S', 'X'))
        cls.lots = cls.env['stock.production.lot'].browse(
            [lot.id for lot in cls.lot.values()])
        add = cls.env['meddev.lot.link'].sudo(cls.manager).add_link
        for parent, children in (('M1', 'C1 C2'), ('M2', 'C2'),
                                 ('D1', 'M1 M2'), ('S', 'D1 C1')):
            for child in children.split():
                add(cls.lot[parent], cls.lot[child], quantity=2.0)

    def _names(self, rows):
        names = dict((lot.id, name) for name, lot in self.lot.items())
        return dict((names[row['lot_id']], row['level']) for row in rows)

    def test_closure_after_add(self):
        self.assertClosureRight()
        rows = self.assertTraceAsWalk(self.lot['C1'], self.user)
        self.assertEqual(self._names(rows), {'M1': 1, 'S': 1, 'D1': 2})
        # A new top over S: every lot below S now reaches it.
        top = self._create_lot(self.lot['S'].product_id, 'TOP')
        self.env['meddev.lot.link'].sudo(self.manager).add_link(
            top, self.lot['S'])
        self.lots |= top
        self.assertClosureRight()
        rows = self.assertTraceAsWalk(self.lot['C2'], self.user)
        self.assertEqual(
            self._names([row for row in rows if row['lot_id'] != top.id]),
            {'M1': 1, 'M2': 1, 'D1': 2, 'S': 3})
        self.assertIn((top.id, 4), [(row['lot_id'], row['level'])
                                    for row in rows])

    def test_closure_after_remove(self):
        links = self.env['meddev.lot.link'].sudo(self.manager)
        # C1 taken out of S: S still contains it through D1 and M1.
        links.remove_link(self.lot['S'], self.lot['C1'], source='SWAP-1')
        self.assertClosureRight()
        rows = self.assertTraceAsWalk(self.lot['C1'], self.user)
        self.assertEqual(self._names(rows), {'M1': 1, 'D1': 2, 'S': 3})
        links.remove_link(self.lot['M1'], self.lot['C1'])
        self.assertClosureRight()
        self.assertEqual(self.lot['C1'].sudo(self.user).trace_forward(), [])

    def test_closure_after_retire_write_unlink(self):
        link = self.env['meddev.lot.link'].search([
            ('parent_lot_id', '=', self.lot['D1'].id),
            ('child_lot_id', '=', self.lot['M2'].id)])
        # Retired from its button, through the wizard.
        action = link.sudo(self.manager).action_retire()
        self.env[action['res_model']].sudo(self.manager).with_context(
            **action['context']).create(
            {'reason': 'Wrong module recorded.'}).action_confirm()
        self.assertClosureRight()
        self.assertEqual(self._names(
            self.lot['M2'].sudo(self.user).trace_forward()), {})
        # Moved to another parent by a recall manager.
        link.sudo(self.manager).write({'date_removed': False,
                                       'parent_lot_id': self.lot['X'].id})
        self.assertClosureRight()
        self.assertEqual(self._names(self.assertTraceAsWalk(
            self.lot['C2'], self.user)),
            {'M1': 1, 'M2': 1, 'X': 2, 'D1': 2, 'S': 3})
        link.sudo().unlink()
        self.assertClosureRight()
        self.assertEqual(self._names(
            self.lot['M2'].sudo(self.user).trace_forward()), {})

    def test_cycles_refused_closure_unchanged(self):
        before = self._stored_closure()
        links = self.env['meddev.lot.link'].sudo(self.manager)
        with self.assertRaisesRegex(UserError, 'C1 cannot contain S'):
            links.add_link(self.lot['C1'], self.lot['S'])
        with self.assertRaisesRegex(ValidationError, 'already contains'):
            with self.env.cr.savepoint():
                links.create({'parent_lot_id': self.lot['C2'].id,
                              'child_lot_id': self.lot['D1'].id})
        link = links.search([('parent_lot_id', '=', self.lot['M1'].id),
                             ('child_lot_id', '=', self.lot['C1'].id)])
        with self.assertRaisesRegex(ValidationError, 'already contains'):
            with self.env.cr.savepoint():
                link.write({'child_lot_id': self.lot['S'].id})
        self.assertEqual(self._stored_closure(), before)
        self.assertClosureRight()

    def test_raw_sql_marks_stale_until_rebuilt(self):
        links = self.env['meddev.lot.link']
        self._insert_link_sql(self.lot['X'], self.lot['S'])
        self.assertTrue(links._closure_is_stale())
        self.assertIsNone(links.sudo(self.user)._trace_forward_closure(
            self.lot['C1'].ids))
        # The walk answers meanwhile, with the new link.
        self.assertEqual(self._names(
            self.lot['C1'].sudo(self.user).trace_forward()),
            {'M1': 1, 'S': 1, 'D1': 2, 'X': 2})
        links._cron_rebuild_closure()
        self.assertClosureRight()
        self.assertTraceAsWalk(self.lot['C1'], self.user)
        # A cycle written by SQL leaves it stale: the walk names it.
        self._insert_link_sql(self.lot['C2'], self.lot['X'])
        self.assertFalse(links._closure_rebuild())
        self.assertTrue(links._closure_is_stale())
        with self.assertRaisesRegex(UserError, 'cycle'):
            self.lot['C1'].trace_forward()

    def test_generated_dag_equals_walk(self):
        # Seeded: 5 levels of shared components, a few links retired.
        rng = random.Random(20261201)
        part = self.lot['S'].product_id
        levels = [[self._create_lot(part, 'G%d-%02d' % (depth, index))
                   for index in range(size)]
                  for depth, size in enumerate((4, 8, 12, 16, 20))]
        links = self.env['meddev.lot.link'].sudo(self.manager)
        created = links.browse()
        for below, level in zip(levels, levels[1:]):
            for parent in level:
                for child in rng.sample(below, 3):
                    created |= links.add_link(
                        parent, child, quantity=rng.choice((1.0, 2.0, 5.0)))
        # A few direct links skipping levels: several paths, several depths.
        for _index in range(10):
            low, high = sorted(rng.sample(range(5), 2))
            if high - low > 1:
                created |= links.add_link(rng.choice(levels[high]),
                                          rng.choice(levels[low]))
        for link in rng.sample(list(created), 8):
            if not link.date_removed:
                link._retire('Swapped.')
        generated = self.env['stock.production.lot'].browse(
            [lot.id for level in levels for lot in level])
        self.assertClosureRight(generated)
        for lot in levels[0] + levels[1]:
            self.assertTraceAsWalk(lot, self.user)
        # From several lots at once, as a recall of two lots traces.
        both = levels[0][0] | levels[1][0]
        rows = self.env['meddev.lot.link'].sudo(self.user)._trace(
            both.ids, 'forward')
        walk = self.env['meddev.lot.link'].sudo(self.user)._trace_walk(
            both.ids, 'forward')[0]
        self.assertEqual(
            sorted((row['lot_id'], row['level']) for row in rows),
            sorted((row['lot_id'], row['level']) for row in walk))


# After all modules load: companies created here need their columns.
@at_install(False)
@post_install(True)
class TestClosureCompanies(ClosureMixin, MeddevTraceabilityCase):
    """A path through another company's link is not followed for a user
    of one company: the closure steps aside for the walk."""

    @classmethod
    def setUpClass(cls):
        super(TestClosureCompanies, cls).setUpClass()
        cls.other = cls.env['res.company'].create(
            {'name': 'MedDev Closure Subsidiary'})
        part = cls._create_product('Company Part', 'lot')
        cls.lot = dict((name, cls._create_lot(part, name))
                       for name in ('C', 'M', 'BOX', 'OWN', 'E'))
        cls.lots = cls.env['stock.production.lot'].browse(
            [lot.id for lot in cls.lot.values()])
        links = cls.env['meddev.lot.link']
        links.add_link(cls.lot['M'], cls.lot['C'])
        links.add_link(cls.lot['OWN'], cls.lot['M'])
        links.add_link(cls.lot['OWN'], cls.lot['E'])
        links.add_link(cls.lot['BOX'], cls.lot['M'],
                       company_id=cls.other.id)

    def test_foreign_path_walked(self):
        self.assertClosureRight()
        links = self.env['meddev.lot.link'].sudo(self.user)
        # C reaches BOX only through the subsidiary's link.
        self.assertIsNone(links._trace_forward_closure(self.lot['C'].ids))
        reached = [row['lot_id'] for row in
                   self.lot['C'].sudo(self.user).trace_forward()]
        self.assertEqual(sorted(reached),
                         sorted((self.lot['M'] | self.lot['OWN']).ids))
        # The superuser reads every company's links: the closure answers.
        rows = self.env['meddev.lot.link']._trace_forward_closure(
            self.lot['C'].ids)
        self.assertEqual(len(rows), 3)
        # A genealogy of the user's company is read from the closure.
        rows = self.assertTraceAsWalk(self.lot['E'], self.user)
        self.assertEqual([row['lot_id'] for row in rows], self.lot['OWN'].ids)
