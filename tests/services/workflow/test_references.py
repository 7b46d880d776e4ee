import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from services.workflow.models import AppendOnlyError, RequestEvent
from services.workflow.references import damm_digit, format_reference, is_valid_reference, next_reference
from services.workflow.service import draft_start, request_submit
from tests.factories import ServiceFactory, ServiceRequestFactory, UserFactory


def test_references_carry_a_check_digit_that_catches_typos():
    assert format_reference(42) == "0000-0042-" + str(damm_digit("00000042"))
    assert format_reference(123456789) == "1-2345-6789-" + str(damm_digit("123456789"))
    reference = format_reference(572)
    assert is_valid_reference(reference)
    digits = reference.replace("-", "")
    for position in range(len(digits) - 1):  # every adjacent transposition is caught
        swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
        if swapped != digits:
            assert not is_valid_reference(swapped)
    for wrong in "0123456789":  # every single wrong digit is caught
        if wrong != digits[5]:
            assert not is_valid_reference(digits[:5] + wrong + digits[6:])


@pytest.mark.django_db
def test_references_increase_and_never_repeat():
    references = [next_reference() for _ in range(20)]
    assert len(set(references)) == 20
    assert all(is_valid_reference(r) for r in references)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_get_fifty_distinct_valid_references():
    service = ServiceFactory()
    citizens = [UserFactory() for _ in range(50)]
    barrier = threading.Barrier(50)
    references, errors = [], []

    def file_one(citizen):
        try:
            barrier.wait(timeout=30)
            draft = draft_start(citizen=citizen, service=service)
            draft.form_data = {"purpose": "work", "phone": "+77011234567"}
            draft.save(update_fields=["form_data"])
            references.append(request_submit(request=draft, user=citizen).reference)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(references) == len(set(references)) == 50
    assert all(is_valid_reference(r) for r in references)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_events_cannot_be_updated_or_deleted_even_by_raw_sql():
    assert connection.vendor == "postgresql"
    citizen = UserFactory()
    draft = draft_start(citizen=citizen, service=ServiceFactory())
    event = RequestEvent.objects.get(request=draft)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    for sql in (
        "UPDATE workflow_requestevent SET action = 'submit' WHERE id = %s",
        "DELETE FROM workflow_requestevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError) as refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
        assert "append-only" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestEvent.objects.filter(pk=event.pk).update(action="submit")
    assert RequestEvent.objects.get(pk=event.pk).action == "started"


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_an_event():
    request = ServiceRequestFactory()
    event = RequestEvent.objects.create(
        request=request,
        sequence=1,
        action="started",
        from_state="draft",
        to_state="draft",
        actor_kind="citizen",
        channel="web",
        created_at=request.created_at,
    )
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_formats_a_reference_as_python_does():
    numbers = [0, 1, 42, 572, 99_999_999, 100_000_000, 123_456_789, 1_234_567_890_123]
    with connection.cursor() as cursor:
        cursor.execute("SELECT workflow_reference(n) FROM unnest(%s::bigint[]) AS n", [numbers])
        formatted = [row[0] for row in cursor.fetchall()]
    assert formatted == [format_reference(number) for number in numbers]


@pytest.mark.django_db
def test_a_new_request_knows_its_reference_as_soon_as_it_is_inserted():
    draft = draft_start(citizen=UserFactory(), service=ServiceFactory())
    assert is_valid_reference(draft.reference)
    assert type(draft).objects.get(pk=draft.pk).reference == draft.reference
