"""The access matrices of the MedDev addons: who may read, write, create
and delete each model, one CSV file per addon
(``access_matrix/<addon>.csv`` in this addon), read by the suite's access
tests. (They live here, not in each addon's ``security/``: OCA's lint wants
every CSV there loaded by the manifest, and these are documentation.)

No ORM import: the parsing is tested on its own, fast.

A file has the columns ``model,group,read,write,create,unlink,scope,note``;
the permissions are ``1`` or ``0``; ``group`` is a group's XML id
(``base.group_portal``, ``meddev_credit.group_meddev_credit_manager``);
``scope`` says which records of the model the group reads (its record
rules), ``-`` when it reads none: ``all``, ``own`` (a wizard: the user's
own, as Odoo keeps them), or words of ``SCOPES`` joined by ``+``, each
narrowing what is read (``company+partner``: its company's records of the
user's own partner); ``note`` says why, for the reader. Every model has a
row for ``base.group_portal`` and one for ``base.group_user`` (an internal
user with no suite group). Another group without a row for a model has
exactly what ``base.group_user`` has on it: every suite group implies it.
"""

import csv

MODES = ('read', 'write', 'create', 'unlink')
COLUMNS = ('model', 'group') + MODES + ('scope', 'note')
# The words of a scope: each narrows the records a group reads.
SCOPES = {
    'company': "records of the user's company (or of none)",
    'partner': "records of the user's own (commercial) partner",
    'supplier': "CAPA actions sent to the user's company as supplier",
    'team': "tickets (or what hangs on them) of the user's service team "
            "(member or leader), of no team, or assigned to the user",
    'billable': 'billable tickets only',
    'ticketed': 'complaints opened from a service ticket (or by the user)',
    'document': 'signatures of the documents the user may read',
}
# Scopes that stand alone: every record, or the user's own wizards.
WHOLE_SCOPES = ('all', 'own')
BASELINE_GROUPS = ('base.group_portal', 'base.group_user')


class MatrixError(ValueError):
    """A matrix file that cannot be read as a matrix."""


def parse_matrix(lines, source):
    """Return ``{(model, group): {mode: bool}}`` from the CSV ``lines``
    (an iterable of text lines) of the file named ``source``.

    Raise ``MatrixError`` naming the file and line for a missing column, a
    permission other than 0 or 1, an empty model or group, or a (model,
    group) pair given twice."""
    reader = csv.DictReader(lines)
    header = tuple(reader.fieldnames or ())
    missing = [name for name in COLUMNS[:-1] if name not in header]
    if missing:
        raise MatrixError('%s: missing column(s) %s' % (
            source, ', '.join(missing)))
    matrix = {}
    for row in reader:
        where = '%s, line %d' % (source, reader.line_num)
        model = (row.get('model') or '').strip()
        group = (row.get('group') or '').strip()
        if not model or not group:
            raise MatrixError('%s: model and group are required' % where)
        if '.' not in group:
            raise MatrixError('%s: group %r is not an XML id (module.name)'
                              % (where, group))
        perms = {}
        for mode in MODES:
            value = (row.get(mode) or '').strip()
            if value not in ('0', '1'):
                raise MatrixError('%s: %s must be 0 or 1, not %r' % (
                    where, mode, value))
            perms[mode] = value == '1'
        perms['scope'] = parse_scope(
            (row.get('scope') or '').strip(), perms['read'], where)
        if (model, group) in matrix:
            raise MatrixError('%s: %s / %s is given twice' % (
                where, model, group))
        matrix[(model, group)] = perms
    return matrix


def parse_scope(text, read, where):
    """Return the scope words of ``text`` (a tuple, empty for ``-``):
    ``-`` exactly when the group reads nothing."""
    if not read:
        if text != '-':
            raise MatrixError('%s: scope must be - when read is 0, not %r'
                              % (where, text))
        return ()
    if text in WHOLE_SCOPES:
        return (text,)
    words = tuple(word.strip() for word in text.split('+'))
    unknown = [word for word in words if word not in SCOPES]
    if not text or unknown:
        raise MatrixError('%s: scope %r is not all, own or words of %s '
                          'joined by +' % (where, text, ', '.join(
                              sorted(SCOPES))))
    return words


def expected_access(matrix, model, group):
    """Return the ``{mode: bool}`` a user holding ``group`` should have on
    ``model``: its row, else the row of ``base.group_user`` (every suite
    group implies it); None when neither exists."""
    return matrix.get((model, group)) or matrix.get((model, 'base.group_user'))


def format_perms(perms):
    """Return permissions as ``rwcu`` letters, ``-`` for a missing one."""
    return ''.join(letter if perms[mode] else '-'
                   for letter, mode in zip('rwcu', MODES))
