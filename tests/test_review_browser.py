"""The review site in a real browser: headless Chromium from Debian's `chromium` and `chromium-driver`
packages at /usr/bin (no browser download), driven by selenium, on pages written by the real
`annotate check --html` (tests/reviewsite.py). One browser session serves the whole module.

Without the browser (or selenium) these tests skip; with ANNOTATE_REQUIRE_BROWSER=1 (set in .ci/run)
they fail instead, so a green CI cannot hide them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import reviewsite
from tests.reviewsite import Site

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REQUIRE_ENV = "ANNOTATE_REQUIRE_BROWSER"
INSTALL_HINT = "apt-get install chromium chromium-driver; pip install -e '.[test]'"


def _unavailable() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


def _start(width: int = 1400, height: int = 1000) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=en-US",
                "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(width, height)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV) == "1":
            message = f"a browser is required ({REQUIRE_ENV}=1) but {reason}: {INSTALL_HINT}"
            pytest.fail(message, pytrace=False)
        pytest.skip(f"no browser for the review tests: {reason} ({INSTALL_HINT})")
    d = _start()
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return reviewsite.build(tmp_path_factory.mktemp("review-browser"))


@pytest.fixture
def browser(driver: Any) -> Any:
    """The module's browser at 1400 px, its logs drained (each test reads only its own)."""
    driver.set_window_size(1400, 1000)
    driver.get("about:blank")
    driver.get_log("performance")
    driver.get_log("browser")
    return driver


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _css(d: Any, selector: str) -> list[Any]:
    return list(d.find_elements(_by("CSS_SELECTOR"), selector))


def _network(d: Any) -> tuple[list[str], dict[str, str]]:
    """Every URL the page asked for (CSP-blocked ones too), and why the failed ones failed."""
    urls, ids, failed = [], {}, {}
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        params = msg.get("params", {})
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(params["request"]["url"])
            ids[params["requestId"]] = params["request"]["url"]
        elif msg.get("method") == "Network.loadingFailed":
            why = params.get("blockedReason") or params.get("errorText", "")
            failed[ids.get(params["requestId"], "?")] = why
    return urls, failed


def _severe(d: Any) -> list[dict[str, Any]]:
    return [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]


def _side_target(d: Any, text: str) -> str:
    """The id the findings list links to for the entry containing `text`."""
    for a in _css(d, "#findings a"):
        if text in a.text:
            return str(a.get_attribute("href")).split("#", 1)[1]
    raise AssertionError(f"no finding {text!r} in the side list")


def test_a_click_on_a_citation_shows_the_cited_code_of_the_commit(browser: Any, built: Site) -> None:
    browser.get(built.page("defects").as_uri())
    button = next(b for b in _css(browser, "button.cite") if b.text.strip() == "L25-L35")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    panel = browser.find_element(_by("ID"), button.get_attribute("aria-controls"))
    assert panel.is_displayed()
    block = reviewsite.fixture_lines("vllm/block.py")
    for no in (25, 30, 35):
        line = re.escape(block[no - 1].strip())
        assert re.search(rf"^\s*{no}\s*{line}$", panel.text, re.M), (no, panel.text)
    assert "vllm/block.py" in panel.text
    link = panel.find_element(_by("LINK_TEXT"), "GitHub permalink").get_attribute("href")
    assert link == f"https://github.com/vllm-project/vllm/blob/{built.sha}/vllm/block.py#L25-L35"
    assert panel.find_elements(_by("CSS_SELECTOR"), "pre.hl span.k")  # Pygments: `class` is a keyword
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not panel.is_displayed()


def test_a_planted_wrong_citation_is_marked_where_it_stands(browser: Any, built: Site) -> None:
    browser.get(built.page("defects").as_uri())
    target = _side_target(browser, "L24 cite-out-of-range")  # block.py:40-45 of a 39-line file
    bad = browser.find_element(_by("ID"), target)
    assert bad.tag_name == "button" and bad.text.strip() == "block.py:40-45"
    assert "err" in bad.get_attribute("class").split()
    msg = browser.find_element(_by("ID"), bad.get_attribute("aria-describedby"))
    assert msg.is_displayed() and "vllm/block.py has 39 lines" in msg.text
    assert msg.value_of_css_property("color") == "rgba(179, 38, 30, 1)"  # the error colour
    doubtful = browser.find_element(_by("ID"), _side_target(browser, "L11 cite-ambiguous"))
    assert "warn" in doubtful.get_attribute("class").split()
    # following the side list opens the citation and focuses it
    browser.find_element(_by("CSS_SELECTOR"), f'#findings a[href="#{target}"]').click()
    assert browser.switch_to.active_element.get_attribute("id") == target
    assert bad.get_attribute("aria-expanded") == "true"
    for a in _css(browser, "#findings a"):  # every entry of the list has a target
        assert browser.find_elements(_by("ID"), str(a.get_attribute("href")).split("#", 1)[1])


