"""The run's record of specmint_runtime.py (the end-of-run summary and reports/coverage.json) and the value
helpers behind the cross-step checks."""

import json
from urllib.parse import urlencode

import pytest
import requests

import specmint_runtime as rt
from specmint_contract import SCHEMAS
from specmint_runtime import Auth


def client(server, environ=None, record=None):
    credentials = rt.Credentials({"UNIT_TOKEN": "t"} if environ is None else environ)
    return rt.ApiClient(server, requests.Session(), credentials, rt.SchemaValidator(SCHEMAS), record=record)


def send(api, operation, method, status, n=1, **kwargs):
    """Sends n requests to the unit server's /r, each answered with 'status'; returns how many failed."""
    failures = 0
    body = json.dumps({"id": 7, "name": "Rex"}) if status < 300 else "{}"
    ct = "application/json" if status < 400 else "application/problem+json"
    for index in range(n):
        try:
            api.case(f"{operation}_{index}", "t").step(
                operation, method, ["/r?" + urlencode({"status": status, "ct": ct, "body": body})], **kwargs
            )
        except rt.CheckFailure:
            failures += 1
    return failures


def test_coverage_has_the_documented_shape(server):
    record = rt.RunRecord()
    api = client(server, record=record)
    send(api, "getPet", "GET", 200, n=2, expect=["200"])
    send(api, "getPet", "GET", 404, expect=["200"])
    send(api, "createPet", "POST", 201, expect=["201"])
    coverage = record.coverage()
    assert list(coverage) == ["specmint", "format", "api", "operations", "checks", "failures", "warnings"]
    assert (coverage["specmint"], coverage["format"], coverage["api"]) == (
        1,
        "pytest",
        {"title": "Unit API", "version": "1.0"},
    )
    assert coverage["operations"][0] == {
        "id": "getPet",
        "method": "GET",
        "path": "/pets/{id}",
        "requests": 3,
        "declared": ["200", "4XX", "default"],
        "seen": {"200": 2, "404": 1},
        "notSeen": ["default"],
    }
    assert [op["requests"] for op in coverage["operations"]] == [3, 0, 1, 0]
    checks = {check["name"]: check for check in coverage["checks"]}
    assert "negative_format_rejection" not in checks
    assert checks["positive_data_acceptance"] == {"name": "positive_data_acceptance", "run": 4, "failed": 1}
    assert checks["response_headers_conformance"] == {"name": "response_headers_conformance", "run": 1, "failed": 1}
    assert coverage["failures"] == [
        {"operation": "getPet", "check": "positive_data_acceptance", "message": "expected 200, got 404", "tests": 1},
        {
            "operation": "createPet",
            "check": "response_headers_conformance",
            "message": "required header Location of the 201 response is missing",
            "tests": 1,
        },
    ]
    json.dumps(coverage)


def test_failures_are_grouped_by_operation_and_check_and_counted_by_test(server):
    record = rt.RunRecord()
    api = client(server, record=record)
    send(api, "listPets", "GET", 201, n=3, expect=["200"])
    assert [(f["check"], f["message"], f["tests"]) for f in record.grouped_failures()] == [
        ("positive_data_acceptance", "expected 200, got 201", 3),
        ("status_code_conformance", "status 201 not declared (declared: 200)", 3),
    ]
    lines = record.summary_lines()
    assert "  listPets · status_code_conformance: status 201 not declared (declared: 200) — 3 tests" in lines
    assert lines[0] == "operations: 1 of 4 called, 3 requests"


def test_most_requests_answered_401_warn_and_name_the_unset_credential_variable(server):
    record = rt.RunRecord()
    api = client(server, environ={}, record=record)
    send(api, "getPet", "GET", 401, n=2, auth=Auth.valid("bearer"), expect=["200"])
    send(api, "getPet", "GET", 200, auth=Auth.valid("bearer"), expect=["200"])
    assert record.warnings() == [
        "most requests to GET /pets/{id} answered 401/403: set UNIT_TOKEN (UNIT_TOKEN is not set)"
    ]


def test_most_requests_answered_404_on_an_operation_with_path_parameters_warn_with_path_param(server):
    record = rt.RunRecord()
    api = client(server, record=record)
    send(api, "getPet", "GET", 404, n=2, expect=["200", "404"])
    send(api, "getPet", "GET", 200, expect=["200"])
    send(api, "listPets", "GET", 404, expect=["200", "404"])
    assert record.warnings() == [
        "most requests to GET /pets/{id} answered 404: give real ids with --path-param id=<id>"
    ]


