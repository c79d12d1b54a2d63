"""Real-browser tests: Playwright for Python drives Debian's chromium against pytest-django's live server.

Never downloads a browser: it launches /usr/bin/chromium (the `chromium` apt package), and every test here
skips when that is absent. `live_server` makes each test transactional, and a transactional test starts from
a flushed database, so the built-in regions and carrier companies are restored first.
"""

import os

import pytest

from anxin.fulfilment.services import ensure_builtin_carriers
from anxin.geo.services import ensure_builtin_regions
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests make between
# browser steps are still plain synchronous calls, so Django's async-safety guard must stand aside.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("ANXIN_REQUIRE_BROWSER"):  # CI: a missing browser is a failure, never a skip
            pytest.fail("Debian's chromium is not installed at /usr/bin/chromium")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # a loaded CI machine is slower than a person's laptop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """The live server's base URL, on a database restored after the previous transactional test's flush
    (tests/conftest.py forgets the ledger's cached account ids before every test)."""
    ensure_builtin_regions()
    ensure_builtin_carriers()
    return live_server.url


@pytest.fixture
def open_page(chromium, site):
    """`open_page(viewport)` -> a fresh page with its own cookies, in Chinese as a mainland buyer's browser is.

    Every page the test visits must run without a JavaScript error and satisfy the Content-Security-Policy:
    a blocked script or a policy violation fails the test that saw it."""
    contexts = []
    problems: list[str] = []

    def watch(page) -> None:
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def make(viewport=DESKTOP):
        context = chromium.new_context(
            base_url=site,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("page", watch)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def page(open_page):
    return open_page()
