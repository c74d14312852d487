"""Licence company required (11.0.1.3.0): before the column becomes NOT
NULL, each licence recorded without a company (which counted for every
company's gate) gets the company of its reviewer, else of its submitter,
else of its creator, else the main company."""

import logging

from odoo.addons.meddev_qualification.licence_company import \
    fill_missing_companies

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    for licence_id, number, company_id in fill_missing_companies(cr):
        _logger.info('Licence %s (id %s) had no company: given company %s.',
                     number, licence_id, company_id)
