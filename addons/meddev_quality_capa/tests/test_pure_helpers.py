import datetime
import unittest

from ..evidence_upload import MAX_FILE_BYTES, upload_problem
from ..import_cells import gtin_candidates, match_choice, parse_moment
from ..record_lock import frozen_fields


class TestRecordLock(unittest.TestCase):
    """Which fields a closed record refuses (no ORM)."""

    def test_chatter_and_activities_stay_open(self):
        self.assertEqual(frozen_fields({
            'message_follower_ids': [], 'message_last_post': 'x',
            'activity_ids': [], 'website_message_ids': []}), [])

    def test_content_is_frozen(self):
        self.assertEqual(frozen_fields({
            'problem': 'x', 'activity_ids': [], 'description': 'y'}),
            ['description', 'problem'])

    def test_also_open(self):
        self.assertEqual(frozen_fields({'reference': 'x', 'name': 'y'},
                                       also_open=('reference',)), ['name'])


class TestUploadLimits(unittest.TestCase):
    """Which portal files are refused, and why (no ORM)."""

    def test_accepted(self):
        for name in ('照片.JPG', 'report.pdf', 'device.log', 'a.docx'):
            self.assertIsNone(upload_problem(name, 10, 1), name)
        self.assertIsNone(upload_problem('a.png', MAX_FILE_BYTES, 5))

    def test_refused(self):
        self.assertEqual(upload_problem('a.png', 10, 6), 'count')
        self.assertEqual(upload_problem('a.png', 0, 1), 'empty')
        self.assertEqual(upload_problem('a.png', MAX_FILE_BYTES + 1, 1),
                         'size')
        for name in ('setup.exe', 'script.js', 'noextension', '', None,
                     'photo.jpg.exe'):
            self.assertEqual(upload_problem(name, 10, 1), 'type', name)


class TestImportCells(unittest.TestCase):
    """How the open-complaints template's cells are read (no ORM)."""

    def test_moments(self):
        self.assertEqual(parse_moment('2026-03-01'),
                         datetime.datetime(2026, 3, 1))
        self.assertEqual(parse_moment('2026/3/1 9:05'),
                         datetime.datetime(2026, 3, 1, 9, 5))
        self.assertEqual(parse_moment('2026-03-01T10:30:15'),
                         datetime.datetime(2026, 3, 1, 10, 30, 15))
        self.assertEqual(parse_moment('2026年3月1日 10时30分'),
                         datetime.datetime(2026, 3, 1, 10, 30))
        self.assertIsNone(parse_moment('  '))
        for text in ('2026-02-30', '2026-03-01 25:00', 'yesterday',
                     '01/03/2026', '2026-03-01 10'):
            with self.assertRaises(ValueError, msg=text):
                parse_moment(text)

    def test_choices(self):
        choices = [('death', ['Death', '死亡']),
                   ('no_harm', ['No Harm', '无伤害'])]
        self.assertEqual(match_choice(' no harm ', choices), 'no_harm')
        self.assertEqual(match_choice('死亡', choices), 'death')
        self.assertEqual(match_choice('DEATH', choices), 'death')
        self.assertIsNone(match_choice('', choices))
        with self.assertRaises(ValueError):
            match_choice('injury', choices)

    def test_gtin_candidates(self):
        self.assertEqual(gtin_candidates('6901234567892'),
                         ['6901234567892', '06901234567892'])
        self.assertEqual(gtin_candidates('IP-300'), ['IP-300'])
        self.assertEqual(gtin_candidates(''), [])
