"""Processing benchmark: end-to-end latency of an automatic service with one worker, and
throughput with two worker processes against a no-op task on the same worker set-up, on
PostgreSQL and a private Redis.

    .venv/bin/python bench/processing.py [--latency 200] [--throughput 5000]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); starts its own redis-server and
workers, creates and drops its own database, and writes the figures to docs/BENCHMARKS.md.
"""

import argparse
import base64
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
DATABASE = f"portal_bench_{os.getpid()}"
SERVICE = "criminal-record-certificate"
REPORT = ROOT / "docs" / "BENCHMARKS.md"
MARK = "<!-- processing benchmark -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=int, default=200, help="requests timed one by one")
    parser.add_argument("--throughput", type=int, default=5000, help="requests queued, then processed")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    from tests.reliability.processes import RedisServer

    redis = RedisServer(work)
    redis.start()
    try:
        worker_env = _configure(redis.url, work)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        results = _run(args, worker_env, work)
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=False)
    _write_report(results, args)
    print(REPORT.read_text().split(MARK)[1])


def _configure(broker_url: str, work: Path) -> dict[str, str]:
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": broker_url,
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "DOCUMENT_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        "DEBUG": "false",
        "HTTPS": "false",
        "VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env, DJANGO_SETTINGS_MODULE="bench.worker_settings")
    return dict(os.environ)


