"""Unit tests of specmint_runtime.py (cli/engine/render/pytest/runtime/), imported as the Python it is, with the
stand-in contract module in stand-in/. Run by tests/render/pytest/runtime-unit.test.ts, which puts both folders
on PYTHONPATH."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

import specmint_runtime as rt
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
    validator = rt.SchemaValidator(rt.SCHEMAS)
    schema = {"$ref": "#/components/schemas/Pet"}
    assert validator.errors(schema, {"id": 1, "name": "Rex", "born": "2020-02-29"}) == []
    errors = validator.errors(schema, {"id": "x", "name": "rex", "born": "2021-02-29"})
    assert errors == [
        "/born: '2021-02-29' is not a 'date'",
        "/id: 'x' is not of type 'integer'",
        "/name: 'rex' does not match '^[A-Z]'",
    ]


def test_schema_validator_stops_a_pattern_that_backtracks_for_ever():
    validator = rt.SchemaValidator({}, time_limit=0.2)
    with pytest.raises(rt.ValidationTimeout):
        validator.errors({"type": "string", "pattern": "^(a+)+$"}, "a" * 40 + "!")


def test_credentials_name_the_missing_env_var():
    with pytest.raises(AssertionError, match="environment variable UNIT_TOKEN is not set .*'bearer'"):
        rt.Credentials({}).get("bearer", "UNIT_TOKEN")


def client(environ=None, base_url="http://api.test/", timeout=30.0):
    credentials = rt.Credentials(environ or {})
    return rt.ApiClient(base_url, requests.Session(), credentials, rt.SchemaValidator(rt.SCHEMAS), timeout=timeout)


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


class _Api(BaseHTTPRequestHandler):
    """Answers every request with a pet (or what the path asks for) and records it."""

    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        _Api.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/pets/1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, content_type, text = 200, "application/json", json.dumps({"id": 7, "name": "Rex"})
        if self.path.startswith("/bad"):
            text = json.dumps({"id": "x", "name": "Rex"})
        elif self.path.startswith("/boom"):
            status, content_type, text = 503, "text/plain", "down"
        elif self.path.startswith("/html"):
            content_type, text = "text/html", "<p>hi</p>"
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_case_sends_its_steps_and_carries_captured_values(server):
    _Api.seen.clear()
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
        body=Body.form({"id": Var("petId"), "note": "x y"}),
        expect=["2XX"],
        body_equals=[("/id", Var("petId"))],
    )
    first, second = _Api.seen
    assert (first["method"], first["path"]) == ("POST", "/pets?page%20size=2&q=x%26y")
    assert first["headers"]["Content-Type"] == "application/merge-patch+json"
    assert first["headers"]["Authorization"] == "Bearer t0k"
    assert first["headers"]["Cookie"] == "a=1"
    assert json.loads(first["body"]) == {"name": "Rex", "tags": ["é"]}
    assert (second["method"], second["path"]) == ("PUT", "/pets/7/a%20b")
    assert second["body"] == "id=7&note=x+y"


def test_a_multipart_body_is_sent_as_form_data(server):
    _Api.seen.clear()
    client(ENV, base_url=server).case("unit_2", "upload").step(
        "getPet", "POST", ["/pets"], body=Body.multipart({"caption": "hi"}), expect=["200"]
    )
    sent = _Api.seen[0]
    assert sent["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert 'name="caption"\r\n\r\nhi\r\n' in sent["body"]


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        (["/boom"], {}, "unit_3 step 1 (getPet: GET /boom): server error, got 503; body: down"),
        (["/pets"], {"expect": ["4XX"]}, "expected status 4XX, got 200"),
        (["/moved"], {"expect": ["3XX"], "operation": "listPets"}, "status 302 not declared by listPets"),
        (["/html"], {}, "Content-Type 'text/html' is not one of application/json (declared for 200)"),
        (["/bad"], {}, "body does not match the 200 application/json schema:\n  /id: 'x' is not of type 'integer'"),
        (["/pets"], {"body_equals": [("/name", "Max")]}, 'expected /name = "Max", got "Rex"'),
        (["/pets"], {"body_equals": [("/tag", "x")]}, 'expected /tag = "x", but it is missing'),
        (["/pets"], {"capture": {"tag": "/tag"}}, "cannot capture 'tag': /tag is missing in the response body"),
        (["/pets/", Var("never")], {}, "unit_3: variable 'never' was not captured by an earlier step"),
    ],
)
def test_a_failed_check_says_what_was_expected_and_what_came_back(server, path, kwargs, message):
    operation = kwargs.pop("operation", "getPet")
    case = client(ENV, base_url=server).case("unit_3", "failures")
    with pytest.raises(AssertionError) as failure:
        case.step(operation, "GET", path, expect=kwargs.pop("expect", ["200"]), **kwargs)
    assert message in str(failure.value)


def test_an_unreachable_server_is_reported_with_the_step():
    case = client(base_url="http://127.0.0.1:9", timeout=5).case("unit_4", "down")
    with pytest.raises(AssertionError, match=r"unit_4 step 1 \(getPet: GET /pets\): request to http://127.0.0.1:9/pets failed"):
        case.step("getPet", "GET", ["/pets"], expect=["200"])
