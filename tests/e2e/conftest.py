"""Browser tests: the demo town served on a loopback port, driven by Playwright with Debian's Chromium.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_E2E=1 (CI), where a
missing browser is a failure. Screenshots go to tests/e2e/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The two sizes every journey runs at: an office laptop and a common phone.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() and shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_E2E") == "1":
        raise pytest.UsageError("REQUIRE_E2E=1 but /usr/bin/chromium is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason="Debian chromium not installed")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory):
    """A demo town of its own: browser journeys write (drafts, attendance) without touching ``demo_app``."""
    from enforcement.demo.loader import load_demo
    from enforcement.extensions import db
    from tests.conftest import drop_schema, make_app

    app, url = make_app(tmp_path_factory.mktemp("e2e"), "e2e", SEARCH_SYNC_AFTER_REQUEST=True)
    with app.app_context():
        load_demo(3000)
        db.session.commit()
        from enforcement.search.services import sync

        sync()  # the search index of this demo town (first sync builds it)
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


@pytest.fixture(scope="session")
def live_server(e2e_app):
    """The e2e demo app on 127.0.0.1 in a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, e2e_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser):
    """A page at each of the two sizes in turn (``sized_page.size`` is "desktop" or "phone"), for
    journeys that must work on the office laptop and on a phone alike."""
    phone = request.param == "phone"
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN", is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored) on the page; return violations of the given impacts."""
    # Evaluated through the browser's devtools channel, which the site's CSP (no inline script) does not govern;
    # an injected <script> element would be refused by it, as it should be.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def submit(page, button) -> None:
    """Press a button and wait for the page it leads to (a POST answered by a redirect), so the
    assertions that follow read the new page, however slow the machine is."""
    with page.expect_navigation(timeout=30_000):
        button.click()


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form itself (the header's search form has a submit button too)."""
    page.goto(f"{base_url}/login")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    submit(page, form.locator("button[type=submit]"))
    page.wait_for_url(lambda url: "/login" not in url)


def staff_nav_link(page, label: str):
    """The staff menu's link named ``label``; on a phone the menu folds behind its 工作菜单 button, which
    this opens first (on a laptop the button is not shown)."""
    toggle = page.locator(".staff-menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    return page.locator("#staff-menu").get_by_role("link", name=label, exact=True)
