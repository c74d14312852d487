"""Helpers of the browser tests: a headless chromium driven by Selenium
through Debian's chromium-driver, against an Odoo server that
scripts/test_browser.sh started on a fresh demo database.

Every test is a flow of DESIGN.md clicked as its users click it. A step
fails on a missing element (explicit waits, never sleeps), on an error in
the browser's console, or on an ERROR/CRITICAL/Traceback line that the
server logged since the test started. Every step is screenshotted to
var/browser/<lang>/<flow>/NN-step.png; a failing test also saves the page it
failed on (failed-<test>.png and .html).

Settings come from the environment (the script sets them):
  MEDDEV_BROWSER_URL   http://127.0.0.1:<port>
  MEDDEV_BROWSER_DB    the database
  MEDDEV_BROWSER_LOG   the server's log file
  MEDDEV_BROWSER_LANG  en_US or zh_CN: the users' language for this run
  MEDDEV_BROWSER_OUT   screenshot root (default var/browser)
  MEDDEV_BROWSER_DOCS  a docs/guide folder: also copy step shots to
                       <folder>/<en|zh_CN>/img/<flow>-NN-step.png
  MEDDEV_BROWSER_DEBUG set to "assets": load the web client's sources
                       unminified (readable JavaScript stack traces)
"""
import os
import re
import shutil
import socketserver
import threading
import unittest
from xml.etree import ElementTree

from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .rpc import OdooRpc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
URL = os.environ.get('MEDDEV_BROWSER_URL', 'http://127.0.0.1:8269')
DB = os.environ.get('MEDDEV_BROWSER_DB', '')
SERVER_LOG = os.environ.get('MEDDEV_BROWSER_LOG', '')
LANG = os.environ.get('MEDDEV_BROWSER_LANG', 'en_US')
OUT = os.environ.get('MEDDEV_BROWSER_OUT', os.path.join(ROOT, 'var', 'browser'))
DOCS = os.environ.get('MEDDEV_BROWSER_DOCS', '')
DEBUG = os.environ.get('MEDDEV_BROWSER_DEBUG', '')
# The guide's folder of the language (docs/guide/en, docs/guide/zh_CN).
GUIDE_LANG = {'en_US': 'en'}.get(LANG, LANG)
# A shared 2-core machine: a page may take a while, a flow step never minutes.
TIMEOUT = float(os.environ.get('MEDDEV_BROWSER_TIMEOUT', '60'))
ADMIN = ('admin', 'admin')
# Demo users have no password: the set-up gives each one the same.
PASSWORD = 'meddev-browser'

SERVER_ERROR_RE = re.compile(
    r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) |^Traceback ')
# The error a refused action shows (UserError and kin), as the web client
# logs it in the console.
USER_ERROR_RE = re.compile(
    r'\\"name\\":\\"odoo\.exceptions\.(UserError|ValidationError|Warning)\\"')
# Messages chromium logs at SEVERE that are not the page's JavaScript.
IGNORED_CONSOLE = (
    'favicon.ico',
)


