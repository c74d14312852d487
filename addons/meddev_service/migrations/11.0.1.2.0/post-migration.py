"""11.0.1.1.0 let the update rewrite two record rules declared in a
noupdate block: they are protected again, so that later updates keep an
implementer's local changes. The crons now commit per batch only when
asked (the ir.cron call), as their new code says."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE ir_model_data SET noupdate = TRUE
         WHERE module = 'meddev_service' AND model = 'ir.rule'
           AND name IN ('meddev_service_ticket_rule_dispatcher',
                        'meddev_service_ticket_rule_credit_manager')
    """)
    for method in ('_cron_check_sla', '_cron_create_pm_tickets',
                   '_cron_warranty_ending'):
        cr.execute("""
            UPDATE ir_act_server SET code = %s
             WHERE code = %s AND id IN (
                 SELECT s.id FROM ir_act_server s
                   JOIN ir_cron c ON c.ir_actions_server_id = s.id
                   JOIN ir_model_data d ON d.res_id = c.id
                    AND d.model = 'ir.cron' AND d.module = 'meddev_service')
        """, ['model.%s(commit=True)' % method, 'model.%s()' % method])
