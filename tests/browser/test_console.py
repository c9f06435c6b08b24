"""The newsroom console in a real headless Chromium, over a real worker and broker.

The tests run in file order and share one page: sign in, watch a wire arrive,
open it, subscribe and get an alert, and see markup in a headline stay text.
Wires are posted to the worker's POST /wires and go through every stage.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, ConsoleWorker

pytestmark = pytest.mark.integration

#: A wire goes through parse, entities (spaCy), clusters, topics and release.
PIPELINE_SECONDS = 180


def wire(headline: str, body: str) -> bytes:
    run = uuid.uuid4().hex[:6]
    return (
        f"{headline}\n\nFRANKFURT, Feb. 20 (Wirestream Test Wire) -- {body}\n\n"
        f"Filed as item {run} of the console tests.\n"
    ).encode()


def wait(driver: Any, seconds: float = 30) -> Any:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # The live list is redrawn whenever a story arrives: an element found a
    # moment ago may be gone, so a wait looks again instead of failing.
    return WebDriverWait(
        driver,
        seconds,
        poll_frequency=0.2,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    )


def open_story(driver: Any, text: str) -> None:
    """Click the story whose headline holds ``text``, looking it up afresh each try."""
    from selenium.webdriver.common.by import By

    def clicked(d: Any) -> bool:
        story_with(d, text, 5).click()
        return bool(d.find_elements(By.CSS_SELECTOR, "#story-view h2"))

    wait(driver).until(clicked)


def story_with(driver: Any, text: str, seconds: float = PIPELINE_SECONDS) -> Any:
    from selenium.webdriver.common.by import By

    def found(d: Any) -> Any:
        for node in d.find_elements(By.CSS_SELECTOR, "#stories .story .headline"):
            if text in (node.get_attribute("textContent") or ""):
                return node
        return False

    from selenium.common.exceptions import TimeoutException

    try:
        return wait(driver, seconds).until(found)
    except TimeoutException:
        held = driver.execute_script("return fetch('/console/api/stories').then(r => r.text())")
        logs = driver.get_log("browser")
        driver.save_screenshot(str(SCREENSHOTS / "failed.png"))
        rows = driver.execute_script("return document.getElementById('stories').innerText")
        pytest.fail(
            f"no story with {text!r} in the live wire view; the console holds {held[:2000]}; "
            f"browser log: {logs}; the list shows {rows!r}"
        )


@pytest.fixture(scope="module")
def page(browser: Any, console_worker: ConsoleWorker, screenshot: Any) -> Any:
    """The console, signed in with the console token, its event stream live."""
    from selenium.webdriver.common.by import By

    browser.get(f"{console_worker.url}/console/")
    token = wait(browser).until(lambda d: d.find_element(By.ID, "token"))
    wait(browser).until(lambda d: token.is_displayed())
    screenshot(browser, "01-sign-in")
    token.send_keys(console_worker.console_token)
    browser.find_element(By.ID, "signin-button").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "conn").text == "live")
    return browser


def test_an_ingested_wire_appears_without_reloading(
    page: Any, console_worker: ConsoleWorker, screenshot: Any
) -> None:
    marker = page.execute_script("window.__notReloaded = true; return window.__notReloaded;")
    assert marker is True
    console_worker.post_wire(
        wire(
            "Central bank holds rates steady as inflation cools",
            "The European Central Bank left its key interest rate unchanged on Thursday. "
            "ECB President Christine Lagarde told a news conference in Frankfurt that the "
            "Governing Council would keep watching wage growth in Germany and France.",
        )
    )
    story_with(page, "Central bank holds rates steady")
    # The same window object: the story came over the event stream, not a reload.
    assert page.execute_script("return window.__notReloaded === true;") is True
    screenshot(page, "02-live-wire")


def test_opening_a_story_shows_its_entities_highlighted_and_linked(
    page: Any, screenshot: Any
) -> None:
    from selenium.webdriver.common.by import By

    open_story(page, "Central bank holds rates steady")
    wait(page).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#story-view .body .entity"))
    marked = page.find_elements(By.CSS_SELECTOR, "#story-view .body .entity")
    kinds = {node.get_attribute("data-kind") for node in marked}
    names = {node.text for node in marked}
    assert "place" in kinds, names
    assert {"Frankfurt", "Germany", "France"} & names, names
    links = [n.get_attribute("href") or "" for n in marked if n.tag_name == "a"]
    assert links and all(h.startswith("https://www.wikidata.org/wiki/Q") for h in links), links
    places = page.find_element(By.CSS_SELECTOR, "#story-view .place-list").text
    assert {"Frankfurt", "Germany", "France"} & set(places.split()), places
    raw = page.find_element(By.CSS_SELECTOR, "#story-view .raw .rawtext").text
    assert "Central bank holds rates steady" in raw  # the raw wire beside the parsed one
    screenshot(page, "03-story-entities")


def test_a_subscription_made_in_the_page_gets_its_alert_live(
    page: Any, console_worker: ConsoleWorker, screenshot: Any
) -> None:
    from selenium.webdriver.common.by import By

    page.find_element(By.ID, "tab-subs").click()
    query = page.find_element(By.ID, "sub-query")
    query.send_keys("lighthouse AND (")
    wait(page).until(lambda d: "Column" in d.find_element(By.ID, "sub-check").text)
    assert page.find_element(By.ID, "sub-caret").text.endswith("^")
    screenshot(page, "04-query-error")
    query.clear()
    query.send_keys('lighthouse OR headline:"rates steady"')
    wait(page).until(lambda d: "valid" in d.find_element(By.ID, "sub-check").text)
    page.find_element(By.ID, "sub-test").click()
    summary = wait(page).until(lambda d: d.find_element(By.ID, "sub-test-summary"))
    assert summary.text.startswith("1 of "), summary.text  # the rates story of the first test
    page.find_element(By.ID, "sub-name").send_keys("Lighthouse watch")
    page.find_element(By.ID, "sub-create").click()
    wait(page).until(
        lambda d: (
            "Lighthouse watch" in d.find_element(By.ID, "subs").text
            and "Lighthouse watch" in d.find_element(By.ID, "alert-for").text
        )
    )
    # The subscription is in force once every worker has read it off its topic.
    wait(page, 60).until(
        lambda d: d.execute_script(
            "return fetch('/console/api/subscriptions').then(r => r.json())"
            ".then(b => b.subscriptions.some(s => s.name === 'Lighthouse watch'))"
        )
    )
    console_worker.post_wire(
        wire(
            "Storm damages historic lighthouse on the coast",
            "A storm damaged the lighthouse at Kiel on Thursday, the city said.",
        )
    )
    alert = wait(page, PIPELINE_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#alert-feed .alert"),
        "no alert arrived in the page",
    )[0]
    assert "Storm damages historic lighthouse" in alert.text
    assert "lighthouse" in alert.find_element(By.CSS_SELECTOR, ".reason").text
    screenshot(page, "05-alert-arrived")


def test_a_headline_with_markup_shows_as_text_and_runs_no_script(
    page: Any, console_worker: ConsoleWorker, screenshot: Any
) -> None:
    from selenium.webdriver.common.by import By

    page.find_element(By.ID, "tab-wire").click()
    headline = (
        "Rates <script>window.__pwned = 1</script> "
        '<img src=x onerror="window.__pwned = 2"> <b>hold</b>'
    )
    console_worker.post_wire(wire(headline, "The bank held its rates on Thursday."))
    shown = story_with(page, "<script>window.__pwned = 1</script>").get_attribute("textContent")
    assert shown == headline
    assert page.find_elements(By.CSS_SELECTOR, "#stories script, #stories img, #stories b") == []
    open_story(page, "<script>window.__pwned = 1</script>")
    wait(page).until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#story-view h2").get_attribute("textContent")
            == headline
        )
    )
    assert page.find_elements(By.CSS_SELECTOR, "#story-view h2 *") == []
    assert page.execute_script("return window.__pwned === undefined;") is True
    screenshot(page, "06-markup-as-text")
    page.find_element(By.ID, "tab-health").click()
    wait(page).until(lambda d: "parse" in d.find_element(By.ID, "health-stages").text)
    screenshot(page, "07-health")
