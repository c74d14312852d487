"""The chatter trail of a change written by a cron for a whole batch.

Odoo's tracking posts one message per record through ``message_post``
(notifications, followers, mails: dozens of queries per record). A cron
that changes the state of thousands of records keeps the same trail (one
tracking message per record, the same one the chatter shows for a manual
change) in two INSERTs for the batch; it notifies people once per batch
in a digest instead (see ``schedule_todo``).

- ``write_tracked``: write the same values on a recordset through the ORM
  (tracking off) and log the trail;
- ``snapshot_tracked`` / ``log_tracking``: the trail of a write made some
  other way (a cron's UPDATE with each row's own values): the tracked
  values read before, compared with those after;
- ``post_notes``: one internal note per record, each with its own body.
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


def snapshot_tracked(records, names):
    """Return {record id: {field: value}} for the tracked fields among
    ``names`` (one prefetch), to hand to ``log_tracking`` after a write."""
    tracked = [name for name in names
               if getattr(records._fields.get(name), 'track_visibility',
                          False)]
    return {record.id: {name: record[name] for name in tracked}
            for record in records}


def write_tracked(records, vals, body=''):
    """Write ``vals`` on ``records`` and log, on each record's chatter, one
    note with the old and new values of the tracked fields that changed
    (plus ``body``, HTML, if given), as Odoo's tracking would show it, in
    a constant number of queries. Return True."""
    if not records:
        return True
    # The old values, read in one prefetch before the write empties the
    # cache.
    before = snapshot_tracked(records, list(vals))
    records.with_context(tracking_disable=True).write(vals)
    return log_tracking(records, before, body)


def log_tracking(records, before, body=''):
    """Log, on the chatter of each of ``records`` whose tracked values
    changed since ``before`` (see ``snapshot_tracked``; the cache must no
    longer hold the old values), one note with the old and new values, as
    Odoo's tracking would show it (plus ``body``, HTML, if given: then
    every record gets the note). A constant number of queries. Return
    True."""
    if not records:
        return True
    env = records.env
    tracked = sorted(set(name for values in before.values()
                         for name in values))
    infos = records.fields_get(tracked) if tracked else {}
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
    rows = []
    for message_id, res_id in _insert_notes(
            env, records._name, {res_id: body or '' for res_id in changes}):
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
    return True


def post_notes(env, model, bodies, subtype=None, reply_to=None,
               names=None):
    """Post, as the current user, one internal note on each record of
    ``model`` named in ``bodies`` ({res_id: HTML body, escaped by the
    caller}), in one INSERT. ``subtype``: the messages' subtype instead
    of *Note* (nobody is notified, whatever it is); ``reply_to``:
    {res_id: the message's Reply-To} (``message_post`` stores
    ``message_get_reply_to``'s); ``names``: {res_id: record name} when the
    caller has already read them. Return the ids of the messages."""
    return [message_id for message_id, _res_id in _insert_notes(
        env, model, bodies, subtype=subtype, reply_to=reply_to, names=names)]


def _insert_notes(env, model, bodies, subtype=None, reply_to=None,
                  names=None):
    """Insert the notes of ``post_notes`` ({res_id: body}) as
    ``message_post`` would store an internal note (a ``mail.mt_note``
    notification, unless ``subtype``: it notifies nobody); return
    [(message id, res_id)]."""
    if not bodies:
        return []
    ids = sorted(bodies)
    if names is None:
        names = record_names(env, model, ids)
    reply_to = reply_to or {}
    subtype = subtype or env.ref('mail.mt_note')
    author = env.user.partner_id
    env.cr.execute("""
        INSERT INTO mail_message (
            model, res_id, record_name, body, message_type, subtype_id,
            author_id, email_from, reply_to, message_id, date,
            create_uid, create_date, write_uid, write_date)
        SELECT %s, notes.res_id, notes.record_name, notes.body,
               'notification', %s, %s, %s, notes.reply_to, notes.message_id,
               now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC', %s,
               now() AT TIME ZONE 'UTC'
          FROM unnest(%s::int[], %s::varchar[], %s::text[], %s::varchar[],
                      %s::varchar[])
               AS notes(res_id, record_name, body, reply_to, message_id)
        RETURNING id, res_id
    """, (model, subtype.id, author.id,
          author.email_formatted or None, env.uid, env.uid, ids,
          [names.get(res_id) for res_id in ids],
          [bodies[res_id] for res_id in ids],
          [reply_to.get(res_id) or None for res_id in ids],
          # As mail.message names the message of a record (its replies'
          # References then name the record).
          [tools.generate_tracking_message_id('%d-%s' % (res_id, model))
           for res_id in ids]))
    created = env.cr.fetchall()
    env[model].browse(ids).invalidate_cache(['message_ids'])
    env['mail.message'].invalidate_cache()
    return created


def record_names(env, model, ids):
    """Return {id: display name} of the records ``ids`` of ``model`` (the
    chatter's record_name), in one query: name_get reads the name of a
    many2one ``_rec_name`` (a credit state's partner) record by record
    when the records come from the cache, so those names are read first,
    in one query and as superuser, as name_get reads them; read() reads
    that column only (attribute access would read every column of the
    other model: for a batch of partners, the costliest step of all)."""
    records = env[model].browse(ids)
    field = records._fields.get(records._rec_name)
    if field is not None and field.type == 'many2one':
        records.mapped(field.name).sudo().read(['display_name'])
    return dict(records.name_get())
