"""Unit tests of specmint_runtime.py (cli/engine/render/pytest/runtime/), imported as the Python it is, with the
stand-in contract module in stand-in/. Run by tests/render/pytest/runtime-unit.test.ts, which puts both folders
on PYTHONPATH."""

import base64
import json

import pytest
import requests

import specmint_runtime as rt
from specmint_contract import SCHEMAS
from specmint_runtime import Auth, Body, Var


@pytest.mark.parametrize(
    ("pattern", "status", "expected"),
    [("200", 200, True), ("2XX", 204, True), ("2xx", 299, True), ("4XX", 500, False), ("201", 200, False)],
)
def test_status_matches(pattern, status, expected):
    assert rt.status_matches(pattern, status) is expected


@pytest.mark.parametrize(
    ("declared", "actual", "expected"),
    [
        ("*/*", "text/html", True),
        ("image/*", "image/png", True),
        ("image/*", "text/png", False),
        ("application/*+json", "application/problem+json", True),
        ("application/*+json", "application/json", False),
        ("Application/JSON; charset=utf-8", "application/json", True),
        ("text/plain", "text/html", False),
    ],
)
def test_media_type_matches(declared, actual, expected):
    assert rt.media_type_matches(declared, actual) is expected


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [("application/json", True), ("application/vnd.api+json; charset=utf-8", True), ("text/plain", False)],
)
def test_is_json_media_type(media_type, expected):
    assert rt.is_json_media_type(media_type) is expected


DOC = {"a": [{"b": 1}], "a/b": 2, "m~n": 3, "n": None, "list": [10, 20]}


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [("", DOC), ("/a/0/b", 1), ("/a~1b", 2), ("/m~0n", 3), ("/n", None), ("/list/1", 20)],
)
def test_read_pointer(pointer, expected):
    assert rt.read_pointer(DOC, pointer) == expected


@pytest.mark.parametrize("pointer", ["/missing", "/list/2", "/list/01", "/list/-", "a", "/a/0/b/c"])
def test_read_pointer_raises_lookup_error_for_a_missing_part(pointer):
    with pytest.raises(LookupError):
        rt.read_pointer(DOC, pointer)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (True, True, True),
        ("1", 1, False),
        ({"a": [1, {"b": None}]}, {"a": [1.0, {"b": None}]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ([1, 2], [2, 1], False),
    ],
)
def test_json_equal(left, right, expected):
    assert rt.json_equal(left, right) is expected
    assert rt.json_equal(right, left) is expected


def test_scalar_text_keeps_strings_and_writes_other_values_as_json():
    assert rt.scalar_text("é/x") == "é/x"
    assert rt.scalar_text(12) == "12"
    assert rt.scalar_text({"k": "é"}) == '{"k": "é"}'


def test_declared_response_prefers_the_exact_status_then_its_class_then_default():
    assert rt.declared_response("getPet", 200)["status"] == "200"
    assert rt.declared_response("getPet", 404)["status"] == "4XX"
    assert rt.declared_response("getPet", 302)["status"] == "default"
    assert rt.declared_response("listPets", 404) is None


def test_body_constructors_carry_kind_and_media_type():
    assert Body.json({"a": 1}) == Body("json", {"a": 1}, "application/json")
    assert Body.form({"a": "1"}).media_type == "application/x-www-form-urlencoded"
    assert Body.multipart({"a": "1"}, "multipart/mixed") == Body("multipart", {"a": "1"}, "multipart/mixed")
    assert Body.text("hi").media_type == "text/plain"


def test_schema_validator_resolves_component_refs_checks_formats_and_points_at_errors():
    validator = rt.SchemaValidator(SCHEMAS)
    schema = {"$ref": "#/components/schemas/Pet"}
    assert validator.errors(schema, {"id": 1, "name": "Rex", "born": "2020-02-29"}) == []
    errors = validator.errors(schema, {"id": "x", "name": "rex", "born": "2021-02-29"}, prefix="body")
    assert errors == [
        'body/born must be a valid "date"',
        "body/id must be integer",
        "body/name must match pattern ^[A-Z]",
    ]
    assert validator.errors(schema, {"id": 1}, prefix="body") == ["body must have required property 'name'"]
    assert validator.errors({"$ref": "#/components/schemas/Count"}, -1) == ["must be >= 0"]


