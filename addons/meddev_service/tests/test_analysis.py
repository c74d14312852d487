from .common import MeddevServiceTicketCase, frozen_now, shanghai


class TestAnalysisAndRouting(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestAnalysisAndRouting, cls).setUpClass()
        codes = cls.env['meddev.fault.code']
        cls.symptom = codes.create({'code': 'S1', 'name': 'No display'})
        cls.cause = codes.create(
            {'code': 'C1', 'name': 'Cable', 'kind': 'cause'})

    def _closed_ticket(self, codes, opened, closed, first_time_fix=True):
        ticket = self._ticket(date_open=opened, triage_done=True,
                              first_time_fix=first_time_fix)
        with frozen_now(closed):
            ticket.write({'fault_code_ids': [(6, 0, codes.ids)],
                          'stage_id': self.stage_done.id})
        return ticket

    def test_failure_modes_rates_and_times(self):
        in_time = self._closed_ticket(
            self.symptom | self.cause, shanghai('2026-11-30 08:30'),
            shanghai('2026-11-30 10:00'))
        late = self._closed_ticket(
            self.symptom, shanghai('2026-11-30 08:30'),
            shanghai('2026-12-04 10:30'), first_time_fix=False)
        tickets = in_time | late
        analysis = self.env['meddev.service.fault.analysis']
        rows = analysis.read_group(
            [('ticket_id', 'in', tickets.ids)], ['fault_code_id'],
            ['fault_code_id'])
        counts = {row['fault_code_id'][0]: row['fault_code_id_count']
                  for row in rows}
        self.assertEqual(counts, {self.symptom.id: 2, self.cause.id: 1})
        rows = self.env['meddev.service.ticket'].read_group(
            [('id', 'in', tickets.ids)],
            ['first_time_fix_pct', 'repair_hours'], [])
        self.assertAlmostEqual(rows[0]['first_time_fix_pct'], 50.0)
        # Mean time to repair in working hours: 1.5 h and 34 h (four
        # days of 8 h, then 2 h on Friday), not 98 h of wall clock.
        self.assertAlmostEqual(rows[0]['repair_hours'], 17.75)
        rows = self.env['meddev.service.ticket.sla'].read_group(
            [('ticket_id', 'in', tickets.ids),
             ('status', 'in', ('met', 'failed'))],
            ['met_pct', 'target'], ['target'])
        rates = {row['target']: row['met_pct'] for row in rows}
        self.assertEqual(rates['response'], 50.0)
        self.assertEqual(rates['resolution'], 50.0)

    def test_portal_ticket_goes_to_the_province_team(self):
        province = self.env['res.country.state'].search([], limit=1)
        west = self.env['meddev.service.team'].create({
            'name': 'West', 'calendar_id': self.calendar.id,
            'alias_name': 'west-portal-test',
            'state_ids': [(6, 0, province.ids)]})
        self.hospital.state_id = province
        portal = self.env['res.users'].create({
            'name': 'Portal Nurse', 'login': 'srv_portal_team',
            'partner_id': self.nurse.id,
            'groups_id': [(6, 0, self.env.ref('base.group_portal').ids)]})
        ticket = self.env['meddev.service.ticket'].sudo(
            portal)._portal_create('Alarm', 'Silent alarm')
        self.assertEqual(ticket.sudo().team_id, west)

    def test_home_base_from_user_partner(self):
        self.user.partner_id.write(
            {'partner_latitude': 31.1, 'partner_longitude': 121.3})
        engineer = self.env['meddev.service.engineer'].create(
            {'name': 'Zhao Lei', 'user_id': self.user.id})
        self.assertEqual(engineer._home_position(), (31.1, 121.3))
        engineer.write({'home_latitude': 30.0, 'home_longitude': 120.0})
        self.assertEqual(engineer._home_position(), (30.0, 120.0))