class Rpc(OdooRpc):
    """XML-RPC as the administrator, for the set-up of a flow (passwords,
    languages, looking records up by XML id) and for checks of what the
    browser did; never for the steps themselves."""

    def __init__(self, login=ADMIN[0], password=ADMIN[1]):
        super(Rpc, self).__init__(URL, DB, login, password)

    def name(self, model, xmlid):
        """A record's display name in the run's language."""
        return self(model, 'name_get', [self.ref(xmlid)],
                    context={'lang': LANG})[0][1]

    def ensure_user(self, login, name, groups):
        """A user the demo data lacks for a role (given by group XML ids),
        with the test password and the run's language."""
        vals = {'name': name, 'login': login, 'password': PASSWORD,
                # Their decisions are posted in the chatter, from this address.
                'email': '%s@meddev.example.com' % login,
                'lang': LANG, 'tz': 'Asia/Shanghai',
                'groups_id': [(6, 0, [self.ref(g) for g in groups])]}
        found = self('res.users', 'search', [('login', '=', login)])
        if found:
            self('res.users', 'write', found, vals)
        else:
            self('res.users', 'create', vals,
                 context={'no_reset_password': True})
        return login

    def set_user(self, xmlid, password=PASSWORD, groups=()):
        """Give a demo user the run's language and the test password
        (``password=None``: keep it, e.g. the administrator's) and the
        groups (XML ids) it lacks for its role; return its login."""
        vals = {'lang': LANG}
        if groups:
            vals['groups_id'] = [(4, self.ref(group)) for group in groups]
        if password:
            vals['password'] = password
        user_id = self.ref(xmlid)
        self('res.users', 'write', [user_id], vals)
        return self.read('res.users', user_id, ['login'])['login']


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Odoo's smtplib client: every mail accepted and
    kept (recipients and raw message) on the server."""

    def reply(self, line):
        self.wfile.write(line.encode('ascii') + b'\r\n')

    def handle(self):
        self.reply('220 meddev-browser-sink')
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode('utf-8', 'replace').strip()
            verb = command[:4].upper()
            if verb == 'EHLO':
                self.reply('250-meddev-browser-sink')
                self.reply('250 8BITMIME')
            elif verb == 'RCPT':
                recipients.append(command.split(':', 1)[1].strip(' <>'))
                self.reply('250 OK')
            elif verb == 'DATA':
                self.reply('354 go ahead')
                data = []
                for chunk in iter(self.rfile.readline, b''):
                    if chunk in (b'.\r\n', b'.\n'):
                        break
                    data.append(chunk)
                self.server.mails.append((list(recipients), b''.join(data)))
                del recipients[:]
                self.reply('250 queued')
            elif verb == 'QUIT':
                self.reply('221 bye')
                return
            elif verb == 'RSET':
                del recipients[:]
                self.reply('250 OK')
            else:  # HELO, MAIL, NOOP
                self.reply('250 OK')


class SmtpSink(socketserver.ThreadingTCPServer):
    """A local mail server that accepts every mail (the outgoing mail of
    a flow must leave Odoo as it would in production: there is no real
    mail server on a test machine). ``mails``: (recipients, raw bytes)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        socketserver.ThreadingTCPServer.__init__(
            self, ('127.0.0.1', 0), _SmtpHandler)
        self.mails = []
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()

    def install(self, rpc):
        """Make this sink Odoo's outgoing mail server (first in sequence);
        return the record's id."""
        return rpc('ir.mail_server', 'create', {
            'name': 'browser tests sink', 'smtp_host': '127.0.0.1',
            'smtp_port': self.port, 'smtp_encryption': 'none',
            'sequence': 0})

    def recipients(self):
        return set(address for rcpt, _data in self.mails for address in rcpt)


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get('CHROMIUM', '/usr/bin/chromium')
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu',
                '--disable-dev-shm-usage', '--window-size=1280,800',
                '--hide-scrollbars', '--lang=' + LANG.replace('_', '-'),
                '--disable-extensions', '--no-first-run'):
        options.add_argument(arg)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    # Downloads (the service report PDF) land in the flow's folder.
    downloads = os.path.join(OUT, LANG, 'downloads')
    os.makedirs(downloads, exist_ok=True)
    options.add_experimental_option('prefs', {
        'download.default_directory': downloads,
        'download.prompt_for_download': False,
        'plugins.always_open_pdf_externally': True,
    })
    service = webdriver.ChromeService(
        executable_path=os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver'),
        log_output=os.path.join(OUT, 'chromedriver.log'))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_window_size(1280, 800)
    driver.set_page_load_timeout(TIMEOUT * 2)
    driver.downloads = downloads
    return driver


