import re

import pytest
from axes.utils import reset as axes_reset
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Rate-limit counters live in the cache and axes' failures in the database: start every test clean."""
    cache.clear()
    axes_reset()
    yield
    cache.clear()


def sms_code(message) -> str:
    return re.search(r"\b(\d{6})\b", message.text).group(1)


def field_error(html: str, field: str) -> str:
    """The text of the error message shown next to a field (its id is <field id>-error)."""
    match = re.search(rf'<p class="field__error" id="id_{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