def test_valid_inputs_rejected_with_4xx_warn(server):
    record = rt.RunRecord()
    send(client(server, record=record), "createPet", "POST", 400, n=2, expect=["201"])
    assert record.warnings() == [
        "the server rejected 2 valid inputs to POST /pets with 4xx: the spec's constraints may differ from the server's"
    ]


def test_an_unsupported_method_step_is_not_counted_as_a_response_of_the_operation(server):
    record = rt.RunRecord()
    send(client(server, record=record), "getPet", "PATCH", 405, expect=["4XX"], check="unsupported_method")
    assert record.requests["getPet"] == 0
    assert record.checks_run["unsupported_method"] == 1
    assert record.checks_run["status_code_conformance"] == 0


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2024-01-02T04:04:05+01:00", "date-time", "2024-01-02T03:04:05+00:00"),
        ("2024-01-02t03:04:05.000z", "date-time", "2024-01-02T03:04:05+00:00"),
        ("2024-01-02", "date", "2024-01-02"),
        ("Ann@Example.COM", "email", "Ann@example.com"),
        ("HTTPS://Example.com:443", "uri", "https://example.com/"),
        ("http://example.com:8080/A?b=C", "uri", "http://example.com:8080/A?b=C"),
        ("Example.COM.", "hostname", "example.com"),
        ("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        ("2001:DB8:0:0:0:0:0:1", "ipv6", "2001:db8::1"),
        ("aGk", "byte", b"hi"),
        ("-_8_-w==", "byte", b"\xfb\xff\x3f\xfb"),
        ("+/8/+w", "byte", b"\xfb\xff\x3f\xfb"),
        ("not a date", "date-time", "not a date"),
        ("x", None, "x"),
        (3, "date", 3),
    ],
)
def test_normalise(value, fmt, expected):
    assert rt.normalise(value, fmt) == expected


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("3", {"type": "integer"}, 3),
        (" -3 ", {"type": "integer"}, -3),
        ("3.5", {"type": "number"}, 3.5),
        ("3", {"type": "number"}, 3),
        ("TRUE", {"type": "boolean"}, True),
        ("a, b", {"type": "array", "items": {"type": "string"}}, ["a", "b"]),
        ("1,2", {"type": "array", "items": {"type": "integer"}}, [1, 2]),
        ("a,1,b,2", {"type": "object", "properties": {"a": {"type": "integer"}}}, {"a": 1, "b": "2"}),
        ("a=1,b=2", {"type": "object"}, {"a": "1", "b": "2"}),
        ("7", {"$ref": "#/components/schemas/Count"}, 7),
        ("7", {"type": ["null", "integer"]}, 7),
        ("seven", {"type": "integer"}, "seven"),
        ("x", {}, "x"),
    ],
)
def test_coerce_header(value, schema, expected):
    assert rt.coerce_header(value, schema, rt.SchemaValidator(SCHEMAS)) == expected


@pytest.mark.parametrize(
    ("left", "right", "ignore", "expected"),
    [
        ({"a": 1, "b": [1, 2]}, {"a": 1.0, "b": [1, 2]}, [], []),
        ({"a": 1, "t": "x"}, {"a": 2, "t": "y"}, ["/t"], ["/a"]),
        ({"a": 1}, {"b": 1}, [], ["/a", "/b"]),
        ({"a": [1]}, {"a": [1, 2]}, [], ["/a"]),
        ({"a/b": {"c": 1}}, {"a/b": {"c": 2}}, [], ["/a~1b/c"]),
        ([1], {"a": 1}, [], ["(the whole body)"]),
    ],
)
def test_differences(left, right, ignore, expected):
    assert rt.differences(left, right, ignore) == expected


@pytest.mark.parametrize(
    ("actual", "expected", "result"),
    [
        ({"a": 1, "extra": 2}, {"a": 1}, True),
        ({"a": 1}, {"a": 1, "b": None}, False),
        ([{"k": 2, "x": 0}, {"k": 1}], [{"k": 1}, {"k": 2}], True),
        ([1, 2, 2], [2, 1, 1], False),
        ("1", 1, False),
    ],
)
def test_holds(actual, expected, result):
    assert rt.holds(actual, expected) is result


@pytest.mark.parametrize(
    ("actual", "wanted", "result"),
    [
        ("a", "a", True),
        ("A", "a", False),
        (3, "3", True),
        (3.0, "3", True),
        (3, 3, True),
        (True, "true", True),
        (1, "true", False),
        (True, 1, False),
    ],
)
def test_same_value(actual, wanted, result):
    assert rt.same_value(actual, wanted) is result
