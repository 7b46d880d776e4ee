"""Widgets no shipped form uses yet: a yes/no checkbox, and the widget a field gets without `x-widget`."""

import pytest

from portal.apply.questions import widget_of
from services.workflow.states import State
from tests.factories import ServiceFactory, text
from tests.portal.apply.support import check_url, html, page_url, start

pytestmark = pytest.mark.django_db

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "x-pages": [{"id": "extra", "title": text("Extra")}],
    "properties": {
        "urgent": {"type": "boolean", "x-label": text("Urgent"), "x-page": "extra", "x-widget": "checkbox"},
        "copies": {"type": "integer", "minimum": 1, "x-label": text("Copies"), "x-page": "extra"},
        "on": {"type": "string", "format": "date", "x-label": text("On"), "x-page": "extra"},
    },
    "required": ["copies"],
}


def test_a_checkbox_is_saved_as_true_and_unticking_it_clears_it(as_citizen):
    service = ServiceFactory(form=SCHEMA)
    draft, first = start(as_citizen, service.code)
    page = html(as_citizen.get(first))
    assert '<legend class="fieldset__legend">Urgent (рус.)</legend>' in page
    assert 'type="checkbox"' in page
    assert 'type="date"' in page

    as_citizen.post(first, {"urgent": "true", "copies": "2", "on": "2026-05-04"})
    draft.refresh_from_db()
    assert draft.form_data == {"urgent": True, "copies": 2, "on": "2026-05-04"}
    check = html(as_citizen.get(check_url(draft)))
    assert "04.05.2026" in check
    assert '<dd class="summary-list__value">Да</dd>' in check

    as_citizen.post(page_url(draft, "extra", returning=True), {"copies": "2"})
    draft.refresh_from_db()
    assert draft.form_data == {"copies": 2}
    assert draft.state == State.DRAFT


@pytest.mark.parametrize(
    "spec, widget",
    [
        ({"type": "string", "enum": ["a", "b"]}, "radios"),
        ({"type": "string", "enum": list("abcdef")}, "select"),
        ({"type": "boolean"}, "checkbox"),
        ({"type": "number"}, "number"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "string"}, "text"),
        ({"type": "string", "x-widget": "textarea"}, "textarea"),
    ],
)
def test_a_field_without_x_widget_gets_the_natural_one_for_its_type(spec, widget):
    assert widget_of(spec) == widget
