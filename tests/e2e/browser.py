"""A real browser for the end-to-end tests: headless Chromium (Debian's
chromium and chromium-driver) through Selenium (Debian's python3-selenium),
with JavaScript switched off as a person with scripts disabled would have
it, at a desktop or a phone width; plus the page checks every page should
pass: no <script> element, nothing serious or critical from axe-core, and
no sideways scrolling. Standard library and selenium only; results are TAP
lines through tap.py. See README in this directory.

    import tap
    import browser
    with browser.session("phone") as d:
        browser.open(d, "/register")
        browser.check_page(d, "phone: /register")
        status = browser.submit(d, "Create my account",
                                fields={"Email address": "x@example.com"})
        tap.is_eq(status, 400, "a bad form is a 400")
    tap.done()

Import this module before the script prints anything: Debian's selenium
is a module of Debian's /usr/bin/python3, so when the python3 running the
script (pyenv's, say) has no selenium, the import starts the script again
under /usr/bin/python3.
"""

import builtins
import contextlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import urllib.parse

import tap

_DEBIAN_PYTHON = "/usr/bin/python3"
try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoSuchElementException,
                                            StaleElementReferenceException,
                                            TimeoutException, WebDriverException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.remote_connection import RemoteConnection
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    if (os.path.realpath(sys.executable) != os.path.realpath(_DEBIAN_PYTHON)
            and os.access(_DEBIAN_PYTHON, os.X_OK)
            and not os.environ.get("TESSERA_BROWSER_REEXEC")
            and tap._count == 0 and sys.argv and os.path.isfile(sys.argv[0])):
        os.environ["TESSERA_BROWSER_REEXEC"] = "1"
        sys.stdout.flush()
        os.execv(_DEBIAN_PYTHON, [_DEBIAN_PYTHON, "-u"] + sys.argv)
    raise

CHROMIUM = os.environ.get("TESSERA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TESSERA_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = os.environ.get("TESSERA_TEST_AXE",
                     os.path.join(tap.SRC, "var", "npm", "node_modules", "axe-core",
                                  "axe.min.js"))
LOG_DIR = os.path.join(tap.VAR, "log")
SHOT_DIR = os.path.join(LOG_DIR, "browser")

# name: (width, height, mobile). A phone is emulated as a mobile viewport
# (the page's <meta name=viewport> counts, as on a phone); Chromium's
# windows cannot be narrower than 500 px, so both sizes are set by
# emulation, not by the window.
SIZES = {
    "desktop": (1280, 900, False),
    "phone": (390, 844, True),
}

PAGE_TIMEOUT = 20      # s for a page to load
COMMAND_TIMEOUT = 60   # s for any one WebDriver command
SCRIPT_TIMEOUT = 30    # s for axe on one page
SESSION_BUDGET = 240   # s for a whole session() before it is cut short

FAIL_IMPACTS = ("critical", "serious")


class BrowserError(Exception):
    """A step that cannot be done on this page (no such field, button...)."""


class BudgetExceeded(BrowserError):
    pass


# ------------------------------------------------------------ lifecycle

def start(size="desktop"):
    """A new headless Chromium with JavaScript off, a fresh temporary
    profile and the viewport of SIZES[size]. Call quit(driver) when done,
    or better use `with session(size) as driver:`."""
    if size not in SIZES:
        raise ValueError("size must be one of %s" % ", ".join(SIZES))
    width, height, mobile = SIZES[size]
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            raise BrowserError("%s is missing (Debian's chromium and chromium-driver; "
                               "./stack installs them)" % path)
    RemoteConnection.set_timeout(COMMAND_TIMEOUT)
    profile = tempfile.mkdtemp(prefix="tessera-chromium-")
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    args = [
        "--headless=new", "--user-data-dir=" + profile,
        "--window-size=%d,%d" % (max(width, 500), height),
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-features=Translate",
        "--password-store=basic", "--lang=en-US",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")   # Chromium's sandbox refuses to run as root
    for a in args:
        o.add_argument(a)
    o.add_experimental_option("prefs", {
        # 2 = block: the content setting a person switches JavaScript off with
        "profile.managed_default_content_settings.javascript": 2,
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
        "intl.accept_languages": "en-US,en",
    })
    # The network part of the performance log gives each page's HTTP status.
    o.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    o.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True,
                                                   "enablePage": False})
    os.makedirs(LOG_DIR, exist_ok=True)
    service = Service(CHROMEDRIVER, log_path=os.path.join(LOG_DIR, "chromedriver.log"))
    try:
        d = webdriver.Chrome(service=service, options=o)
    except BaseException:
        _reap(profile)
        shutil.rmtree(profile, ignore_errors=True)
        raise
    d.tessera_profile = profile
    d.tessera_size = size
    d.tessera_status = None
    try:
        d.set_page_load_timeout(PAGE_TIMEOUT)
        d.set_script_timeout(SCRIPT_TIMEOUT)
        d.implicitly_wait(0)
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    except BaseException:
        quit(d)
        raise
    return d


