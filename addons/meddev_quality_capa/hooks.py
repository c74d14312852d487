"""Uninstalling the module: keep the regulated records, then clear what
keeps Odoo's clean-up from deleting the module's data, so that the
uninstall logs no error.

Complaints, decisions, reports, investigations, CAPAs, their actions and
change records are regulated records (21 CFR 820.198 / 820.100, ISO 13485
8.2.2 / 8.5.2): never lost. Odoo drops the tables of an uninstalled
module's models and deletes their chatter; the hook first copies every
table of the module (with its relation tables) and the chatter, tracking
values, attachments' rows, approval rows and audit-log rows of its
documents into a new schema ``meddev_quality_capa_archive`` (``_2``,
``_3``... when it exists), which the uninstall leaves alone. Reinstalling
the module does not bring them back: a database administrator reads them
there or copies them back.

Odoo deletes the records the module created (reporting rules, demo users)
before dropping its tables. Rows that cannot be emptied or deleted stop
it: activities on the module's documents or of its users (an activity's
user cannot be emptied), the module's documents whose required user is
one of the module's users (a CAPA action's owner), and regulatory reports
(a reporting rule in use cannot be deleted). All of them go with the
module's tables anyway; they are cleared here first, by SQL, as the
documents themselves refuse deletion (regulated records)."""
import logging

from psycopg2 import sql

from odoo import SUPERUSER_ID

_logger = logging.getLogger(__name__)

MODULE = 'meddev_quality_capa'
# Where the regulated records go before Odoo drops the module's tables.
ARCHIVE_SCHEMA = 'meddev_quality_capa_archive'
# Odoo 11 looks tables and columns up in information_schema by name in
# every schema: an archived copy named like a live table made a reinstall
# take the copy's columns for the new table's. Archived tables carry this
# prefix, so no name is shared.
ARCHIVE_PREFIX = 'archived_'
# The module's documents, whose activities and approvals go with them.
DOCUMENT_MODELS = (
    'meddev.complaint', 'meddev.reportability.decision',
    'meddev.regulatory.report', 'meddev.complaint.investigation',
    'meddev.capa', 'meddev.capa.action', 'meddev.change.record',
)


def _module_tables(registry):
    """Return the tables of the models this module defines."""
    return sorted(set(
        model._table for model in registry.values()
        if getattr(model, '_original_module', None) == MODULE
        and model._auto and not model._abstract))


def _module_relation_tables(registry):
    """Return the many2many tables of the module's models."""
    return sorted(set(
        field.relation for model in registry.values()
        if getattr(model, '_original_module', None) == MODULE
        and model._auto and not model._abstract
        for field in model._fields.values()
        if field.type == 'many2many' and field.store and field.relation))


def _module_model_names(registry):
    return tuple(sorted(
        name for name, model in registry.items()
        if getattr(model, '_original_module', None) == MODULE
        and model._auto and not model._abstract))


def _table_exists(cr, table, schema='public'):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL",
               ('"%s"."%s"' % (schema, table),))
    return cr.fetchone()[0]


def _new_archive_schema(cr):
    """Create and return a schema name not taken yet."""
    name, index = ARCHIVE_SCHEMA, 1
    while True:
        cr.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,))
        if not cr.fetchone():
            break
        index += 1
        name = '%s_%d' % (ARCHIVE_SCHEMA, index)
    cr.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    return name


