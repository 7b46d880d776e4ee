"""KPI rollups benchmark: the periodic ingest, the full rebuild and the dashboard's reads, on PostgreSQL.

    .venv/bin/python bench/metrics.py [--requests 10000] [--database NAME]
    .venv/bin/python bench/metrics.py --quick      # 2000 requests, figures printed only

Writes synthetic request histories (the events the workflow writes: started, a page saved per
form page, submit, checks, decision, issue; some drafts abandoned) straight into the tables over
a week, then times `metrics_catch_up` (the beat task) from nothing and again for a day's worth of
new events, `metrics_rebuild`, and each selector the dashboard calls. The machine may be shared:
the load average is recorded and CPU seconds (this process and the database's backends) are reported
beside wall time. Writes the figures to docs/BENCHMARKS.md (not with --no-report or --quick).
"""

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK = "<!-- metrics benchmark -->"
FIRST_DAY = datetime(2026, 2, 2, 9, tzinfo=ZoneInfo("Asia/Almaty"))
DAYS = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000, help="requests in the history")
    parser.add_argument("--database", default=f"portal_bench_{os.getpid()}", help="PostgreSQL database to use")
    parser.add_argument("--no-report", action="store_true", help="print the figures, leave docs/ alone")
    parser.add_argument("--quick", action="store_true", help="--requests 2000 --no-report")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.no_report = 2000, True

    from bench.environment import bench_environment
    from bench.processing import _prepare_database
    from bench.report import section_write

    created = _prepare_database(args.database)
    load_before = os.getloadavg()
    bench_environment(
        broker_url="memory://", work=Path("/tmp"), database=args.database, settings_module="config.settings"
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        results = _run(args.requests)
        results["load"] = (load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        if created:
            import subprocess

            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=False)
    section = _report(results, args)
    if not args.no_report:
        section_write(section, MARK)
    print(section)


def _run(count: int) -> dict:
    from services.metrics.models import Rollup
    from services.metrics.service import metrics_catch_up, metrics_rebuild
    from services.workflow.models import RequestEvent

    rng = random.Random(7)
    _write_histories(rng, count, days=range(DAYS))
    events = RequestEvent.objects.count()
    first = _timed(metrics_catch_up)
    # A later day, after every event so far (drafts are abandoned 30 days after their start).
    _write_histories(rng, count // DAYS, days=[DAYS + 40])
    new_events = RequestEvent.objects.count() - events
    later = _timed(metrics_catch_up)
    incremental = _counters()
    rebuild = _timed(metrics_rebuild)
    if _counters() != incremental:
        raise SystemExit("the rollups kept incrementally differ from the rebuild")
    return {
        "requests": count + count // DAYS,
        "events": events,
        "new_events": new_events,
        "first": first,
        "later": later,
        "rebuild": rebuild,
        "rollups": Rollup.objects.count(),
        "reads": _reads(),
    }


def _counters() -> set[tuple]:
    from services.metrics.models import Rollup

    return set(
        Rollup.objects.exclude(count=0).values_list(
            "basis", "day", "service", "region", "age_band", "channel", "measure", "bucket", "count"
        )
    )


def _reads() -> list[tuple[str, dict]]:
    from services.metrics.score import benchmark_score
    from services.metrics.selectors import Filters, completion_over_time, funnel, kpis, kpis_by

    period = Filters(start=FIRST_DAY.date(), end=(FIRST_DAY + timedelta(days=DAYS + 40)).date())
    calls = [
        ("kpis (the whole period, portal-wide)", lambda: kpis(period)),
        ("kpis, cohort", lambda: kpis(replace(period, cohort=True))),
        *((f"kpis_by {dimension}", lambda d=dimension: kpis_by(d, period)) for dimension in ("service", "region")),
        ("kpis_by age_band", lambda: kpis_by("age_band", period)),
        ("kpis_by channel", lambda: kpis_by("channel", period)),
        ("funnel (one service)", lambda: funnel("birth-registration", period)),
        ("completion_over_time (weeks)", lambda: completion_over_time(period)),
        ("benchmark_score", lambda: benchmark_score(period)),
    ]
    return [(name, _timed(call)) for name, call in calls]


def _timed(call) -> dict:
    from django.db import connection

    from bench.cpu import backend_cpu

    backend_before = backend_cpu(connection)
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "db_cpu": backend_cpu(connection) - backend_before,
    }


def _write_histories(rng: random.Random, count: int, days) -> None:
    """`count` requests started on the given days, with the events the workflow would have written."""
    from services.accounts.iin import make_iin
    from services.accounts.models import User
    from services.catalogue.forms import form_pages
    from services.catalogue.models import Service
    from services.workflow.models import RequestEvent, ServiceRequest
    from services.workflow.references import next_reference

    services = list(Service.objects.select_related("form"))
    serial = User.objects.count()
    citizens = User.objects.bulk_create(
        User(
            iin=make_iin(
                FIRST_DAY.date() - timedelta(days=6000 + (serial + n) % 19_997), female=n % 2 == 0, serial=serial + n
            ),
            email=f"c{serial + n}@example.kz",
        )
        for n in range(count)
    )
    days = list(days)
    requests, histories = [], []
    for citizen in citizens:
        service = rng.choice(services)
        started = FIRST_DAY + timedelta(days=rng.choice(days), minutes=rng.randrange(600))
        channel = rng.choices(["web", "api", "assisted"], weights=[70, 20, 10])[0]
        requests.append(
            ServiceRequest(
                reference=next_reference(),
                citizen=citizen,
                service=service,
                form_version=service.form,
                channel=channel,
                state="draft",
            )
        )
        histories.append((started, channel, _history(rng, form_pages(service.form.schema))))
    ServiceRequest.objects.bulk_create(requests, batch_size=1000)
    events = []
    for request, (started, channel, steps) in zip(requests, histories, strict=True):
        for sequence, (action, to_state, kind, minutes, payload) in enumerate(steps, start=1):
            events.append(
                RequestEvent(
                    request=request,
                    sequence=sequence,
                    action=action,
                    from_state="draft",
                    to_state=to_state,
                    actor_kind=kind,
                    channel=channel if kind != "system" else "system",
                    created_at=started + timedelta(minutes=minutes),
                    payload=payload,
                )
            )
    RequestEvent.objects.bulk_create(events, batch_size=2000)


def _history(rng: random.Random, pages: list[str]) -> list[tuple]:
    steps = [("started", "draft", "citizen", 0, {})]
    for number, page in enumerate(pages, start=1):
        if rng.random() < 0.08:
            return [*steps, ("abandon", "abandoned", "system", 60 * 24 * 30, {})]
        steps.append(("step_saved", "draft", "citizen", number, {"page": page}))
    steps += [("submit", "submitted", "citizen", 10, {}), ("start_checks", "checking", "system", 11, {})]
    decided = 12 + rng.choice([0, 0, 0, 60 * 24, 60 * 24 * 3, 60 * 24 * 8])
    kind = "system" if decided == 12 else "clerk"
    if decided != 12:
        steps.append(("route_to_review", "in_review", "system", 12, {}))
    if rng.random() < 0.15:
        return [*steps, ("reject", "rejected", kind, decided, {})]
    return [*steps, ("approve", "approved", kind, decided, {}), ("issue", "issued", "system", decided + 1, {})]


def _report(results: dict, args: argparse.Namespace) -> str:
    (before, _five, _fifteen), after = results["load"]
    events, new = results["events"], results["new_events"]

    def per_event(timing: dict, number: int) -> str:
        return f"{1000 * (timing['cpu'] + timing['db_cpu']) / number:.2f} ms"

    def row(name: str, timing: dict, number: int | None = None) -> str:
        rate = f"{number / timing['wall']:,.0f} events/s" if number else ""
        cpu = per_event(timing, number) if number else f"{1000 * (timing['cpu'] + timing['db_cpu']):.0f} ms"
        return f"| {name} | {1000 * timing['wall']:,.0f} ms | {cpu} | {rate} |"

    lines = [
        MARK,
        "## KPI rollups (issue 7): ingest, rebuild, dashboard reads",
        "",
        f"Measured in one run by `bench/metrics.py` on PostgreSQL: {results['requests']:,} synthetic requests "
        f"started over {DAYS} days and one later day ({events + new:,} events), {results['rollups']:,} rollup rows "
        "after the rebuild. CPU is "
        f"this process plus its PostgreSQL backend. Load average before the run: {before:.2f} (1 min); after: "
        f"{after[0]:.2f}.",
        "",
        "| step | wall time | CPU (per event where counted) | rate |",
        "|---|---|---|---|",
        row(f"first catch-up, from nothing ({events:,} events)", results["first"], events),
        row(f"later catch-up, one day's new events ({new:,}, plus the margin read again)", results["later"], new),
        row(f"metrics_rebuild ({events + new:,} events)", results["rebuild"], events + new),
        *(row(name, timing) for name, timing in results["reads"]),
        "",
        "The ingest runs in the beat task, outside every request's transaction, and locks only its own "
        "cursor row: the processing benchmark's requests do not wait for it. Reads use only the rollups. "
        "The run checks that the rollups kept incrementally equal those of the rebuild. Each batch of events "
        "moves its counters (its requests' contributions in every cut and grain, summed per counter) in one "
        "upsert statement, and the rebuild writes its sums the same way.",
        MARK,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
