"""Processing benchmark: end-to-end latency of an automatic service with one worker, and
throughput with two worker processes against a no-op task on the same worker set-up, on
PostgreSQL and a private Redis.

    .venv/bin/python bench/processing.py [--latency 200] [--throughput 5000] [--database NAME]
    .venv/bin/python bench/processing.py --quick      # 20 + 500 requests, figures printed only

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); starts its own redis-server and
workers, and writes the figures to docs/BENCHMARKS.md (not with --no-report or --quick). The
database is created and dropped again, or, when it already exists, emptied and left there.

The machine may be shared: the run records the load average before it starts, and reports CPU
seconds per request (workers and this database's PostgreSQL backends), which depend much less
on other load than requests per second do.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVICE = "criminal-record-certificate"
TARGET_PER_SECOND = 30
MARK = "<!-- processing benchmark -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=int, default=200, help="requests timed one by one")
    parser.add_argument("--throughput", type=int, default=5000, help="requests queued, then processed")
    parser.add_argument("--database", default=f"portal_bench_{os.getpid()}", help="PostgreSQL database to use")
    parser.add_argument("--no-report", action="store_true", help="print the figures, leave docs/ alone")
    parser.add_argument("--quick", action="store_true", help="--latency 20 --throughput 500 --no-report")
    args = parser.parse_args()
    if args.quick:
        args.latency, args.throughput, args.no_report = 20, 500, True

    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    created = _prepare_database(args.database)
    from bench.environment import bench_environment
    from bench.report import section_write
    from tests.reliability.processes import RedisServer

    load_before = os.getloadavg()
    redis = RedisServer(work)
    redis.start()
    try:
        worker_env = bench_environment(
            broker_url=redis.url, work=work, database=args.database, settings_module="bench.worker_settings"
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        results = _run(args, worker_env, work)
        results["load"] = (load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=False)
    section = _report(results, args)
    if not args.no_report:
        section_write(section, MARK)
    print(section)


def _prepare_database(name: str) -> bool:
    """An empty database called `name`; True when this run created it (and drops it at the end)."""
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    exists = subprocess.run(
        [*psql, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], check=True, capture_output=True
    ).stdout.strip()
    if exists:
        subprocess.run([*psql, "-d", name, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True)
        return False
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return True


def _run(args: argparse.Namespace, worker_env: dict[str, str], work: Path) -> dict:
    from services.catalogue.models import Service
    from tests.reliability.processes import Worker

    service = Service.objects.get(code=SERVICE)

    def worker(concurrency: int, log: str) -> Worker:
        return Worker(worker_env, work / f"{log}.log", concurrency=concurrency, name="bench").start()

    return {
        "latencies": _latency(args.latency, service, worker),
        "throughput": _throughput(args.throughput, service, worker),
        "profile": _where_time_goes(service),
    }


def _clean_citizens(count: int) -> list:
    """New citizens with no criminal record, so every request is decided automatically."""
    from services.accounts.iin import make_iin
    from services.accounts.models import User
    from services.registries.criminal import criminal_record

    taken = set(User.objects.values_list("iin", flat=True))
    users, serial = [], len(taken)
    while len(users) < count:
        serial += 1
        iin = make_iin(date(1960, 1, 1) + timedelta(days=serial % 15000), female=serial % 2 == 0, serial=serial)
        if iin not in taken and criminal_record(iin) is None:
            taken.add(iin)
            users.append(User(iin=iin, email=f"c{serial}@example.kz", phone="+77011234567", preferred_language="kk"))
    return User.objects.bulk_create(users)


def _submit(citizen, service):
    from services.workflow.service import draft_start, request_submit

    draft = draft_start(citizen=citizen, service=service)
    draft.form_data = {"purpose": "employment"}
    draft.save(update_fields=["form_data"])
    return request_submit(request=draft, user=citizen)


def _latency(count: int, service, start_worker) -> list[float]:
    """One worker; submit one request at a time and time submit -> issued (the issue event)."""
    from services.workflow.models import RequestEvent
    from tests.reliability.processes import wait_until

    worker = start_worker(1, "latency")
    latencies = []
    try:
        for citizen in _clean_citizens(count):
            request = _submit(citizen, service)
            issued = RequestEvent.objects.filter(request=request, action="issue")
            wait_until(issued.exists, timeout=30, what="the document to be issued", interval=0.002)
            latencies.append((issued.get().created_at - request.submitted_at).total_seconds())
    finally:
        worker.stop()
    return latencies


def _throughput(count: int, service, start_worker) -> dict:
    """Queue `count` submissions with no worker running, then time two worker processes through
    them (documents issued, every notification sent); then the same for `count` no-op tasks."""
    from bench.noop import noop
    from services.notifications.models import Notification
    from services.workflow.models import ServiceRequest, SideEffect
    from services.workflow.states import State

    ids = [_submit(citizen, service).pk for citizen in _clean_citizens(count)]
    # Cheap to poll: the requests of this run are the ids from the first one on (no long IN list).
    requests = ServiceRequest.objects.filter(pk__gte=min(ids))
    effects = SideEffect.objects.filter(request_id__gte=min(ids))

    def all_done() -> bool:
        if effects.filter(status=SideEffect.Status.PENDING).exists():
            return False
        return requests.filter(state=State.ISSUED).count() == count

    worker = start_worker(2, "throughput")
    elapsed, cpu = _timed(worker, all_done, interval=1)
    worker.stop()
    figures = {
        "requests_per_second": count / elapsed,
        "cpu": cpu,
        "side_effects_per_request": effects.count() / count,
        "tasks_per_request": _tasks_received(worker) / count,
        "notifications_per_request": Notification.objects.filter(request_id__gte=min(ids), status="sent").count()
        / count,
    }

    for number in range(count):
        noop.delay(number)
    worker = start_worker(2, "noop")
    elapsed, cpu = _timed(worker, _broker_drained, interval=0.01)
    worker.stop()
    figures["noop_per_second"] = count / elapsed
    figures["noop_cpu"] = cpu
    return figures


def _timed(worker, done, *, interval: float) -> tuple[float, dict[str, float]]:
    """Wait until `done()`; return the seconds it took and the CPU seconds each part used meanwhile."""
    from bench.cpu import PostgresBackendsCpu
    from tests.reliability.processes import wait_until

    postgres = PostgresBackendsCpu()
    before = _cpu_split(worker)
    started = time.monotonic()

    def sampled() -> bool:
        postgres.sample()
        return done()

    wait_until(sampled, timeout=3600, what="the work to be done", interval=interval)
    elapsed = time.monotonic() - started
    after = _cpu_split(worker)
    cpu = {name: after[name] - before[name] for name in after}
    cpu[POSTGRES_BACKENDS] = postgres.seconds()
    return elapsed, cpu


WORKERS = "Celery workers (main and pool processes)"
POSTGRES_BACKENDS = "PostgreSQL backends of this database"
POSTGRES_ALL = "PostgreSQL, all processes (other databases on this server too)"
BENCH = "this benchmark process (polling)"


def _cpu_split(worker) -> dict[str, float]:
    from bench.cpu import cpu_seconds, postgres_pids

    return {
        WORKERS: cpu_seconds([worker.process.pid, *worker.pool_pids()]),
        POSTGRES_ALL: cpu_seconds(postgres_pids()),
        BENCH: cpu_seconds([os.getpid()]),
    }


def _tasks_received(worker) -> int:
    """Celery tasks the worker received (its log says so for each, retries included)."""
    lines = worker.log.read_text(errors="replace").splitlines()
    return sum(1 for line in lines if "Task services." in line and line.endswith(" received"))


def _broker_drained() -> bool:
    from celery import current_app

    with current_app.connection_for_write() as connection:
        client = connection.default_channel.client
        return client.llen("celery") == 0 and client.hlen("unacked") == 0


def _where_time_goes(service, count: int = 30) -> dict:
    """The same handlers run in this process: wall time per kind, then the slowest kind profiled."""
    from services.workflow import outbox

    seconds: dict[str, list[float]] = defaultdict(list)
    queries: list[int] = []
    profile = cProfile.Profile()
    original = dict(outbox._HANDLERS)
    profiled_kind: list[str] = []

    def timed(kind, run):
        def wrapper(effect):
            profiling = profiled_kind == [kind]
            started = time.perf_counter()
            if profiling:
                profile.enable()
            try:
                run(effect)
            finally:
                if profiling:
                    profile.disable()
                else:
                    seconds[kind].append(time.perf_counter() - started)

        return wrapper

    for kind, registration in original.items():
        outbox._HANDLERS[kind] = outbox.Registration(
            run=timed(kind, registration.run), on_give_up=registration.on_give_up
        )
    try:
        _process_in_process(service, count, queries)
        means = {kind: statistics.mean(values) * 1000 for kind, values in seconds.items()}
        profiled_kind.append(max(means, key=means.get))
        _process_in_process(service, count, [])
    finally:
        outbox._HANDLERS.clear()
        outbox._HANDLERS.update(original)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(14)
    return {
        "means_ms": means,
        "queries_per_request": statistics.mean(queries),
        "slowest": profiled_kind[0],
        "stats": out.getvalue(),
    }


def _process_in_process(service, count: int, queries: list[int]) -> None:
    """Submit, then run the submission's rows here as a worker's task does (with the rows they
    record), without the broker; count the SQL queries of each request's processing."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from services.workflow import outbox
    from services.workflow.models import SideEffect

    for citizen in _clean_citizens(count):
        with transaction.atomic():
            request = _submit(citizen, service)
            transaction.on_commit(lambda: None)
        with CaptureQueriesContext(connection) as captured:
            outbox.side_effects_run(SideEffect.objects.filter(request=request).values_list("pk", flat=True))
        queries.append(len(captured))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(results: dict, args: argparse.Namespace) -> str:
    """The figures as the Markdown section of docs/BENCHMARKS.md."""
    latencies, figures = results["latencies"], results["throughput"]
    rps, noop = figures["requests_per_second"], figures["noop_per_second"]
    tasks = figures["tasks_per_request"]
    cpu = figures["cpu"]
    per_request = {name: seconds / args.throughput * 1000 for name, seconds in cpu.items()}
    own_cpu_ms = per_request[WORKERS] + per_request[POSTGRES_BACKENDS]
    noop_ms = (figures["noop_cpu"][WORKERS] + figures["noop_cpu"][POSTGRES_BACKENDS]) / args.throughput * 1000
    elapsed = args.throughput / rps
    means = results["profile"]["means_ms"]
    p50, p95 = (_percentile(latencies, share) * 1000 for share in (0.5, 0.95))
    (load1, load5, load15), (after1, _, _) = results["load"]
    stats_lines = [
        line for line in results["profile"]["stats"].splitlines() if line.strip() and not line.startswith("   Ordered")
    ]
    return (
        f"""{MARK}
## Processing (issue 3): submit -> checks -> decision -> signed PDF -> notifications

Measured in one run by `bench/processing.py` on PostgreSQL and a private Redis on this 2-core
machine, service `{SERVICE}` (automatic: a registry check, an automatic approval, a signed PDF
with a QR code, then email and SMS on submit and on issue). Per request:
{figures["side_effects_per_request"]:.0f} side effects (outbox rows), {tasks:.1f} Celery tasks received by the workers,
{figures["notifications_per_request"]:.0f} notifications sent. Load average before the run: {load1:.2f} (1 min),
{load5:.2f} (5 min), {load15:.2f} (15 min); after it: {after1:.2f}.

| figure | value | target |
|---|---|---|
| latency submit -> issued, one worker, p50 ({len(latencies)} requests) | {p50:.0f} ms | |
| latency submit -> issued, one worker, p95 | {p95:.0f} ms | under 2 s |
| throughput, 2 worker processes ({args.throughput} requests fully processed) | {rps:.1f} requests/s | at least 30/s |
| CPU per request: workers + this database's PostgreSQL backends | {own_cpu_ms:.0f} ms | |
| the rate 2 cores would allow at that CPU cost (2000 ms / CPU ms per request) | {2000 / own_cpu_ms:.0f} requests/s | |
| no-op Celery task on the same worker set-up ({args.throughput} tasks) | {noop:.0f} tasks/s | |
| CPU per no-op task (workers + PostgreSQL backends) | {noop_ms:.1f} ms | |
| requests per second as a share of no-op tasks per second | {rps / noop:.3f} | |
| the same, per Celery task (x {tasks:.1f} tasks a request) | {rps * tasks / noop:.2f} | |
| a national day (110,000 requests) at this rate | {110000 / rps / 3600:.1f} h | about 1 h |

{_reading(rps, own_cpu_ms, (cpu[WORKERS] + cpu[POSTGRES_BACKENDS]) / elapsed, load1)}

Where the time goes. CPU used during the throughput run ({elapsed:.0f} s), in cores busy (the machine
has 2) and in CPU milliseconds per request:

| process | cores busy | CPU ms per request |
|---|---|---|
"""
        + "\n".join(f"| {name} | {seconds / elapsed:.2f} | {per_request[name]:.1f} |" for name, seconds in cpu.items())
        + f"""

Each handler run in this process over 30 requests, as a worker runs them (wall time of the
handler itself, mean per run). SQL queries per request, every row included (attempt counts,
locks, handlers, done marks, commits): {results["profile"]["queries_per_request"]:.0f}.

| side effect | mean ms |
|---|---|
"""
        + "\n".join(f"| {kind} | {ms:.1f} |" for kind, ms in sorted(means.items(), key=lambda kv: -kv[1]))
        + f"""

Profile of the slowest, `{results["profile"]["slowest"]}` (cumulative time, top entries):

```
"""
        + "\n".join(stats_lines[:22])
        + f"""
```
{MARK}"""
    )


def _reading(rps: float, cpu_ms: float, cores: float, load: float) -> str:
    """What the run's own figures say about the target, in words (written by the run, not by hand)."""
    verdict = "met" if rps >= TARGET_PER_SECOND else "not met"
    allowed = 2000 / cpu_ms
    if allowed >= TARGET_PER_SECOND:
        cost = f"at {cpu_ms:.0f} ms of CPU a request, two cores of its own would allow {allowed:.0f} requests/s"
    else:
        cost = f"two cores of its own would allow only {allowed:.0f} requests/s at {cpu_ms:.0f} ms of CPU a request"
    return (
        f"Reading these figures: the throughput target ({TARGET_PER_SECOND}/s) is {verdict} in this run, "
        f"{rps:.1f} requests/s; {cost}. The workers and their PostgreSQL backends had {cores:.2f} of the "
        f"2 cores (load average {load:.2f} before the run: other processes share the machine), so "
        f"requests per second move with the load, CPU milliseconds per request much less."
    )


if __name__ == "__main__":
    main()
