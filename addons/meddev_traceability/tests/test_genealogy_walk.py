import random

from odoo.tests.common import at_install, post_install

from .common import MeddevTraceabilityCase


def reference_trace(links, starts, direction):
    """Return {lot: (level, via, quantity)} for a trace from ``starts``
    over ``links`` (parent, child, quantity), by a plain breadth-first walk
    in Python: each lot at its nearest level (a start lot too when another
    start reaches it), via the smallest lot id one level nearer that leads
    to it, with the smallest quantity of those links. What the SQL walk
    must return, whatever the order the links were written in."""
    steps = {}
    for parent, child, quantity in links:
        start, reach = (child, parent) if direction == 'forward' else (
            parent, child)
        steps.setdefault(start, []).append((reach, quantity))
    result = {}
    frontier, level = sorted(set(starts)), 0
    distance = dict((lot, 0) for lot in frontier)
    while frontier:
        level += 1
        found = {}
        for lot in frontier:
            for reach, quantity in steps.get(lot, ()):
                if reach in result:
                    continue
                candidate = (lot, quantity)
                if reach not in found or candidate < found[reach]:
                    found[reach] = candidate
        for reach, (via, quantity) in found.items():
            result[reach] = (level, via, quantity)
        # Lots seen before (start lots) do not walk on twice.
        frontier = sorted(lot for lot in found if lot not in distance)
        for lot in frontier:
            distance[lot] = level
    return result


class WalkMixin(object):

    def _current_links(self):
        links = self.env['meddev.lot.link'].sudo().search([
            ('date_removed', '=', False),
            '|', ('child_lot_id', 'in', self.lots.ids),
            ('parent_lot_id', 'in', self.lots.ids)])
        return [(link.parent_lot_id.id, link.child_lot_id.id, link.quantity)
                for link in links]

    def assertWalkAsReference(self, starts, direction, user):
        """The trace of ``starts`` as ``user`` gives exactly the lots,
        levels, vias and quantities of the reference walk."""
        lots = self.env['stock.production.lot'].sudo(user).browse(starts)
        if direction == 'forward':
            rows = lots.trace_forward()
        else:
            rows = lots.trace_backward()
        got = dict((row['lot_id'], (row['level'], row['via_lot_id'],
                                    row['quantity'])) for row in rows)
        self.assertEqual(len(got), len(rows), 'a lot came twice')
        self.assertEqual(got, reference_trace(
            self._current_links(), starts, direction))
        return got


