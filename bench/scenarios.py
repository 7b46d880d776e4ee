"""Scenarios and simulator throughput: `today` against `top25`, and each of top25's levers alone.

    .venv/bin/python bench/scenarios.py [--citizens 2000] [--days 30] [--seed 1] [--postgres DB]
    .venv/bin/python bench/scenarios.py --quick      # 200 citizens, figures printed only

Every scenario runs `manage.py simulate` in a process of its own on a fresh embedded SQLite
database (the same seed for all, so the scenarios differ only in their profile), then writes
docs/SCENARIOS.md from the figures the simulator produced, and the simulator's throughput on
SQLite (and, with --postgres, on that PostgreSQL database, emptied first) into docs/BENCHMARKS.md
between its own markers. Nothing in either document is typed by hand.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCENARIOS = ROOT / "docs" / "SCENARIOS.md"
MARK = "<!-- simulator benchmark -->"
DIMENSIONS = (("service", "Services"), ("region", "Regions"), ("age_band", "Age groups"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="also time the `today` run on this PostgreSQL database (emptied)")
    parser.add_argument("--quick", action="store_true", help="200 citizens, print only")
    args = parser.parse_args()
    if args.quick:
        args.citizens = 200
    load_before = os.getloadavg()
    runs = {"today": _simulate(args, "today"), "top25": _simulate(args, "top25")}
    for lever in _levers():
        runs[f"top25:{lever}"] = _simulate(args, "top25", lever=lever)
    postgres = _simulate(args, "today", database=_postgres_url(args.postgres)) if args.postgres else None
    load_after = os.getloadavg()
    scenarios = _scenarios_markdown(args, runs)
    benchmark = _benchmark_markdown(args, runs["today"], postgres, load_before, load_after)
    if args.quick:
        print(scenarios, benchmark, sep="\n")
        return
    from bench.report import section_write

    SCENARIOS.write_text(scenarios)
    section_write(benchmark, MARK)
    print(benchmark)


def _levers() -> list[str]:
    from services.simulator.profiles import profile_levers

    return profile_levers("top25")


def _simulate(args: argparse.Namespace, profile: str, *, lever: str | None = None, database: str = "") -> dict:
    """One `manage.py simulate` on a fresh database; its figures as the command wrote them."""
    from bench.environment import portal_environment

    work = Path(tempfile.mkdtemp(prefix="portal-scenario-"))
    env = {
        **os.environ,
        **portal_environment(database_url=database or f"sqlite:///{work / 'portal.sqlite3'}", work=work),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # A shared cache, as production has, so that the deployment checks pass; nothing is kept in it.
        "CACHE_URL": os.environ.get("SCENARIO_CACHE_URL", "redis://127.0.0.1:6379/5"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    if database:
        _empty(database)
    for command in (["migrate", "--no-input"], ["load_catalogue"]):
        done = subprocess.run([*manage, *command, "-v", "0"], env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    out = work / "figures.json"
    simulate = ["simulate", "--citizens", str(args.citizens), "--days", str(args.days), "--seed", str(args.seed)]
    simulate += ["--profile", profile, "--json", str(out)] + (["--lever", lever] if lever else [])
    subprocess.run([*manage, *simulate], env=env, check=True, stdout=subprocess.DEVNULL)
    figures = json.loads(out.read_text())
    shutil.rmtree(work, ignore_errors=True)
    return figures


def _postgres_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _empty(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", name, "-c"]
    subprocess.run([*psql, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True, capture_output=True)


def _scenarios_markdown(args: argparse.Namespace, runs: dict[str, dict]) -> str:
    today, top25 = runs["today"], runs["top25"]
    line = today["reference_lines"]["top25_proxy"]
    levers = sorted(((name, run) for name, run in runs.items() if ":" in name), key=lambda item: -_value(item[1]))
    parts = [
        "# Scenarios: what holds the portal below the top-25 line\n",
        f"Written by `bench/scenarios.py` from `manage.py simulate` runs: {args.citizens} citizens arriving over "
        f"{args.days} days, seed {args.seed}, each scenario on a fresh embedded SQLite database. The score is the "
        "portal's own proxy (0 to 100, REFERENCE.md section 3); the top-25 line is "
        f"{line:g}. Profiles: `today` (services/simulator/profiles/today.toml) and `top25` (top25.toml), which "
        "changes only levers the portal has: more pre-filled fields, shorter forms, more automatic decisions, "
        "assisted counters in low-connectivity regions. The figures are of the requests started in the "
        "arrival period (their cohort), followed until they are decided or lapse.\n",
        "## The two profiles\n",
        "| figure | today | top25 |",
        "|---|---|---|",
        f"| benchmark score (proxy) | {_number(today['score'])} | {_number(top25['score'])} |",
        *(
            f"| {key} pillar | {_number(today['pillars'][key])} | {_number(top25['pillars'][key])} |"
            for key in today["pillars"]
        ),
        *(
            f"| {name.replace('_', ' ')} | {_figure(today['overall'][name])} | {_figure(top25['overall'][name])} |"
            for name in ("started", "completed", "completion_rate", "within_deadline_share", "digital_take_up")
        ),
        f"| people offline who filed nothing | {today['tally'].get('offline_not_served', 0)} | "
        f"{top25['tally'].get('offline_not_served', 0)} |",
        "",
        _verdict(today, top25, line),
        "## Which change moves the score most (each lever of top25 alone, over today)\n",
        "| lever | score | change over today |",
        "|---|---|---|",
        *(
            f"| {name.split(':', 1)[1].replace('_', ' ')} | {_number(run['score'])} | "
            f"{_value(run) - _value(today):+.1f} |"
            for name, run in levers
        ),
        "",
    ]
    if levers:
        best, best_run = levers[0]
        parts.append(
            f"The lever that moves the score most in this run: **{best.split(':', 1)[1].replace('_', ' ')}** "
            f"({_value(best_run) - _value(today):+.1f} points).\n"
        )
    for dimension, title in DIMENSIONS:
        parts += _below_the_line(title, dimension, today, top25, line)
    return "\n".join(parts)


def _verdict(today: dict, top25: dict, line: float) -> str:
    """In words: where each profile stands against the line, and today's weakest pillar."""

    def side(run: dict) -> str:
        return "above" if _value(run) >= line else "below"

    pillars = {key: value for key, value in today["pillars"].items() if value is not None}
    weakest = min(pillars, key=pillars.get)
    return (
        f"\nIn this run `today` scores {_number(today['score'])}, {side(today)} the top-25 line, and `top25` "
        f"{_number(top25['score'])}, {side(top25)} it. Today's weakest pillar is **{weakest}** "
        f"({_number(pillars[weakest])}); no lever of top25 changes the satisfaction the profiles give, so a "
        "gain there comes only from more requests ending in a result. The tables below show what stays under "
        "the line even when the whole portal is above it.\n"
    )


