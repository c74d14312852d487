"""Keep a module's regulated records when it is uninstalled.

Odoo 11 drops the tables of an uninstalled module's models and the columns
it added to other modules' tables; the chatter, attachments' rows, approval
rows and audit log of its documents are left orphaned, pointing at a model
that no longer exists. Regulated records must never be lost: an addon's
``uninstall_hook`` calls ``archive_module_records`` first, which copies

- every table of the module's models and their many2many tables;
- the columns the module added to other modules' tables (a partner's credit
  figures, a lot's recall status...), with the row's id, into
  ``archived_<table>__columns``, and the many2many tables of such fields;
- the chatter (``mail_message``), tracking values, ``ir_attachment`` rows,
  ``tier_review`` rows and audit log (``auditlog_log``, ``auditlog_log_line``)
  of the module's models and of the documents the addon names;

into a new schema ``<module>_archive`` (``_2``, ``_3``... when taken), which
the uninstall leaves alone. A database administrator reads them there or
copies them back; reinstalling the module starts empty.

No ORM: the hook runs while Odoo uninstalls, with the registry only.
"""
import hashlib
import logging

from psycopg2 import sql

_logger = logging.getLogger(__name__)

# Odoo 11 looks tables and columns up in information_schema by name in
# every schema: an archived copy named like a live table made a reinstall
# take the copy's columns for the new table's. Archived tables carry this
# prefix, so no name is shared.
ARCHIVE_PREFIX = 'archived_'
# The table of the columns the module added to another module's table.
COLUMNS_SUFFIX = '__columns'

# The rows of other tables tied to the documents; a table missing (its
# addon removed by an administrator) is skipped.
LINKED_ROWS = (
    ('mail_message', ('mail_message',),
     "SELECT * FROM mail_message WHERE model IN %s"),
    ('mail_tracking_value', ('mail_tracking_value', 'mail_message'),
     "SELECT value.* FROM mail_tracking_value value "
     "JOIN mail_message message ON message.id = value.mail_message_id "
     "WHERE message.model IN %s"),
    ('ir_attachment', ('ir_attachment',),
     "SELECT * FROM ir_attachment WHERE res_model IN %s"),
    ('tier_review', ('tier_review',),
     "SELECT * FROM tier_review WHERE model IN %s"),
    ('auditlog_log', ('auditlog_log',),
     "SELECT log.* FROM auditlog_log log JOIN ir_model model "
     "ON model.id = log.model_id WHERE model.model IN %s"),
    ('auditlog_log_line', ('auditlog_log_line', 'auditlog_log'),
     "SELECT line.* FROM auditlog_log_line line "
     "JOIN auditlog_log log ON log.id = line.log_id "
     "JOIN ir_model model ON model.id = log.model_id "
     "WHERE model.model IN %s"),
)


def _kept(model):
    """Whether ``model``'s rows are records: a table of its own, not a
    wizard's (transient models keep nothing worth archiving)."""
    return model._auto and not model._abstract and not model._transient


def _own_models(registry, module):
    """Return the models ``module`` defines that have a table."""
    return [model for model in registry.values()
            if getattr(model, '_original_module', None) == module
            and _kept(model)]


def module_model_names(registry, module):
    """Return the names of the models ``module`` defines (sorted)."""
    return tuple(sorted(model._name for model in _own_models(
        registry, module)))


def module_tables(registry, module):
    """Return the tables of the models ``module`` defines (sorted)."""
    return sorted(set(model._table for model in _own_models(
        registry, module)))


def _module_field_keys(cr, module):
    """Return (model, field) of the fields ``module`` declares, as
    ``ir.model.data`` knows them: a field another addon redefines later
    carries that addon's name in the registry."""
    cr.execute("SELECT field.model, field.name FROM ir_model_data data "
               "JOIN ir_model_fields field ON field.id = data.res_id "
               "WHERE data.model = 'ir.model.fields' AND data.module = %s",
               (module,))
    return set(cr.fetchall())


def module_foreign_fields(cr, registry, module):
    """Return ``({table: set of columns}, set of relation tables)``: the
    stored fields ``module`` adds to models of other modules (computed
    ones included), by table, and the many2many tables of those fields."""
    declared = _module_field_keys(cr, module)
    columns, relations = {}, set()
    for name, model in registry.items():
        if getattr(model, '_original_module', None) == module \
                or not _kept(model):
            continue
        for field in model._fields.values():
            if not field.store or field.inherited:
                continue
            if getattr(field, '_module', None) != module \
                    and (name, field.name) not in declared:
                continue
            if field.type == 'many2many':
                if field.relation:
                    relations.add(field.relation)
            elif field.column_type:
                columns.setdefault(model._table, set()).add(field.name)
    return columns, relations


def _module_relation_tables(registry, module):
    return set(
        field.relation for model in _own_models(registry, module)
        for field in model._fields.values()
        if field.type == 'many2many' and field.store and field.relation)


