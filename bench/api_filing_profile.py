"""Where a filing call's CPU goes in the web worker: one-call filings through the WSGI application in
this process, on PostgreSQL and a private Redis as `bench/api_filing.py` runs them, with the
functions that do each part of a call timed inside those calls; CPU milliseconds per call of this
process (PostgreSQL's and Redis's own CPU are in `bench/api_filing.py`'s table). Writes the figures
to docs/BENCHMARKS.md, and with `--cprofile` prints the functions that take the most time instead.

    .venv/bin/python bench/api_filing_profile.py [--calls 300] [--cprofile [--top 40]]
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = f"portal_api_profile_{os.getpid()}"
MARK = "<!-- api filing parts -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="calls measured, of the filing and of each baseline")
    parser.add_argument("--cprofile", action="store_true", help="profile whole filings and print the top functions")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-api-profile-"))
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    from bench.environment import bench_environment
    from tests.reliability.processes import RedisServer

    redis = RedisServer(work)
    redis.start()
    try:
        bench_environment(broker_url=redis.url, work=work, database=DATABASE, settings_module="bench.api_settings")
        os.environ["CACHE_URL"] = redis.url
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        file, baselines = _calls()
        if args.cprofile:
            _profile(file, args)
        else:
            baseline_cpu = {name: _cpu_ms(call, args.calls) for name, call in baselines.items()}
            _report(_timed_parts(file, args.calls), baseline_cpu)
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=False)


def _calls():
    """One filing call through the API, and the two baselines of `bench/api_filing.py` in-process."""
    from django.test import Client

    from bench.api_filing import SERVICE, _citizens

    citizen = _citizens(1)[0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {citizen.secret}", HTTP_HOST="127.0.0.1")

    def post(path: str, data: dict) -> None:
        response = client.post(path, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        if response.status_code != 201:
            raise RuntimeError(response.content[:300])

    baselines = {
        "bare": lambda: client.get("/bench/bare/"),
        "naive": lambda: post("/bench/naive-filing/", {"service": SERVICE, "answers": citizen.answers}),
    }
    filing = {"service": SERVICE, "answers": citizen.answers, "submit": True}
    return lambda: post("/api/v1/requests/", filing), baselines


# The functions that do the parts of a filing call, timed (inclusive) inside whole calls, and where a
# call looks them up. The idempotent write also times the view's handler it runs.
TIMED = {
    "token": ("portal.api.authentication", "token_authenticate"),
    "limits": ("portal.api.throttling", "_increment"),
    "keyed": ("portal.api.idempotency", "idempotent_write"),
    "input": ("portal.api.views.requests", "_valid"),
    "filing": ("portal.api.views.requests", "request_file"),
    "output": ("portal.api.views.requests", "as_data"),
    "publish": ("services.workflow.outbox", "side_effects_dispatch"),
}
PARTS = {
    "token": "token look-up (`token_authenticate`: one SELECT with the user)",
    "limits": "rate limits (one Redis pipeline for the call's limits)",
    "key": "idempotency key: claimed, response stored, transaction committed",
    "input": "the request body checked (`RequestCreateIn`)",
    "service": "service and its current form (one SELECT); the response kept as JSON for retries",
    "filing": "the filing: `request_file` (rules, JSON Schema, 4 INSERTs)",
    "output": "the response body (`RequestOut`)",
    "publish": "the Celery publish after the commit (`side_effects_dispatch`)",
    "rest": "the rest: WSGI, middleware, DRF's dispatch, JSON in and out, the test client",
}


def _timed_parts(file, count: int) -> dict[str, float]:
    """CPU milliseconds per filing call, whole and of each part, over `count` calls (after a few unmeasured)."""
    import importlib

    spent = dict.fromkeys([*TIMED, "handler"], 0.0)

    def timed(part: str, function):
        def measured(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part] += time.process_time() - started

        return measured

    def keyed(function):
        return lambda *, write, **kwargs: function(write=timed("handler", write), **kwargs)

    originals = {part: getattr(importlib.import_module(module), name) for part, (module, name) in TIMED.items()}
    for part, (module, name) in TIMED.items():
        replaced = keyed(originals[part]) if part == "keyed" else originals[part]
        setattr(importlib.import_module(module), name, timed(part, replaced))
    try:
        whole = _cpu_ms(file, count, before=lambda: spent.update(dict.fromkeys(spent, 0.0)))
    finally:
        for part, (module, name) in TIMED.items():
            setattr(importlib.import_module(module), name, originals[part])
    ms = {part: 1000 * seconds / count for part, seconds in spent.items()}
    return {
        "whole": whole,
        "token": ms["token"],
        "limits": ms["limits"],
        "key": ms["keyed"] - ms["handler"] - ms["publish"],
        "input": ms["input"],
        "service": ms["handler"] - ms["input"] - ms["filing"] - ms["output"],
        "filing": ms["filing"],
        "output": ms["output"],
        "publish": ms["publish"],
        "rest": whole - ms["keyed"] - ms["token"] - ms["limits"],
    }


def _cpu_ms(call, count: int, before=lambda: None) -> float:
    """CPU milliseconds of this process per call, after a few unmeasured calls (and then `before()`)."""
    for _ in range(max(10, count // 10)):
        call()
    before()
    started = time.process_time()
    for _ in range(count):
        call()
    return 1000 * (time.process_time() - started) / count


def _report(parts: dict[str, float], baselines: dict[str, float]) -> None:
    from bench.report import section_write

    whole = parts["whole"]
    rows = "\n".join(f"| {label} | {parts[name]:.2f} | {parts[name] / whole:.0%} |" for name, label in PARTS.items())
    section = f"""{MARK}
## Where a filing call's CPU goes in the web worker

Measured in one run by `bench/api_filing_profile.py`: one-call filings one at a time in one process
(Django's test client, the benchmark's production settings), on PostgreSQL and a private Redis,
with the function that does each part timed inside the calls; CPU milliseconds of the Python
process per call, so waiting for the database is not counted (its own CPU is in the table above).
One call at a time on an idle core: under the benchmark's load the same work costs more CPU.

| part of one filing call | CPU ms per call | share |
|---|---|---|
| **the whole call** | **{whole:.2f}** | 100% |
{rows}

The two baselines the same way: the bare view {baselines["bare"]:.2f} ms, the naive three-insert view
{baselines["naive"]:.2f} ms.
{MARK}"""
    section_write(section, MARK)
    print(section)


def _profile(call, args: argparse.Namespace) -> None:
    for _ in range(10):
        call()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.calls):
        call()
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
