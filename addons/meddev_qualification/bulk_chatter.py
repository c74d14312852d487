"""Chatter notes and to-do activities written for a whole cron batch in a
constant number of queries.

Through the ORM, ``message_post`` costs a dozen queries per record and
``mail.activity.create`` about sixty (defaults, access check, the
responsible subscribed to the record through ``message_subscribe``, the
record's name, and a re-read of the activities of every record in the
prefetch set, so a batch of N partners cost O(N^2)). The licence expiry
cron posts one note and schedules one to-do per partner and person to
remind: at 50 000 licences that was minutes of per-record work. These
helpers write the same rows as the ORM would (the note as a
``mail.mt_note`` notification, which notifies nobody; each activity with
its responsible following the record with the default subtypes, as
``message_subscribe`` does for a new follower) in a few INSERTs.

A follower already there is left as it is (Odoo's ``message_subscribe``
would reset its subtypes to the defaults).

(Candidate for meddev_base.tools next to ``write_tracked`` and
``schedule_todo`` once other crons need it.)
"""

from psycopg2.extras import execute_values

from odoo import fields, tools


def post_notes(env, model, bodies):
    """Post, as the current user, one internal note on each record of
    ``model`` named in ``bodies`` ({res_id: HTML body, escaped by the
    caller}). Return the ids of the messages."""
    if not bodies:
        return []
    ids = sorted(bodies)
    names = dict(env[model].browse(ids).name_get())
    author = env.user.partner_id
    env.cr.execute("""
        INSERT INTO mail_message (
            model, res_id, record_name, body, message_type, subtype_id,
            author_id, email_from, message_id, date,
            create_uid, create_date, write_uid, write_date)
        SELECT %s, notes.res_id, notes.record_name, notes.body,
               'notification', %s, %s, %s, notes.message_id,
               now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC', %s,
               now() AT TIME ZONE 'UTC'
          FROM unnest(%s::int[], %s::varchar[], %s::text[], %s::varchar[])
               AS notes(res_id, record_name, body, message_id)
        RETURNING id
    """, (model, env.ref('mail.mt_note').id, author.id,
          author.email_formatted or None, env.uid, env.uid, ids,
          [names.get(res_id) for res_id in ids],
          [bodies[res_id] for res_id in ids],
          [tools.generate_tracking_message_id(model) for _id in ids]))
    message_ids = [row[0] for row in env.cr.fetchall()]
    env[model].browse(ids).invalidate_cache(['message_ids'])
    env['mail.message'].invalidate_cache()
    return message_ids


def schedule_todos(env, model, todos, activity_type=None):
    """Schedule to-do activities on records of ``model``: ``todos`` is a
    list of (res_id, users, summary, note, deadline) (users a
    ``res.users`` recordset, note HTML, deadline a date string). A person
    who already has an open activity of that type and summary on the
    record gets no second one (done activities are deleted in Odoo 11:
    every row found is open). Each responsible follows the record. Return
    the number of activities created."""
    activity_type = activity_type or env.ref('mail.mail_activity_data_todo')
    wanted = []
    for res_id, users, summary, note, deadline in todos:
        for user in users.filtered('id'):
            wanted.append((res_id, user, summary or False, note or None,
                           deadline or fields.Date.context_today(
                               env['mail.activity'])))
    if not wanted:
        return 0
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
    names = dict(env[model].browse(res_ids).name_get())
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
    _subscribe(env, model, set(
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
    env['mail.activity'].invalidate_cache()
    env[model].browse(res_ids).invalidate_cache(
        ['activity_ids', 'message_follower_ids', 'message_partner_ids'])
    return len(rows)


def _subscribe(env, model, followers):
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
