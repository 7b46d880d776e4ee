"""CPU time of the processes a benchmark starts or talks to, read from /proc (they run on this machine).

CPU seconds per operation depend much less on other load of a shared machine than operations per
second do, and they show which process the time goes to.
"""

import os
from pathlib import Path


def cpu_seconds(pids: list[int]) -> float:
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


def process_tree(pid: int) -> list[int]:
    """This process and its children (a server's master and its workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(int(child) for child in children)]


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on this machine (other databases' backends too)."""
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _comm(p) == "postgres"]


def backend_cpu(connection) -> float:
    """CPU seconds of this connection's PostgreSQL backend so far."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return cpu_seconds([pid])


class PostgresBackendsCpu:
    """CPU seconds of the PostgreSQL backends serving this database (but not this process's own),
    sampled while the run goes on: a backend that ends (a worker reconnecting) keeps its last sample."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.sample()
        self.first = dict(self.last)

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            for (pid,) in cursor.fetchall():
                self.last[pid] = cpu_seconds([pid])

    def seconds(self) -> float:
        self.sample()
        return sum(value - self.first.get(pid, 0.0) for pid, value in self.last.items())


def _comm(process: Path) -> str:
    try:
        return (process / "comm").read_text().strip()
    except OSError:
        return ""
