"""Reminder activities at alert thresholds, shared by licences and product
certificates; the thresholds already alerted are kept as a comma-separated
list on the record so that each alerts once."""


def schedule_threshold_activities(record, users, thresholds, done, days_left,
                                  deadline, summary, note):
    """Create a to-do activity on ``record`` for each of ``users`` and each
    threshold of ``thresholds`` that ``days_left`` has crossed and that is
    not in ``done``; ``note(threshold)`` gives its text. Return the new
    comma-separated list of thresholds done, or None if nothing was due."""
    new = [days for days in thresholds
           if days_left <= days and days not in done]
    if not new:
        return None
    env = record.env
    activity_type = env.ref('mail.mail_activity_data_todo')
    model = env['ir.model']._get(record._name)
    for threshold in new:
        for user in users:
            env['mail.activity'].create({
                'res_model_id': model.id,
                'res_id': record.id,
                'activity_type_id': activity_type.id,
                'user_id': user.id,
                'date_deadline': deadline,
                'summary': summary,
                'note': note(threshold),
            })
    return ','.join(str(days) for days in
                    sorted(set(done) | set(new), reverse=True))


def parse_days(text):
    """Return the ints of a comma-separated list, ignoring junk."""
    return [int(part) for part in (text or '').split(',')
            if part.strip().isdigit()]
