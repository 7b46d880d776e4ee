"""The SVG charts: well-formed, named for assistive technology, drawn to scale, escaping their text."""

import xml.etree.ElementTree as ET

from portal.dashboard.charts import Datum, Line, bar_chart, funnel_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def rects(svg):
    return [float(rect.get("width")) for rect in parse(svg).iter(f"{SVG}rect")]


def test_a_chart_is_an_image_named_by_its_title():
    root = parse(bar_chart("Completion by region", [Datum("Astana", 0.5, "50%")]))

    assert root.get("role") == "img"
    assert root.get("aria-label") == "Completion by region"
    assert root.find(f"{SVG}title").text == "Completion by region"


def test_bars_are_drawn_to_scale_and_labelled():
    svg = bar_chart("Shares", [Datum("A", 1.0, "100%"), Datum("B", 0.25, "25%"), Datum("C", None, "–")], maximum=1.0)

    full, quarter, unknown = rects(svg)
    assert quarter == full / 4 and unknown == 0
    texts = [text.text for text in parse(svg).iter(f"{SVG}text")]
    assert texts == ["A", "100%", "B", "25%", "C", "–"]


def test_bars_scale_to_the_largest_value_without_a_maximum():
    assert rects(bar_chart("Counts", [Datum("A", 10, "10"), Datum("B", 5, "5")])) == [520, 260]


def test_reference_lines_are_drawn_on_the_bars_scale_with_their_label():
    svg = bar_chart("Score", [Datum("Total", 50, "50")], maximum=100, lines=[Line("EU27 average", 76)])

    (line,) = parse(svg).iter(f"{SVG}line")
    assert float(line.get("x1")) == 520 * 0.76
    assert "EU27 average" in [text.text for text in parse(svg).iter(f"{SVG}text")]


def test_text_is_escaped():
    svg = bar_chart("<script>", [Datum("A & B <b>", 1, "1")])

    assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)
    assert "A & B <b>" in [text.text for text in parse(svg).iter(f"{SVG}text")]


def test_a_line_breaks_where_a_value_is_unknown():
    data = [Datum("w1", 0.5, ""), Datum("w2", 1.0, ""), Datum("w3", None, ""), Datum("w4", 0.0, ""), Datum("w5", 0.5, "")]
    root = parse(line_chart("Rate", data))

    polylines = [line.get("points").split() for line in root.iter(f"{SVG}polyline")]
    assert [len(points) for points in polylines] == [2, 2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    # Higher values are higher up: a smaller y.
    (x1, y1), (x2, y2) = (map(float, point.split(",")) for point in polylines[0])
    assert x1 < x2 and y2 < y1


def test_a_single_point_is_drawn_without_a_line():
    root = parse(line_chart("Rate", [Datum("w1", 0.5, "")]))

    assert list(root.iter(f"{SVG}polyline")) == [] and len(list(root.iter(f"{SVG}circle"))) == 1


def test_a_long_series_shows_at_most_eight_dates_first_and_last_included():
    data = [Datum(f"d{i}", 0.5, "") for i in range(30)]
    labels = [text.text for text in parse(line_chart("Rate", data)).iter(f"{SVG}text")]

    assert len(labels) == 8 and labels[0] == "d0" and labels[-1] == "d29"


def test_funnel_steps_narrow_as_their_share_of_the_first():
    svg = funnel_chart("Funnel", [Datum("Started", 200, "200"), Datum("Submitted", 100, "100"), Datum("Done", 0, "0")])

    assert rects(svg) == [640, 320, 0]
    assert "Started – 200" in [text.text for text in parse(svg).iter(f"{SVG}text")]


def test_an_empty_funnel_draws_nothing():
    assert rects(funnel_chart("Funnel", [Datum("Started", 0, "0")])) == [0]
