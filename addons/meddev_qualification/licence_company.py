"""Company of the licences recorded without one (migration to 11.0.1.3.0).

A licence without a company counted for every company's gate; the company
is now required. Plain SQL on a cursor, no ORM: the pre-migration runs it
before the column becomes NOT NULL, when the new model is not loaded yet,
and the tests run it on a licence emptied the old way.
"""

FILL_QUERY = """
    UPDATE meddev_partner_licence l
       SET company_id = COALESCE(
               reviewer.company_id, submitter.company_id,
               creator.company_id,
               (SELECT res_id FROM ir_model_data
                 WHERE module = 'base' AND name = 'main_company'),
               (SELECT min(id) FROM res_company))
      FROM meddev_partner_licence l2
      LEFT JOIN res_users reviewer ON reviewer.id = l2.reviewer_id
      LEFT JOIN res_users submitter ON submitter.id = l2.submitted_by_id
      LEFT JOIN res_users creator ON creator.id = l2.create_uid
     WHERE l2.id = l.id AND l.company_id IS NULL
 RETURNING l.id, l.number, l.company_id
"""


def fill_missing_companies(cr):
    """Give each licence without a company the company of whoever answered
    for it: its reviewer, else its submitter, else its creator, else the
    main company. Return [(licence id, number, company id)] filled."""
    cr.execute(FILL_QUERY)
    return cr.fetchall()
