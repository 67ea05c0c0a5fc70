"""The OpenAPI document describes every answer an operation can give, so that an integrator reading it
meets no undocumented error; and every time the API gives is one to the second."""

import typing
from datetime import datetime

import pytest
from ninja import Schema
from pydantic import AfterValidator

from huiwu.api import api
from huiwu.lib.xlsx import XLSX_CONTENT_TYPE

# The operations that can answer 409: a booking in the way of another.
CONFLICTING = {
    ("post", "/api/v1/meetings"),
    ("patch", "/api/v1/meetings/{meeting_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/reschedule"),
}
# Lists that answer 404 as a whole to who may not see them at all, as if they did not exist.
HIDDEN_LISTS = {("get", "/api/v1/people")}
# Operations that fetch what their query names (a room, a site, an organizer): 404 when it does not exist.
QUERY_FETCHES = {("get", "/api/v1/reports/figures"), ("get", "/api/v1/reports/monthly")}
# Operations without authentication (the survey link is its own credential): they answer neither 401 nor 403.
PUBLIC = {("get", "/api/v1/surveys/answer/{survey_token}"), ("post", "/api/v1/surveys/answer/{survey_token}")}


@pytest.fixture
def document(client, db):
    # The document itself needs no credentials: it is what an integrator reads first.
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def _missing(method: str, path: str, operation: dict) -> set[int]:
    answers = {int(status) for status in operation["responses"]}
    parameters = operation.get("parameters", [])
    expected = set() if (method, path) in PUBLIC else {401, 403}
    if any(parameter["in"] == "path" for parameter in parameters):
        expected.add(404)
    if parameters or "requestBody" in operation:
        expected.add(422)
    if "requestBody" in operation:
        expected.add(400)
    if (method, path) in CONFLICTING:
        expected.add(409)
    return expected - answers


def test_it_documents_every_error_answer_of_every_operation(document):
    gaps = {
        f"{method.upper()} {path}": sorted(missing)
        for method, path, operation in _operations(document)
        if (missing := _missing(method, path, operation))
    }
    assert gaps == {}


def test_it_documents_no_error_an_operation_cannot_give(document):
    surplus = []
    for method, path, operation in _operations(document):
        answers = {int(status) for status in operation["responses"]}
        fetches = "{" in path or (method, path) in HIDDEN_LISTS | QUERY_FETCHES
        if 404 in answers and not fetches:
            surplus.append(f"404 {method.upper()} {path}")
        if 409 in answers and (method, path) not in CONFLICTING:
            surplus.append(f"409 {method.upper()} {path}")
        if 400 in answers and "requestBody" not in operation:
            surplus.append(f"400 {method.upper()} {path}")
    assert surplus == []


def test_it_describes_the_error_bodies(document):
    schemas = document["components"]["schemas"]
    for method, path, operation in _operations(document):
        if (method, path) in PUBLIC:
            assert {"401", "403"}.isdisjoint(operation["responses"]), f"{method} {path}"
        else:
            forbidden = operation["responses"]["403"]["content"]["application/json"]["schema"]["$ref"]
            assert "roles" in schemas[forbidden.rsplit("/", 1)[1]]["properties"], f"{method} {path}"
        if "422" in operation["responses"]:
            invalid = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert "errors" in schemas[invalid.rsplit("/", 1)[1]]["properties"], f"{method} {path}"


def test_it_names_the_excel_media_type_of_every_export(document):
    exports = [(path, methods["get"]) for path, methods in document["paths"].items() if path.endswith(".xlsx")]
    assert {path for path, _operation in exports} == {
        "/api/v1/meetings/export.xlsx",
        "/api/v1/lost-items/export.xlsx",
        "/api/v1/audit/export.xlsx",
        "/api/v1/meetings/{meeting_id}/costs.xlsx",
        "/api/v1/reception/documents/export.xlsx",
        "/api/v1/reception/subscriptions/{year}/export.xlsx",
    }
    for path, operation in exports:
        assert list(operation["responses"]["200"]["content"]) == [XLSX_CONTENT_TYPE], path


def _to_the_second(annotation) -> bool:
    """Whether every datetime the annotation admits is a DateTime (given to the second, in Shanghai time)."""
    if annotation is datetime:
        return False
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        if base is datetime:
            return any(isinstance(m, AfterValidator) for m in metadata)
    return all(_to_the_second(argument) for argument in typing.get_args(annotation))


def _schemas():
    import huiwu.api  # noqa: F401  (every app's API module, and with it every schema)

    pending, seen = list(Schema.__subclasses__()), set()
    while pending:
        schema = pending.pop()
        if schema not in seen:
            seen.add(schema)
            pending += schema.__subclasses__()
    return [schema for schema in seen if schema.__module__.startswith("huiwu.")]


def test_it_gives_every_time_to_the_second():
    bare = []
    for schema in _schemas():
        for name, field in schema.model_fields.items():
            annotation = field.annotation
            if field.metadata and annotation is datetime:
                annotation = typing.Annotated[datetime, *field.metadata]
            if not _to_the_second(annotation):
                bare.append(f"{schema.__module__}.{schema.__name__}.{name}")
    assert bare == []


def test_it_works_out_the_schema_once_per_process(document):
    # The document just served is the one kept: a second reading builds nothing.
    assert api.get_openapi_schema(path_prefix="/api/v1/") is api.get_openapi_schema(path_prefix="/api/v1/")
    assert api.get_openapi_schema(path_prefix="/api/v1/")["paths"].keys() == document["paths"].keys()
