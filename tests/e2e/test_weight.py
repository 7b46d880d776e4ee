"""Every citizen page, with everything it loads, weighs under 150 KB, measured in the browser."""

import pytest

from tests.e2e.citizen_pages import citizen_visits
from tests.e2e.conftest import browse, open_page

pytestmark = pytest.mark.e2e

BUDGET_BYTES = 150 * 1024


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_citizen_page_weighs_under_150_kb(browser, portal, citizen_objects, language):
    visits = citizen_visits(citizen_objects)
    anonymous = browse(browser, portal, language=language).new_page()
    signed_in = browse(browser, portal, language=language, citizen=citizen_objects.citizen).new_page()
    weights = {
        **_weigh(anonymous, portal, [visit for visit in visits if visit.anonymous]),
        **_weigh(signed_in, portal, [visit for visit in visits if not visit.anonymous]),
    }
    print(f"\npage weights ({language}), bytes of every response a page loads:")
    for url, weight in sorted(weights.items(), key=lambda item: -item[1]):
        print(f"{weight:>8}  {url}")
    assert len(weights) == len({visit.url for visit in visits})
    assert {url: weight for url, weight in weights.items() if weight >= BUDGET_BYTES} == {}


def _weigh(page, portal, visits) -> dict[str, int]:
    """Each page's bytes: the bodies of all responses of a load of its own (redirects have none)."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    weights = {}
    for visit in visits:
        open_page(page, portal, visit)  # a sign-up started first for the code page is not counted:
        responses.clear()
        page.reload(wait_until="load")  # the page is weighed on a load of its own
        weights[visit.url] = sum(len(response.body()) for response in responses if not 300 <= response.status < 400)
    return weights
