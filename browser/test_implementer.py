"""The implementer's screens (the guide's implementer chapter shows these
screenshots): each app's block of the Settings page, each app's onboarding
planner with its ticked steps, and the go-live XLSX imports (download the
template, a dry run that names the bad row and writes nothing, the import).

Run as the administrator (who holds the suite's manager groups in the demo
data), after the flows (the imports add records the flows do not expect).
The sample files are built from the templates of the served database by
docs/guide/samples/build_samples.py (into the guide under `make docs`, else
under var/browser/<lang>/samples)."""
import glob
import os
import subprocess

from browser.harness import (
    DB, DOCS, GUIDE_LANG, LANG, OUT, ROOT, URL, BrowserCase)

# (app, Settings menu, root menu, planner)
APPS = [
    ('meddev_qualification',
     'meddev_qualification.meddev_qualification_settings_menu',
     'meddev_qualification.meddev_qualification_root_menu',
     'meddev_qualification.meddev_qualification_planner_record'),
    ('meddev_credit', 'meddev_credit.meddev_credit_settings_menu',
     'meddev_credit.meddev_credit_root_menu',
     'meddev_credit.meddev_credit_planner_record'),
    ('meddev_traceability',
     'meddev_traceability.meddev_traceability_settings_menu',
     'meddev_traceability.meddev_traceability_root_menu',
     'meddev_traceability.meddev_traceability_planner_record'),
    ('meddev_service', 'meddev_service.meddev_service_settings_menu',
     'meddev_service.meddev_service_root_menu',
     'meddev_service.meddev_service_planner_record'),
    ('meddev_quality_capa',
     'meddev_quality_capa.meddev_quality_capa_settings_menu',
     'meddev_quality_capa.meddev_quality_capa_root_menu',
     'meddev_quality_capa.meddev_quality_capa_planner_record'),
]

# (step name, wizard model, its menu, the app's root menu, what the import
# writes: model and domain of the records whose count grows)
IMPORTS = [
    ('licences', 'meddev.licence.import',
     'meddev_qualification.meddev_licence_import_menu',
     'meddev_qualification.meddev_qualification_root_menu',
     ('meddev.partner.licence', [])),
    ('credit-limits', 'meddev.credit.limit.import',
     'meddev_credit.meddev_credit_limit_import_menu',
     'meddev_credit.meddev_credit_root_menu',
     # The samples' limits (build_samples.credit_rows).
     ('meddev.credit.partner.state',
      [('credit_limit', 'in', [512000.0, 256000.0])])),
    ('equipment', 'meddev.service.equipment.import',
     'meddev_service.meddev_service_equipment_import_menu',
     'meddev_service.meddev_service_root_menu',
     ('meddev.service.equipment', [])),
    ('van-stock', 'meddev.service.van.stock.import',
     'meddev_service.meddev_service_van_stock_import_menu',
     'meddev_service.meddev_service_root_menu',
     ('stock.inventory.line', [])),
    ('complaints', 'meddev.complaint.import',
     'meddev_quality_capa.meddev_complaint_import_menu',
     'meddev_quality_capa.meddev_quality_capa_root_menu',
     ('meddev.complaint', [])),
]


class ImplementerCase(BrowserCase):

    @classmethod
    def setUpClass(cls):
        super(ImplementerCase, cls).setUpClass()
        cls.admin = cls.rpc.set_user('base.user_root', password=None)

    def setUp(self):
        super(ImplementerCase, self).setUp()
        if not getattr(type(self), 'logged_in', False):
            self.login(self.admin, 'admin')
            type(self).logged_in = True

    def open_app_menu(self, root_menu, menu):
        """Open an app, then one of its menus from the side bar (as the
        implementer clicks it: an action opening a dialog opens it over
        the app)."""
        self.open_menu(root_menu)
        self.click('.o_sub_menu a[data-menu="%s"]' % self.rpc.ref(menu))


class ImplementerSettings(ImplementerCase):

    flow = 'implementer-settings'

    def test_implementer_settings_per_app(self):
        """Settings > each app's block, opened from the app's
        Configuration > Settings menu: the block shows its options."""
        for app, menu, _root, _planner in APPS:
            self.open_menu(menu)
            block = '.app_settings_block[data-key="%s"]' % app
            self.find(block)
            self.find('%s .o_setting_box .o_field_widget' % block)
            # Only this app's block shows (the side bar selects it).
            self.assertEqual(
                [b.get_attribute('data-key') for b in
                 self.find_all('.app_settings_block')], [app])
            self.step(app.replace('meddev_', '').replace('_', '-'))


