"""Credit limits became per company: copy each commercial partner's former
single limit into its credit state in every company where it applied (its
own company, or every company for a shared partner), keeping behaviour.
Overrides approved before expiry and problem coverage existed covered every
problem and never expired: they keep covering every problem and get the
company's validity from today."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        INSERT INTO meddev_credit_partner_state
               (partner_id, company_id, credit_limit, create_uid,
                create_date, write_uid, write_date)
        SELECT partner.id, company.id, partner.credit_limit, 1,
               now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM res_partner partner
          JOIN res_company company
            ON partner.company_id IS NULL OR company.id = partner.company_id
         WHERE partner.id = partner.commercial_partner_id
           AND partner.credit_limit > 0
        ON CONFLICT (partner_id, company_id)
        DO UPDATE SET credit_limit = EXCLUDED.credit_limit
    """)
    cr.execute("""
        UPDATE meddev_credit_override override
           SET problem_codes = COALESCE(problem_codes,
                                        'hold,grade,overdue,limit'),
               expiry_date = COALESCE(
                   expiry_date,
                   CURRENT_DATE + COALESCE(
                       company.credit_override_validity_days, 7))
          FROM res_company company
         WHERE company.id = override.company_id
           AND override.state IN ('requested', 'approved')
    """)
