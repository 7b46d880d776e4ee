"""The outbox: side effects are rows written with the state change, dispatched to Celery after commit.

A lost message is never lost work: a row stays `pending` until its handler has run, and the
sweeper dispatches pending rows again. Running a row twice is harmless: the row is locked while
its handler runs and a row that is no longer pending is skipped.

The rows one transaction records go to Celery as one message. Rows that a handler records (a
decision's document, the document's notifications) are not sent to the broker: the worker that
ran the handler runs them itself once the handler's transaction has committed, each row still
with its own attempt count, lock and done mark. Their first attempt is counted in the row as it
is written (it commits with the handler, before that worker starts it, as a separately counted
attempt would), and their `dispatched_at` is the moment they were handed to that worker, so if
it dies before they are done the sweeper sends them again.

Rows for the broker are written already marked dispatched (`dispatched_at`: the moment of the
transaction that hands them over), which saves a statement after every commit: a publish that
fails clears the mark, so the sweeper sends them after OUTBOX_DISPATCH_GRACE, and a process that
dies between its commit and its publish leaves rows the sweeper sends after OUTBOX_RETRY_AFTER,
as for any dispatched row not done in time.
"""

import logging
from collections import deque
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from services.accounts.models import User
from services.catalogue.models import FormVersion, Service
from services.workflow.models import RequestEvent, ServiceRequest, SideEffect

logger = logging.getLogger(__name__)

Handler = Callable[[SideEffect], None]


@dataclass(frozen=True)
class Registration:
    run: Handler
    on_give_up: Handler | None = None
    wait_for_disk: bool = True  # the done mark's commit waits for the WAL flush (see side_effect_handler)


_HANDLERS: dict[str, Registration] = {}

# While a handler runs, the rows it records are collected here (to run in the same worker)
# instead of being dispatched to the broker.
_recorded_by_handler: ContextVar[list[SideEffect] | None] = ContextVar("recorded_by_handler", default=None)
# Rows read once per batch of side effects (`side_effects_run`), which lasts a fraction of a
# second: the catalogue (service, agency, form version), the citizen, and events, which never change.
_read_this_batch: ContextVar[dict[tuple[type, int], Any] | None] = ContextVar("read_this_batch", default=None)


class NoHandler(LookupError):
    """No code is registered for this kind of side effect."""


class SideEffectsFailed(Exception):
    """Some rows of a batch raised; they are still pending, to be retried (`effect_ids`)."""

    def __init__(self, effect_ids: list[int]):
        self.effect_ids = effect_ids
        super().__init__(f"side effects {effect_ids} failed")


def side_effect_handler(
    kind: str, *, on_give_up: Handler | None = None, wait_for_disk: bool = True
) -> Callable[[Handler], Handler]:
    """Register the function that performs side effects of `kind` (and what to do when it never succeeds).

    `wait_for_disk=False` lets the transaction that marks a row done commit without waiting for
    PostgreSQL's WAL flush. Only for handlers whose effect outside the database is sent with the
    row's idempotency key: a commit lost in a database crash is then the same as a worker dying
    between sending and committing, which the key already makes harmless (the rerun sends again
    with the same key). Never for handlers that change a request.
    """

    def register(run: Handler) -> Handler:
        _HANDLERS[kind] = Registration(run=run, on_give_up=on_give_up, wait_for_disk=wait_for_disk)
        return run

    return register


def side_effects_record(*, request: ServiceRequest, event: RequestEvent, kinds: Iterable[str]) -> list[SideEffect]:
    """Write outbox rows in the current transaction; they are dispatched only if it commits.

    Recorded by a running handler, they are run by the same worker after the handler's
    transaction commits (see `side_effects_run`) instead of being dispatched, and carry the
    attempt that worker is about to make.
    """
    collected = _recorded_by_handler.get()
    inline = collected is not None
    handed_over = timezone.now()  # to this worker, or to the broker after commit (a failed publish clears it)
    effects = SideEffect.objects.bulk_create(
        [
            SideEffect(request=request, event=event, kind=kind, dispatched_at=handed_over, attempts=int(inline))
            for kind in kinds
        ]
    )
    if effects and collected is not None:
        collected.extend(effects)
    elif effects:
        ids = [effect.pk for effect in effects]
        transaction.on_commit(lambda: side_effects_dispatch(ids))
    return effects


