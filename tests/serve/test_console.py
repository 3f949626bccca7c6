"""The operator console in a real headless browser (Debian's chromium) against the real service.

Every test sets up what it needs on the one module-wide browser, so the tests pass in any order
and split across ``pytest -n`` workers. Nothing sleeps: each wait is on an explicit condition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.serve.conftest import SAMPLES, Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.tesseract,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
        reason=f"needs Debian's chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER}); "
        "`make test` installs them",
    ),
]

ALTERED = SAMPLES / "utopia_passport_altered_birth_date.jpg"
BIRTH_DATE = "MRZ.CHECK_DIGIT.BIRTH_DATE"
KEY_STORAGE = "docfraud.apiKey"

# The console's status lines (docfraud/serve/static/console.js, showScan).
STATUS_PARTIAL = "Reading the visual zone…"
STATUS_COMPLETE = "Complete."
ANSWER_S = 60  # a first answer (the MRZ result) or an error
COMPLETE_S = 90  # the background reading of the visual zone, polled by the console

# Chrome logs each answer with an error status as a failed resource load; these are the only
# SEVERE entries the deliberate bad-key and unsupported-file submissions may leave.
EXPECTED_FAILED_LOAD = re.compile(
    r"^http://127\.0\.0\.1:\d+/v1/scans - Failed to load resource: the server responded with "
    r"a status of (401 \(Unauthorized\)|415 \(Unsupported Media Type\))$"
)

# Everything the tests read from the page in one round trip.
SNAPSHOT_JS = """
const q = (s) => document.querySelector(s);
const error = q('#error');
return {
  status: q('#status').textContent,
  resultHidden: q('#result').hidden,
  verdict: q('#verdict').textContent,
  dataVerdict: q('#verdict').getAttribute('data-verdict'),
  score: q('#score').textContent,
  errorHidden: error.hidden,
  errorCode: error.getAttribute('data-code'),
  errorText: error.textContent,
  findings: Array.from(document.querySelectorAll('.finding')).map((n) => n.dataset.code),
  regions: Array.from(document.querySelectorAll('.region')).map((n) => n.dataset.code),
  inputDisabled: q('#file-input').disabled,
};
"""

RECT_JS = """
const r = arguments[0].getBoundingClientRect();
return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
        width: r.width, height: r.height};
"""


class Browser:
    """One chromium session and every browser-console entry it has logged so far."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver
        self.log: list[dict[str, Any]] = []

    def new_log(self) -> list[dict[str, Any]]:
        """The entries logged since the last call (Chrome hands each out once); all are kept."""
        entries: list[dict[str, Any]] = self.driver.get_log("browser")
        self.log.extend(entries)
        return entries

    def wait(self, timeout: float = ANSWER_S) -> WebDriverWait[WebDriver]:
        return WebDriverWait(
            self.driver, timeout, ignored_exceptions=[StaleElementReferenceException]
        )

    def snapshot(self) -> dict[str, Any]:
        state: dict[str, Any] = self.driver.execute_script(SNAPSHOT_JS)
        return state

    def open(self, server: Server) -> None:
        """A freshly loaded console, its script run (the key field bound)."""
        self.new_log()  # keep what the previous page logged
        self.driver.get(server.url + "/")
        # console.js is deferred: it has run (bound the key field) once the document is complete.
        self.wait(30).until(lambda d: d.execute_script("return document.readyState === 'complete'"))

    def enter_key(self, token: str) -> None:
        field = self.driver.find_element(By.ID, "api-key")
        field.clear()
        field.send_keys(token)
        assert field.get_attribute("value") == token

    def choose(self, path: Path) -> None:
        self.driver.find_element(By.ID, "file-input").send_keys(str(path))

    def wait_for_answer(self) -> dict[str, Any]:
        """The page once the upload was answered: a verdict shown or an error."""

        def answered(_: WebDriver) -> dict[str, Any] | Literal[False]:
            s = self.snapshot()
            done = not s["inputDisabled"] and (
                not s["errorHidden"] or (not s["resultHidden"] and s["dataVerdict"])
            )
            return s if done else False

        state: dict[str, Any] = self.wait(ANSWER_S).until(
            answered, message="the console showed neither a verdict nor an error"
        )
        return state

    def wait_for_error(self) -> dict[str, Any]:
        state = self.wait_for_answer()
        assert not state["errorHidden"], f"no error shown: {state}"
        assert self.driver.find_element(By.ID, "error").is_displayed()
        return state

    def wait_until_not_partial(self) -> dict[str, Any]:
        """The page once the status left the partial state (or an error was shown)."""

        def settled(_: WebDriver) -> dict[str, Any] | Literal[False]:
            s = self.snapshot()
            if not s["errorHidden"]:
                return s
            if s["resultHidden"] or s["status"] == STATUS_PARTIAL:
                return False
            return s

        state: dict[str, Any] = self.wait(COMPLETE_S).until(
            settled, message=f"the status stayed {STATUS_PARTIAL!r}"
        )
        return state


