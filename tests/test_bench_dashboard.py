"""The dashboard benchmark's data set: its rollups are those the metrics' own functions give for its requests."""

import random
from collections import Counter

from bench.dashboard import _counters_by_cut, _requests, request_facts
from services.metrics.facts import contributions, counters

SERVICES = [("certificate", 5, ("applicant", "purpose", "delivery")), ("allowance", 10, ("family",)), ("info", 3, ())]


def test_the_counters_worked_out_per_template_are_those_of_each_request_on_its_own():
    requests = list(_requests(random.Random(3), 400, SERVICES, ["almaty", "astana", "shymkent"]))
    one_by_one = counters(
        Counter(
            key
            for template, region, born, channel in requests
            for key in contributions(request_facts(template, region, born, channel))
        )
    )
    per_template: Counter = Counter()
    for of_a_cut in _counters_by_cut(requests):
        assert not of_a_cut.keys() & per_template.keys(), "a counter in two cuts"
        per_template.update(of_a_cut)
    assert per_template == one_by_one
