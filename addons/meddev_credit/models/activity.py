"""Small helper shared by the credit models."""


def schedule_todo(records, user, summary):
    """Create one to-do activity for ``user`` on each of ``records``."""
    env = records.env
    activity_type = env.ref('mail.mail_activity_data_todo')
    model = env['ir.model']._get(records._name)
    for record in records:
        env['mail.activity'].create({
            'res_model_id': model.id,
            'res_id': record.id,
            'activity_type_id': activity_type.id,
            'user_id': user.id,
            'summary': summary,
        })
