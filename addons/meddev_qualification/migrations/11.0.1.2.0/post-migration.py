"""Four eyes (11.0.1.2.0): licences submitted before the submitter was
recorded get the user who submitted them from their chatter, and the
licences not yet decided their authors; a licence whose submitter is
unknown is submitted again before another reviewer approves it."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    unknown = env['meddev.partner.licence']._fill_missing_submitters()
    if unknown:
        _logger.info(
            'Submitter unknown for %d submitted licence(s) (%s): they must '
            'be submitted again before approval.', len(unknown),
            ', '.join(unknown.mapped('number')))