def _table_exists(cr, table, schema='public'):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL",
               ('"%s"."%s"' % (schema, table),))
    return cr.fetchone()[0]


def _existing_columns(cr, table, columns):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_schema = 'public' AND table_name = %s "
               "AND column_name IN %s", (table, tuple(columns)))
    return sorted(row[0] for row in cr.fetchall())


def archive_schema_name(module):
    """Return the first name of ``module``'s archive schemas."""
    return '%s_archive' % module


def _new_archive_schema(cr, module):
    """Create and return an archive schema name not taken yet."""
    base = archive_schema_name(module)
    name, index = base, 1
    while True:
        cr.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,))
        if not cr.fetchone():
            break
        index += 1
        name = '%s_%d' % (base, index)
    cr.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    return name


def archived_table_name(table):
    """Return the name of ``table``'s copy: PostgreSQL cuts names at 63
    bytes, and two long names cut alike would collide, so a longer one
    ends with a digest of the full name instead."""
    name = ARCHIVE_PREFIX + table
    if len(name.encode()) <= 63:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return '%s_%s' % (name[:54], digest)


def _copy(cr, schema, target, query, params=None):
    cr.execute(sql.SQL("CREATE TABLE {}.{} AS ").format(
        sql.Identifier(schema), sql.Identifier(archived_table_name(target)))
        + query, params)


def archive_module_records(cr, registry, module, document_models=()):
    """Copy ``module``'s records into a new archive schema (see the
    module's docstring) and return ``(schema, counts)``: ``counts`` maps
    each of ``document_models`` the module defines to its archived rows.

    ``document_models``: the addon's documents; their chatter, files,
    approvals and audit log are archived with those of every model the
    module defines (a document of another module's model is named here
    when its trail must be kept too)."""
    schema = _new_archive_schema(cr, module)
    models = tuple(sorted(set(module_model_names(registry, module))
                          | set(document_models))) or ('',)
    tables = set(module_tables(registry, module)) \
        | _module_relation_tables(registry, module)
    columns, relations = module_foreign_fields(cr, registry, module)
    copied = 0
    for table in sorted(tables | relations):
        if _table_exists(cr, table):
            _copy(cr, schema, table, sql.SQL("TABLE {}").format(
                sql.Identifier(table)))
            copied += 1
    for table, names in sorted(columns.items()):
        present = _existing_columns(cr, table, names) \
            if _table_exists(cr, table) else []
        if present:
            _copy(cr, schema, table + COLUMNS_SUFFIX,
                  sql.SQL("SELECT {} FROM {}").format(
                      sql.SQL(', ').join(sql.Identifier(name) for name in
                                         ['id'] + present),
                      sql.Identifier(table)))
            copied += 1
    for target, needed, query in LINKED_ROWS:
        if all(_table_exists(cr, name) for name in needed):
            _copy(cr, schema, target, sql.SQL(query), (models,))
    counts = {}
    for name in document_models:
        model = registry.get(name)
        if model is None or getattr(model, '_original_module', None) \
                != module:
            continue
        archived = archived_table_name(model._table)
        if _table_exists(cr, archived, schema):
            cr.execute(sql.SQL("SELECT COUNT(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(archived)))
            counts[name] = cr.fetchone()[0]
    _logger.info(
        '%s uninstall: %d tables (the added columns of %d other tables '
        'included) and the documents\' chatter, files, approvals and audit '
        'log kept in schema %s (%s)', module, copied, len(columns), schema,
        ', '.join('%d %s' % (count, name)
                  for name, count in sorted(counts.items())) or 'no document')
    return schema, counts


def clear_document_rows(cr, models):
    """Delete the activities and approval rows of ``models``' records
    (archived first): they would stay behind, pointing at a model that is
    gone. Return the number of rows deleted."""
    models = tuple(models) or ('',)
    cr.execute("DELETE FROM mail_activity WHERE res_model IN %s", (models,))
    deleted = cr.rowcount
    if _table_exists(cr, 'tier_review'):
        cr.execute("DELETE FROM tier_review WHERE model IN %s", (models,))
        deleted += cr.rowcount
    return deleted


def archiving_uninstall_hook(module, document_models=()):
    """Return the ``uninstall_hook`` of an addon whose records are kept at
    its uninstall: it copies them into a new schema ``<module>_archive``
    (``archive_module_records``; ``document_models`` are counted in the
    log line), then deletes the activities and approval rows of the
    module's models' records, which would stay behind orphaned
    (``clear_document_rows``). The records themselves refuse deletion
    (regulated records): Odoo's clean-up logs "Unable to delete" for those
    the module created as data and drops their tables after. Reinstalling
    the module does not bring the records back."""
    def uninstall_hook(cr, registry):
        archive_module_records(cr, registry, module, document_models)
        clear_document_rows(cr, module_model_names(registry, module))
    return uninstall_hook
