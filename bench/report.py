"""Where the benchmarks write their figures: each its own section of docs/BENCHMARKS.md, between two marks."""

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"
_HEADER = "# Benchmarks\n\nFigures from one run each; rerun the command to refresh them.\n\n"


def section_write(section: str, mark: str, path: Path = BENCHMARKS) -> None:
    """Put `section` (which begins and ends with `mark`) in place of the one between the two `mark`
    lines of `path`, or append it; the other benchmarks' sections stay as they are."""
    existing = path.read_text() if path.exists() else _HEADER
    if mark in existing:
        before, _, rest = existing.partition(mark)
        _, _, after = rest.partition(mark)
        existing = before + section + after
    else:
        existing = existing.rstrip() + "\n\n" + section + "\n"
    path.write_text(existing)
