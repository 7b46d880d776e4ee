"""The staff dashboard and the public service performance page in Chromium, checked by axe-core."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from services.metrics.service import metrics_catch_up
from services.workflow.states import Action, Channel
from tests.e2e.conftest import serious_violations
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.otp import verified_client
from tests.portal.dashboard.conftest import MONDAY, WEDNESDAY
from tests.services.metrics.histories import decided_by_officer, issued_automatically, start

pytestmark = pytest.mark.e2e
FEBRUARY = "start=2026-02-01&end=2026-02-28"


@pytest.fixture
def clerk(portal):
    service = ServiceFactory(code="certificate", legal_deadline_days=5)
    clerk = StaffFactory(agency=service.agency)
    # In one transaction, so the side effects queued on commit find the requests already moved on
    # by hand (as in the unit tests, where they never run).
    with transaction.atomic():
        issued_automatically(service, UserFactory(), MONDAY)
        issued_automatically(service, UserFactory(), MONDAY, Channel.API)
        decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)
        start(service, UserFactory(), MONDAY)
    metrics_catch_up()
    cache.clear()
    return clerk


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_both_dashboard_pages_pass_axe(browser, portal, clerk, axe, language, artifacts_dir):
    session = verified_client(clerk).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context()
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": portal},
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": portal},
        ]
    )
    page = context.new_page()
    for url in (
        f"/dashboard/?{FEBRUARY}",
        f"/dashboard/public/?{FEBRUARY}",
        "/dashboard/?start=2026-02-10&end=2026-02-01",
    ):
        response = page.goto(portal + url)
        assert response is not None and response.status in (200, 400), url
        page.locator("details").evaluate_all("nodes => nodes.forEach(node => node.open = true)")
        assert serious_violations(axe, page) == [], url
        name = url.split("?")[0].strip("/").replace("/", "-")
        page.screenshot(path=artifacts_dir / f"{name}-{response.status}-{language}.png", full_page=True)
    assert page.locator("svg[role=img]").count() == 0  # the page with a bad filter draws nothing
    context.close()
