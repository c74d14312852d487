"""Limit, rating and hold changes were tracked in the partners' chatter,
which every employee reads: drop those tracking values (the changes are
tracked on the credit state from now on) and the messages left empty. The
hold wizard's notes on partners are dropped too: they named the reason.
The rating cron (noupdate) now commits per batch."""

FIELDS = ('credit_limit', 'credit_rating', 'credit_hold',
          'credit_hold_reason')


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        DELETE FROM mail_tracking_value value
         USING mail_message message
         WHERE message.id = value.mail_message_id
           AND message.model = 'res.partner'
           AND value.field IN %s
    """, (FIELDS,))
    cr.execute("""
        DELETE FROM mail_message message
         WHERE message.model = 'res.partner'
           AND message.message_type = 'notification'
           AND COALESCE(message.body, '') = ''
           AND NOT EXISTS (SELECT 1 FROM mail_tracking_value value
                            WHERE value.mail_message_id = message.id)
           AND NOT EXISTS (SELECT 1 FROM message_attachment_rel rel
                            WHERE rel.message_id = message.id)
    """)
    cr.execute("""
        DELETE FROM mail_message message
         WHERE message.model = 'res.partner'
           AND (message.body LIKE '<p><b>Credit hold set in %%'
                OR message.body LIKE '<p><b>Credit hold lifted in %%')
    """)
    cr.execute("""
        UPDATE ir_act_server action
           SET code = 'model._cron_rate_customers(use_jobs=True, commit=True)'
          FROM ir_cron cron
          JOIN ir_model_data xmlid
            ON xmlid.model = 'ir.cron' AND xmlid.res_id = cron.id
           AND xmlid.module = 'meddev_credit'
           AND xmlid.name = 'ir_cron_meddev_credit_rating'
         WHERE action.id = cron.ir_actions_server_id
           AND action.code = 'model._cron_rate_customers(use_jobs=True)'
    """)
