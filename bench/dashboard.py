"""Dashboard response time against the size of the history, on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--sizes 10000,100000,1000000] [--requests-timed 20]
    .venv/bin/python bench/dashboard.py --quick      # 10,000 and 100,000 requests, figures printed only

The dashboard reads only the rollups, so the data set is built as the rollups themselves: for each
size, synthetic requests over a year (the histories of bench/metrics.py: pages saved, some drafts
abandoned, decisions by the system or an officer, some refusals) are turned into their rollup keys
by the metrics' own pure functions (`contributions`, and `counters` for the counters of each
cut and grain, in `services.metrics.facts`), counted, and loaded
with COPY. Then a verified clerk opens /dashboard/ for the whole year `--requests-timed` times;
the p50 and p95 of the response are reported with the ratio between the largest and the smallest
size. The machine may be shared: the load average and the CPU per response (this process and its
PostgreSQL backend) are reported beside wall time. Writes docs/BENCHMARKS.md (not with --quick).
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK = "<!-- dashboard benchmark -->"
FIRST_DAY = date(2025, 1, 1)
DAYS = 365
CHANNELS = (("web", 70), ("api", 20), ("assisted", 10))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="requests in each history, comma separated")
    parser.add_argument("--requests-timed", type=int, default=20, help="dashboard responses timed per size")
    parser.add_argument("--database", default=f"portal_bench_{os.getpid()}", help="PostgreSQL database to use")
    parser.add_argument("--quick", action="store_true", help="--sizes 10000,100000, figures printed only")
    args = parser.parse_args()
    if args.quick:
        args.sizes = "10000,100000"
    sizes = [int(size) for size in args.sizes.split(",")]

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
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        results = [_measure(size, args.requests_timed) for size in sizes]
    finally:
        from django.db import connections

        connections.close_all()
        if created:
            import subprocess

            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=False)
    section = _report(results, load_before, os.getloadavg())
    if not args.quick:
        section_write(section, MARK)
    print(section)


def _measure(size: int, timed: int) -> dict:
    from django.db import connection

    from bench.metrics import _backend_cpu
    from services.metrics.models import Rollup
    from tests.factories import StaffFactory
    from tests.otp import verified_client

    loading = time.perf_counter()
    rows = _load_rollups(size)
    loading = time.perf_counter() - loading
    client = verified_client(StaffFactory())
    url = f"/dashboard/?start={FIRST_DAY.isoformat()}&end={(FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()}"
    client.get(url, secure=True)  # warm: templates, translations
    walls, cpu = [], 0.0
    for _ in range(timed):
        backend, process, wall = _backend_cpu(connection), time.process_time(), time.perf_counter()
        response = client.get(url, secure=True)
        walls.append(time.perf_counter() - wall)
        cpu += time.process_time() - process + _backend_cpu(connection) - backend
        if response.status_code != 200:
            raise SystemExit(f"the dashboard answered {response.status_code}")
    assert Rollup.objects.count() == rows
    return {
        "size": size,
        "rows": rows,
        "loading": loading,
        "p50": statistics.median(walls),
        "p95": statistics.quantiles(walls, n=20)[-1] if len(walls) > 1 else walls[0],
        "cpu": cpu / timed,
    }


def _load_rollups(size: int) -> int:
    """Replace the rollups by those of `size` synthetic requests over the year; the number of rows."""
    from django.db import connection

    from services.metrics.facts import contributions, counters
    from services.metrics.models import Rollup
    from services.registries.regions import REGIONS

    Rollup.objects.all().delete()
    # The contributions first, then their counters: far fewer distinct keys than contributions.
    keys: Counter = Counter()
    for facts in _requests(random.Random(size), size, [region.code for region in REGIONS]):
        keys.update(contributions(facts))
    counts = counters(keys)
    buffer = io.StringIO()
    for key, count in counts.items():
        buffer.write("\t".join(key) + f"\t{count}\n")
    buffer.seek(0)
    columns = ("cut", "grain", "basis", "day", "service", "region", "age_band", "channel", "measure", "bucket", "count")
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {Rollup._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(f"ANALYZE {Rollup._meta.db_table}")
    return len(counts)


def _requests(rng: random.Random, size: int, regions: list[str]):
    """The facts of `size` requests: service, region, birth date, and the events of the history."""
    from bench.metrics import _history
    from services.catalogue.forms import form_pages
    from services.catalogue.models import Service
    from services.metrics.facts import RequestFacts

    services = [
        (service.code, service.legal_deadline_days, form_pages(service.form.schema))
        for service in Service.objects.select_related("form")
    ]
    names, weights = zip(*CHANNELS, strict=True)
    for _ in range(size):
        code, legal_days, pages = rng.choice(services)
        started = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        channel = rng.choices(names, weights)[0]
        events = {}
        for sequence, (action, to_state, kind, minutes, payload) in enumerate(_history(rng, pages), start=1):
            event = {"a": action, "s": to_state, "k": kind, "c": channel if kind != "system" else "system"}
            event["d"] = (started + timedelta(minutes=minutes)).isoformat()
            if payload.get("page"):
                event["p"] = payload["page"]
            events[str(sequence)] = event
        born = started - timedelta(days=6000 + rng.randrange(20_000))
        yield RequestFacts(code, rng.choice(regions), born, legal_days, events)


def _report(results: list[dict], before: tuple, after: tuple) -> str:
    smallest, largest = results[0], results[-1]
    lines = [
        MARK,
        "## Dashboard response against the size of the history (issue 7)",
        "",
        "Measured by `bench/dashboard.py` on PostgreSQL: the rollups of synthetic requests over a year, loaded "
        "with COPY, then a verified clerk's /dashboard/ for the whole year (every chart and table), timed "
        "several times per size. CPU is this process plus its PostgreSQL backend, per response. "
        f"Load average before the run: {before[0]:.2f} (1 min); after: {after[0]:.2f}.",
        "",
        "| requests | rollup rows | load (build + COPY) | p50 | p95 | CPU per response |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r['size']:,} | {r['rows']:,} | {r['loading']:,.0f} s | {1000 * r['p50']:,.0f} ms "
            f"| {1000 * r['p95']:,.0f} ms | {1000 * r['cpu']:,.0f} ms |"
            for r in results
        ),
        "",
        f"p95 ratio, {largest['size']:,} to {smallest['size']:,} requests: {largest['p95'] / smallest['p95']:.2f}. "
        "What keeps it flat: the page reads the portal total and each dimension alone (`cut`), whose rows "
        "number the days, services, regions, age bands, channels and measures, not the requests; the "
        "crosses of two dimensions, whose rows grow with the variety of the history, are kept per month "
        "only and read only for a filter with a breakdown.",
        MARK,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