def _below_the_line(title: str, dimension: str, today: dict, top25: dict, line: float) -> list[str]:
    """The values of one dimension under the line today, lowest first, with their completion rates."""
    labels = {row["key"]: row for row in today["by"][dimension]}
    after = {row["key"]: row for row in top25["by"][dimension]}
    scores = today["score_by"][dimension]
    below = sorted((key for key, value in scores.items() if value is not None and value < line), key=scores.get)
    rows = [
        f"| {labels[key]['label']} | {_number(scores[key])} | {_number(top25['score_by'][dimension].get(key))} | "
        f"{labels[key]['figures']['started']} | {_figure(labels[key]['figures']['completion_rate'])} | "
        f"{_figure(after.get(key, {}).get('figures', {}).get('completion_rate'))} |"
        for key in below
    ]
    return [
        f"## {title} below the line today ({len(below)} of {len(scores)})\n",
        "| | score today | score top25 | started today | completion today | completion top25 |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def _benchmark_markdown(
    args: argparse.Namespace, sqlite: dict, postgres: dict | None, before: tuple, after: tuple
) -> str:
    rows = [_throughput_row("embedded SQLite", sqlite)]
    if postgres:
        rows.append(_throughput_row("PostgreSQL", postgres))
    return "\n".join(
        [
            MARK,
            "## Simulator throughput (issue 7)\n",
            f"Measured by `bench/scenarios.py`: `manage.py simulate --profile today --citizens {args.citizens} "
            f"--days {args.days}`, one process, side effects run in-process by the worker's code (checks, "
            "decisions, signed PDFs, notifications), nightly sweeps included. A simulated request is one "
            "submitted; every citizen also signs up and fills in pages. CPU is this process's only (on "
            f"PostgreSQL the server's backends come on top). Load average before: {before[0]:.2f} (1 min), "
            f"{before[1]:.2f} (5 min); after all the scenarios: {after[0]:.2f}. The machine has 2 cores, shared.\n",
            "| database | citizens | requests submitted | wall s | requests/s | citizens/s | CPU ms per request |",
            "|---|---|---|---|---|---|---|",
            *rows,
            MARK,
        ]
    )


def _throughput_row(name: str, run: dict) -> str:
    submitted, seconds = run["submitted"], run["seconds"]
    return (
        f"| {name} | {run['citizens']} | {submitted} | {seconds:.0f} | {submitted / seconds:.1f} | "
        f"{run['citizens'] / seconds:.1f} | {run['cpu_seconds'] / submitted * 1000:.0f} |"
    )


def _value(run: dict) -> float:
    return run["score"] if run["score"] is not None else 0.0


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _figure(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
