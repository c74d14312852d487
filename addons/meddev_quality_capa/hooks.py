"""Uninstalling the module: clear what keeps Odoo's clean-up from deleting
the module's data, so that the uninstall logs no error.

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
    documents' required links to its users, before Odoo's clean-up."""
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
