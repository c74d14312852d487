"""Small ORM helpers shared by the module's models: a to-do activity and
the crons' commit per batch. (A suite-wide activity helper belongs in
meddev_base; until it has one, this module keeps a single copy.)"""
from odoo import fields
from odoo.tools import html_escape


def schedule_todo(record, user, summary, note=None, deadline=None):
    """Schedule a to-do activity for ``user`` on ``record`` (one record),
    due ``deadline`` (today when not given); ``note`` is plain text."""
    env = record.env
    return env['mail.activity'].create({
        'res_model_id': env['ir.model']._get(record._name).id,
        'res_id': record.id,
        'activity_type_id': env.ref('mail.mail_activity_data_todo').id,
        'summary': summary,
        'note': html_escape(note) if note else False,
        'user_id': user.id,
        'date_deadline': deadline or fields.Date.context_today(record),
    })


def cron_commit(env):
    """Commit the finished batch of a scheduled cron run (the ir.cron's
    code sets ``meddev_cron_commit``), so that a later batch failing does
    not undo it; tests and manual runs leave the transaction alone."""
    if env.context.get('meddev_cron_commit'):
        env.cr.commit()  # pylint: disable=invalid-commit