class ImplementerPlanner(ImplementerCase):

    flow = 'implementer-planner'

    def test_implementer_planner_per_app(self):
        """Each app's planner opens from the progress bar of the top bar;
        its steps say whether their data exists (the demo data has
        some)."""
        for app, _menu, root, planner in APPS:
            # The app as the implementer opens it: a click on its top menu
            # (the planner launcher follows that click; a page loaded on the
            # menu's URL shows no planner). Items that do not fit the top
            # bar sit in its hidden "More" list: clicked there directly.
            self.open_menu(root)
            top = self.find('.o_main_navbar a[data-menu="%s"], '
                            '#oe_main_menu_navbar a[data-menu="%s"]' % (
                                (self.rpc.ref(root),) * 2), visible=False)
            self.driver.execute_script('arguments[0].click();', top)
            self.wait_idle()
            self.click('.o_planner_systray .progress:not(.o_hidden)')
            dialog = '.modal.in.o_planner_dialog'
            self.find('%s .o_planner_menu' % dialog)
            # A step page: the menu's first item after the welcome page.
            items = self.find_all('%s .o_planner_menu li a' % dialog)
            self.assertTrue(items, 'the planner of %s has no steps' % app)
            items[min(1, len(items) - 1)].click()
            self.find('%s .o_planner_page .o_meddev_step_done, '
                      '%s .o_planner_page .o_meddev_step_todo'
                      % (dialog, dialog))
            self.step(app.replace('meddev_', '').replace('_', '-'))
            self.click('%s .modal-header .close' % dialog)
            self.absent(dialog)


class ImplementerImports(ImplementerCase):

    flow = 'implementer-imports'

    @classmethod
    def setUpClass(cls):
        super(ImplementerImports, cls).setUpClass()
        if DOCS:
            cls.samples_dir = os.path.join(DOCS, 'samples', GUIDE_LANG)
        else:
            cls.samples_dir = os.path.join(OUT, LANG, 'samples')
        built = subprocess.run(
            [os.path.join(ROOT, '.venv', 'bin', 'python'),
             os.path.join(ROOT, 'docs', 'guide', 'samples',
                          'build_samples.py'),
             URL, DB, LANG, cls.samples_dir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True)
        if built.returncode:
            raise AssertionError('the samples were not built:\n%s'
                                 % built.stdout)
        cls.samples = {}
        for line in built.stdout.splitlines():
            model, paths = line.split(': ', 1)
            cls.samples[model] = paths.split()

    def upload(self, path):
        box = self.find('.modal.in .o_field_widget[name="data_file"] '
                        'input[type="file"]', visible=False)
        box.send_keys(path)
        self.wait(lambda d: os.path.basename(path) in self.find(
            '.modal.in .o_field_widget[name="data_file"]').get_attribute(
                'innerHTML') or self.find_all(
            '.modal.in .o_field_widget[name="data_file"] .o_form_uri, '
            '.modal.in .o_field_widget[name="data_file"] input.o_input'),
            'the file %s to be taken' % path)

    def test_implementer_imports(self):
        """Per import: the template downloads, the dry run of the sample
        with a bad row names that row and writes nothing, the good sample
        imports."""
        downloads = self.driver.downloads
        for step, model, menu, root, target in IMPORTS:
            good, bad = self.samples[model]
            for old in glob.glob(os.path.join(downloads, '*.xlsx')):
                os.remove(old)
            self.open_app_menu(root, menu)
            self.find('.modal.in .o_form_view')
            self.step('%s-wizard' % step)
            self.dialog_button('action_download_template', model)

            def template(_driver):
                files = glob.glob(os.path.join(downloads, '*.xlsx'))
                return files and os.path.getsize(files[0]) > 1000 and files[0]
            with open(self.wait(template, 'the %s template' % step),
                      'rb') as handle:
                self.assertEqual(handle.read(2), b'PK', 'not an XLSX file')
            # Odoo 11 keeps the wizard's buttons disabled after a download
            # (the URL action never completes in a page that stays): the
            # implementer opens the import again to check a file.
            self.open_app_menu(root, menu)
            self.find('.modal.in .o_form_view')

            before = self.rpc(target[0], 'search_count', target[1])
            self.upload(bad)
            self.dialog_button('action_check', model)
            self.find('.modal.in .o_field_widget[name="report"]')
            wizard = self.rpc(model, 'search_read', [], fields=[
                'error_count', 'row_count', 'report'], order='id desc',
                limit=1)[0]
            self.assertEqual(wizard['error_count'], 1, wizard['report'])
            # The bad row is the last one (the header is row 1).
            self.assertIn(str(wizard['row_count'] + 1), wizard['report'])
            self.assertIn(str(wizard['row_count'] + 1),
                          self.field_text('report', '.modal.in'))
            self.assertEqual(self.rpc(target[0], 'search_count', target[1]),
                             before,
                             'the dry run wrote records')
            self.step('%s-dry-run-bad-row' % step)

            self.upload(good)
            self.dialog_button('action_check', model)
            self.find('.modal.in .o_field_widget[name="report"]')
            self.dialog_button('action_import', model)
            self.absent('.modal.in')
            self.find('.o_view_manager_content .o_data_row')
            self.wait_idle()
            self.assertGreater(self.rpc(target[0], 'search_count', target[1]),
                               before,
                               'the import wrote nothing')
            self.step('%s-imported' % step)
