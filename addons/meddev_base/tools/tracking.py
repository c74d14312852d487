"""The chatter trail of a change written by a cron for a whole batch.

Odoo's tracking posts one message per record through ``message_post``
(notifications, followers, mails: dozens of queries per record). A cron
that changes the state of thousands of records keeps the same trail (one
tracking message per record, the same one the chatter shows for a manual
change) in two INSERTs for the batch; it notifies people once per batch
in a digest instead (see ``schedule_todo``).
"""

from psycopg2.extras import execute_values

from odoo import tools

VALUE_COLUMNS = (
    'old_value_integer', 'old_value_float', 'old_value_monetary',
    'old_value_char', 'old_value_text', 'old_value_datetime',
    'new_value_integer', 'new_value_float', 'new_value_monetary',
    'new_value_char', 'new_value_text', 'new_value_datetime')


def _column_value(column, value):
    """The database value of a tracking value, as the ORM would store it
    (False is 0 for numbers, NULL for texts and dates)."""
    if column.endswith('_integer'):
        return int(value or 0)
    if column.endswith(('_float', '_monetary')):
        return float(value or 0.0)
    return value or None


def write_tracked(records, vals, body=''):
    """Write ``vals`` on ``records`` and log, on each record's chatter, one
    note with the old and new values of the tracked fields that changed
    (plus ``body``, HTML, if given), as Odoo's tracking would show it, in
    a constant number of queries. Return True."""
    if not records:
        return True
    env = records.env
    tracked = [name for name in vals
               if getattr(records._fields.get(name), 'track_visibility',
                          False)]
    infos = records.fields_get(tracked)
    before = {record.id: {name: record[name] for name in tracked}
              for record in records}
    # Read with the old values (one prefetch), before the write empties
    # the cache.
    names = dict(records.name_get())
    records.with_context(tracking_disable=True).write(vals)
    tracking = env['mail.tracking.value']
    changes = {}
    for record in records:
        rows = []
        for name in tracked:
            old, new = before[record.id][name], record[name]
            if old == new:
                continue
            values = tracking.create_tracking_values(
                old, new, name, infos[name])
            if values:
                rows.append(values)
        if rows or body:
            changes[record.id] = rows
    if not changes:
        return True
    ids = sorted(changes)
    author = env.user.partner_id
    env.cr.execute("""
        INSERT INTO mail_message (
            model, res_id, record_name, body, message_type, subtype_id,
            author_id, email_from, message_id, date,
            create_uid, create_date, write_uid, write_date)
        SELECT %s, ids.res_id, ids.record_name, %s, 'notification', %s,
               %s, %s, ids.message_id, now() AT TIME ZONE 'UTC',
               %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
          FROM unnest(%s::int[], %s::varchar[], %s::varchar[])
               AS ids(res_id, record_name, message_id)
        RETURNING id, res_id
    """, (records._name, body or '', env.ref('mail.mt_note').id,
          author.id, author.email_formatted or None, env.uid, env.uid,
          ids, [names[res_id] for res_id in ids],
          [tools.generate_tracking_message_id('tracking')
           for _res_id in ids]))
    rows = []
    for message_id, res_id in env.cr.fetchall():
        for values in changes[res_id]:
            rows.append((message_id, values['field'], values['field_desc'],
                         values['field_type'], env.uid, env.uid) + tuple(
                _column_value(column, values.get(column))
                for column in VALUE_COLUMNS))
    if rows:
        execute_values(env.cr, """
            INSERT INTO mail_tracking_value (
                mail_message_id, field, field_desc, field_type,
                create_uid, write_uid,
                old_value_integer, old_value_float, old_value_monetary,
                old_value_char, old_value_text, old_value_datetime,
                new_value_integer, new_value_float, new_value_monetary,
                new_value_char, new_value_text, new_value_datetime,
                create_date, write_date)
            VALUES %s
        """, rows, template="""(%s, %s, %s, %s, %s, %s,
                %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')""")
    records.invalidate_cache(['message_ids'])
    env['mail.message'].invalidate_cache()
    return True