def _run(args: argparse.Namespace, worker_env: dict[str, str], work: Path) -> dict:
    from services.catalogue.models import Service
    from tests.reliability.processes import Worker

    service = Service.objects.get(code=SERVICE)

    def worker(concurrency: int) -> Worker:
        return Worker(worker_env, work / f"worker-{concurrency}.log", concurrency=concurrency, name="bench").start()

    latencies = _latency(args.latency, service, worker)
    requests_per_second, noop_per_second, processed, cores = _throughput(args.throughput, service, worker)
    return {
        "latencies": latencies,
        "requests_per_second": requests_per_second,
        "noop_per_second": noop_per_second,
        "tasks_per_request": processed,
        "cores": cores,
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

    worker = start_worker(1)
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


def _throughput(count: int, service, start_worker) -> tuple[float, float, float]:
    """Queue `count` submissions with no worker running, then time two worker processes through
    them (documents issued, every notification sent); then the same for `count` no-op tasks."""
    from bench.noop import noop
    from services.workflow.models import ServiceRequest, SideEffect
    from services.workflow.states import State
    from tests.reliability.processes import wait_until

    ids = [_submit(citizen, service).pk for citizen in _clean_citizens(count)]
    # Cheap to poll: the requests of this run are the ids from the first one on (no long IN list).
    requests = ServiceRequest.objects.filter(pk__gte=min(ids))
    effects = SideEffect.objects.filter(request_id__gte=min(ids))

    def all_done() -> bool:
        if effects.filter(status=SideEffect.Status.PENDING).exists():
            return False
        return requests.filter(state=State.ISSUED).count() == count

    worker = start_worker(2)
    cpu_before = _cpu_split(worker)
    started = time.monotonic()
    wait_until(all_done, timeout=3600, what="every request to be processed", interval=1)
    elapsed = time.monotonic() - started
    requests_per_second = count / elapsed
    cpu = {name: after - cpu_before[name] for name, after in _cpu_split(worker).items()}
    worker.stop()
    tasks_per_request = effects.count() / count

    for number in range(count):
        noop.delay(number)
    worker = start_worker(2)
    started = time.monotonic()
    wait_until(_broker_drained, timeout=3600, what="the no-op tasks", interval=0.01)
    noop_per_second = count / (time.monotonic() - started)
    worker.stop()
    return requests_per_second, noop_per_second, tasks_per_request, {k: v / elapsed for k, v in cpu.items()}


def _cpu_split(worker) -> dict[str, float]:
    return {
        "Celery workers (main and pool processes)": _cpu_seconds([worker.process.pid, *worker.pool_pids()]),
        "PostgreSQL (all its processes)": _cpu_seconds(_postgres_pids()),
        "this benchmark process (polling)": _cpu_seconds([os.getpid()]),
    }


def _broker_drained() -> bool:
    from celery import current_app

    with current_app.connection_for_write() as connection:
        client = connection.default_channel.client
        return client.llen("celery") == 0 and client.hlen("unacked") == 0


def _where_time_goes(service, count: int = 30) -> dict:
    """The same handlers run in this process: wall time per kind, then the slowest kind profiled."""
    from services.workflow import outbox

    seconds: dict[str, list[float]] = defaultdict(list)
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
        _process_in_process(service, count)
        means = {kind: statistics.mean(values) * 1000 for kind, values in seconds.items()}
        profiled_kind.append(max(means, key=means.get))
        _process_in_process(service, count)
    finally:
        outbox._HANDLERS.clear()
        outbox._HANDLERS.update(original)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(14)
    return {"means_ms": means, "slowest": profiled_kind[0], "stats": out.getvalue()}


def _process_in_process(service, count: int) -> None:
    """Submit and run every side effect here, without the broker (dispatch is not measured)."""
    from django.db import transaction

    from services.workflow import outbox
    from services.workflow.models import SideEffect

    for citizen in _clean_citizens(count):
        with transaction.atomic():
            request = _submit(citizen, service)
            transaction.on_commit(lambda: None)
        pending = SideEffect.objects.filter(request=request, status=SideEffect.Status.PENDING)
        while pending.exists():
            for effect_id in pending.values_list("pk", flat=True):
                outbox.side_effect_run(effect_id)


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (their exited children included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / ticks  # utime, stime, cutime, cstime
    return total


def _postgres_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _comm(p) == "postgres"]


def _comm(process: Path) -> str:
    try:
        return (process / "comm").read_text().strip()
    except OSError:
        return ""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _write_report(results: dict, args: argparse.Namespace) -> None:
    latencies = results["latencies"]
    rps, noop = results["requests_per_second"], results["noop_per_second"]
    means = results["profile"]["means_ms"]
    tasks = results["tasks_per_request"]
    p50, p95 = (_percentile(latencies, share) * 1000 for share in (0.5, 0.95))
    stats_lines = [
        line for line in results["profile"]["stats"].splitlines() if line.strip() and not line.startswith("   Ordered")
    ]
    section = (
        f"""{MARK}
## Processing (issue 3): submit -> checks -> decision -> signed PDF -> notifications

Measured in one run by `bench/processing.py` on PostgreSQL and a private Redis on this 2-core
machine, service `{SERVICE}` (automatic: a registry check, an automatic approval, a signed PDF
with a QR code, then email and SMS on submit and on issue: {tasks:.0f} Celery tasks per request).

| figure | value | target |
|---|---|---|
| latency submit -> issued, one worker, p50 ({len(latencies)} requests) | {p50:.0f} ms | |
| latency submit -> issued, one worker, p95 | {p95:.0f} ms | under 2 s |
| throughput, 2 worker processes ({args.throughput} requests fully processed) | {rps:.1f} requests/s | at least 30/s |
| no-op Celery task on the same worker set-up ({args.throughput} tasks) | {noop:.0f} tasks/s | |
| requests per second as a share of no-op tasks per second | {rps / noop:.3f} | |
| the same, per task (x {tasks:.0f} tasks a request) | {rps * tasks / noop:.2f} | |
| a national day (110,000 requests) at this rate | {110000 / rps / 3600:.1f} h | about 1 h |

Where the time goes. CPU used during the throughput run, in cores (the machine has 2):

| process | cores busy |
|---|---|
"""
        + "\n".join(f"| {name} | {busy:.2f} |" for name, busy in results["cores"].items())
        + """

Each handler run in this process over 30 requests (wall time, mean per run):

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
    existing = (
        REPORT.read_text()
        if REPORT.exists()
        else "# Benchmarks\n\nFigures from one run each; rerun the command to refresh them.\n\n"
    )
    if MARK in existing:
        before, _, rest = existing.partition(MARK)
        _, _, after = rest.partition(MARK)
        existing = before + section + after
    else:
        existing = existing.rstrip() + "\n\n" + section + "\n"
    REPORT.write_text(existing)


if __name__ == "__main__":
    main()
