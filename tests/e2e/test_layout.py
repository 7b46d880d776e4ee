"""At 360 px wide no citizen page scrolls sideways; the main pages are kept as full-page screenshots.

The screenshots are written to artifacts/screenshots/ (kept by CI, ignored by git), one per
page and language, for a person to look at.
"""

import pytest

from services.audit.models import Purpose
from services.audit.service import access_record
from services.workflow.states import Channel
from tests.e2e.citizen_pages import citizen_visits
from tests.e2e.conftest import browse, open_page
from tests.factories import StaffFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
# The main pages, with the variant of each worth a picture (a request page waiting for an answer).
SCREENSHOTS = {
    "home": "home",
    "catalogue": "catalogue",
    "service_passport": "passport",
    "apply_page": "apply-question",
    "apply_check": "check-answers",
    "apply_done": "confirmation",
    "my_requests": "my-requests",
    "login": "login",
    "signup": "signup",
    "profile": "profile",
    "verify": "verify",
}
WIDEST = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_no_citizen_page_scrolls_sideways_at_360_px(browser, portal, citizen_objects, artifacts_dir, language):
    anonymous = browse(browser, portal, language=language, viewport=PHONE).new_page()
    signed_in = browse(browser, portal, language=language, citizen=citizen_objects.citizen, viewport=PHONE).new_page()
    waiting = f"/requests/{citizen_objects.info_requested.reference}/"
    too_wide, pictures = {}, set()
    for visit in citizen_visits(citizen_objects):
        page = anonymous if visit.anonymous else signed_in
        open_page(page, portal, visit)
        width, viewport = page.evaluate(f"[{WIDEST}, window.innerWidth]")
        if width > viewport:
            too_wide[visit.url] = width
        name = "request" if visit.url == waiting else SCREENSHOTS.get(visit.name)
        if name and name not in pictures:
            page.screenshot(path=artifacts_dir / f"360-{name}-{language}.png", full_page=True)
            pictures.add(name)
    assert too_wide == {}, f"wider than {PHONE['width']} px"
    assert pictures == {*SCREENSHOTS.values(), "request"}


def test_who_saw_your_data_scrolls_inside_its_table_not_the_page_at_375_px(browser, portal, citizen_objects):
    """The access records table is the widest part of a request page, longest in Kazakh."""
    tracked = citizen_objects.info_requested
    officer = StaffFactory(agency=tracked.service.agency, first_name="Гүлназ", last_name="Төлеубекова")
    access_record(user=officer, request=tracked, purpose=Purpose.ACTED, channel=Channel.WEB)
    context = browse(
        browser, portal, language="kk", citizen=citizen_objects.citizen, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{portal}/requests/{tracked.reference}/")
    assert page.locator(".table-scroll table").count() == 1
    width, viewport = page.evaluate(f"[{WIDEST}, window.innerWidth]")
    assert width <= viewport
