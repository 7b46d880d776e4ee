"""Browser tests: Playwright in the machine's Chromium against a live server on the test database.

The live server runs in a thread of this process, so the side effects it records run in-process
(Celery is eager in tests, see tests/conftest.py): no worker process needs to see the test database.
"""

import itertools
import os
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from services.accounts.iin import make_iin
from services.catalogue.loading import catalogue_load_file
from tests.e2e.citizen_pages import Visit, objects_for_pages
from tests.services.documents.support import TEST_SIGNING_KEY

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Screenshots are kept as CI artefacts (ignored by git).
ARTIFACTS = E2E_DIR.parents[1] / "artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}


def _is_browser_test(item) -> bool:
    return E2E_DIR in item.path.parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run last: once Playwright has started, Django sees its event loop in this thread
    and would refuse the ORM calls of the tests after them."""
    items.sort(key=_is_browser_test)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Playwright's sync API runs an event loop in this thread; the ORM calls of the browser tests and
    their fixtures (set-up and teardown) are still synchronous and safe. The variable is set only
    around each browser test, so it never reaches the deploy check, which refuses it."""
    if not _is_browser_test(item):  # this hook is called for every test of the run
        return (yield)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        return (yield)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def portal(live_server, transactional_db, settings, tmp_path):
    """The live portal with the real catalogue, test signing key and a private MEDIA_ROOT; its base URL."""
    settings.DOCUMENT_SIGNING_KEY = TEST_SIGNING_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = live_server.url
    catalogue_load_file()
    return live_server.url


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def serious_violations(axe: Axe, page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each (empty when clean)."""
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def log_in(page, base_url: str, *, iin: str, password: str, language: str = "en") -> None:
    """Log in through the login page, reading the portal in `language`."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", iin)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def citizen_objects(portal, sms_outbox):
    """The demo citizen with a draft, a request waiting for an answer and an issued one; rate limits reset."""
    cache.clear()
    return objects_for_pages()


def browse(browser, base_url: str, *, language: str, citizen=None, **context_args):
    """A new browser context reading the portal in `language`, signed in as `citizen` when given."""
    context = browser.new_context(**context_args)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    if citizen is not None:
        client = Client()
        client.force_login(citizen)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    context.add_cookies(cookies)
    return context


_signups = itertools.count(1)


def open_page(page, base_url: str, visit: Visit):
    """Open a citizen page (starting a sign-up first for the code page); fails unless it answers 200."""
    if visit.needs_signup_in_progress:
        _start_signup(page, base_url)
    response = page.goto(base_url + visit.url)
    assert response is not None and response.status == 200, f"{visit.url}: {response and response.status}"
    if not visit.anonymous:
        assert "/accounts/login/" not in page.url, f"{visit.url} sent the signed-in citizen to log in"
    return response


def _start_signup(page, base_url: str) -> None:
    # A new IIN each time: the codes sent per IIN are rate limited.
    iin = make_iin(date(1995, 5, 5), female=False, serial=next(_signups))
    page.goto(f"{base_url}/accounts/signup/")
    page.fill("input[name=iin]", iin)
    page.fill("input[name=email]", f"{iin}@example.kz")
    page.fill("input[name=password]", "a long enough passphrase 2026")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/signup/code/")
