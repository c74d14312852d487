"""To-do activities scheduled by the suite's crons and workflows."""


def schedule_todo(records, users, summary, note=False, deadline=False,
                  activity_type=None):
    """Schedule a to-do activity on each of ``records`` for each of
    ``users`` (a ``res.users`` recordset, empty ones ignored), unless the
    record already has an open activity of that type, user and summary.
    ``note`` is HTML (escape user text with ``odoo.tools.html_escape``);
    ``deadline`` defaults to today; ``activity_type`` to *To Do*.
    Return the activities created.

    Reads the existing activities of all ``records`` in one query, so a
    cron calls it once per batch rather than once per record.
    """
    env = records.env
    activities = env['mail.activity']
    users = users.filtered('id') if users else users
    if not records or not users:
        return activities
    activity_type = activity_type or env.ref('mail.mail_activity_data_todo')
    model = env['ir.model']._get(records._name)
    # Duplicates: the same person asked the same thing on the same record.
    # Done activities are deleted in Odoo 11: every row found is open.
    existing = set(
        (act['res_id'], act['user_id'][0], act['summary'] or False)
        for act in activities.sudo().search_read([
            ('res_model', '=', records._name),
            ('res_id', 'in', records.ids),
            ('activity_type_id', '=', activity_type.id),
            ('user_id', 'in', users.ids)], ['res_id', 'user_id', 'summary']))
    created = activities
    for record in records:
        for user in users:
            key = (record.id, user.id, summary or False)
            if key in existing:
                continue
            existing.add(key)
            vals = {
                'res_model_id': model.id,
                'res_id': record.id,
                'activity_type_id': activity_type.id,
                'user_id': user.id,
                'summary': summary,
                'note': note,
            }
            if deadline:
                vals['date_deadline'] = deadline
            created |= activities.create(vals)
    return created
