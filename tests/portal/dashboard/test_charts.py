"""The SVG chart builders: a title for assistive technology, marks in proportion, escaped labels."""

import re

from portal.dashboard.charts import WIDTH, Datum, Line, bar_chart, funnel_chart, line_chart


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[^"]*" y="[^"]*" width="([^"]*)"', svg)]


def test_a_chart_is_an_image_named_by_its_title():
    svg = bar_chart("Completion by region", [Datum("Astana", 0.5, "50%")])

    assert svg.startswith('<svg class="chart" role="img" aria-label="Completion by region"')
    assert "<title>Completion by region</title>" in svg


def test_bars_are_in_proportion_to_the_maximum():
    svg = bar_chart("Shares", [Datum("a", 1.0, "100%"), Datum("b", 0.25, "25%"), Datum("c", None, "–")], maximum=1.0)

    full, quarter, unknown = widths(svg)
    assert quarter == full / 4
    assert unknown == 0


def test_a_reference_line_sits_at_its_value():
    svg = bar_chart("Score", [Datum("Total", 50, "50")], maximum=100, lines=[Line("OECD", 75)])

    x = (WIDTH - 120) * 0.75
    assert f'<line x1="{x:g}" x2="{x:g}"' in svg
    assert ">OECD</text>" in svg


def test_labels_are_escaped():
    svg = bar_chart("<b>", [Datum('<script>alert("x")</script>', 1, "1")])

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'aria-label="&lt;b&gt;"' in svg


def test_a_line_breaks_where_a_value_is_unknown():
    data = [Datum(str(i), value, "") for i, value in enumerate([0.1, 0.2, None, 0.4, 0.5])]

    svg = line_chart("Rate", data)

    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4


def test_a_line_labels_at_most_eight_points_with_the_first_and_the_last():
    data = [Datum(f"w{i}", 0.5, "") for i in range(30)]

    svg = line_chart("Rate", data)

    labels = re.findall(r'text-anchor="middle">(w\d+)</text>', svg)
    assert len(labels) == 8
    assert (labels[0], labels[-1]) == ("w0", "w29")


def test_the_funnel_narrows_with_the_share_of_the_first_step():
    svg = funnel_chart("Funnel", [Datum("Start", 200, "200"), Datum("Submitted", 50, "50"), Datum("Done", 0, "0")])

    assert widths(svg) == [WIDTH, WIDTH / 4, 0]
    assert "Submitted – 50" in svg


def test_an_empty_funnel_draws_nothing_wide():
    svg = funnel_chart("Funnel", [Datum("Start", 0, "0"), Datum("Done", 0, "0")])

    assert widths(svg) == [0, 0]