def test_schema_validator_checks_openapi_int32_int64_and_byte_as_the_js_runtimes_do():
    validator = rt.SchemaValidator({})
    int32 = {"type": "integer", "format": "int32"}
    assert validator.errors(int32, 2**31 - 1) == []
    assert validator.errors(int32, -(2**31)) == []
    assert validator.errors(int32, 5.0) == []
    assert validator.errors(int32, 2**31, prefix="body") != []
    assert validator.errors({"format": "int32"}, "not a number") == []
    int64 = {"type": "integer", "format": "int64"}
    assert validator.errors(int64, 2**63 - 1) == []
    assert validator.errors(int64, 2**63) != []
    byte = {"type": "string", "format": "byte"}
    assert validator.errors(byte, "U3BlY01pbnQ=") == []
    assert validator.errors(byte, "cM5") != []
    assert validator.errors(byte, "U3Bl\nY01p") != []
    # RFC 4648's URL-safe alphabet (section 5) is base64 too; one value keeps to one alphabet.
    assert validator.errors(byte, "-_8_-w==") == []
    assert validator.errors(byte, "+/8-_w==") != []


def test_schema_validator_holds_multiple_of_as_arithmetic_says():
    validator = rt.SchemaValidator({})
    # 0.3 / 0.1 is 2.9999999999999996 in floating point; the JS and k6 runtimes allow the same tolerance.
    for value in (0.3, 5.3, 1.2115065038043578e38, 7, 0):
        assert validator.errors({"type": "number", "multipleOf": 0.1}, value) == [], value
    assert validator.errors({"type": "number", "multipleOf": 0.1}, 0.35, prefix="body") == [
        "body must be a multiple of 0.1"
    ]
    assert validator.errors({"type": "integer", "multipleOf": 3}, 7, prefix="body") == ["body must be a multiple of 3"]
    assert validator.errors({"type": "integer", "multipleOf": 3}, 9) == []


def test_schema_validator_stops_a_pattern_that_backtracks_for_ever():
    validator = rt.SchemaValidator({}, time_limit=0.2)
    with pytest.raises(rt.ValidationTimeout):
        validator.errors({"type": "string", "pattern": "^(a+)+$"}, "a" * 40 + "!")


def test_credentials_read_a_variable_and_give_none_when_it_is_not_set():
    assert rt.Credentials({"UNIT_TOKEN": "t"}).get("UNIT_TOKEN") == "t"
    assert rt.Credentials({"UNIT_TOKEN": ""}).get("UNIT_TOKEN") is None
    assert rt.Credentials({}).get("UNIT_TOKEN") is None


def client(environ=None, base_url="http://api.test/", timeout=30.0):
    credentials = rt.Credentials(environ or {})
    return rt.ApiClient(base_url, requests.Session(), credentials, rt.SchemaValidator(SCHEMAS), timeout=timeout)


ENV = {"UNIT_TOKEN": "t0k", "UNIT_USER": "ann", "UNIT_PASSWORD": "pw", "UNIT_KEY": "k3y"}


@pytest.mark.parametrize(
    ("auth", "headers", "query", "cookies"),
    [
        (Auth.valid("bearer"), {"Authorization": "Bearer t0k"}, [], {}),
        (Auth.valid("oauth"), {"Authorization": "Bearer t0k"}, [], {}),
        (Auth.valid("digest"), {"Authorization": "Digest t0k"}, [], {}),
        (Auth.valid("basic"), {"Authorization": "Basic " + base64.b64encode(b"ann:pw").decode()}, [], {}),
        (
            Auth.valid("headerKey", "queryKey", "cookieKey"),
            {"X-Key": "k3y"},
            [("api key", "k3y")],
            {"session": "k3y"},
        ),
        (Auth.invalid("bearer"), {"Authorization": "Bearer invalid-specmint-credential"}, [], {}),
        (
            Auth.invalid("basic"),
            {"Authorization": "Basic " + base64.b64encode(b"invalid-specmint-user:invalid-specmint-password").decode()},
            [],
            {},
        ),
        (rt.NO_AUTH, {}, [], {}),
    ],
)
def test_apply_auth(auth, headers, query, cookies):
    got = ({}, [], {})
    client(ENV).apply_auth(auth, *got)
    assert got == (headers, query, cookies)


def test_a_case_sends_its_steps_and_carries_captured_values(server, seen):
    seen.clear()
    case = client(ENV, base_url=server + "/").case("unit_1", "create then read")
    case.step(
        "getPet",
        "POST",
        ["/pets"],
        query=[("page size", "2"), ("q", "x&y")],
        headers={"Accept": "application/json"},
        cookies={"a": "1"},
        body=Body.json({"name": "Rex", "tags": ["é"]}, "application/merge-patch+json"),
        auth=Auth.valid("bearer"),
        expect=["200"],
        capture={"petId": "/id"},
        body_equals=[("/name", "Rex")],
    )
    case.step(
        "getPet",
        "PUT",
        ["/pets/", Var("petId"), "/a%20b"],
        body=Body.form({"id": Var("petId"), "note": "x y", "tags": ["a", Var("petId")]}),
        expect=["2XX"],
        body_equals=[("/id", Var("petId"))],
    )
    first, second = seen
    assert (first["method"], first["path"]) == ("POST", "/pets?page%20size=2&q=x%26y")
    assert first["headers"]["Content-Type"] == "application/merge-patch+json"
    assert first["headers"]["Authorization"] == "Bearer t0k"
    assert first["headers"]["Cookie"] == "a=1"
    assert json.loads(first["body"]) == {"name": "Rex", "tags": ["é"]}
    assert (second["method"], second["path"]) == ("PUT", "/pets/7/a%20b")
    # A list is one field per item under the same name (OpenAPI's form style, exploded).
    assert second["body"] == "id=7&note=x+y&tags=a&tags=7"