def quit(driver):
    """Ends the browser and its driver, kills whatever of them is left and
    removes the profile. Never raises."""
    if driver is None:
        return
    try:
        driver.quit()
    except Exception as e:  # a hung or dead browser: its processes go below
        tap.diag("browser: quit failed (%s); killing its processes" % e)
    profile = getattr(driver, "tessera_profile", None)
    try:
        proc = driver.service.process
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait(5)
    except Exception:
        pass
    if profile:
        _reap(profile)
        shutil.rmtree(profile, ignore_errors=True)


def _reap(profile):
    """SIGKILLs, by pid, every process whose command line names our
    temporary profile: the Chromium processes this module started."""
    mark = profile.encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with builtins.open("/proc/%s/cmdline" % pid, "rb") as f:
                if mark in f.read():
                    os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass


@contextlib.contextmanager
def session(size="desktop", budget=SESSION_BUDGET):
    """`with session("phone") as d:` a browser that is always quit, even on
    an exception, and whose whole use is cut short (BudgetExceeded) after
    budget seconds."""
    def expired(signum, frame):
        raise BudgetExceeded("the browser session took more than %d s" % budget)
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(budget)
    d = None
    try:
        d = start(size)
        yield d
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        quit(d)

# ------------------------------------------------------------ navigation


def url(path):
    """The test stack's URL of a path ("/events"); full URLs pass as they are."""
    return path if re.match(r"[a-z]+:", path) else tap.URL + path


def open(driver, path):  # noqa: A001 (browser.open, as in "open a page")
    """Loads a page like typing its address; returns its HTTP status."""
    _drain_status(driver)
    driver.get(url(path))
    return _page_loaded(driver)


def status(driver):
    """The HTTP status of the page on screen (of the last response after
    redirects), or None if it is unknown."""
    return driver.tessera_status


def path(driver):
    """The current page's path and query: "/login?done=registered"."""
    u = urllib.parse.urlsplit(driver.current_url)
    return u.path + ("?" + u.query if u.query else "")


def _drain_status(driver):
    try:
        driver.get_log("performance")
    except WebDriverException:
        pass


def _page_loaded(driver):
    """After a navigation: waits for the document, sets and returns the
    status of the last document response the performance log shows."""
    WebDriverWait(driver, PAGE_TIMEOUT).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    got = None
    for entry in driver.get_log("performance"):
        try:
            m = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if m.get("method") == "Network.responseReceived":
            p = m.get("params", {})
            if p.get("type") == "Document":
                got = p.get("response", {}).get("status")
    driver.tessera_status = int(got) if got is not None else None
    return driver.tessera_status

# ------------------------------------------------------------ reading


def find(driver, css):
    """The first element matching css, or None."""
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0] if found else None


def find_all(driver, css):
    return driver.find_elements(By.CSS_SELECTOR, css)


def text(driver, css="body"):
    """The visible text of the page (or of the first element matching css),
    as a person reads it; "" when there is no such element."""
    el = find(driver, css)
    return el.text if el else ""


def html(driver):
    """The page's DOM as HTML."""
    return driver.page_source


def title(driver):
    return driver.title


