"""11.0.1.1.0: EU MDR Art. 87 tells anticipated from unanticipated serious
deterioration of health (15 / 10 days).

The shipped rules are ``noupdate``: the new anticipated 15-day rule is
created on update, but the 10-day rule of databases installed before still
applies to every serious injury. Restrict it to unanticipated outcomes, as
its name always said, unless an implementer changed what it applies to.
Written in SQL: the rule may already have reports, and the versioning guard
refuses any change of what such a rule applies to through the ORM.
"""
from odoo import SUPERUSER_ID, api

RULE_XMLID = 'meddev_quality_capa.reporting_rule_eu_serious_injury'


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(RULE_XMLID, raise_if_not_found=False)
    if rule and rule.event_kind == 'serious_injury' and \
            rule.expectedness == 'any':
        cr.execute("UPDATE meddev_reporting_rule SET expectedness = "
                   "'unanticipated' WHERE id = %s", (rule.id,))
