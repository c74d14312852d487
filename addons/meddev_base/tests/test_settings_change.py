import unittest

from ..tools.settings_change import (
    apply_x2many_commands, plain_value, setting_changed, x2many_ids)


class Records(object):
    """What the helpers see of a recordset: its ``ids``."""

    def __init__(self, *ids):
        self.ids = list(ids)


class TestSettingChanged(unittest.TestCase):
    """The pure comparison behind the company settings guard."""

    def test_plain_values(self):
        self.assertEqual(plain_value(Records(7)), 7)
        self.assertEqual(plain_value(Records()), False)
        self.assertEqual(plain_value((7, 'Shanghai')), 7)
        for empty in (None, False, 0, 0.0, '', []):
            self.assertIs(plain_value(empty), False)
        self.assertEqual(plain_value('root.recall'), 'root.recall')
        # A pair of booleans or texts is not a many2one.
        self.assertEqual(plain_value(('a', 'b')), ('a', 'b'))
        self.assertEqual(plain_value((True, 'b')), (True, 'b'))

    def test_unchanged_values_are_not_changes(self):
        same = [
            ('many2one', Records(3), 3),
            ('many2one', Records(3), (3, 'Tag')),
            ('many2one', Records(), False),
            ('many2one', False, None),
            ('integer', 0, False),
            ('integer', 5, 5.0),
            ('float', 2.5, 2.5),
            ('monetary', 0.0, None),
            ('char', 'root.recall', 'root.recall'),
            ('char', '', False),
            ('text', None, ''),
            ('boolean', True, True),
            ('boolean', False, None),
            ('selection', 'warn', 'warn'),
            ('many2many', Records(1, 2), [(6, 0, [2, 1])]),
            ('many2many', Records(1, 2), [2, 1]),
            ('many2many', Records(1), [(4, 1)]),
            ('many2many', Records(), [(5,)]),
            ('many2many', Records(), []),
            ('many2many', [(6, 0, [4])], [(6, 0, [4])]),
        ]
        for field_type, old, new in same:
            self.assertFalse(setting_changed(field_type, old, new),
                             (field_type, old, new))

    def test_changed_values(self):
        changed = [
            ('many2one', Records(3), 4),
            ('many2one', Records(3), False),
            ('many2one', Records(), 4),
            ('integer', 0, 2),
            ('integer', 5, 5.5),
            ('float', 2.5, 2.4),
            ('monetary', 0.0, 1),
            ('char', 'root.recall', 'root'),
            ('char', '', 'root'),
            ('boolean', True, False),
            ('boolean', False, True),
            ('selection', 'block', 'warn'),
            ('many2many', Records(1, 2), [(6, 0, [1])]),
            ('many2many', Records(1), [(4, 2)]),
            ('many2many', Records(1), [(3, 1)]),
            ('many2many', Records(1), [(5,)]),
            ('many2many', Records(1), [(0, 0, {'name': 'New'})]),
            ('many2many', Records(), [3]),
            # Not a number: counted as a change, so the check runs (the
            # write itself refuses the value).
            ('integer', 5, 'five'),
        ]
        for field_type, old, new in changed:
            self.assertTrue(setting_changed(field_type, old, new),
                            (field_type, old, new))

    def test_x2many_commands(self):
        self.assertEqual(apply_x2many_commands({1, 2}, [(3, 1), (4, 5)]),
                         {2, 5})
        self.assertEqual(apply_x2many_commands({1}, [(5,), (4, 2)]), {2})
        self.assertEqual(apply_x2many_commands({1}, [(2, 1)]), set())
        self.assertEqual(apply_x2many_commands({1}, [(1, 1, {'a': 1})]),
                         {1})
        self.assertEqual(apply_x2many_commands({1}, None), {1})
        self.assertEqual(x2many_ids(Records(4, 5)), {4, 5})
        self.assertEqual(x2many_ids([(6, 0, [4])]), {4})
        self.assertEqual(x2many_ids(False), set())
