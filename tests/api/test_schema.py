"""The OpenAPI schema is committed (docs/api/openapi.yaml) and is what the code generates: a change
to an endpoint without `make schema` fails here."""

from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def test_the_committed_schema_is_the_codes(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "vi", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), "the API changed: run `make schema` and commit it"


def test_the_schema_and_its_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/procedures/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert 'data-schema-url="/api/schema/"' in docs and "/static/vendor/swagger-ui/swagger-ui-bundle" in docs
    assert "<script>" not in docs  # no inline script: the CSP allows the page's own files only
