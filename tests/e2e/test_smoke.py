"""The browser set-up itself: Chromium opens the live portal's home page in each language, accessibly."""

import pytest

from tests.e2e.conftest import serious_violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_home_page_opens_in_chromium_without_serious_accessibility_problems(page, portal, axe, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": portal}])
    response = page.goto(f"{portal}/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert serious_violations(axe, page) == []
