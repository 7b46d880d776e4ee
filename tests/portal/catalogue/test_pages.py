"""The catalogue (/services/), a service's passport (/services/<code>/) and the home page."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext, ngettext

from portal.formatting import duration_text, fee_text
from services.catalogue.loading import DEFAULT_CATALOGUE, catalogue_load_file
from services.catalogue.models import LifeEvent, ResultDocument, Service
from tests.factories import ServiceFactory
from tests.portal.catalogue.html import headings_in_order, read

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"
DATA = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


def item(code):
    return next(service for service in DATA["services"] if service["code"] == code)


@pytest.fixture
def catalogue():
    catalogue_load_file()


def get(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, unescape(response.content.decode())


def flat(html):
    """The page with runs of ASCII white space made one space (no-break spaces are part of the text)."""
    return re.sub(r"[ \t\r\n]+", " ", html)


def result_links(html):
    return [href for href, _ in read(html).links if href.startswith("/services/") and href.count("/") == 3]


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


# The catalogue


@pytest.mark.parametrize("text", ["паспорт", "ПАСПОРТ"])
def test_searching_in_russian_finds_the_identity_document_whatever_the_case(client, catalogue, text):
    response, html = get(client, f"/services/?q={text}", "ru")
    assert response.status_code == 200
    assert result_links(html) == ["/services/identity-document/"]
    assert "Оформление удостоверения личности или паспорта" in html
    assert "Министерство внутренних дел Республики Казахстан" in html
    assert f"865{NBSP}₸" in html
    assert in_language("ru", gettext, "Decided by an officer") in html
    assert in_language("ru", ngettext, "%(counter)s service found", "%(counter)s services found", 1) % {
        "counter": 1
    } in flat(html)
    assert 'value="паспорт"' in html.replace(text, "паспорт")  # the search box keeps the words


def test_searching_in_kazakh_with_kazakh_letters_in_capitals(client, catalogue):
    _, html = get(client, "/services/?q=ТҰРҒЫЛЫҚТЫ+тіркеу", "kk")
    assert "/services/residence-registration/" in result_links(html)
    assert "/services/identity-document/" not in result_links(html)
    assert "Тұрғылықты жері бойынша тіркеу" in html
    assert in_language("kk", gettext, "Decided automatically") in html


def test_searching_in_english(client, catalogue):
    _, html = get(client, "/services/?q=Entrepreneur", "en")
    assert result_links(html) == ["/services/individual-entrepreneur-registration/"]
    assert "Register as an individual entrepreneur" in html
    assert "State Revenue Committee, Ministry of Finance" in html
    assert "Free" in html and "Decided automatically" in html
    assert "1 service found" in html


def test_no_result_says_so_and_offers_the_whole_catalogue(client, catalogue):
    _, html = get(client, "/services/?q=certificate+kindergarten", "en")
    assert result_links(html) == []
    assert "0 services found" in html and "No service matches your search" in html
    assert ("/services/", "See all services") in read(html).links


def test_the_whole_catalogue_with_filters_and_counts(client, catalogue):
    _, html = get(client, "/services/", "en")
    assert len(result_links(html)) == Service.objects.filter(active=True).count() == 15
    assert "15 services found" in html
    links = dict((text, href) for href, text in read(html).links)
    assert links["Having a baby (5)"] == "?life_event=birth-of-child"
    assert links["Ministry of Internal Affairs (4)"] == "?agency=internal-affairs"


def test_filtering_by_life_event_then_agency_by_following_the_links(client, catalogue):
    _, html = get(client, "/services/", "en")
    moving = next(href for href, text in read(html).links if text.startswith("Moving house"))
    _, html = get(client, f"/services/{moving}", "en")
    assert set(result_links(html)) == {
        f"/services/{code}/"
        for code in (
            "residence-registration",
            "kindergarten-waiting-list",
            "clinic-attachment",
            "address-certificate",
            "real-estate-rights-certificate",
        )
    }
    assert "Remove the filter “Moving house”" in html
    police = next(href for href, text in read(html).links if text == "Ministry of Internal Affairs (2)")
    _, html = get(client, f"/services/{police}", "en")
    assert set(result_links(html)) == {"/services/residence-registration/", "/services/address-certificate/"}
    remove = dict((text, href) for href, text in read(html).links)["Remove the filter “Moving house”"]
    assert remove == "?agency=internal-affairs"


def test_a_search_keeps_its_filters_in_the_form(client, catalogue):
    _, html = get(client, "/services/?life_event=birth-of-child&q=", "ru")
    assert '<input type="hidden" name="life_event" value="birth-of-child">' in html
    _, html = get(client, "/services/?life_event=birth-of-child&q=пособие", "ru")
    assert set(result_links(html)) == {"/services/childbirth-benefit/", "/services/large-family-allowance/"}


def test_an_unknown_filter_code_is_dropped_and_the_words_kept(client, catalogue):
    response = client.get("/services/?q=паспорт&agency=nobody&life_event=birth-of-child")
    assert response.status_code == 302
    assert response.url == "/services/?q=%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82&life_event=birth-of-child"


def test_the_catalogues_query_count_does_not_grow_with_the_number_of_services(
    client, catalogue, django_assert_max_num_queries
):
    urls = ["/services/", "/services/?q=справка", "/services/?life_event=birth-of-child&agency=internal-affairs"]
    baseline = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, url, "ru")[0].status_code == 200
        baseline[url] = len(queries)
    assert max(baseline.values()) <= 4
    event = LifeEvent.objects.get(code="birth-of-child")
    for _ in range(25):
        service = ServiceFactory()  # each with an agency of its own
        service.life_events.add(event)
        service.search_refresh()
    for url in urls:
        with django_assert_max_num_queries(baseline[url]):
            assert get(client, url, "ru")[0].status_code == 200
    assert len(result_links(get(client, "/services/?q=справка", "ru")[1])) == 3 + 25


# The service passport


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_passport_shows_everything_a_citizen_needs_before_starting(client, catalogue, language):
    data = item("marriage-registration")
    response, html = get(client, "/services/marriage-registration/", language)
    assert response.status_code == 200
    text = flat(html)
    assert data["name"][language] in html and data["description"][language] in html
    assert next(a["name"][language] for a in DATA["agencies"] if a["code"] == data["agency"]) in html
    assert {"kk": f"3{NBSP}450{NBSP}₸", "ru": f"3{NBSP}450{NBSP}₸", "en": f"3,450{NBSP}₸"}[language] in html
    days = in_language(language, ngettext, "%(counter)s working day", "%(counter)s working days", 22)
    assert days % {"counter": 22} in text
    assert in_language(language, duration_text, timedelta(days=1)) in html
    for document in data["required_documents"]:
        assert document["name"][language] in html
    for ground in data["refusal_grounds"]:
        assert ground["text"][language] in html
    assert data["in_person_steps"]
    assert in_language(language, gettext, "What you must do in person") in html
    for step in data["in_person_steps"]:
        assert step["text"][language] in html
    for page in data["form"]["x-pages"]:
        assert page["title"][language] in html
    assert in_language(language, gettext, "Decided by an officer") in html
    assert in_language(language, ResultDocument(data["result_document"]).label.__str__) in html
    start = [(href, label) for href, label in read(html).links if href == "/services/marriage-registration/apply/"]
    assert start == [(start[0][0], f"{in_language(language, gettext, 'Start now')}: {data['name'][language]}")]


def test_the_passport_in_english_reads_as_written(client, catalogue):
    _, html = get(client, "/services/identity-document/", "en")
    text = flat(html)
    for expected in (
        '<h1 class="passport__title">ID card or passport</h1>',
        f"<dd>865{NBSP}₸</dd>",
        "15 working days",
        "<dd>5 days</dd>",
        "Your previous identity document or birth certificate",
        "Decided by an officer",
        'href="/services/identity-document/apply/">Start now',
    ):
        assert expected in text


def test_a_free_service_says_so_in_each_language(client, catalogue):
    for language in ("kk", "ru", "en"):
        _, html = get(client, "/services/criminal-record-certificate/", language)
        assert f"<dd>{in_language(language, gettext, 'Free')}</dd>" in html
        assert in_language(language, duration_text, timedelta(minutes=10)) in html
    assert "<dd>Free</dd>" in get(client, "/services/criminal-record-certificate/", "en")[1]
    assert "Automatic, with an officer when needed" in get(client, "/services/criminal-record-certificate/", "en")[1]


def test_a_service_without_documents_or_grounds_says_so(client):
    service = ServiceFactory(required_documents=[], refusal_grounds=[])
    _, html = get(client, f"/services/{service.code}/", "en")
    assert "You do not need to upload any documents" in html
    assert "The law sets no specific grounds for refusing this service." in html
    assert "What you must do in person" not in html


def test_an_unknown_or_inactive_service_is_not_found(client, catalogue):
    assert client.get("/services/no-such-service/").status_code == 404
    Service.objects.filter(code="vehicle-registration").update(active=False)
    assert client.get("/services/vehicle-registration/").status_code == 404
    assert "/services/vehicle-registration/" not in result_links(get(client, "/services/", "en")[1])


def test_the_passport_query_count_is_fixed(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/services/identity-document/").status_code == 200


# The home page


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_home_page_offers_search_life_events_and_the_whole_catalogue(client, catalogue, language):
    _, html = get(client, "/", language)
    page = read(html)
    assert 'action="/services/"' in html and 'name="q"' in html
    for event in DATA["life_events"]:
        assert (f"/services/?life_event={event['code']}", event["name"][language]) in page.links
    browse = in_language(language, ngettext, "Browse all %(counter)s service", "Browse all %(counter)s services", 15)
    assert ("/services/", browse % {"counter": 15}) in page.links


def test_the_home_page_query_count_is_fixed(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200


# Accessibility and weight


@pytest.mark.parametrize(
    "url", ["/", "/services/", "/services/?q=справка&life_event=moving-house", "/services/identity-document/"]
)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_pages_have_ordered_headings_landmarks_no_script_and_the_catalogue_styles(client, catalogue, url, language):
    _, html = get(client, url, language)
    page = read(html)
    assert headings_in_order(page), page.headings
    assert {"header", "main"} <= set(page.landmarks)
    assert ("search" in page.landmarks) == ("identity-document" not in url)  # the passport is not a search page
    assert "nav" in page.landmarks  # the main menu, and breadcrumbs below the home page
    assert page.scripts == 0
    assert page.stylesheets == ["/static/portal/portal.css"]
    assert all(text for _, text in page.links), "every link has text"
    assert len(html.encode()) < 20_000


def test_links_make_sense_out_of_context(client, catalogue):
    _, html = get(client, "/services/identity-document/", "en")
    texts = [text for _, text in read(html).links]
    assert "Start now: ID card or passport" in texts
    assert not {"here", "click here", "more", "Start now"} & set(texts)


# Formatting


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (10, "10 minutes"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (1440, "1 day"),
        (7200, "5 days"),
        (1441, "1 day 1 minute"),
    ],
)
def test_durations_are_worded_in_the_largest_units(minutes, text):
    assert in_language("en", duration_text, timedelta(minutes=minutes)) == text


def test_fees_are_grouped_the_way_each_language_writes_them():
    assert in_language("en", fee_text, 0, "en") == "Free"
    assert fee_text(865, "kk") == f"865{NBSP}₸"
    assert fee_text(1234567, "ru") == f"1{NBSP}234{NBSP}567{NBSP}₸"
    assert fee_text(1234567, "en") == f"1,234,567{NBSP}₸"
