"""Where a filing call's time goes: N one-call filings through the WSGI application in this process,
under cProfile, on PostgreSQL and a private Redis as `bench/api_filing.py` runs them; prints the
queries of one call and the functions that take the most time.

    .venv/bin/python bench/api_filing_profile.py [--filings 300] [--top 40]
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = f"portal_api_profile_{os.getpid()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-api-profile-"))
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    from bench.api_filing import SERVICE, _citizens
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
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        citizen = _citizens(1)[0]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {citizen.secret}", HTTP_HOST="127.0.0.1")
        body = {"service": SERVICE, "answers": citizen.answers, "submit": True}

        def file() -> None:
            response = client.post(
                "/api/v1/requests/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            )
            if response.status_code != 201:
                raise RuntimeError(response.content[:300])

        file()  # the first call reads what a process keeps
        with CaptureQueriesContext(connection) as captured:
            file()
        print(f"{len(captured)} queries in one filing call:")
        for query in captured:
            print("  ", query["sql"][:110])
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.filings):
            file()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=False)


if __name__ == "__main__":
    main()
