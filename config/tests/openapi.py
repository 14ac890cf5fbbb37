"""Tests' check that an API answer is what the OpenAPI schema says it is.

`assert_documented(response)` finds the operation of the request (method and path),
then requires its status code to be documented, and its JSON body to validate against
the documented schema, as the contract check (bin/contract) would.
"""

import functools
import re

import jsonschema
from drf_spectacular.generators import SchemaGenerator

# Annotations that OpenAPI 3.0 adds to JSON Schema, and that validation ignores.
_OPENAPI_ONLY = {"discriminator", "readOnly", "writeOnly", "example", "nullable"}


def _json_schema(node):
    """OpenAPI 3.0's dialect as plain JSON Schema: `nullable` becomes a null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _json_schema(v) for k, v in node.items() if k not in _OPENAPI_ONLY}
    if node.get("nullable"):
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


@functools.cache
def _schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for template, methods in schema["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        operations.append((re.compile(f"^{pattern}$"), methods))
    # Literal segments first: .../sets/reorder/ before .../sets/{id}/.
    operations.sort(key=lambda operation: operation[0].pattern.count("[^/]+"))
    return {
        "operations": operations,
        "components": _json_schema(schema.get("components", {})),
    }


def documented_response(method: str, path: str, status: int) -> dict:
    """The schema's response for `status` of the operation `path` belongs to."""
    for pattern, methods in _schema()["operations"]:
        if pattern.match(path):
            operation = methods.get(method.lower())
            assert operation, f"{method} {path} is not documented"
            responses = operation["responses"]
            assert str(status) in responses, (
                f"{method} {path} answered {status}, documented: {sorted(responses)}"
            )
            return responses[str(status)]
    raise AssertionError(f"{path} matches no documented path")


def assert_documented(response, *, method: str | None = None) -> None:
    """`method`: check against that operation of the path instead (a 405 answers
    for a method that has none)."""
    request = response.wsgi_request
    method = method or request.method
    documented = documented_response(method, request.path, response.status_code)
    content = documented.get("content")
    if not content:
        assert not response.content, f"{response.status_code} documents no body"
        return
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in content, f"{media_type} answered, documented: {list(content)}"
    schema = {
        **_json_schema(content[media_type]["schema"]),
        "components": _schema()["components"],
    }
    jsonschema.validate(
        response.json(),
        schema,
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
