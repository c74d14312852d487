"""Uninstalling the module: keep the regulated records, then clear what
keeps Odoo's clean-up from deleting the module's data, so that the
uninstall logs no error.

Complaints, decisions, reports, investigations, CAPAs, their actions and
change records are regulated records (21 CFR 820.198 / 820.100, ISO 13485
8.2.2 / 8.5.2): never lost. Odoo drops the tables of an uninstalled
module's models and the columns it added to other tables, and leaves their
chatter orphaned; the hook first copies every table of the module (with
its relation tables) and the chatter, tracking values, attachments' rows,
approval rows and audit-log rows of its documents, and the columns it adds
to other modules' tables, into a new schema ``meddev_quality_capa_archive``
(``_2``, ``_3``... when it exists; meddev_base's
``tools/uninstall_archive.py``), which the uninstall leaves alone.
Reinstalling the module does not bring them back: a database administrator
reads them there or copies them back.

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

from odoo.addons.meddev_base.tools.uninstall_archive import (
    archive_module_records, clear_document_rows, module_tables)

_logger = logging.getLogger(__name__)

MODULE = 'meddev_quality_capa'
# The module's documents, whose activities and approvals go with them.
DOCUMENT_MODELS = (
    'meddev.complaint', 'meddev.reportability.decision',
    'meddev.regulatory.report', 'meddev.complaint.investigation',
    'meddev.capa', 'meddev.capa.action', 'meddev.change.record',
)


def archive_regulated_records(cr, registry):
    """Copy the module's tables and its documents' chatter, tracking,
    attachment rows, approval rows and audit log into a new archive
    schema (meddev_base's ``archive_module_records``); return its name
    and the number of complaints kept."""
    schema, counts = archive_module_records(
        cr, registry, MODULE, DOCUMENT_MODELS)
    return schema, counts.get('meddev.complaint', 0)


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
    """, (tuple(module_tables(registry, MODULE)) or ('',),))
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
    activities = clear_document_rows(cr, DOCUMENT_MODELS)
    cr.execute("DELETE FROM mail_activity WHERE user_id IN %s", (user_ids,))
    activities += cr.rowcount
    cr.execute("DELETE FROM meddev_regulatory_report")
    reports = cr.rowcount
    _hand_required_users_to_superuser(cr, registry, user_ids)
    _logger.info('%s uninstall: %d activities and approval rows and %d '
                 'regulatory reports deleted before the clean-up', MODULE,
                 activities, reports)
