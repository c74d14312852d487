"""Company of the licences and first-business reviews recorded without one
(migration to 11.0.1.3.0).

A licence or a decided review without a company counted for every
company's trade; the company is now required on both. Plain SQL on a
cursor, no ORM: the pre-migration runs it before the columns become NOT
NULL, when the new models are not loaded yet, and the tests run it on
records emptied the old way.

Each record gets the current company of the user who answered for it; the
main company (else the first one) when none is known.
"""

MAIN_COMPANY = """
               (SELECT res_id FROM ir_model_data
                 WHERE module = 'base' AND name = 'main_company'),
               (SELECT min(id) FROM res_company)"""

LICENCE_QUERY = """
    UPDATE meddev_partner_licence l
       SET company_id = COALESCE(
               reviewer.company_id, submitter.company_id,
               creator.company_id,%(main)s)
      FROM meddev_partner_licence l2
      LEFT JOIN res_users reviewer ON reviewer.id = l2.reviewer_id
      LEFT JOIN res_users submitter ON submitter.id = l2.submitted_by_id
      LEFT JOIN res_users creator ON creator.id = l2.create_uid
     WHERE l2.id = l.id AND l.company_id IS NULL
 RETURNING l.id, l.number, l.company_id
""" % {'main': MAIN_COMPANY}

# The requester is the first user who asked for the review's approval
# tiers (base_tier_validation's tier_review rows of the review).
REVIEW_QUERY = """
    UPDATE meddev_qualification_review r
       SET company_id = COALESCE(
               decider.company_id,
               (SELECT requester.company_id
                  FROM tier_review t
                  JOIN res_users requester ON requester.id = t.requested_by
                 WHERE t.model = 'meddev.qualification.review'
                   AND t.res_id = r2.id
                 ORDER BY t.id LIMIT 1),
               creator.company_id,%(main)s)
      FROM meddev_qualification_review r2
      LEFT JOIN res_users decider ON decider.id = r2.decided_by_id
      LEFT JOIN res_users creator ON creator.id = r2.create_uid
     WHERE r2.id = r.id AND r.company_id IS NULL
 RETURNING r.id, r.name, r.company_id
""" % {'main': MAIN_COMPANY}


def fill_licence_companies(cr):
    """Give each licence without a company the company of whoever answered
    for it: its reviewer, else its submitter, else its creator, else the
    main company. Return [(licence id, number, company id)] filled."""
    cr.execute(LICENCE_QUERY)
    return cr.fetchall()


def fill_review_companies(cr):
    """Give each first-business review without a company the company of
    whoever answered for it: who decided it, else who requested its
    approval, else who created it, else the main company. Return
    [(review id, name, company id)] filled."""
    cr.execute(REVIEW_QUERY)
    return cr.fetchall()
