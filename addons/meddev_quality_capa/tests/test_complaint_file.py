import re

from lxml import html as lxml_html

from odoo import fields

from .common import MeddevCapaCase, call_button, frozen_now


OFFLINE = re.compile(
    br'<link\b[^>]*>|<base\b[^>]*>|<script\b.*?</script>', re.S | re.I)


def offline(page):
    """Return ``page`` (HTML bytes, as Odoo hands them to wkhtmltopdf)
    without what a browser would fetch from the server: stylesheets,
    scripts and the base URL of relative links."""
    return OFFLINE.sub(b'', page) if page else page


class TestComplaintFile(MeddevCapaCase):
    """The complaint file (21 CFR 820.198(e), ISO 13485 8.2.2): the dates
    of the investigation and of the CAPA actions, and a real PDF."""

    def _report(self):
        return self.env.ref(
            'meddev_quality_capa.meddev_complaint_file_report').sudo(
            self.user)

    def _texts(self, page, css_class):
        return [' '.join(node.text_content().split())
                for node in page.find_class(css_class)]

    def test_file_holds_investigation_and_action_dates(self):
        investigation = self.env['meddev.complaint.investigation'].sudo(
            self.user).create({
                'name': '报警模块调查', 'complaint_id': self.complaint.id,
                'findings': '报警模块焊点虚焊', 'root_cause': '供应商回流焊温度'})
        with frozen_now('2026-03-10 08:15:00'):
            call_button(investigation, 'action_conclude')
        self.assertEqual(investigation.concluded_date, '2026-03-10 08:15:00')
        capa = self._capa()
        self._close(self._to_approval(capa))
        today = fields.Date.from_string(fields.Date.today()).strftime(
            '%m/%d/%Y')
        page = lxml_html.fromstring(
            self._report().render_qweb_html(self.complaint.ids)[0])
        self.assertEqual(self._texts(page, 'o_investigation_concluded'),
                         ['03/10/2026 08:15:00'])
        opened = self._texts(page, 'o_investigation_opened')
        self.assertEqual(len(opened), 1)
        self.assertTrue(opened[0])
        self.assertEqual(self._texts(page, 'o_action_due'),
                         ['04/30/2026', '04/30/2026'])
        self.assertEqual(self._texts(page, 'o_action_done'), [today, today])
        self.assertEqual(self._texts(page, 'o_capa_effectiveness'), [today])
        self.assertTrue(self._texts(page, 'o_capa_closed')[0])
        self.assertIn('更换报警模块供应商', page.text_content())

    def test_concluded_date_is_the_servers(self):
        investigation = self.env['meddev.complaint.investigation'].sudo(
            self.user).create({
                'name': '调查', 'complaint_id': self.complaint.id})
        with self.assertRaisesRegex(Exception, 'cannot be set directly'):
            investigation.write({'concluded_date': '2026-01-01 00:00:00'})

    def test_complaint_file_prints_as_pdf(self):
        report = self._report()
        html = report.render_qweb_html(self.complaint.ids)[0].decode()
        bodies, _ids, header, footer, paper = report._prepare_html(html)
        # wkhtmltopdf itself, on the pages as rendered but without what it
        # would fetch from the server (stylesheets, scripts, the base URL):
        # under Odoo's test runner the server runs in this process and
        # would wait for this test's transaction, and wkhtmltopdf for it.
        pages = [offline(page) for page in bodies + [header, footer]]
        for page in pages:
            self.assertIsNone(re.search(
                br'(src|href)=["\'](https?:|/)', page or b''), page)
        pdf = report._run_wkhtmltopdf(
            pages[:-2], header=pages[-2], footer=pages[-1],
            specific_paperformat_args=paper)
        self.assertTrue(pdf.startswith(b'%PDF-'))
        self.assertGreater(len(pdf), 1000)
