"""Every automated check and every finding it can store has words for the staff pages."""

import ast
import inspect

import pytest
from django.utils import translation

from services.processing import checks
from services.processing.labels import CHECK_LABELS, FINDING_LABELS, check_label, finding_label

RESULT_MAKERS = {"_passed", "_failed", "_undecided"}


def _findings_in_checks() -> dict[str, set[str]]:
    """Each finding code checks.py can store, with the names of the data it stores with it."""
    found: dict[str, set[str]] = {}
    module = ast.parse(inspect.getsource(checks))
    makers = [node for node in module.body if isinstance(node, ast.FunctionDef) and node.name in RESULT_MAKERS]
    for maker in makers:  # they pass their caller's code on: the callers are what counts
        module.body.remove(maker)
    for node in ast.walk(module):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name, args = node.func.id, node.args
        if name in RESULT_MAKERS:
            code = args[0] if args else None
            data = {keyword.arg for keyword in node.keywords}
        elif name == "Finding" and len(args) >= 2:
            code = args[1]
            data = {key.value for key in args[2].keys} if len(args) > 2 and isinstance(args[2], ast.Dict) else set()
        else:
            continue
        if code is None:  # _passed() stores its default finding
            found.setdefault(inspect.signature(checks._passed).parameters["finding"].default, set())
            continue
        assert isinstance(code, ast.Constant), f"line {node.lineno}: a finding code must be written out"
        found.setdefault(code.value, set()).update(data)
    return found


def test_every_registered_check_has_a_label():
    assert set(checks.CHECKS) - set(CHECK_LABELS) == set()


def test_every_finding_code_in_checks_has_a_label_that_names_only_data_it_has():
    findings = _findings_in_checks()
    assert len(findings) > 30  # the parse found the checks' findings
    assert set(findings) - set(FINDING_LABELS) == set()
    for code, data in findings.items():
        assert finding_label(code, dict.fromkeys(data, "x")) != code, code


def test_the_labels_cover_no_code_that_is_not_used():
    assert set(CHECK_LABELS) == set(checks.CHECKS)
    assert set(FINDING_LABELS) == set(_findings_in_checks())


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Age 17 is outside the allowed range"), ("ru", None), ("kk", None)]
)
def test_a_finding_reads_with_its_data_and_an_unknown_code_as_it_is(language, expected):
    with translation.override(language):
        shown = finding_label("age_out_of_range", {"age": 17})
        assert "17" in shown and "age_out_of_range" not in shown
        if expected:
            assert shown == expected
        assert finding_label("something_new", {"age": 17}) == "something_new"
        assert finding_label("age_out_of_range", {}) == "age_out_of_range"  # data it lacks: the code
        assert check_label("something_new") == "something_new"
