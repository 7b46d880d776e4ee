"""Filing throughput through the API: one call that files a request (its answers and `submit: true`), and for
comparison the journey of a draft (create, save its pages, submit), under gunicorn on PostgreSQL and a
private Redis (broker and cache), as a ratio to a bare Django JSON view on the same server in the same run.
A naive three-insert DRF view (bench/api_urls.py), the issue's reference point, is measured beside them.

    .venv/bin/python bench/api_filing.py [--seconds 20] [--warmup 3] [--clients 8]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); creates and drops its own database,
starts its own redis-server and gunicorn, and writes the figures to docs/BENCHMARKS.md.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = f"portal_api_bench_{os.getpid()}"
SERVICE = "criminal-record-certificate"
MARK = "<!-- api filing benchmark -->"
# gunicorn's documented starting point, (2 x cores) + 1 sync workers, for both views: a worker
# filing a request waits for PostgreSQL, and the others use the cores meanwhile.
WORKERS = 2 * (os.cpu_count() or 1) + 1
WEB, POSTGRES, REDIS, CLIENT = "gunicorn", "PostgreSQL", "Redis", "load generator"
CPU_PARTS = (WEB, POSTGRES, REDIS, CLIENT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="how long each load runs")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of each load run before it is measured")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-api-bench-"))
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    from bench.cpu import process_tree
    from bench.environment import bench_environment
    from tests.reliability.processes import RedisServer, free_port

    redis = RedisServer(work)
    redis.start()
    server = None
    try:
        env = bench_environment(
            broker_url=redis.url, work=work, database=DATABASE, settings_module="bench.api_settings"
        )
        # As in production, the rate limits count in Redis, shared by the workers.
        env["CACHE_URL"] = os.environ["CACHE_URL"] = redis.url
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        citizens = _citizens(args.clients)
        queries = _queries_per_call(citizens[0])
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(port)
        load_before = os.getloadavg()[0]
        processes = {WEB: process_tree(server.pid), REDIS: [redis.process.pid], CLIENT: [os.getpid()]}
        bare = _load(port, args, lambda conn, citizen: [_call(conn, "GET", "/bench/bare/")], citizens, processes)
        naive = _load(port, args, _file_naively, citizens, processes)
        filing = _load(port, args, _file, citizens, processes)
        journey = _load(port, args, _file_in_pages, citizens, processes)
        results = {"bare": bare, "naive": naive, "filing": filing, "journey": journey}
        results.update(queries=queries, clients=args.clients)
        results["load"] = (load_before, os.getloadavg()[0])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        redis.stop()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=False)
    _write_report(results, args)
    print((ROOT / "docs" / "BENCHMARKS.md").read_text().split(MARK)[1])


class Citizen:
    def __init__(self, secret: str, pages: list[tuple[str, dict]]):
        self.secret, self.pages = secret, pages
        self.answers = {name: value for _page, answers in pages for name, value in answers.items()}


def _citizens(count: int) -> list[Citizen]:
    """Citizens with a token each, and the pages of answers (the registries' values) they file."""
    from services.accounts.iin import make_iin
    from services.accounts.models import User
    from services.apiclients.tokens import token_create
    from services.catalogue.forms import form_pages, page_fields
    from services.catalogue.models import Service
    from services.registries.prefill import prefill_for

    form = Service.objects.get(code=SERVICE).form
    citizens = []
    for serial in range(count):
        user = User.objects.create_user(
            iin=make_iin(date(1990, 1, 1) + timedelta(days=serial), female=False, serial=500 + serial)
        )
        answers = {**prefill_for(citizen=user, form=form), "purpose": "employment"}
        pages = [
            (page, {name: answers[name] for name in page_fields(form.schema, page) if name in answers})
            for page in form_pages(form.schema)
        ]
        citizens.append(Citizen(token_create(user=user, name="bench")[1], pages))
    return citizens


def _file(conn: http.client.HTTPConnection, citizen: Citizen) -> list[float]:
    """One filing in one call; the seconds it took."""
    headers = {"Authorization": f"Bearer {citizen.secret}"}
    body = {"service": SERVICE, "answers": citizen.answers, "submit": True}
    return [_timed(conn, "POST", "/api/v1/requests/", body, headers, expect=201)[0]]


def _file_naively(conn: http.client.HTTPConnection, citizen: Citizen) -> list[float]:
    """The same answers through the naive three-insert DRF view; the seconds it took."""
    headers = {"Authorization": f"Bearer {citizen.secret}"}
    body = {"service": SERVICE, "answers": citizen.answers}
    return [_timed(conn, "POST", "/bench/naive-filing/", body, headers, expect=201)[0]]


def _file_in_pages(conn: http.client.HTTPConnection, citizen: Citizen) -> list[float]:
    """One filing as a draft's journey: create, every page, submit; the seconds each call took."""
    headers = {"Authorization": f"Bearer {citizen.secret}"}
    took, draft = _timed(conn, "POST", "/api/v1/requests/", {"service": SERVICE}, headers, expect=201)
    times = [took]
    base = f"/api/v1/requests/{draft['reference']}"
    for page, answers in citizen.pages:
        times.append(_timed(conn, "POST", f"{base}/steps/", {"page": page, "answers": answers}, headers)[0])
    times.append(_timed(conn, "POST", f"{base}/submit/", None, headers)[0])
    return times


def _timed(conn, method, path, body, headers, expect=200):
    headers = {**headers, "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body or {}), headers=headers)
    response = conn.getresponse()
    data = response.read()
    took = time.perf_counter() - started
    if response.status != expect:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
    return took, json.loads(data)


def _call(conn, method, path) -> float:
    started = time.perf_counter()
    conn.request(method, path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return time.perf_counter() - started


def _load(port: int, args: argparse.Namespace, operation, citizens: list[Citizen], processes: dict) -> dict:
    """`args.clients` connections repeating `operation` for `args.seconds`, after `args.warmup` seconds
    of it unmeasured (every worker past its first calls: imports, caches, connections): operations/s,
    their latencies, and the CPU milliseconds per operation each part of the set-up used."""
    from bench.cpu import PostgresBackendsCpu, cpu_seconds

    _drive(port, args.warmup, operation, citizens)
    postgres = PostgresBackendsCpu()
    before = {part: cpu_seconds(pids) for part, pids in processes.items()}
    started = time.perf_counter()
    results, calls = _drive(port, args.seconds, operation, citizens)
    elapsed = time.perf_counter() - started
    cpu = {part: cpu_seconds(pids) - before[part] for part, pids in processes.items()}
    cpu[POSTGRES] = postgres.seconds()
    latencies = sorted(latency for per_client in results for latency in per_client)
    percentiles = statistics.quantiles(latencies, n=100)
    return {
        "per_second": len(latencies) / elapsed,
        "calls_per_second": sum(calls) / elapsed,
        "p50": percentiles[49],
        "p95": percentiles[94],
        "count": len(latencies),
        "calls_per_operation": sum(calls) / len(latencies),
        "cpu_ms": {part: 1000 * seconds / len(latencies) for part, seconds in cpu.items()},
    }


def _drive(port: int, seconds: float, operation, citizens: list[Citizen]) -> tuple[list[list[float]], list[int]]:
    """One connection per citizen repeating `operation` for `seconds`: each one's operation times and call count."""
    stop = time.perf_counter() + seconds
    results: list[list[float]] = [[] for _ in citizens]
    calls = [0] * len(citizens)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            times = operation(conn, citizens[index])
            results[index].append(sum(times))
            calls[index] += len(times)
        conn.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(citizens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, calls


def _queries_per_call(citizen: Citizen) -> dict[str, int]:
    """Database queries of each call of one filing, counted in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {citizen.secret}", HTTP_HOST="127.0.0.1")
    counts = {}

    def post(name, path, body):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                path, body or {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            )
        counts[name] = len(captured)
        return response.json()

    draft = post("create", "/api/v1/requests/", {"service": SERVICE})  # also reads what a process keeps
    base = f"/api/v1/requests/{draft['reference']}"
    for page, answers in citizen.pages:
        post(f"step {page}", f"{base}/steps/", {"page": page, "answers": answers})
    post("submit", f"{base}/submit/", None)
    post("file", "/api/v1/requests/", {"service": SERVICE, "answers": citizen.answers, "submit": True})
    return counts


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _write_report(results: dict, args: argparse.Namespace) -> None:
    bare, naive, filing, journey = results["bare"], results["naive"], results["filing"], results["journey"]
    ratio = filing["per_second"] / bare["per_second"]
    naive_ratio = naive["per_second"] / bare["per_second"]
    verdict = "met" if ratio >= 0.25 else "not met"
    queries = ", ".join(f"{name} {count}" for name, count in results["queries"].items())
    load = f"load average {results['load'][0]:.1f} before the loads, {results['load'][1]:.1f} after"
    cpu_rows = "\n".join(
        _cpu_row(name, results[key])
        for key, name in (
            ("bare", "bare view"),
            ("naive", "naive three-insert view"),
            ("filing", "filing (one call)"),
            ("journey", f"journey ({journey['calls_per_operation']:.0f} calls)"),
        )
    )
    budget = 4 * _cpu_total(bare)
    section = f"""{MARK}
## Filing through the API (issue 6): one call, and the draft's journey

Measured in one run by `bench/api_filing.py`: gunicorn ({WORKERS} sync workers, gunicorn's recommended
(2 x cores) + 1, for both views) on PostgreSQL and
a private Redis (Celery's broker and the rate limits' cache) on this 2-core machine,
{results["clients"]} client connections for {args.seconds:.0f} s per load (after {args.warmup:.0f} s of it unmeasured),
service `{SERVICE}`; every write
carries an `Idempotency-Key`; the load generator runs on the same machine ({load}:
other work shares the cores, and the ratio falls as it grows). A filing is one
`POST /api/v1/requests/` with the answers and `submit: true`; the journey of a draft (create, save
each page, submit: {journey["calls_per_operation"]:.0f} calls) is measured after it for comparison.

| figure | value | target |
|---|---|---|
| filings per second (one call) | {filing["per_second"]:.1f} | |
| one filing, p50 / p95 | {filing["p50"] * 1000:.0f} / {filing["p95"] * 1000:.0f} ms | |
| filings per second as a draft's journey ({journey["calls_per_operation"]:.0f} calls) | {journey["per_second"]:.1f} | |
| one journey, p50 / p95 | {journey["p50"] * 1000:.0f} / {journey["p95"] * 1000:.0f} ms | |
| bare Django JSON view, requests per second | {bare["per_second"]:.0f} | |
| bare view, p50 / p95 | {bare["p50"] * 1000:.1f} / {bare["p95"] * 1000:.1f} ms | |
| **filings per second (one call) as a share of the bare view's requests per second** | **{ratio:.1%}** | at least 25% |
| naive three-insert DRF view (no rules, key, webhooks or dispatch), filings per second | {naive["per_second"]:.1f} | |
| naive view, p50 / p95 | {naive["p50"] * 1000:.0f} / {naive["p95"] * 1000:.0f} ms | |
| naive view as a share of the bare view (the issue cites about 13% on its machines) | {naive_ratio:.1%} | |
| journey as a share of the bare view | {journey["per_second"] / bare["per_second"]:.1%} | |
| database queries per call (counted in-process, after-commit dispatch included) | {queries} | |

Where the machine's time goes, CPU milliseconds per operation in the same loads (from /proc: the
gunicorn master and workers, this database's PostgreSQL backends, the private Redis, and this
process, which generates the load):

| CPU per operation, ms | {" | ".join(CPU_PARTS)} | all |
|---|---|---|---|---|---|
{cpu_rows}

The machine is busy in every load (the bare view's load too), so requests per second are about the
inverse of these totals: at 25% a filing could use at most four bare views' CPU, {budget:.1f} ms in all;
it uses {_cpu_total(filing):.1f} ms, of which {filing["cpu_ms"][WEB]:.1f} ms in the web workers (Python), and the
naive view uses {_cpu_total(naive):.1f} ms. The 25% target is {verdict} in this run.
`bench/api_filing_profile.py` shows where a filing call's CPU in the web worker goes (the section after this one).
{MARK}"""
    from bench.report import section_write

    section_write(section, MARK)


def _cpu_row(name: str, load: dict) -> str:
    cells = " | ".join(f"{load['cpu_ms'][part]:.2f}" for part in CPU_PARTS)
    return f"| {name} | {cells} | {_cpu_total(load):.2f} |"


def _cpu_total(load: dict) -> float:
    return sum(load["cpu_ms"][part] for part in CPU_PARTS)


if __name__ == "__main__":
    main()
