"""The OpenAPI document: committed and current, every error documented, every write idempotent."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from portal.api.problems import PROBLEM_JSON

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
# Creating a token or a webhook takes no Idempotency-Key: the response holds a secret a replay would keep in clear.
NOT_IDEMPOTENT = {"tokens_create", "webhooks_create"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(path))
    return path.read_text(encoding="utf-8")


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_committed_schema_is_up_to_date(generated):
    assert generated == COMMITTED.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is out of date: run "
        "`DEBUG=true .venv/bin/python manage.py spectacular --lang en --validate --file docs/openapi.yaml`"
    )


def test_every_operation_documents_its_problems(generated):
    schema = yaml.safe_load(generated)
    for path, method, operation in operations(schema):
        errors = {code: response for code, response in operation["responses"].items() if code >= "400"}
        # A bad or expired bearer token is a 401 on public operations too.
        assert {"401", "403", "429"} <= set(errors), (method, path)
        # A file download answers whatever the client accepts.
        downloads = {"requests_document", "requests_attachment_download"}
        assert ("406" in errors) is (operation["operationId"] not in downloads), (method, path)
        assert ("413" in errors) is (method in ("post", "put", "patch")), (method, path)
        assert list(errors["429"]["headers"]) == ["Retry-After"], (method, path)
        for code, response in errors.items():
            assert list(response["content"]) == [PROBLEM_JSON], (method, path, code)


def test_every_write_takes_an_idempotency_key(generated):
    schema = yaml.safe_load(generated)
    posts = [op for _path, method, op in operations(schema) if method == "post"]
    assert posts
    for operation in posts:
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) is (operation["operationId"] not in NOT_IDEMPOTENT), operation


def test_the_docs_are_served_without_any_external_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page
    assert client.get("/api/schema/").status_code == 200
