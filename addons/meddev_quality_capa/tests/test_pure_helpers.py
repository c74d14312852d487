import unittest

from ..evidence_upload import MAX_FILE_BYTES, upload_problem
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
