"""Licence and first-business review company required (11.0.1.3.0): before
the columns become NOT NULL, each licence recorded without a company (which
counted for every company's gate) gets the company of its reviewer, else of
its submitter, else of its creator, else the main company; each review
without a company (whose decision counted for every company's trade) gets
the company of who decided it, else of who requested its approval, else of
its creator, else the main company. An administrator checks the reviews
and licences logged here: a decision meant for several companies is
recorded again in each of them."""

import logging

from odoo.addons.meddev_qualification.missing_company import \
    fill_licence_companies, fill_review_companies

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    for licence_id, number, company_id in fill_licence_companies(cr):
        _logger.info('Licence %s (id %s) had no company: given company %s.',
                     number, licence_id, company_id)
    for review_id, name, company_id in fill_review_companies(cr):
        _logger.info('%s (id %s) had no company: given company %s.',
                     name, review_id, company_id)
