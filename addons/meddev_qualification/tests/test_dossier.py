from .common import MeddevTradeCase


class TestDossier(MeddevTradeCase):

    def test_dossier_lists_licences_and_reviews(self):
        self._create_licence(
            self.distributor, self.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=self.cat_xray)
        self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id})
        report = self.env.ref(
            'meddev_qualification.action_report_qualification_dossier')
        # The HTML is what wkhtmltopdf prints; rendering the PDF itself
        # needs a running server for the stylesheets.
        html = report.sudo(self.user).render_qweb_html(
            self.distributor.ids)[0].decode('utf-8')
        self.assertIn('Qualification Dossier', html)
        self.assertIn('京食药监械经营许20150035号', html)
        self.assertIn('Imaging devices / X-ray equipment', html)
        self.assertIn('2099-12-31', html.replace('12/31/2099', '2099-12-31'))
        self.assertIn('First-business review: Kangda Medical', html)
        self.assertIn('Quality agreement attached', html)