def archive_regulated_records(cr, registry):
    """Copy the module's tables and its documents' chatter, tracking,
    attachment rows, approval rows and audit log into a new archive
    schema; return its name and the number of complaints kept."""
    schema = _new_archive_schema(cr)
    models = _module_model_names(registry) or ('',)
    copied = 0
    for table in _module_tables(registry) + _module_relation_tables(
            registry):
        if _table_exists(cr, table):
            cr.execute(sql.SQL("CREATE TABLE {}.{} AS TABLE {}").format(
                sql.Identifier(schema),
                sql.Identifier(ARCHIVE_PREFIX + table),
                sql.Identifier(table)))
            copied += 1
    linked = [
        ('mail_message', "SELECT * FROM mail_message WHERE model IN %s"),
        ('mail_tracking_value',
         "SELECT value.* FROM mail_tracking_value value "
         "JOIN mail_message message ON message.id = value.mail_message_id "
         "WHERE message.model IN %s"),
        ('ir_attachment', "SELECT * FROM ir_attachment WHERE res_model IN %s"),
        ('tier_review', "SELECT * FROM tier_review WHERE model IN %s"),
        ('auditlog_log',
         "SELECT log.* FROM auditlog_log log JOIN ir_model model "
         "ON model.id = log.model_id WHERE model.model IN %s"),
        ('auditlog_log_line',
         "SELECT line.* FROM auditlog_log_line line "
         "JOIN auditlog_log log ON log.id = line.log_id "
         "JOIN ir_model model ON model.id = log.model_id "
         "WHERE model.model IN %s"),
    ]
    for table, query in linked:
        # auditlog and tier validation are dependencies, still checked:
        # the hook must not fail where an administrator removed them.
        needed = (table, 'auditlog_log') if table == 'auditlog_log_line' \
            else (table,)
        if all(_table_exists(cr, name) for name in needed):
            cr.execute(sql.SQL("CREATE TABLE {}.{} AS ").format(
                sql.Identifier(schema),
                sql.Identifier(ARCHIVE_PREFIX + table))
                + sql.SQL(query), (models,))
    cr.execute(sql.SQL("SELECT COUNT(*) FROM {}.{}").format(
        sql.Identifier(schema),
        sql.Identifier(ARCHIVE_PREFIX + 'meddev_complaint'))
        if _table_exists(cr, ARCHIVE_PREFIX + 'meddev_complaint', schema)
        else "SELECT 0")
    complaints = cr.fetchone()[0]
    _logger.info('%s uninstall: %d tables and the documents\' chatter, '
                 'attachments and audit log kept in schema %s (%d '
                 'complaints)', MODULE, copied, schema, complaints)
    return schema, complaints


def _module_user_ids(cr):
    cr.execute("SELECT res_id FROM ir_model_data "
               "WHERE module = %s AND model = 'res.users'", (MODULE,))
    return tuple(row[0] for row in cr.fetchall())


def _hand_required_users_to_superuser(cr, registry, user_ids):
    """Give the rows of the module's tables whose required user column
    names one of ``user_ids`` to the superuser: Odoo cannot empty such a
    column when it deletes the user (the table is dropped right after)."""
    cr.execute("""
        SELECT rel.relname, att.attname
          FROM pg_constraint con
          JOIN pg_class rel ON rel.oid = con.conrelid
          JOIN pg_attribute att ON att.attrelid = con.conrelid
                               AND att.attnum = ANY (con.conkey)
         WHERE con.contype = 'f'
           AND con.confrelid = 'res_users'::regclass
           AND att.attnotnull
           AND rel.relname IN %s
    """, (tuple(_module_tables(registry)) or ('',),))
    for table, column in cr.fetchall():
        cr.execute(sql.SQL("UPDATE {table} SET {column} = %s "
                           "WHERE {column} IN %s").format(
            table=sql.Identifier(table), column=sql.Identifier(column)),
            (SUPERUSER_ID, user_ids))


def uninstall_hook(cr, registry):
    """Clear the activities of the module's documents and users, its
    regulatory reports, the approval rows of its documents and its
    documents' required links to its users, before Odoo's clean-up;
    everything is archived first (see archive_regulated_records)."""
    archive_regulated_records(cr, registry)
    user_ids = _module_user_ids(cr) or (0,)
    cr.execute("DELETE FROM mail_activity "
               "WHERE res_model IN %s OR user_id IN %s",
               (DOCUMENT_MODELS, user_ids))
    activities = cr.rowcount
    cr.execute("DELETE FROM meddev_regulatory_report")
    reports = cr.rowcount
    cr.execute("SELECT to_regclass('tier_review') IS NOT NULL")
    if cr.fetchone()[0]:
        cr.execute("DELETE FROM tier_review WHERE model IN %s",
                   (DOCUMENT_MODELS,))
    _hand_required_users_to_superuser(cr, registry, user_ids)
    _logger.info('%s uninstall: %d activities and %d regulatory reports '
                 'deleted before the clean-up', MODULE, activities, reports)
