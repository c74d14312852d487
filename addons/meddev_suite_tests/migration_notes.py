"""The convention of the suite's migration scripts, checked by
tests/test_migration_notes.py (no ORM: it reads the addons' files).

A release that changes data an update cannot fix by itself (moved values,
records kept by ``noupdate``, dropped tables) bumps the addon's version in
``__manifest__.py`` and ships ``migrations/<version>/`` with:

- the full version as folder name (``11.0.1.4.0``), at most the manifest's
  version (Odoo runs a folder when the installed version is below it and
  the manifest's reaches it: a folder above the manifest never runs);
- scripts named ``pre-<what>.py`` (before the addon's models and data
  load), ``post-<what>.py`` (after) or ``end-<what>.py`` (after every
  addon): Odoo ignores any other name;
- in each script a docstring, the migration note: which data changes and
  why, what an administrator may have to do by hand; and a
  ``migrate(cr, version)`` function that does nothing on a fresh install
  (``version`` is empty then).
"""
import ast
import os
import re

VERSION = re.compile(r'^\d+\.\d+\.\d+\.\d+\.\d+$')
STAGES = ('pre-', 'post-', 'end-')


def parse_version(text):
    """Return ``text`` (a full version, 11.0.1.4.0) as a tuple of ints."""
    return tuple(int(part) for part in text.split('.'))


def manifest_version(addon_dir):
    """Return the version of the addon in ``addon_dir`` (its manifest)."""
    with open(os.path.join(addon_dir, '__manifest__.py'),
              encoding='utf-8') as manifest:
        return ast.literal_eval(manifest.read())['version']


def script_problems(path):
    """Return what the migration script at ``path`` lacks."""
    with open(path, encoding='utf-8') as script:
        tree = ast.parse(script.read(), path)
    problems = []
    if not (ast.get_docstring(tree) or '').strip():
        problems.append('no docstring (the migration note)')
    functions = {node.name: node for node in tree.body
                 if isinstance(node, ast.FunctionDef)}
    migrate = functions.get('migrate')
    if not migrate or len(migrate.args.args) != 2:
        problems.append('no migrate(cr, version) function')
    return problems


def migration_problems(addon_dir):
    """Return the breaches of the convention in the ``migrations`` folder
    of the addon in ``addon_dir``, one sentence each (none: an empty
    list)."""
    folder = os.path.join(addon_dir, 'migrations')
    if not os.path.isdir(folder):
        return []
    addon = os.path.basename(os.path.normpath(addon_dir))
    current = manifest_version(addon_dir)
    problems = []
    for version in sorted(os.listdir(folder)):
        where = os.path.join(folder, version)
        if not os.path.isdir(where) or version == '__pycache__':
            continue
        if not VERSION.match(version):
            problems.append('%s: migrations/%s is not a full version '
                            '(11.0.x.y.z)' % (addon, version))
            continue
        if parse_version(version) > parse_version(current):
            problems.append(
                '%s: migrations/%s is above the manifest version %s: it '
                'never runs' % (addon, version, current))
        scripts = [name for name in sorted(os.listdir(where))
                   if name.endswith('.py')]
        if not scripts:
            problems.append('%s: migrations/%s holds no script'
                            % (addon, version))
        for name in scripts:
            if not name.startswith(STAGES):
                problems.append(
                    '%s: migrations/%s/%s does not start with pre-, post- '
                    'or end-: Odoo never runs it' % (addon, version, name))
                continue
            for problem in script_problems(os.path.join(where, name)):
                problems.append('%s: migrations/%s/%s: %s'
                                % (addon, version, name, problem))
    return problems