def side_effects_dispatch(effect_ids: list[int]) -> None:
    """Send the rows (marked dispatched) to Celery as one message.

    A broker that cannot be reached clears their mark, leaving them to the sweeper.
    """
    from services.workflow.tasks import run_side_effects

    try:
        run_side_effects.apply_async((effect_ids,))
    except Exception:  # the broker is down: the sweeper resends the rows once the grace has passed
        logger.warning("side effects %s not dispatched; the sweeper will retry", effect_ids, exc_info=True)
        SideEffect.objects.filter(pk__in=effect_ids).update(dispatched_at=None)


def side_effects_run(effect_ids: Iterable[int]) -> None:
    """Run these rows, and then the rows their handlers record, one by one in this process.

    A row that raises does not stop the others; SideEffectsFailed then names every row that
    raised (still pending), for the caller to retry.
    """
    queue, failed = deque((effect_id, False) for effect_id in effect_ids), []
    read = {}
    reading = _read_this_batch.set(read)
    try:
        while queue:
            effect_id, counted = queue.popleft()
            try:
                recorded = side_effect_run(effect_id, attempt_counted=counted)
            except Exception:
                logger.warning("side effect %s failed; it will be retried", effect_id, exc_info=True)
                failed.append(effect_id)
                continue
            for effect in recorded:
                read[(RequestEvent, effect.event_id)] = effect.event
                queue.append((effect.pk, True))
    finally:
        _read_this_batch.reset(reading)
    if failed:
        raise SideEffectsFailed(failed)


