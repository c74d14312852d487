"""Uninstalling the module: clear what keeps Odoo's clean-up from deleting
the module's data, so that the uninstall logs no error.

Odoo deletes the records the module created (reporting rules, demo users)
before dropping its tables. Two kinds of rows stop it: activities on the
module's documents (an activity's user cannot be emptied, so its demo
users stay) and regulatory reports (a reporting rule in use cannot be
deleted). Both go with the module's tables anyway; they are deleted here
first, by SQL, as the documents themselves refuse deletion (regulated
records)."""
import logging

_logger = logging.getLogger(__name__)

# The module's documents, whose activities, reports and approvals go with
# them.
DOCUMENT_MODELS = (
    'meddev.complaint', 'meddev.reportability.decision',
    'meddev.regulatory.report', 'meddev.complaint.investigation',
    'meddev.capa', 'meddev.capa.action', 'meddev.change.record',
)
MODULE = 'meddev_quality_capa'


def uninstall_hook(cr, registry):
    """Delete the activities of the module's documents and of the users
    the module created, its regulatory reports and the approval rows of
    its documents, before Odoo's clean-up."""
    cr.execute("""
        DELETE FROM mail_activity
         WHERE res_model IN %s
            OR user_id IN (SELECT res_id FROM ir_model_data
                            WHERE module = %s AND model = 'res.users')
    """, (DOCUMENT_MODELS, MODULE))
    activities = cr.rowcount
    cr.execute("DELETE FROM meddev_regulatory_report")
    reports = cr.rowcount
    cr.execute("SELECT to_regclass('tier_review') IS NOT NULL")
    if cr.fetchone()[0]:
        cr.execute("DELETE FROM tier_review WHERE model IN %s",
                   (DOCUMENT_MODELS,))
    _logger.info('%s uninstall: %d activities and %d regulatory reports '
                 'deleted before the clean-up', MODULE, activities, reports)
