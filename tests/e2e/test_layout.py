"""At 360 px wide no citizen page scrolls sideways; the main pages are kept as full-page screenshots.

The screenshots are written to artifacts/screenshots/ (kept by CI, ignored by git), one per
page and language, for a person to look at.
"""

import pytest

from tests.e2e.citizen_pages import citizen_visits
from tests.e2e.conftest import browse, open_page

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