def chrome_options(profile: Path) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@contextmanager
def headless_chromium(profile: Path) -> Iterator[WebDriver]:
    """Debian's headless chromium with its own profile; never downloads a browser or a driver."""
    driver = webdriver.Chrome(
        service=Service(executable_path=str(CHROMEDRIVER)), options=chrome_options(profile)
    )
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless chromium for the module."""
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield Browser(driver)


def scan_altered_passport(browser: Browser, server: Server) -> dict[str, Any]:
    """The forged passport checked from a fresh console; returns the settled page's state."""
    browser.open(server)
    browser.enter_key(server.tokens["station_a"])
    browser.choose(ALTERED)
    first = browser.wait_for_answer()
    assert first["errorHidden"], f"the scan failed: {first['errorCode']} {first['errorText']}"
    return browser.wait_until_not_partial()


def shows_complete_scan(browser: Browser) -> bool:
    try:
        state = browser.snapshot()
    except Exception:  # no page loaded yet
        return False
    return (
        state["status"] == STATUS_COMPLETE
        and state["errorHidden"]
        and BIRTH_DATE in state["findings"]
        and BIRTH_DATE in state["regions"]
    )


def submit_deliberate_errors(browser: Browser, server: Server, tmp_path: Path) -> None:
    """A bad key (401) and an unsupported file (415), each from a fresh console."""
    browser.open(server)
    browser.enter_key(server.tokens["invalid"])
    browser.choose(ALTERED)
    state = browser.wait_for_error()
    assert state["errorCode"] == "AUTH.INVALID", state
    assert state["resultHidden"], "a refused scan must not show a result"
    assert "Traceback" not in browser.driver.page_source

    text_file = tmp_path / "notes.txt"
    text_file.write_text("name,number\nJohn,123\n", encoding="utf-8")
    browser.open(server)
    browser.enter_key(server.tokens["station_a"])
    browser.choose(text_file)
    state = browser.wait_for_error()
    assert state["errorCode"] == "INPUT.UNSUPPORTED_TYPE", state
    assert state["resultHidden"], "a refused file must not show a result"
    assert "Traceback" not in browser.driver.page_source


# --- the tests ---------------------------------------------------------------------------------


