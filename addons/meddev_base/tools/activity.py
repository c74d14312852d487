"""To-do activities scheduled by the suite's crons and workflows.

``schedule_todo`` creates them through the ORM (one summary for all the
records); ``schedule_todos`` is its set-based form for crons, with each
record's own users, summary, note and deadline: through the ORM,
``mail.activity.create`` costs about sixty queries per activity (defaults,
access check, the responsible subscribed through ``message_subscribe``,
the record's name, and a re-read of the activities of every record in the
prefetch set, so a batch of N records cost O(N^2)). ``schedule_todos``
writes the same rows (each activity with its responsible following the
record with the default subtypes, as ``message_subscribe`` does for a new
follower) in a few INSERTs. A follower already there is left as it is
(Odoo's ``message_subscribe`` would reset its subtypes to the defaults).
"""

from psycopg2.extras import execute_values

from odoo import fields

from .tracking import record_names


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


def schedule_todos(env, model, todos, activity_type=None, names=None):
    """Schedule to-do activities on records of ``model``: ``todos`` is a
    list of (res_id, users, summary, note, deadline) (users a
    ``res.users`` recordset, note HTML stored as given: sanitise it as the
    ORM would, deadline a date string). A person who already has an open
    activity of that type and summary on the record gets no second one
    (done activities are deleted in Odoo 11: every row found is open).
    Each responsible follows the record. ``names``: {res_id: record name}
    when the caller has already read them (saves reading them again).
    Return the number of activities created."""
    # The responsibles' partners and shares in one read, whatever
    # recordsets the caller built them in.
    env['res.users'].browse(sorted(set(
        user_id for _res_id, users, _summary, _note, _deadline in todos
        for user_id in users.ids if user_id))).mapped('partner_id')
    wanted = []
    for res_id, users, summary, note, deadline in todos:
        for user in users.filtered('id'):
            wanted.append((res_id, user, summary or False, note or None,
                           deadline or fields.Date.context_today(
                               env['mail.activity'])))
    if not wanted:
        return 0
    activity_type = activity_type or env.ref('mail.mail_activity_data_todo')
    res_ids = sorted(set(item[0] for item in wanted))
    user_ids = sorted(set(item[1].id for item in wanted))
    env.cr.execute("""
        SELECT res_id, user_id, coalesce(summary, '')
          FROM mail_activity
         WHERE res_model = %s AND res_id = ANY(%s)
           AND activity_type_id = %s AND user_id = ANY(%s)
    """, (model, res_ids, activity_type.id, user_ids))
    existing = set(env.cr.fetchall())
    rows = []
    for res_id, user, summary, note, deadline in wanted:
        key = (res_id, user.id, summary or '')
        if key in existing:
            continue
        existing.add(key)
        rows.append((res_id, user, summary, note, deadline))
    if not rows:
        return 0
    if names is None:
        names = record_names(env, model, res_ids)
    model_id = env['ir.model']._get(model).id
    execute_values(env.cr, """
        INSERT INTO mail_activity (
            res_model_id, res_model, res_id, res_name, activity_type_id,
            user_id, summary, note, date_deadline,
            create_uid, create_date, write_uid, write_date)
        VALUES %s
    """, [(model_id, model, res_id, names.get(res_id), activity_type.id,
           user.id, summary or None, note, deadline, env.uid, env.uid)
          for res_id, user, summary, note, deadline in rows],
        template="""(%s, %s, %s, %s, %s, %s, %s, %s, %s,
            %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC')""")
    subscribe(env, model, set(
        (res_id, user.partner_id.id, user.share)
        for res_id, user, _summary, _note, _deadline in rows))
    today = fields.Date.context_today(env['mail.activity'])
    notify = set(user.partner_id.id for _res_id, user, _summary, _note,
                 deadline in rows if deadline <= today)
    if notify:
        # What mail.activity.create sends for an activity due today: the
        # responsible's activity menu refreshes.
        env['bus.bus'].sendmany([
            [(env.cr.dbname, 'res.partner', partner_id),
             {'type': 'activity_updated', 'activity_created': True}]
            for partner_id in sorted(notify)])
    # Only what the INSERTs made stale: a model's invalidate_cache()
    # without arguments empties the whole cache in Odoo 11, and the caller
    # would read again what it had (a cron's users and company).
    env['mail.activity'].invalidate_cache(list(env['mail.activity']._fields))
    env[model].browse(res_ids).invalidate_cache(ids=res_ids)
    return len(rows)


def subscribe(env, model, followers):
    """Make each partner of ``followers`` ({(res_id, partner_id, share)})
    follow its record with the default subtypes of ``model`` (internal
    users) or its external ones (portal), unless it already follows."""
    if not followers:
        return
    subtypes = env['mail.message.subtype'].sudo()
    default, _internal, external = subtypes.default_subtypes(model)
    # fetch=True: the ids of every page, not only the last one's.
    created = execute_values(env.cr, """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        VALUES %s
        ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
        RETURNING id, partner_id
    """, sorted(set((model, res_id, partner_id)
                    for res_id, partner_id, _share in followers)),
        fetch=True)
    shares = {partner_id: share for _res_id, partner_id, share in followers}
    rel = []
    for follower_id, partner_id in created:
        subtypes = external if shares.get(partner_id) else default
        rel.extend((follower_id, subtype.id) for subtype in subtypes)
    if rel:
        execute_values(env.cr, """
            INSERT INTO mail_followers_mail_message_subtype_rel (
                mail_followers_id, mail_message_subtype_id)
            VALUES %s
        """, rel)
    env['mail.followers'].invalidate_cache()