class TestGenealogyWalk(WalkMixin, MeddevTraceabilityCase):
    """The walk over the links gives the lots, levels, vias and
    quantities of a plain breadth-first walk, ties settled by one rule."""

    @classmethod
    def setUpClass(cls):
        super(TestGenealogyWalk, cls).setUpClass()
        # Seeded: 5 levels of shared components, direct links skipping
        # levels (several paths of several lengths), a few links retired.
        rng = random.Random(20261201)
        part = cls._create_product('Walk Part', 'lot')
        cls.levels = [[cls._create_lot(part, 'G%d-%02d' % (depth, index))
                       for index in range(size)]
                      for depth, size in enumerate((4, 8, 12, 16, 20))]
        cls.lots = cls.env['stock.production.lot'].browse(
            [lot.id for level in cls.levels for lot in level])
        links = cls.env['meddev.lot.link'].sudo(cls.manager)
        created = links.browse()
        for below, level in zip(cls.levels, cls.levels[1:]):
            for parent in level:
                for child in rng.sample(below, 3):
                    created |= links.add_link(
                        parent, child, quantity=rng.choice((1.0, 2.0, 5.0)))
        for _index in range(12):
            low, high = sorted(rng.sample(range(5), 2))
            if high - low > 1:
                created |= links.add_link(rng.choice(cls.levels[high]),
                                          rng.choice(cls.levels[low]))
        for link in rng.sample(list(created), 8):
            if not link.date_removed:
                link._retire('Swapped.')

    def test_forward_from_each_component_as_reference(self):
        for lot in self.levels[0] + self.levels[1]:
            self.assertWalkAsReference(lot.ids, 'forward', self.user)

    def test_backward_from_each_top_lot_as_reference(self):
        for lot in self.levels[4][:8] + self.levels[3][:4]:
            self.assertWalkAsReference(lot.ids, 'backward', self.user)

    def test_several_start_lots_as_reference(self):
        # A recall of lots at two levels: a start lot reached from another
        # one is listed at its own level.
        starts = [self.levels[0][0].id, self.levels[1][0].id,
                  self.levels[2][0].id]
        self.assertWalkAsReference(starts, 'forward', self.user)
        self.assertWalkAsReference(
            [self.levels[4][0].id, self.levels[3][1].id], 'backward',
            self.user)

    def test_after_swap_and_move_as_reference(self):
        links = self.env['meddev.lot.link'].sudo(self.manager)
        link = links.search([
            ('child_lot_id', '=', self.levels[1][0].id),
            ('date_removed', '=', False)], limit=1)
        links.remove_link(link.parent_lot_id, link.child_lot_id,
                          source='SWAP-1')
        other = links.search([
            ('child_lot_id', '=', self.levels[0][1].id),
            ('date_removed', '=', False)], limit=1)
        # Moved to another parent: retired, and recorded again.
        links.remove_link(other.parent_lot_id, other.child_lot_id,
                          source='MOVE-1')
        links.add_link(self.levels[4][-1], other.child_lot_id,
                       other.quantity)
        for lot in self.levels[0] + self.levels[1]:
            self.assertWalkAsReference(lot.ids, 'forward', self.user)

    def test_tie_settled_by_smallest_via_then_quantity(self):
        part = self.levels[0][0].product_id
        low, high, start, top = [self._create_lot(part, name)
                                 for name in ('TIE-A', 'TIE-B', 'TIE-S',
                                              'TIE-X')]
        self.lots |= low | high | start | top
        links = self.env['meddev.lot.link'].sudo(self.manager)
        # Written so that the larger lot id and quantity come first.
        links.add_link(top, high, quantity=1.0)
        links.add_link(top, low, quantity=7.0)
        links.add_link(top, low, quantity=3.0)
        links.add_link(high, start, quantity=1.0)
        links.add_link(low, start, quantity=1.0)
        got = self.assertWalkAsReference(start.ids, 'forward', self.user)
        self.assertEqual(got[top.id], (2, low.id, 3.0))


# After all modules load: companies created here need their columns.
@at_install(False)
@post_install(True)
class TestGenealogyWalkCompanies(WalkMixin, MeddevTraceabilityCase):
    """A user of one company walks that company's links only: the
    reference walk over the same links gives the same rows."""

    @classmethod
    def setUpClass(cls):
        super(TestGenealogyWalkCompanies, cls).setUpClass()
        cls.other = cls.env['res.company'].create(
            {'name': 'MedDev Walk Subsidiary'})
        part = cls._create_product('Company Part', 'lot')
        cls.lot = dict((name, cls._create_lot(part, name))
                       for name in ('C', 'M', 'BOX', 'OWN'))
        cls.lots = cls.env['stock.production.lot'].browse(
            [lot.id for lot in cls.lot.values()])
        links = cls.env['meddev.lot.link']
        links.add_link(cls.lot['M'], cls.lot['C'], quantity=2.0)
        links.add_link(cls.lot['OWN'], cls.lot['M'])
        cls.foreign = links.add_link(cls.lot['BOX'], cls.lot['M'],
                                     company_id=cls.other.id)

    def _current_links(self):
        # What the user's record rules show: the main company's links.
        return [link for link in super(
            TestGenealogyWalkCompanies, self)._current_links()
            if link[0] != self.lot['BOX'].id]

    def test_foreign_link_not_walked(self):
        got = self.assertWalkAsReference(
            self.lot['C'].ids, 'forward', self.user)
        self.assertEqual(got, {self.lot['M'].id: (1, self.lot['C'].id, 2.0),
                               self.lot['OWN'].id: (2, self.lot['M'].id,
                                                    1.0)})
        # Moved to the user's company, the link is walked.
        self.foreign._meddev_as_server().write(
            {'company_id': self.env.user.company_id.id})
        rows = self.lot['C'].sudo(self.user).trace_forward()
        self.assertIn(self.lot['BOX'].id, [row['lot_id'] for row in rows])
