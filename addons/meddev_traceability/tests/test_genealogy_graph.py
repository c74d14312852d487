"""The cycle finder of the genealogy: plain unit tests, no database."""
import unittest

from ..lib.genealogy import find_cycle


class TestFindCycle(unittest.TestCase):

    def test_acyclic_dag(self):
        # Shared components: 1 and 2 both go into 3 and 4, which go into 5.
        edges = [(1, 3), (1, 4), (2, 3), (2, 4), (3, 5), (4, 5)]
        self.assertIsNone(find_cycle(edges, [1, 2]))

    def test_cycle_named_in_walk_order(self):
        edges = [(1, 2), (2, 3), (3, 4), (4, 2)]
        self.assertEqual(find_cycle(edges, [1]), [2, 3, 4, 2])

    def test_cycle_not_reachable_is_ignored(self):
        edges = [(1, 2), (3, 4), (4, 3)]
        self.assertIsNone(find_cycle(edges, [1]))
        self.assertEqual(find_cycle(edges, [3]), [3, 4, 3])

    def test_self_loop(self):
        self.assertEqual(find_cycle([(7, 7)], [7]), [7, 7])

    def test_deep_chain_no_recursion_limit(self):
        edges = [(index, index + 1) for index in range(20000)]
        self.assertIsNone(find_cycle(edges, [0]))
        edges.append((20000, 0))
        cycle = find_cycle(edges, [0])
        self.assertEqual((cycle[0], cycle[-1], len(cycle)), (0, 0, 20002))
