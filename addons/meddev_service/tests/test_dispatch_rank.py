"""Tests of the engineer ranking helper: plain unit tests."""
import unittest

from .. import dispatch_rank


class TestDispatchRank(unittest.TestCase):

    def test_haversine(self):
        # Shanghai People's Square to Hangzhou West Lake: about 167 km.
        km = dispatch_rank.haversine_km(31.2304, 121.4737, 30.2590,
                                        120.1388)
        self.assertAlmostEqual(km, 167, delta=1)
        self.assertEqual(dispatch_rank.haversine_km(31, 121, 31, 121), 0)
        with self.assertRaises(ValueError):
            dispatch_rank.haversine_km(91, 0, 0, 0)
        with self.assertRaises(ValueError):
            dispatch_rank.haversine_km(0, 0, 0, 181)

    def test_rank_skill_required_distance_workload_leave(self):
        candidates = [
            {'id': 1, 'skilled': False, 'distance_km': 1},
            {'id': 2, 'skilled': True, 'distance_km': 150,
             'open_tickets': 0},
            {'id': 3, 'skilled': True, 'distance_km': 5,
             'open_tickets': 1, 'planned_hours': 4},
            {'id': 4, 'skilled': True, 'distance_km': 2, 'on_leave': True},
            {'id': 5, 'skilled': True, 'distance_km': None},
        ]
        ranked = dispatch_rank.rank(candidates)
        # Unskilled never; near and lightly loaded first; on leave last.
        self.assertEqual([c['id'] for c in ranked], [3, 2, 5, 4])
        self.assertEqual(ranked[0]['score'], 2.1)
        self.assertEqual(ranked[1]['score'], 3.0)
        self.assertEqual(ranked[2]['score'], 10.0)
