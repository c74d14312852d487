from odoo import _, api, models

from odoo.addons.queue_job.job import job


class ResPartner(models.Model):
    """The entry points of the nightly rating (meddev.credit.rating.engine
    does the work): the signals other modules extend, the scheduled
    action and the queued batch."""

    _inherit = 'res.partner'

    @api.model
    def _credit_rating_signals(self):
        """Return the rating signals as dicts with ``code``, ``name`` and
        ``compute``: a method (partner ids, company, date from, today) ->
        {partner id: risk from 0 to 1, or None without data}. Other modules
        extend this list (and ship a ``meddev.credit.signal`` weight)."""
        engine = self.env['meddev.credit.rating.engine']
        return [
            {'code': 'days_late', 'name': _('Average days late'),
             'compute': engine._signal_days_late},
            {'code': 'late_share', 'name': _('Share of invoices paid late'),
             'compute': engine._signal_late_share},
            {'code': 'overdue_ratio', 'name': _('Overdue ratio'),
             'compute': engine._signal_overdue_ratio},
            {'code': 'returns', 'name': _('Returns and cancellations'),
             'compute': engine._signal_returns},
        ]

    @api.model
    def _cron_rate_customers(self, batch_size=200, today=None,
                             use_jobs=False, commit=False):
        """Nightly: rate every customer with recent or open invoices, put
        on hold or release; each company rates its own and the shared
        partners on its own figures, into its own rating and hold. With
        ``use_jobs``, each batch is a background job (queue_job), else
        batches run here; with ``commit`` (the scheduled action only),
        each batch is committed as it is done or queued."""
        self.env['meddev.credit.rating.engine']._rate_all_companies(
            batch_size, today, use_jobs, commit)

    @job(default_channel='root.credit')
    @api.multi
    def _credit_rate_batch(self, company_id, today):
        """Rate one batch of commercial partners in one company."""
        # prefetch_fields=False: reaching a field reads that column for the
        # whole batch, not every column of the model. The rating reads a
        # few fields of the batch's credit states, again after each write;
        # Odoo's prefetch read (and converted) all their columns each time,
        # most of the batch's CPU once its writes were set-based.
        batch = self.with_context(force_company=company_id,
                                  prefetch_fields=False)
        company = batch.env['res.company'].browse(company_id)
        batch.env['meddev.credit.rating.engine']._rate(batch, company, today)