def screenshot(driver, name):
    """Saves a PNG of the viewport under <var>/log/browser/; returns its path."""
    os.makedirs(SHOT_DIR, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:80] or "page"
    if not slug.startswith(driver.tessera_size):
        slug = driver.tessera_size + "-" + slug
    p = os.path.join(SHOT_DIR, slug + ".png")
    try:
        driver.save_screenshot(p)
    except WebDriverException:
        return None
    return p

# ------------------------------------------------------------ forms


def _norm(s):
    return " ".join((s or "").split()).casefold()


def _scope(driver, form):
    """The form named by form (its action path, "/register", or a CSS
    selector), or the whole page for None."""
    if form is None:
        return driver
    css = 'form[action="%s"]' % form if form.startswith("/") else form
    found = driver.find_elements(By.CSS_SELECTOR, css)
    if len(found) != 1:
        raise BrowserError("%d forms match %r on %s" % (len(found), form, path(driver)))
    return found[0]


def field(driver, key, form=None):
    """The control whose label text is key (case and spacing ignored), or
    else whose name is key; within form if given. Raises BrowserError, with
    the labels there are, when none or several match."""
    scope = _scope(driver, form)
    want = _norm(key)
    hits, labels = [], []
    for label in scope.find_elements(By.TAG_NAME, "label"):
        words = _norm(label.get_attribute("textContent"))
        labels.append(words)
        if words != want:
            continue
        target = label.get_attribute("for")
        if target:
            hits += driver.find_elements(By.ID, target)
        else:
            hits += label.find_elements(By.CSS_SELECTOR, "input, select, textarea")
    if not hits:
        hits = [el for el in scope.find_elements(By.NAME, key)
                if el.get_attribute("type") != "hidden"]
    if len(hits) == 1:
        return hits[0]
    where = "in form %s on %s" % (form, path(driver)) if form else "on " + path(driver)
    if not hits:
        raise BrowserError("no field labelled or named %r %s; labels: %s"
                           % (key, where, "; ".join(labels) or "none"))
    raise BrowserError("%d fields match %r %s: name the form (form=...)"
                       % (len(hits), key, where))


def fill(driver, fields, form=None):
    """Types values into fields: {label or name: value}. A checkbox takes
    True or False, a select the visible text (or value) of an option."""
    for key, value in fields.items():
        el = field(driver, key, form)
        tag = el.tag_name.lower()
        kind = (el.get_attribute("type") or "").lower()
        if kind in ("checkbox", "radio"):
            if bool(value) != el.is_selected():
                el.click()
        elif tag == "select":
            s = Select(el)
            try:
                s.select_by_visible_text(str(value))
            except NoSuchElementException:
                s.select_by_value(str(value))
        else:
            el.clear()
            el.send_keys(str(value))


def _clickables(scope, words):
    found = []
    for el in scope.find_elements(
            By.CSS_SELECTOR, "a[href], button, input[type=submit], input[type=image]"):
        label = el.text if el.tag_name.lower() != "input" else el.get_attribute("value")
        if _norm(label) == words or _norm(el.get_attribute("aria-label")) == words:
            found.append(el)
    return found


def submit(driver, button=None, form=None, fields=None, novalidate=False):
    """Fills fields (if any) and clicks the submit button with that text
    (or form's only one), as a person would; waits for the next page and
    returns its HTTP status. When the browser itself would refuse the form
    (required, type=email, maxlength...), raises BrowserError saying why,
    unless novalidate=True, which submits it as a browser that does not
    check would."""
    if fields:
        fill(driver, fields, form)
    scope = _scope(driver, form)
    if button is None:
        buttons = [b for b in scope.find_elements(
            By.CSS_SELECTOR, "button, input[type=submit]")
            if (b.get_attribute("type") or "submit").lower() == "submit"]
        if form is None or len(buttons) != 1:
            raise BrowserError("say which button: %d submit buttons in %s"
                               % (len(buttons), form or "the page"))
        el = buttons[0]
    else:
        found = [b for b in _clickables(scope, _norm(button)) if b.tag_name.lower() != "a"]
        if len(found) != 1:
            raise BrowserError("%d buttons say %r on %s%s" % (
                len(found), button, path(driver),
                ": name the form (form=...)" if found else ""))
        el = found[0]
    owner = driver.execute_script("return arguments[0].form", el)
    if owner is not None:
        if novalidate:
            driver.execute_script("arguments[0].noValidate = true", owner)
        else:
            why = driver.execute_script(
                "return Array.prototype.filter.call(arguments[0].elements,"
                " function (e) { return e.willValidate && !e.checkValidity(); })"
                ".map(function (e) { return (e.name || e.id) + ': ' + e.validationMessage; })",
                owner)
            if why:
                raise BrowserError("the browser would not send the form on %s: %s"
                                   % (path(driver), "; ".join(why)))
    return _click_and_wait(driver, el)