class BrowserCase(unittest.TestCase):
    """One flow per test class; ``flow`` names its screenshot folder."""

    flow = None
    driver = None

    @classmethod
    def setUpClass(cls):
        super(BrowserCase, cls).setUpClass()
        cls.rpc = Rpc()
        cls.shots_dir = os.path.join(OUT, LANG, cls.flow)
        shutil.rmtree(cls.shots_dir, ignore_errors=True)
        os.makedirs(cls.shots_dir)
        cls.driver = make_driver()
        cls.step_no = 0
        cls._labels = {}

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()
        super(BrowserCase, cls).tearDownClass()

    def setUp(self):
        super(BrowserCase, self).setUp()
        self.log_offset = self._log_size()
        self.driver.get_log('browser')  # forget what earlier tests logged

    def tearDown(self):
        failed = self._outcome_failed()
        if failed:
            name = 'failed-%s' % self._testMethodName
            try:
                self.driver.save_screenshot(
                    os.path.join(self.shots_dir, name + '.png'))
                with open(os.path.join(self.shots_dir, name + '.html'),
                          'w') as page:
                    page.write(self.driver.page_source)
            except WebDriverException:
                pass
        else:
            # Errors after the last step fail the test too.
            self.check_errors('end of test')
        super(BrowserCase, self).tearDown()

    def _outcome_failed(self):
        # Python 3.11's unittest records a failure in the result at once.
        outcome = getattr(self, '_outcome', None)
        if outcome is None:
            return False
        if not outcome.success:
            return True
        result = outcome.result
        return any(test is self for test, _trace in
                   list(result.failures) + list(result.errors))

    # -- errors -------------------------------------------------------------

    @staticmethod
    def _log_size():
        if SERVER_LOG and os.path.exists(SERVER_LOG):
            return os.path.getsize(SERVER_LOG)
        return 0

    def server_errors(self):
        """ERROR/CRITICAL/Traceback lines the server logged since the test
        started."""
        if not SERVER_LOG or not os.path.exists(SERVER_LOG):
            return []
        with open(SERVER_LOG, 'rb') as log:
            log.seek(self.log_offset)
            text = log.read().decode('utf-8', 'replace')
        return [line for line in text.splitlines()
                if SERVER_ERROR_RE.match(line)]

    def expect_refusal(self):
        """The next action is refused on purpose: the web client logs the
        UserError it shows as a console error; accept those (and only
        those: a JavaScript error or a server crash still fails)."""
        self.refusals_expected = True

    def console_errors(self):
        errors = []
        for entry in self.driver.get_log('browser'):
            if entry.get('level') != 'SEVERE':
                continue
            message = entry.get('message', '')
            if any(ignored in message for ignored in IGNORED_CONSOLE):
                continue
            if getattr(self, 'refusals_expected', False) and \
                    'Server application error' in message and \
                    USER_ERROR_RE.search(message):
                continue
            errors.append(message)
        self.refusals_expected = False
        return errors

    def check_errors(self, step):
        console = self.console_errors()
        server = self.server_errors()
        problems = []
        if console:
            problems.append('JavaScript console errors:\n  ' +
                            '\n  '.join(console))
        if server:
            problems.append('server errors:\n  ' + '\n  '.join(server[:20]))
        if problems:
            self.fail('%s: %s' % (step, '\n'.join(problems)))

    # -- steps --------------------------------------------------------------

    def step(self, name):
        """Close a step: wait for the client to settle, check the console
        and the server log, save the screenshot NN-name.png."""
        self.wait_idle()
        self.check_errors(name)
        type(self).step_no += 1
        filename = '%02d-%s.png' % (self.step_no, name)
        path = os.path.join(self.shots_dir, filename)
        self.driver.save_screenshot(path)
        if DOCS:
            img = os.path.join(DOCS, GUIDE_LANG, 'img')
            os.makedirs(img, exist_ok=True)
            shutil.copy(path, os.path.join(
                img, '%s-%s' % (self.flow, filename)))
        return path

    def wait(self, condition, message, timeout=None):
        try:
            return WebDriverWait(
                self.driver, timeout or TIMEOUT, poll_frequency=0.2,
                ignored_exceptions=(StaleElementReferenceException,),
            ).until(condition)
        except TimeoutException:
            self.check_errors(message)
            raise AssertionError('timed out: %s (url %s)' % (
                message, self.driver.current_url))

    # Counts the web client's RPCs in flight (the bus's long polling is
    # "shadow": not counted), from the first wait_idle of each page load.
    RPC_COUNTER = """
        var w = window;
        var services = w.odoo && w.odoo.__DEBUG__ && w.odoo.__DEBUG__.services;
        if (!w.__meddevRpc && services && services['web.core']) {
            var counter = w.__meddevRpc = {pending: 0};
            var bus = services['web.core'].bus;
            bus.on('rpc_request', null, function () { counter.pending++; });
            bus.on('rpc_response', null, function () { counter.pending--; });
            bus.on('rpc_response_failed', null,
                   function () { counter.pending--; });
        }
        return w.__meddevRpc ? w.__meddevRpc.pending : 0;
    """

    def wait_idle(self):
        """Wait until no RPC is running and no overlay blocks the page:
        an onchange still on its way would otherwise land after the next
        step's input (and undo it)."""
        script = self.RPC_COUNTER.replace(
            'return w.__meddevRpc ? w.__meddevRpc.pending : 0;',
            'var pending = w.__meddevRpc ? w.__meddevRpc.pending : 0;'
            # Not jQuery.active: the bus's long polling is always pending.
            "return pending <= 0 && !Array.from(document.querySelectorAll("
            "'.o_loading, .blockUI')).some(e => e.offsetParent !== null) &&"
            " document.readyState === 'complete';")
        self.wait(lambda d: d.execute_script(script), 'the page to settle')

    def find(self, css, timeout=None, visible=True):
        """The first element matching ``css`` (visible unless told)."""
        def found(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if not visible or element.is_displayed():
                    return element
            return False
        return self.wait(found, 'element %s' % css, timeout)

    def find_all(self, css):
        return [e for e in self.driver.find_elements(By.CSS_SELECTOR, css)
                if e.is_displayed()]

    def absent(self, css, timeout=None):
        self.wait(lambda d: not any(
            e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, css)),
            'element %s to go away' % css, timeout)

    def click(self, css, timeout=None):
        self.wait_idle()
        seen = []

        def stable(driver):
            found = next((e for e in driver.find_elements(By.CSS_SELECTOR, css)
                          if e.is_displayed() and e.is_enabled()), None)
            if found is None or (seen and seen[-1] != found):
                del seen[:]
            if found is None:
                return False
            seen.append(found)
            return len(seen) >= 3 and found
        element = self.wait(stable, 'element %s' % css, timeout)
        try:
            element.click()
        except WebDriverException:
            # Covered by a sticky header or a tooltip: click it directly.
            self.driver.execute_script('arguments[0].click();', element)
        return element

    def button_labels(self, model, name, view_type='form'):
        """The labels (string, title) of the buttons named ``name`` in the
        ``view_type`` view of ``model``, in the run's language. Odoo 11
        renders buttons without their name: the view's arch says which
        label a button name has, so that a test selects buttons by name
        and survives a reworded or translated label."""
        key = (model, name, view_type)
        if key not in self._labels:
            view = self.rpc(model, 'fields_view_get', view_type=view_type,
                            context={'lang': LANG})
            labels = set()
            # The arch, and the inline views of its x2many fields.
            views = [view]
            while views:
                view = views.pop()
                root = ElementTree.fromstring(view['arch'].encode('utf-8'))
                for node in root.iter('button'):
                    if node.get('name') == name:
                        labels.update(filter(None, (node.get('string'),
                                                    node.get('title'))))
                        # A stat button shows the string of its field.
                        labels.update(filter(None, (
                            child.get('string') for child in node.iter('field'))))
                for field in view.get('fields', {}).values():
                    views.extend((field.get('views') or {}).values())
            if not labels:
                raise AssertionError('no button %s in the %s view of %s' % (
                    name, view_type, model))
            self._labels[key] = labels
        return self._labels[key]

    def current_model(self):
        match = re.search(r'[#&]model=([\w.]+)', self.driver.current_url)
        return match and match.group(1)

    def _matching_buttons(self, labels, scope):
        matches = []
        for element in self.driver.find_elements(
                By.CSS_SELECTOR, '%s button' % scope):
            if not element.is_displayed():
                continue
            text = ' '.join(element.text.split())
            title = element.get_attribute('title') or ''
            stat = 'oe_stat_button' in (element.get_attribute('class') or '')
            if text in labels or title in labels or (
                    stat and any(label in text for label in labels)):
                matches.append(element)
        return matches

    def find_button(self, name, model=None, scope='.o_content',
                    timeout=None, view_type='form'):
        """The visible button named ``name`` (see button_labels)."""
        labels = self.button_labels(model or self.current_model(), name,
                                    view_type)
        what = 'button %s (%s) in %s' % (
            name, ' / '.join(sorted(labels)), scope)
        seen = []

        def stable(_driver):
            # The same enabled button over three polls: a click on a
            # button the client is re-rendering would be lost.
            found = (self._matching_buttons(labels, scope) or [None])[0]
            if found is None or not found.is_enabled():
                del seen[:]
                return False
            if seen and seen[-1] != found:
                del seen[:]
            seen.append(found)
            return len(seen) >= 3 and found
        return self.wait(stable, what, timeout)

    def buttons(self, name, model=None, scope='.o_content',
                view_type='form'):
        """The visible buttons named ``name`` now (no wait)."""
        self.wait_idle()
        labels = self.button_labels(model or self.current_model(), name,
                                    view_type)
        for _attempt in range(10):
            try:
                return self._matching_buttons(labels, scope)
            except StaleElementReferenceException:
                self.wait_idle()  # re-rendered while read: read again
        raise AssertionError('the buttons %s keep being re-rendered' % name)

    def button(self, name, model=None, scope='.o_content', timeout=None,
               view_type='form'):
        """Click a visible button of the current view by its name="..."."""
        self.wait_idle()
        element = self.find_button(name, model, scope, timeout, view_type)
        try:
            element.click()
        except WebDriverException:
            self.driver.execute_script('arguments[0].click();', element)
        self.wait_idle()
        return element

    def dialog_button(self, name, model):
        """Click a button of the open dialog (a wizard of ``model``)."""
        return self.button(name, model=model, scope='.modal.in')

    # -- navigation ---------------------------------------------------------

    def login(self, login, password=PASSWORD):
        driver = self.driver
        # Log the previous user out first, as a person would: deleting the
        # cookie alone races with the web client's open longpolling request,
        # whose answer sets the old session's cookie again; the next user
        # then logs in on the previous user's session id, and Odoo 11 caches
        # session tokens by session id only (res_users.py
        # _compute_session_token), so the session holds the previous user's
        # token until a cache clear (the first report's assets) logs it out.
        driver.get('%s/web/session/logout' % URL)
        self.find('input[name="login"]')
        driver.delete_all_cookies()
        driver.get('%s/web/login?db=%s' % (URL, DB))
        # The database selector shows when the server serves several.
        user = self.find('input[name="login"]')
        user.clear()
        user.send_keys(login)
        pwd = self.find('input[name="password"]')
        pwd.clear()
        pwd.send_keys(password)
        pwd.send_keys(Keys.ENTER)
        self.find('.o_web_client .o_main_navbar, .o_web_client #oe_main_menu_navbar')
        self.wait_idle()

    def goto(self, fragment):
        """Load the web client on ``fragment`` (a full page load: a bare
        hash change would race with the client's own first route)."""
        type(self).loads = getattr(type(self), 'loads', 0) + 1
        debug = '&debug=%s' % DEBUG if DEBUG else ''
        self.driver.get('%s/web?load=%d%s#%s' % (
            URL, self.loads, debug, fragment))

    def open_record(self, model, res_id, view_type='form', action=None):
        """Open a record; ``action`` (an XML id): as its menu opens it,
        with that action's views (without, the model's default view: for
        lots, stock's simple form)."""
        fragment = 'model=%s&id=%s&view_type=%s' % (model, res_id, view_type)
        if action:
            fragment = 'action=%s&%s' % (action, fragment)
        self.goto(fragment)
        self.find('.o_form_view' if view_type == 'form' else '.o_view_manager_content')
        self.wait_idle()

    def open_action(self, xmlid, view_type=None):
        fragment = 'action=%s' % xmlid
        if view_type:
            fragment += '&view_type=' + view_type
        self.goto(fragment)
        self.find('.o_view_manager_content')
        self.wait_idle()

    def open_menu(self, xmlid):
        """Open a menu by its XML id, as clicking it does."""
        menu_id = self.rpc.ref(xmlid)
        self.goto('menu_id=%s' % menu_id)
        self.find('.o_view_manager_content')
        self.wait_idle()

    def click_row(self, text):
        """Open the list row that shows ``text``."""
        xpath = ('//tr[contains(@class, "o_data_row")]'
                 '[.//td[contains(normalize-space(.), "%s")]]'
                 '/td[not(contains(@class, "o_list_record_selector"))][2]'
                 % text)
        self.wait_idle()
        row = self.wait(lambda d: d.find_element(By.XPATH, xpath),
                        'a list row showing %s' % text)
        row.click()
        self.find('.o_form_view')
        self.wait_idle()

    def reload(self):
        self.driver.refresh()
        self.find('.o_view_manager_content')
        self.wait_idle()

    # -- forms --------------------------------------------------------------

    def field(self, name, scope='.o_form_view'):
        return self.find('%s .o_field_widget[name="%s"]' % (scope, name))

    def field_text(self, name, scope='.o_form_view'):
        return self.field(name, scope).text.strip()

    def set_char(self, name, value, scope='.o_form_view'):
        element = self.field(name, scope)
        if element.tag_name not in ('input', 'textarea'):
            element = element.find_element(By.CSS_SELECTOR, 'input, textarea')
        element.clear()
        element.send_keys(value)

    def set_many2one(self, name, text, scope='.o_form_view', tag=False):
        """Type into a many2one and pick the proposal that shows ``text``.

        Typing is retried (twice): in an editable list row, the onchange
        of the previous cell may re-render the row while the search of this
        one is on its way, and the client then drops the proposals; the
        previous cell's late search (typing sends one per key) may open its
        own proposals again while this cell is typed into: only a proposal
        showing ``text`` is taken (on the last try the first one), and the
        field must show it afterwards. A name that matches nothing still
        fails after the last try. ``tag``: a many2many_tags field (its input
        empties once the tag is added)."""
        item_css = ('ul.ui-autocomplete '
                    'li.ui-menu-item:not(.o_m2o_dropdown_option) a')
        wanted = ' '.join(text.split()).lower()

        def proposal(any_item):
            def found(driver):
                for item in driver.find_elements(By.CSS_SELECTOR, item_css):
                    if item.is_displayed() and (any_item or wanted in ' '.join(
                            item.text.split()).lower()):
                        return item
                return False
            return found

        for attempt in range(3):
            last = attempt == 2
            self.wait_idle()
            widget = self.field(name, scope)
            box = widget.find_element(By.CSS_SELECTOR, 'input')
            box.clear()
            box.send_keys(text)
            try:
                item = self.wait(proposal(last), 'a proposal %r for %s' % (
                    text, name), timeout=None if last else TIMEOUT / 4)
            except AssertionError:
                if last:
                    raise
                continue
            item.click()
            self.wait_idle()
            if tag:
                return
            value = self.wait(lambda d: self.field(name, scope).find_element(
                By.CSS_SELECTOR, 'input').get_attribute('value') or ' ',
                'the value of %s' % name).strip()
            if wanted in ' '.join(value.split()).lower() or (last and value):
                return
        raise AssertionError('%s does not keep %r (it shows %r)' % (
            name, text, value))

    def set_many2many_tag(self, name, text, scope='.o_form_view'):
        """Add a tag to a many2many_tags field by typing its name."""
        self.set_many2one(name, text, scope, tag=True)

    def set_selection(self, name, value, scope='.o_form_view'):
        element = self.field(name, scope)
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element, '"%s"' % value)
        self.wait_idle()

    def tab_of(self, field_name):
        """Open the notebook page that holds a field (pages have no name
        in Odoo 11's DOM: the field's name is stable, the label is not)."""
        pane = self.wait(lambda d: d.find_element(
            By.XPATH, '//div[contains(@class, "tab-pane")]'
            '[.//*[@name="%s"]]' % field_name),
            'the notebook page of %s' % field_name)
        self.click('a[href="#%s"]' % pane.get_attribute('id'))
        self.wait(lambda d: pane.is_displayed(), 'tab of %s' % field_name)

    def scroll_to(self, css):
        """Bring an element into view (for the step's screenshot)."""
        self.driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"});', self.find(css))

    def edit(self):
        self.click('.o_form_buttons_view .o_form_button_edit')
        self.find('.o_form_view.o_form_editable')

    def save(self):
        self.click('.o_form_buttons_edit .o_form_button_save')
        self.find('.o_form_view.o_form_readonly')
        self.wait_idle()

    def create(self):
        self.click('.o_cp_buttons .o_form_button_create, '
                   '.o_cp_buttons .o_list_button_add')
        self.find('.o_form_view.o_form_editable')

    def print_report(self, label):
        """Print > ``label`` in the form's sidebar."""
        self.wait_idle()
        toggler = self.wait(lambda d: d.find_element(
            By.XPATH, '//div[contains(@class, "o_cp_sidebar")]'
            '//div[contains(@class, "o_dropdown")]'
            '[.//a[@data-section="print"]]/button'), 'the Print menu')
        toggler.click()
        item = self.wait(lambda d: d.find_element(
            By.XPATH, '//div[contains(@class, "o_cp_sidebar")]'
            '//a[@data-section="print"][contains(normalize-space(.), "%s")]'
            % label), 'the report %s in the Print menu' % label)
        item.click()

    def dialog_text(self):
        return self.find('.modal.in .modal-body').text

    def close_dialog(self):
        self.click('.modal.in .modal-footer .btn-primary, '
                   '.modal.in .modal-footer .btn')
        self.absent('.modal.in')

    def statusbar_state(self):
        return self.find('.o_statusbar_status .btn-primary, '
                         '.o_statusbar_status button.active, '
                         '.o_statusbar_status .o_arrow_button.btn-primary'
                         ).text.strip()

    def wait_record(self, model, res_id, field, value, message):
        """Wait for a background job's result (read over RPC), then reload
        the page so that the user sees it."""
        def done(_driver):
            return self.rpc.read(model, res_id, [field])[field] == value
        self.wait(done, message, timeout=TIMEOUT * 3)
        self.reload()


def main():
    unittest.main(module=None)
