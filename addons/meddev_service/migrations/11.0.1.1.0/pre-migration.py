"""The record rules of the service roles changed (dispatchers see their
teams, credit managers only read): let the update rewrite them although
they are declared in a noupdate block."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'meddev_service' AND model = 'ir.rule'
           AND name IN ('meddev_service_ticket_rule_dispatcher',
                        'meddev_service_ticket_rule_credit_manager')
    """)
