"""11.0.1.2.0: the EU MDR rules apply to every EU/EEA country.

Before, the shipped EU rules sat on one reference member state (Germany):
a complaint from France decided reportable found no rule. Rules now have a
jurisdiction group (``country_group_id``) beside the country, and the
shipped "EU/EEA (MDR)" group (the 27 member states, Iceland, Liechtenstein,
Norway) is created by the update. The shipped rules are ``noupdate``: move
the EU rules that still sit on Germany to the group. Written in SQL: the
rules may already have reports, and the versioning guard refuses any change
of a used rule's jurisdiction through the ORM. Reports already due keep
their jurisdiction (Germany, the decision's country).

By hand: EU rules an implementer copied for other member states now
duplicate the group's rules for those countries (two reports fall due):
archive the copies, or give them a validity end.
"""
from odoo import SUPERUSER_ID, api

GROUP_XMLID = 'meddev_quality_capa.country_group_eu_mdr'
EU_RULES = (
    'reporting_rule_eu_public_threat', 'reporting_rule_eu_death',
    'reporting_rule_eu_serious_injury', 'reporting_rule_eu_malfunction',
    'reporting_rule_eu_serious_injury_anticipated',
    'reporting_rule_eu_distributor_death',
    'reporting_rule_eu_distributor_serious_injury',
    'reporting_rule_eu_distributor_malfunction',
    'reporting_rule_eu_importer_death',
    'reporting_rule_eu_importer_serious_injury',
    'reporting_rule_eu_importer_malfunction',
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    group = env.ref(GROUP_XMLID, raise_if_not_found=False)
    germany = env.ref('base.de', raise_if_not_found=False)
    if not group or not germany:
        return
    cr.execute("""
        UPDATE meddev_reporting_rule rule
           SET country_group_id = %s, country_id = NULL
          FROM ir_model_data data
         WHERE data.model = 'meddev.reporting.rule'
           AND data.module = 'meddev_quality_capa'
           AND data.name IN %s
           AND data.res_id = rule.id
           AND rule.country_id = %s
           AND rule.country_group_id IS NULL""",
               (group.id, EU_RULES, germany.id))