def follow(driver, link):
    """Clicks the link whose text (or aria-label) is link; returns the next
    page's status."""
    found = [a for a in _clickables(driver, _norm(link)) if a.tag_name.lower() == "a"]
    if not found:
        raise BrowserError("no link %r on %s" % (link, path(driver)))
    return _click_and_wait(driver, found[0])


def _click_and_wait(driver, el):
    old = driver.find_element(By.TAG_NAME, "html")
    _drain_status(driver)
    el.click()

    def gone(d):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            # Asked in the middle of the navigation, Chromium may say so in
            # other words: the old document is gone all the same.
            if "does not belong to the document" in str(e):
                return True
            raise
    try:
        WebDriverWait(driver, PAGE_TIMEOUT, poll_frequency=0.05).until(gone)
    except TimeoutException:
        raise BrowserError("clicking did not load a page within %d s (on %s)"
                           % (PAGE_TIMEOUT, path(driver)))
    return _page_loaded(driver)

# ------------------------------------------------------------ checks (TAP)


def no_script(driver, name):
    """TAP: the page has no <script> element (the site needs none, and the
    CSP would block one)."""
    n = len(driver.find_elements(By.TAG_NAME, "script"))
    if tap.ok(n == 0, "%s: no script element" % name):
        return True
    tap.diag("    %d <script> element(s) on %s; screenshot: %s"
             % (n, path(driver), screenshot(driver, name)))
    return False


def fits_width(driver, name):
    """TAP: nothing makes the page scroll sideways (WCAG 1.4.10, reflow),
    and on a phone the page lays itself out at the phone's width (its
    <meta name=viewport>), not at a zoomed-out 980 px."""
    w = driver.execute_script(
        "var e = document.documentElement;"
        " return [e.scrollWidth, e.clientWidth]")
    width, _, mobile = SIZES[driver.tessera_size]
    if mobile and w[1] > width:
        tap.ok(False, "%s: fits %d px without sideways scrolling" % (name, width))
        tap.diag("    laid out %d px wide, then shrunk: no <meta name=viewport "
                 "content=\"width=device-width\"> on %s?" % (w[1], path(driver)[:120]))
        return False
    if tap.ok(w[0] <= w[1], "%s: fits %d px without sideways scrolling" % (name, w[1])):
        return True
    wide = driver.execute_script(
        "var w = document.documentElement.clientWidth, out = [];"
        " document.querySelectorAll('body *').forEach(function (e) {"
        "  var r = e.getBoundingClientRect();"
        "  if (r.right > w + 1 && out.length < 5)"
        "   out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +"
        "    (e.className && typeof e.className == 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +"
        "    ' (right edge ' + Math.round(r.right) + ')'); });"
        " return out;")
    tap.diag("    the page is %d px wide; too wide: %s; screenshot: %s"
             % (w[0], ", ".join(wide) or "?", screenshot(driver, name)))
    return False


