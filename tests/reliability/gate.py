"""A gate around the worker's side-effect handlers, driven by files in RELIABILITY_DIR.

- `hold-<kind>`: a handler of that kind announces itself (`inflight-<effect id>`) and waits until
  `release` exists, so a test can kill the worker while the task is in flight.
- `crash-<kind>`: the handler raises every time (a poison task).
"""

import os
import time
from dataclasses import replace
from pathlib import Path

from services.workflow import outbox
from services.workflow.models import SideEffect

HOLD_LIMIT_SECONDS = 120


def install() -> None:
    """Wrap every registered handler (called in each worker pool process)."""
    for kind, registration in list(outbox._HANDLERS.items()):
        outbox._HANDLERS[kind] = replace(registration, run=_gated(kind, registration.run))


def _gated(kind: str, run: outbox.Handler) -> outbox.Handler:
    directory = Path(os.environ["RELIABILITY_DIR"])

    def gated(effect: SideEffect) -> None:
        if (directory / f"hold-{kind}").exists() and not (directory / "release").exists():
            (directory / f"inflight-{effect.pk}").touch()
            give_up_at = time.monotonic() + HOLD_LIMIT_SECONDS
            while not (directory / "release").exists():
                if time.monotonic() > give_up_at:
                    raise TimeoutError("the test never released the gate")
                time.sleep(0.05)
        if (directory / f"crash-{kind}").exists():
            raise RuntimeError(f"{kind} is told to crash")
        run(effect)

    return gated
