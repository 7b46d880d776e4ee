"""axe-core on every citizen page, taken from the URL resolver, in Kazakh, Russian and English."""

import pytest

from tests.e2e.citizen_pages import citizen_visits
from tests.e2e.conftest import browse, open_page, serious_violations

pytestmark = pytest.mark.e2e

# Pages the tour must reach, so a resolver walk that found nothing cannot pass.
MAIN_PAGES = {
    "home", "catalogue", "service_passport", "apply_start", "apply_page", "apply_check", "apply_done",
    "my_requests", "request_detail", "login", "signup", "signup_code", "profile", "verify", "verify_result",
}  # fmt: skip


def test_the_tour_covers_every_main_page(citizen_objects):
    assert {visit.name for visit in citizen_visits(citizen_objects)} >= MAIN_PAGES


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_no_citizen_page_has_serious_accessibility_problems(browser, portal, axe, citizen_objects, language):
    anonymous = browse(browser, portal, language=language).new_page()
    signed_in = browse(browser, portal, language=language, citizen=citizen_objects.citizen).new_page()
    problems = {}
    for visit in citizen_visits(citizen_objects):
        page = anonymous if visit.anonymous else signed_in
        open_page(page, portal, visit)
        assert page.locator("html").get_attribute("lang") == language, visit.url
        if found := serious_violations(axe, page):
            problems[visit.url] = found
    assert problems == {}
