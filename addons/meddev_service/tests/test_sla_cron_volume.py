from unittest.mock import patch

from .common import MeddevServiceTicketCase, shanghai

# A week after the tickets open: every clock has failed.
LATER = '2026-12-08 00:00:00'


def cached_values(env):
    """The number of (field, record) values held in the record cache."""
    return sum(len(ids) for ids in env.cache._data.values())


class TestSlaCronVolume(MeddevServiceTicketCase):
    """The SLA cron streams the clocks (issue 10, case 4): its queries
    per clock do not grow with the number of clocks, and a batch leaves
    nothing in the record cache for the next (+1.2 GiB over 90 000
    clocks before)."""

    @classmethod
    def setUpClass(cls):
        super(TestSlaCronVolume, cls).setUpClass()
        cls.sla = cls.env['meddev.service.ticket.sla']
        # The clocks already in the database (demo) are done first.
        cls.sla._cron_check_sla(now=LATER)

    def _open(self, count):
        tickets = self.env['meddev.service.ticket']
        for _number in range(count):
            tickets |= self._ticket(date_open=shanghai('2026-11-30 08:30'))
        return tickets

    def _queries(self, batch_size=500):
        """Run the cron; return (clocks escalated, queries)."""
        cr = self.env.cr
        before = cr.sql_log_count
        escalated = self.sla._cron_check_sla(
            batch_size=batch_size, now=LATER)
        return escalated, cr.sql_log_count - before

    def test_queries_per_clock_do_not_grow(self):
        clocks = len(self._open(2).mapped('sla_line_ids'))
        escalated, small = self._queries()
        self.assertEqual(escalated, clocks)
        clocks = len(self._open(6).mapped('sla_line_ids'))
        escalated, large = self._queries()
        self.assertEqual(escalated, clocks)
        # Three times the clocks: at most three times the queries, and a
        # bounded number per clock: the activity Odoo creates for each
        # (mail.activity create subscribes the recipient: ~80 queries).
        self.assertLessEqual(large, 3 * small)
        self.assertLessEqual(large, 100 * clocks)
        # The rerun finds nothing: a few queries, whatever the volume.
        escalated, rerun = self._queries()
        self.assertEqual(escalated, 0)
        self.assertLessEqual(rerun, 10)

    def test_clocks_without_recipient_cost_queries_per_batch(self):
        self.policy.escalation_user_id = False
        self.team.leader_id = False
        self.env.user.company_id.service_escalation_user_id = False
        self._open(2)
        escalated, small = self._queries()
        clocks = len(self._open(8).mapped('sla_line_ids'))
        escalated, large = self._queries()
        self.assertEqual(escalated, clocks)
        # One batch of 24 clocks: as many queries as one batch of 6.
        self.assertLessEqual(large, small)

    def test_batches_leave_the_cache_empty(self):
        self._open(4)
        self.env.cache.invalidate()
        sizes = []
        cls = type(self.sla)
        original = cls._sla_escalate

        def measured(records):
            sizes.append(cached_values(records.env))
            return original(records)

        with patch.object(cls, '_sla_escalate', measured):
            escalated, _queries = self._queries(batch_size=3)
        self.assertEqual(escalated, 12)
        self.assertEqual(len(sizes), 4)
        # Each batch starts with what the first one found, not with the
        # clocks, tickets and activities of the batches before it.
        self.assertLessEqual(max(sizes), sizes[0])