# axe runs from WebDriver (execute_script), which Chromium allows even with
# the page's JavaScript blocked. But the blocked content setting also stops
# every timer: setTimeout callbacks never fire, and axe.run finishes each
# rule through setTimeout(fn, 0), so it would never return. While axe runs,
# setTimeout therefore runs zero-delay callbacks as microtasks and drops
# those with a delay, which axe uses only as watchdogs (frame answers,
# preloading: both off here) and cache expiry. The results match a run
# in a browser with JavaScript on (checked when this was written).
_AXE_RUN = r"""
var done = arguments[arguments.length - 1], w = window;
var realSet = w.setTimeout, realClear = w.clearTimeout, n = 0, cleared = {};
w.setTimeout = function (fn, ms) {
  var id = ++n, args = Array.prototype.slice.call(arguments, 2);
  if (!ms && typeof fn == 'function')
    Promise.resolve().then(function () { if (!cleared[id]) fn.apply(null, args); });
  return id;
};
w.clearTimeout = function (id) { cleared[id] = true; };
function restore() { w.setTimeout = realSet; w.clearTimeout = realClear; }
axe.run(document, {resultTypes: ['violations'], iframes: false, preload: false})
  .then(function (r) {
    restore();
    done({violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
              nodes: v.nodes.map(function (x) {
                return {target: x.target.map(String).join(' '),
                        summary: x.failureSummary || '', html: x.html}; })}; })});
  }, function (e) { restore(); done({error: String(e && e.stack || e)}); });
"""

_axe_source = None
_axe_told = set()


def _axe_js():
    global _axe_source
    if _axe_source is None:
        with builtins.open(AXE, encoding="utf-8") as f:
            _axe_source = f.read()
    return _axe_source


def axe_results(driver):
    """axe-core's violations on the page on screen: a list of dicts with id,
    impact, help, helpUrl and nodes (target, summary, html)."""
    if not driver.execute_script("return typeof window.axe == 'object'"):
        driver.execute_script(_axe_js())
    r = driver.execute_async_script(_AXE_RUN)
    if not r or r.get("error"):
        raise BrowserError("axe failed: %s" % (r and r.get("error")))
    return r["violations"]


def _reason(summary, limit=240):
    """axe's failureSummary ("Fix any of the following:" and one check a
    line) on one line: "Fix any of the following: a; b"."""
    lines = [" ".join(l.split()) for l in summary.splitlines() if l.strip()]
    if not lines:
        return ""
    text = lines[0] + " " + "; ".join(lines[1:]) if len(lines) > 1 else lines[0]
    return text if len(text) <= limit else text[:limit - 3] + "..."


def axe(driver, name):
    """TAP: axe-core finds nothing serious or critical on the page. Each
    such violation is listed below the failure (rule, what to do, the
    first elements and axe's reason, a screenshot); minor and moderate
    ones are only mentioned (once per rule and element) and do not fail."""
    label = "%s: axe finds nothing serious or critical" % name
    try:
        found = axe_results(driver)
    except (OSError, BrowserError, WebDriverException) as e:
        tap.ok(False, label)
        tap.diag("    could not run axe-core (%s): %s" % (AXE, str(e).splitlines()[0]))
        return False
    bad = [v for v in found if v["impact"] in FAIL_IMPACTS]
    tap.ok(not bad, label + ("" if not bad else " (%d rules)" % len(bad)))
    for v in bad:
        nodes = v["nodes"]
        tap.diag("    %-8s %s: %s (%d element%s)" % (
            v["impact"], v["id"], v["help"], len(nodes), "" if len(nodes) == 1 else "s"))
        for x in nodes[:3]:
            tap.diag("             at %s" % x["target"])
            reason = _reason(x["summary"])
            if reason:
                tap.diag("                %s" % reason)
        if len(nodes) > 3:
            tap.diag("             and %d more" % (len(nodes) - 3))
        tap.diag("             %s" % v["helpUrl"])
    if bad:
        tap.diag("    page %s; screenshot: %s" % (path(driver)[:120], screenshot(driver, name)))
    for v in found:
        if v in bad:
            continue
        new = [x["target"] for x in v["nodes"] if (v["id"], x["target"]) not in _axe_told]
        if new:
            _axe_told.update((v["id"], t) for t in new)
            tap.diag("    (%s, not failing) %s: %s, at %s%s" % (
                v["impact"], v["id"], v["help"], ", ".join(new[:3]),
                " and %d more" % (len(new) - 3) if len(new) > 3 else ""))
    return not bad


def check_page(driver, name):
    """TAP: the checks every page must pass, one line each: no script
    element, axe, and no sideways scrolling. True when all passed."""
    a = no_script(driver, name)
    b = axe(driver, name)
    c = fits_width(driver, name)
    return a and b and c
