"""Dates and numbers as each language writes them; Kazakh from the project's own format module."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from services.apiclients.tokens import token_create
from tests.factories import UserFactory

ALMATY = ZoneInfo("Asia/Almaty")
MOMENT = datetime(2026, 12, 4, 23, 36, tzinfo=ALMATY)
DATES = Template(
    '{{ moment|date:"DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|date:"SHORT_DATE_FORMAT" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "04.12.2026|04.12.2026 23:36|04.12.2026"),
        ("ru", "4 декабря 2026 г.|4 декабря 2026 г. 23:36|04.12.2026"),
        ("en", "Dec. 4, 2026|Dec. 4, 2026, 11:36 p.m.|12/04/2026"),
    ],
)
def test_dates_are_in_the_order_and_clock_of_the_language(language, expected):
    with translation.override(language):
        assert DATES.render(Context({"moment": MOMENT})) == expected


@pytest.mark.django_db
def test_the_tokens_page_shows_dates_in_the_readers_format():
    citizen = UserFactory()
    token, _ = token_create(user=citizen, name="Budget app", lifetime_days=30)
    token.expires_at = datetime(2027, 1, 3, 12, 0, tzinfo=ALMATY)
    token.last_used_at = MOMENT
    token.save()
    client = Client()
    client.force_login(citizen)
    page = client.get("/accounts/profile/tokens/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "<td>03.01.2027</td>" in page and "<td>04.12.2026 23:36</td>" in page
    assert "2027-01-03" not in page