def side_effect_run(effect_id: int, *, attempt_counted: bool = False) -> list[SideEffect]:
    """Run one outbox row's handler once, if it is still pending. Exceptions propagate for a retry.

    `attempt_counted`: the row was written with this attempt already counted (a row a handler
    recorded, run right after that handler committed). Returns the rows the handler recorded,
    committed with it, not dispatched and carrying their first attempt: the caller runs them.
    """
    if not attempt_counted and not _count_attempt(effect_id):
        return []
    recorded: list[SideEffect] = []
    collecting = _recorded_by_handler.set(recorded)
    try:
        with transaction.atomic():
            effect = _locked(effect_id)
            if effect.status != SideEffect.Status.PENDING:
                return []
            registration = _registration(effect.kind)
            if not registration.wait_for_disk:
                _commit_without_waiting_for_disk()
            registration.run(effect)
            effect.status = SideEffect.Status.DONE
            effect.finished_at = timezone.now()
            effect.save(update_fields=["status", "finished_at"])
    except Exception as exc:
        SideEffect.objects.filter(pk=effect_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    finally:
        _recorded_by_handler.reset(collecting)
    return recorded


def outbox_drain(*, rounds: int = 50) -> int:
    """Run every pending side effect in this process, including those they cause, until none is left.

    The same code as the worker's task, for places with no worker that sees this database (tests
    with a live server, the simulator): each pending row as a batch of its own, with the rows its
    handler records. A failure is retried in the next round, as Celery would retry it (without
    the backoff), until the attempt limit marks it failed. Returns the rows that were pending.
    """
    runs = 0
    for _ in range(rounds):
        pending = list(
            SideEffect.objects.filter(status=SideEffect.Status.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        if not pending:
            break
        for effect_id in pending:
            runs += 1
            try:
                side_effects_run([effect_id])
            except SideEffectsFailed:
                logger.warning("side effect %s or one it recorded failed while draining", effect_id)
    return runs


def side_effect_give_up(effect_id: int, reason: str) -> None:
    """Mark a row failed for good, with the reason, and let its kind react (e.g. fail the request).

    The mark and the reaction commit together: if the reaction fails (the database, say), the row
    stays pending, and the sweeper's next dispatch gives up again, so a request is not left waiting
    on a row that is failed but was never reacted to. A reaction that keeps failing is given up on
    too, after as many tries as the work had: the row is then failed without it, saying so.
    """
    try:
        with transaction.atomic():
            effect = _locked(effect_id)
            if effect.status != SideEffect.Status.PENDING:
                return
            effect.status = SideEffect.Status.FAILED
            effect.last_error = reason[:2000]
            effect.finished_at = timezone.now()
            effect.save(update_fields=["status", "last_error", "finished_at"])
            registration = _HANDLERS.get(effect.kind)
            if registration and registration.on_give_up:
                registration.on_give_up(effect)
    except Exception as exc:
        logger.exception("giving up side effect %s failed; the sweeper will try again", effect_id)
        _reaction_failed(effect_id, exc)


def _reaction_failed(effect_id: int, exc: Exception) -> None:
    """Count a failed reaction as an attempt; past twice the attempt limit, fail the row without it."""
    row = SideEffect.objects.filter(pk=effect_id, status=SideEffect.Status.PENDING)
    row.update(attempts=F("attempts") + 1)
    row.filter(attempts__gte=2 * settings.SIDE_EFFECT_MAX_ATTEMPTS).update(
        status=SideEffect.Status.FAILED,
        finished_at=timezone.now(),
        last_error=f"gave up, and reacting to that failed: {type(exc).__name__}: {exc}"[:2000],
    )


def _count_attempt(effect_id: int) -> bool:
    """Count an attempt in its own transaction, so a worker killed mid-task still counts it.

    Returns False when the row is done, failed, or has used up its attempts (then it is failed).
    """
    pending = SideEffect.objects.filter(pk=effect_id, status=SideEffect.Status.PENDING)
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        # One statement: it waits for the row lock of a run in progress, then sees that run's outcome.
        if pending.filter(attempts__lt=settings.SIDE_EFFECT_MAX_ATTEMPTS).update(attempts=F("attempts") + 1):
            return True
    exhausted = pending.values_list("attempts", "last_error").first()
    if exhausted is not None:
        attempts, last_error = exhausted
        side_effect_give_up(effect_id, f"gave up after {attempts} attempts: {last_error}")
    return False


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, don't wait for the WAL flush of this transaction: an attempt count lost in a
    database crash only delays the end of a poison task by one attempt, and every task pays this wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _locked(effect_id: int) -> SideEffect:
    """The outbox row, locked (only it: the request is locked by `transition` when it changes),
    with what the handlers read: the request as it is now (joined to the row, one statement),
    its event, service and agency (one join), form version and citizen. Wider joins cost
    PostgreSQL far more planning than these reads, and within a batch the unchanging rows are
    read once."""
    effect = SideEffect.objects.select_for_update(of=("self",)).select_related("request").get(pk=effect_id)
    read = _read_this_batch.get()
    if read is None:
        read = {}
    request = effect.request
    request.service = _read_once(read, Service, request.service_id, related=("agency",))
    request.citizen = _read_once(read, User, request.citizen_id)
    request.form_version = _read_once(read, FormVersion, request.form_version_id)
    effect.event = _read_once(read, RequestEvent, effect.event_id)
    effect.event.request = request
    return effect


def _read_once(read: dict[tuple[type, int], Any], model: type[Model], pk: int, related: tuple[str, ...] = ()) -> Any:
    key = (model, pk)
    if key not in read:
        read[key] = model._default_manager.select_related(*related).get(pk=pk)
    return read[key]


def _registration(kind: str) -> Registration:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise NoHandler(f"no handler for side effect {kind!r}") from None