def test_console_loads_without_browser_errors(browser: Browser, server: Server) -> None:
    browser.open(server)
    driver = browser.driver
    assert "docfraud" in driver.title
    assert driver.find_element(By.ID, "drop-zone").is_displayed()
    assert driver.find_element(By.ID, "file-input").is_enabled()
    assert not driver.find_element(By.ID, "error").is_displayed()
    assert not driver.find_element(By.ID, "result").is_displayed()
    # The page declares its (empty) icon, so not even a favicon request may fail.
    assert driver.execute_script("return !!document.querySelector('link[rel=icon]')")
    problems = [e for e in browser.new_log() if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def test_forged_passport_shows_verdict_findings_and_completes(
    browser: Browser, server: Server
) -> None:
    state = scan_altered_passport(browser, server)
    assert state["errorHidden"], f"error shown: {state['errorCode']} {state['errorText']}"
    assert state["status"] == STATUS_COMPLETE, state["status"]
    assert state["dataVerdict"] in ("suspicious", "forged"), state
    assert state["verdict"] == state["dataVerdict"].upper()
    assert re.fullmatch(r"fraud score \d\.\d\d", state["score"]), state["score"]
    assert BIRTH_DATE in state["findings"], state["findings"]
    verdict = browser.driver.find_element(By.ID, "verdict")
    assert verdict.is_displayed()
    assert verdict.text == state["verdict"]
    finding = browser.driver.find_element(By.CSS_SELECTOR, f'.finding[data-code="{BIRTH_DATE}"]')
    assert finding.is_displayed()
    assert BIRTH_DATE in finding.text


def _region_is_active(browser: Browser, finding: WebElement) -> bool:
    fid = finding.get_attribute("data-finding")
    active: bool = browser.driver.execute_script(
        'const r = document.querySelector(`.region[data-finding="${arguments[0]}"]`);'
        "return !!r && r.classList.contains('active');",
        fid,
    )
    return active


def test_hovering_or_focusing_a_finding_highlights_its_region_on_the_page(
    browser: Browser, server: Server
) -> None:
    if not shows_complete_scan(browser):
        scan_altered_passport(browser, server)
    driver = browser.driver
    finding = driver.find_element(By.CSS_SELECTOR, f'.finding[data-code="{BIRTH_DATE}"]')
    article = finding.find_element(By.XPATH, "ancestor::article[contains(@class, 'document')]")
    region = article.find_element(By.CSS_SELECTOR, f'.region[data-code="{BIRTH_DATE}"]')
    image = article.find_element(By.CSS_SELECTOR, "img.page-image")
    browser.wait(30).until(
        lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", image
        ),
        message="the page image did not load",
    )
    assert "active" not in (region.get_attribute("class") or "").split()

    # Hover: the finding's region lights up; moving away turns it off again.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", finding)
    ActionChains(driver).move_to_element(finding).perform()
    browser.wait(5).until(
        lambda _: _region_is_active(browser, finding), message="hover did not highlight"
    )
    assert "active" in (region.get_attribute("class") or "").split()
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    browser.wait(5).until(
        lambda _: not _region_is_active(browser, finding), message="the highlight stayed on"
    )

    # Keyboard focus does the same.
    driver.execute_script("arguments[0].focus()", finding)
    browser.wait(5).until(
        lambda _: _region_is_active(browser, finding), message="focus did not highlight"
    )

    # The highlighted box lies on the displayed page image, and is a real box.
    box = driver.execute_script(RECT_JS, region)
    page = driver.execute_script(RECT_JS, image)
    assert page["width"] > 100 and page["height"] > 50, page
    assert box["width"] > 2 and box["height"] > 2, box
    slack = 1.0  # sub-pixel rounding
    assert box["left"] >= page["left"] - slack, (box, page)
    assert box["top"] >= page["top"] - slack, (box, page)
    assert box["right"] <= page["right"] + slack, (box, page)
    assert box["bottom"] <= page["bottom"] + slack, (box, page)
    driver.execute_script("arguments[0].blur()", finding)


def test_bad_key_and_unsupported_file_show_coded_errors(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    submit_deliberate_errors(browser, server, tmp_path)
    body = browser.driver.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in body
    code = browser.driver.find_element(By.ID, "error-code").text
    assert code == "INPUT.UNSUPPORTED_TYPE"


def test_the_key_is_kept_for_the_tab_only(browser: Browser, server: Server) -> None:
    driver = browser.driver
    browser.open(server)
    driver.execute_script("window.localStorage.clear(); window.sessionStorage.clear()")
    browser.open(server)
    token = server.tokens["station_b"]
    browser.enter_key(token)
    stored = driver.execute_script(
        "return {session: window.sessionStorage.getItem(arguments[0]),"
        " local: Object.keys(window.localStorage).map((k) => [k, localStorage.getItem(k)])}",
        KEY_STORAGE,
    )
    assert stored["session"] == token
    assert not any(token in value for _, value in stored["local"]), stored["local"]
    assert stored["local"] == []

    # A reload in the same tab keeps the key; "Forget key" drops it.
    browser.open(server)
    assert driver.find_element(By.ID, "api-key").get_attribute("value") == token
    driver.find_element(By.ID, "forget-key").click()
    assert driver.find_element(By.ID, "api-key").get_attribute("value") == ""
    assert (
        driver.execute_script("return window.sessionStorage.getItem(arguments[0])", KEY_STORAGE)
        is None
    )
    assert driver.execute_script("return window.localStorage.length") == 0


def test_no_unexpected_browser_errors(browser: Browser, server: Server, tmp_path: Path) -> None:
    """Everything this browser did (here and in the tests before) logged no SEVERE entry but
    the failed loads of the deliberate 401 and 415 answers."""
    submit_deliberate_errors(browser, server, tmp_path)
    if not shows_complete_scan(browser):
        state = scan_altered_passport(browser, server)
        assert state["status"] == STATUS_COMPLETE, state["status"]
    browser.open(server)  # collects what the last page logged
    browser.new_log()
    severe = [e for e in browser.log if e["level"] == "SEVERE"]
    expected = [e for e in severe if EXPECTED_FAILED_LOAD.match(e["message"])]
    assert [e for e in severe if e not in expected] == []
    statuses = {m.group(1)[:3] for e in expected if (m := EXPECTED_FAILED_LOAD.match(e["message"]))}
    assert statuses == {"401", "415"}, "the deliberate failures were not logged as expected"
