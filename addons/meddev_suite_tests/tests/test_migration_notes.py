import os
import shutil
import tempfile
import unittest

from ..migration_notes import migration_problems

ADDONS = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SUITE = ('meddev_base', 'meddev_qualification', 'meddev_credit',
         'meddev_traceability', 'meddev_service', 'meddev_quality_capa')
NOTE = '"""Moves the limits to the credit state."""\n\n\n' \
    'def migrate(cr, version):\n    pass\n'


class TestMigrationNotes(unittest.TestCase):
    """Every migration script of the suite follows the convention of
    migration_notes.py (a note, a name Odoo runs, a version it reaches)."""

    def test_suite_addons(self):
        for addon in SUITE:
            self.assertEqual(
                migration_problems(os.path.join(ADDONS, addon)), [], addon)

    def addon(self, version='11.0.1.2.0', scripts=None):
        """Return the folder of an addon made for the test, with
        ``scripts``: {relative path: text} under migrations/."""
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root)
        folder = os.path.join(root, 'meddev_demo')
        os.mkdir(folder)
        with open(os.path.join(folder, '__manifest__.py'), 'w') as manifest:
            manifest.write("{'name': 'Demo', 'version': '%s'}" % version)
        for path, text in (scripts or {}).items():
            path = os.path.join(folder, 'migrations', path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as script:
                script.write(text)
        return folder

    def test_follows(self):
        self.assertEqual(migration_problems(self.addon()), [])
        self.assertEqual(migration_problems(self.addon(scripts={
            '11.0.1.2.0/pre-migration.py': NOTE,
            '11.0.1.1.0/post-migration.py': NOTE,
            '11.0.1.1.0/end-cleanup.py': NOTE})), [])

    def test_breaches(self):
        problems = migration_problems(self.addon(scripts={
            '11.0.1.3.0/post-migration.py': NOTE,
            '1.2/post-migration.py': NOTE,
            '11.0.1.1.0/migrate.py': NOTE,
            '11.0.1.0.1/post-silent.py': 'def migrate(cr, version):\n'
                                         '    pass\n',
            '11.0.1.0.2/pre-nothing.py': '"""Note."""\n',
        }))
        self.assertEqual(problems, [
            'meddev_demo: migrations/1.2 is not a full version (11.0.x.y.z)',
            'meddev_demo: migrations/11.0.1.0.1/post-silent.py: no '
            'docstring (the migration note)',
            'meddev_demo: migrations/11.0.1.0.2/pre-nothing.py: no '
            'migrate(cr, version) function',
            'meddev_demo: migrations/11.0.1.1.0/migrate.py does not start '
            'with pre-, post- or end-: Odoo never runs it',
            'meddev_demo: migrations/11.0.1.3.0 is above the manifest '
            'version 11.0.1.2.0: it never runs',
        ])