def test_a_multipart_body_is_sent_as_form_data(server, seen):
    seen.clear()
    client(ENV, base_url=server).case("unit_2", "upload").step(
        "getPet", "POST", ["/pets"], body=Body.multipart({"caption": "hi", "tags": ["a", "b"]}), expect=["200"]
    )
    sent = seen[0]
    assert sent["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert 'name="caption"\r\n\r\nhi\r\n' in sent["body"]
    # A list is one part per item under the same name.
    assert 'name="tags"\r\n\r\na\r\n' in sent["body"]
    assert 'name="tags"\r\n\r\nb\r\n' in sent["body"]


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        (["/boom"], {}, "unit_3 — failures\n  ✗ not_a_server_error: the server answered 503\n"),
        (["/boom"], {}, "  ✗ positive_data_acceptance: expected 200, got 503\n"),
        (
            ["/pets"],
            {"expect": ["4XX"], "check": "negative_data_rejection"},
            "✗ negative_data_rejection: expected a 4xx status, got 200",
        ),
        (
            ["/moved"],
            {"expect": ["3XX"], "operation": "listPets"},
            "✗ status_code_conformance: status 302 not declared (declared: 200)",
        ),
        (
            ["/html"],
            {},
            "✗ content_type_conformance: Content-Type text/html is not declared for 200 (declared: application/json)",
        ),
        (
            ["/bad"],
            {},
            "✗ response_schema_conformance: body does not match the 200 response schema of getPet: body/id must be integer",
        ),
        (["/pets"], {"body_equals": [("/name", "Max")]}, '✗ read_after_write: /name: sent "Max", read back "Rex"'),
        (
            ["/pets"],
            {"body_equals": [("/tag", "x")]},
            '✗ read_after_write: /tag: sent "x", missing in the body read back',
        ),
        (
            ["/pets"],
            {"capture": {"tag": "/tag"}},
            "✗ capture: cannot capture 'tag' for the next steps: /tag is missing in the response body",
        ),
        (["/pets/", Var("never")], {}, "unit_3: variable 'never' was not captured by an earlier step"),
    ],
)
def test_a_failed_check_says_what_was_expected_and_what_came_back(server, path, kwargs, message):
    operation = kwargs.pop("operation", "getPet")
    case = client(ENV, base_url=server).case("unit_3", "failures")
    with pytest.raises(AssertionError) as failure:
        case.step(operation, "GET", path, expect=kwargs.pop("expect", ["200"]), **kwargs)
    assert message in str(failure.value)


def test_an_unreachable_server_is_reported_with_the_request():
    case = client(base_url="http://127.0.0.1:9", timeout=5).case("unit_4", "down")
    with pytest.raises(rt.CheckFailure) as failure:
        case.step("getPet", "GET", ["/pets"], expect=["200"])
    text = str(failure.value)
    assert text.startswith("unit_4 — down\n  ✗ request: it got no response: ")
    assert "  request:  GET http://127.0.0.1:9/pets\n" in text
    assert "curl -X GET 'http://127.0.0.1:9/pets'" in text


# The same answers as the planner's unique-rename.ts and every other runtime (tests/render/unique-rename.test.ts).
@pytest.mark.parametrize(
    ("text", "shape", "salt", "expected"),
    [
        ("Maple-abc123", "classes", "run-1", "Qonux-ozl716"),
        ("QXT42", "classes", "a", "NRK61"),
        ("123e4567-e89b-42d3-a456-426614174000", "uuid", "same-run:1:0", "849b9405-c05d-46e6-a061-809330223483"),
    ],
)
def test_renamed_text(text, shape, salt, expected):
    assert rt.renamed_text(text, shape, salt) == expected


def test_rename_value_renames_long_texts_anywhere_and_short_ones_whole():
    renames = [("abc123", "xyz789"), ("QXT42", "NRK61")]
    value = {"name": "Maple-abc123", "code": "QXT42", "note": "not QXT42", "ref": Var("QXT42"), "list": ["QXT42"]}
    assert rt.rename_value(value, renames) == {
        "name": "Maple-xyz789",
        "code": "NRK61",
        "note": "not QXT42",
        "ref": Var("QXT42"),
        "list": ["NRK61"],
    }
