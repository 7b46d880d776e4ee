"""Small server-rendered SVG charts: horizontal bars, a line with points, a funnel.

Each chart is an `<svg role="img">` whose title names it; the page puts it in a `<figure>` with a
caption and a table of the same numbers, so it reads without the picture and without JavaScript.
Colours pass WCAG 2.2 contrast on white: the marks 3:1 at least (1.4.11), the text 4.5:1 (1.4.3).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
MARK = "#00567a"  # the brand colour, 7.9:1 on white
REFERENCE = "#d4351c"  # 4.5:1 on white
TEXT = "#0b0c0c"
GRID = "#6f777b"  # 4.5:1 on white
ROW = 44  # a bar's label above it, then the bar


@dataclass(frozen=True)
class Datum:
    """One value of a chart: its label, the value (None when unknown) and how to write it."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Line:
    """A reference line across bars, at `value` on the bars' scale."""

    label: str
    value: float


def bar_chart(
    title: str, data: Sequence[Datum], *, maximum: float | None = None, lines: Sequence[Line] = ()
) -> SafeString:
    """Horizontal bars, one per datum, scaled to `maximum` (the largest value by default)."""
    scale = maximum or max([d.value or 0 for d in data] + [line.value for line in lines] + [1])
    plot = WIDTH - 120
    bars = ROW * len(data)
    height = bars + 16 * len(lines) + 8
    rows = format_html_join(
        "",
        '<text x="0" y="{}" font-size="14" fill="{}">{}</text>'
        '<rect x="0" y="{}" width="{}" height="16" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="{}">{}</text>',
        (
            (
                ROW * i + 16,
                TEXT,
                d.label,
                ROW * i + 22,
                _number(plot * (d.value or 0) / scale),
                MARK,
                _number(plot * (d.value or 0) / scale + 6),
                ROW * i + 35,
                TEXT,
                d.text,
            )
            for i, d in enumerate(data)
        ),
    )
    references = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="20" y2="{1}" stroke="{2}" stroke-width="2" stroke-dasharray="6 3"></line>'
        '<text x="{3}" y="{4}" font-size="12" fill="{2}" text-anchor="end">{5}</text>',
        # From the lowest value: each label on its own row, left of its line's foot, below the feet of
        # the lines to its left, so no label overlaps another or is crossed by a line.
        (
            (x, bars + 16 * k + 14, REFERENCE, _number(float(x) - 4), bars + 16 * k + 14, line.label)
            for k, line in enumerate(sorted(lines, key=lambda line: line.value))
            for x in [_number(plot * line.value / scale)]
        ),
    )
    return _svg(title, height, rows + references)


def line_chart(title: str, data: Sequence[Datum], *, maximum: float = 1.0, axis: Sequence[Datum] = ()) -> SafeString:
    """Points joined by a line (broken where a value is unknown), on a 0..`maximum` scale with `axis` ticks."""
    left, top, plot_width, plot_height = 56, 12, WIDTH - 72, 180
    step = plot_width / max(len(data) - 1, 1)

    def position(i: int, value: float) -> tuple[str, str]:
        return _number(left + step * i), _number(top + plot_height * (1 - value / maximum))

    ticks = format_html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="{3}" stroke-width="1"></line>'
        '<text x="{4}" y="{5}" font-size="12" fill="{6}" text-anchor="end">{7}</text>',
        (
            (left, left + plot_width, y, GRID, left - 6, _number(float(y) + 4), TEXT, tick.text)
            for tick in axis
            for y in [position(0, tick.value or 0)[1]]
        ),
    )
    segments = [[position(i, d.value) for i, d in run] for run in _runs(data)]
    path = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"></polyline>',
        ((" ".join(f"{x},{y}" for x, y in segment), MARK) for segment in segments if len(segment) > 1),
    )
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>',
        ((*position(i, d.value), MARK) for i, d in enumerate(data) if d.value is not None),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="middle">{}</text>',
        ((position(i, 0)[0], top + plot_height + 18, TEXT, d.label) for i, d in _spread(data)),
    )
    return _svg(title, top + plot_height + 28, ticks + path + points + labels)


def funnel_chart(title: str, data: Sequence[Datum]) -> SafeString:
    """Centred bars that narrow step by step, each as wide as its share of the first step."""
    first = (data[0].value or 0) if data else 0
    height = ROW * len(data) + 8
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="14" fill="{}" text-anchor="middle">{} – {}</text>'
        '<rect x="{}" y="{}" width="{}" height="16" fill="{}"></rect>',
        (
            (
                WIDTH / 2,
                ROW * i + 16,
                TEXT,
                d.label,
                d.text,
                _number((WIDTH - width) / 2),
                ROW * i + 22,
                _number(width),
                MARK,
            )
            for i, d in enumerate(data)
            for width in [WIDTH * (d.value or 0) / first if first else 0]
        ),
    )
    return _svg(title, height, rows)


def _runs(data: Sequence[Datum]) -> list[list[tuple[int, Datum]]]:
    """The stretches of consecutive known values, with their positions."""
    runs: list[list[tuple[int, Datum]]] = [[]]
    for i, d in enumerate(data):
        if d.value is None:
            runs.append([])
        else:
            runs[-1].append((i, d))
    return [run for run in runs if run]


def _spread(data: Sequence[Datum], most: int = 8) -> list[tuple[int, Datum]]:
    """At most `most` evenly spread x labels, the first and the last always among them."""
    if len(data) <= most:
        return list(enumerate(data))
    step = (len(data) - 1) / (most - 1)
    return [(round(step * k), data[round(step * k)]) for k in range(most)]


def _svg(title: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" aria-label="{0}" viewBox="0 0 {1} {2}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        "<title>{0}</title>{3}</svg>",
        title,
        WIDTH,
        height,
        mark_safe(body),  # noqa: S308 - built by format_html from escaped values
    )


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