def test_no_request_leaves_file_and_no_console_error(browser: Any, built: Site) -> None:
    for path in (built.index, built.page("defects"), built.page("hostile")):
        browser.get(path.as_uri())
        if path == built.index:
            _css(browser, "thead button")[2].click()
        else:
            browser.find_element(_by("CSS_SELECTOR"), 'button.all[data-open="1"]').click()
            assert all(b.get_attribute("aria-expanded") == "true" for b in _css(browser, "button.cite"))
        urls, _ = _network(browser)
        assert urls and all(u.startswith(("file://", "data:")) for u in urls), urls
        assert _severe(browser) == []


def test_the_csp_blocks_what_a_tampered_page_would_load(browser: Any, built: Site, tmp_path: Path) -> None:
    """The two checks above can see a failure: a page edited to load things is seen and blocked."""
    page = tmp_path / "tampered.html"
    shutil.copy(built.page("defects"), page)
    extra = '<img src="http://127.0.0.1:9/x.png"><script src="http://127.0.0.1:9/x.js"></script></body>'
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", extra), encoding="utf-8")
    browser.get(page.as_uri())
    urls, failed = _network(browser)
    tried = [u for u in urls if u.startswith("http")]
    assert tried == ["http://127.0.0.1:9/x.png", "http://127.0.0.1:9/x.js"]
    assert {u: failed.get(u) for u in tried} == {u: "csp" for u in tried}
    assert any("Content Security Policy" in str(e["message"]) for e in _severe(browser))
    _css(browser, "button.cite")[0].click()  # the page's own script still runs: its hash is allowed
    assert _css(browser, ".panel")


def test_hostile_notes_stay_inert(browser: Any, built: Site) -> None:
    browser.get(built.page("hostile").as_uri())
    body = browser.find_element(_by("TAG_NAME"), "body").text
    assert "<script>window.__pwned = 1</script>" in body  # shown as text
    assert '<img src=x onerror="window.__pwned = 1">' in body
    assert browser.execute_script("return document.scripts.length") == 1
    count = "return document.querySelectorAll(arguments[0]).length"
    assert browser.execute_script(count, "img,iframe,object,embed,form,style:not(head style)") == 0
    assert browser.execute_script(count, "[onerror],[onclick],[onload],[style]") == 0
    hrefs = [a.get_attribute("href") for a in browser.find_elements(_by("TAG_NAME"), "a")]
    assert all(h.startswith(("https://", "file://")) for h in hrefs), hrefs
    for el in browser.find_elements(_by("XPATH"), "//p[contains(., 'javascript:window.__pwned')]"):
        el.click()
    assert browser.execute_script("return window.__pwned") is None
    assert browser.find_element(_by("CSS_SELECTOR"), "body").is_displayed()  # the <style> did not apply
    assert _severe(browser) == []


@pytest.mark.parametrize("width", [800, 1400])
def test_usable_at_800_and_1400_pixels(browser: Any, built: Site, width: int) -> None:
    browser.set_window_size(width, 1000)
    for path in (built.page("defects"), built.index):
        browser.get(path.as_uri())
        if path != built.index:
            browser.find_element(_by("CSS_SELECTOR"), 'button.all[data-open="1"]').click()
        inner = browser.execute_script("return window.innerWidth")
        assert abs(inner - width) <= 20, inner
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= inner  # nothing scrolls sideways
    browser.get(built.page("defects").as_uri())
    side = browser.find_element(_by("CSS_SELECTOR"), "aside.side").rect
    notes = browser.find_element(_by("CSS_SELECTOR"), "article.notes").rect
    if width == 1400:
        assert side["x"] >= notes["x"] + notes["width"] - 1  # the findings beside the notes
    else:
        assert side["y"] + side["height"] <= notes["y"] + 1  # the findings above the notes


def test_usable_by_keyboard(browser: Any, built: Site) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(built.page("defects").as_uri())
    for _ in range(60):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        el = browser.switch_to.active_element
        if el.tag_name == "button" and "cite" in el.get_attribute("class").split():
            break
    else:
        raise AssertionError("Tab never reached a citation")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert el.get_attribute("aria-expanded") == "true"
    assert browser.find_element(_by("ID"), el.get_attribute("aria-controls")).is_displayed()
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert el.get_attribute("aria-expanded") == "false"


def test_the_index_sorts_and_links_to_each_page(browser: Any, built: Site) -> None:
    browser.get(built.index.as_uri())
    assert "3 submissions" in browser.find_element(_by("CSS_SELECTOR"), ".summary").text

    def paths() -> list[str]:
        rows = _css(browser, "#subs tbody tr")
        return [r.find_element(_by("CSS_SELECTOR"), "td.path a").text for r in rows]

    assert paths() == sorted(paths())
    errors = _css(browser, "thead button")[7]
    errors.click()
    errors.click()  # descending: the defective notes first
    assert paths()[0] == str(built.notes["defects"])
    assert errors.find_element(_by("XPATH"), "..").get_attribute("aria-sort") == "descending"
    browser.find_element(_by("LINK_TEXT"), str(built.notes["defects"])).click()
    assert browser.find_element(_by("TAG_NAME"), "h1").text == str(built.notes["defects"])
    browser.find_element(_by("LINK_TEXT"), "\u2190 All submissions").click()
    assert browser.title == "Review of submitted notes"
