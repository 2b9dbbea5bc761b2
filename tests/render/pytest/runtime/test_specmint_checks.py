"""The named checks of specmint_runtime.py (docs/checks.md) on real responses of the unit server (conftest.py):
every failed check of a step reported, lenient statuses as warnings, content-less responses never parsed, the
cross-step checks, the choice of checks and the failure text."""

import json
from urllib.parse import urlencode

import pytest
import requests

import specmint_runtime as rt
from specmint_contract import SCHEMAS
from specmint_runtime import Auth, Body, Var

ENV = {"UNIT_TOKEN": "t0k3n-secret", "UNIT_USER": "ann", "UNIT_PASSWORD": "pw-secret", "UNIT_KEY": "k3y-secret"}


def client(server, checks=None, environ=ENV, hooks=None, record=None):
    return rt.ApiClient(
        server,
        requests.Session(),
        rt.Credentials(environ),
        rt.SchemaValidator(SCHEMAS),
        checks=checks,
        record=record,
        hooks=hooks,
    )


def answer(**asked) -> list:
    """The path part of a request to /r that answers as asked."""
    return ["/r?" + urlencode(asked)]


def failed(case_or_client, *args, **kwargs) -> rt.CheckFailure:
    case = case_or_client if isinstance(case_or_client, rt.Case) else case_or_client.case("unit_1", "a case")
    with pytest.raises(rt.CheckFailure) as failure:
        case.step(*args, **kwargs)
    return failure.value


PET = json.dumps({"id": 7, "name": "Rex"})


# --- choosing checks ---------------------------------------------------------------------------------------


def test_the_check_names_are_the_documented_ones():
    assert len(rt.CHECK_NAMES) == len(set(rt.CHECK_NAMES)) == 14
    assert set(rt.OFF_BY_DEFAULT) <= set(rt.CHECK_NAMES)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, set(rt.CHECK_NAMES) - {"negative_format_rejection"}),
        ({"SPECMINT_CHECKS": "not_a_server_error, idempotence"}, {"not_a_server_error", "idempotence"}),
        ({"SPECMINT_CHECKS": "negative_format_rejection"}, {"negative_format_rejection"}),
        ({"SPECMINT_CHECKS": "all"}, set(rt.CHECK_NAMES)),
        (
            {"SPECMINT_EXCLUDE_CHECKS": "idempotence,not_a_server_error"},
            set(rt.CHECK_NAMES) - {"negative_format_rejection", "idempotence", "not_a_server_error"},
        ),
        ({"SPECMINT_CHECKS": "all", "SPECMINT_EXCLUDE_CHECKS": "idempotence"}, set(rt.CHECK_NAMES) - {"idempotence"}),
        ({"SPECMINT_EXCLUDE_CHECKS": "all"}, set()),
        ({"SPECMINT_CHECKS": " , "}, set(rt.CHECK_NAMES) - {"negative_format_rejection"}),
    ],
)
def test_selected_checks(environ, expected):
    assert rt.selected_checks(environ) == expected


def test_an_unknown_check_name_is_an_error_that_lists_the_known_ones():
    with pytest.raises(rt.ChecksError) as error:
        rt.selected_checks({"SPECMINT_EXCLUDE_CHECKS": "idempotence,status_codes,nope"})
    text = str(error.value)
    assert text.startswith(
        "SPECMINT_EXCLUDE_CHECKS names unknown checks status_codes, nope; known checks: not_a_server_error, "
    )
    assert "filter_consistency, idempotence (or all)" in text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "false"}, False),
        ({"SPECMINT_REPORTS": "1"}, True),
        ({"CI": "1", "SPECMINT_REPORTS": "0"}, False),
        ({"CI": "", "SPECMINT_REPORTS": "yes"}, True),
    ],
)
def test_reports_are_on_under_ci_or_when_asked_and_never_with_0(environ, expected):
    assert rt.reports_enabled(environ) is expected


# --- every failed check, and what is checked -------------------------------------------------------------


def test_a_step_reports_every_failed_check_not_only_the_first(server):
    body = json.dumps({"id": "x"})
    failure = failed(client(server), "listPets", "GET", answer(status=201, ct="text/json", body=body), expect=["200"])
    assert [f.check for f in failure.failures] == [
        "positive_data_acceptance",
        "status_code_conformance",
    ]
    failure = failed(client(server), "getPet", "GET", answer(status=200, body=json.dumps({"id": "x"})), expect=["404"])
    assert [(f.check, f.message) for f in failure.failures] == [
        ("positive_data_acceptance", "expected 404, got 200"),
        (
            "response_schema_conformance",
            "body does not match the 200 response schema of getPet: body must have required property 'name';"
            " body/id must be integer",
        ),
    ]


def test_a_disabled_check_is_not_run_and_the_request_still_goes(server, seen):
    checks = rt.selected_checks({"SPECMINT_EXCLUDE_CHECKS": "positive_data_acceptance,response_schema_conformance"})
    api = client(server, checks=checks)
    api.case("unit_1", "off").step("getPet", "GET", answer(status=200, body='{"id": "x"}'), expect=["404"])
    assert len(seen) == 1
    assert api.record.checks_run["positive_data_acceptance"] == 0
    assert api.record.checks_run["not_a_server_error"] == 1


def test_negative_format_rejection_is_off_by_default_and_on_when_named(server):
    step = ("getPet", "GET", answer(status=200, body=PET))
    client(server).case("unit_1", "format").step(*step, expect=["4XX"], check="negative_format_rejection")
    failure = failed(
        client(server, checks=rt.selected_checks({"SPECMINT_CHECKS": "negative_format_rejection"})),
        *step,
        expect=["4XX"],
        check="negative_format_rejection",
    )
    assert [f.check for f in failure.failures] == ["negative_format_rejection"]


def test_an_undeclared_status_the_spec_leaves_open_is_a_warning_once_per_operation_and_status(server):
    api = client(server)
    for _ in range(2):
        api.case("unit_1", "lenient").step(
            "createPet",
            "POST",
            answer(status=422, body="{}"),
            expect=["4XX"],
            check="negative_data_rejection",
            lenient=["4XX"],
        )
    assert api.record.warnings() == [
        "POST /pets answered 422, which it does not declare (declared: 201, 400); the spec declares no response"
        " for this kind of rejection, so this is a warning, not a failure"
    ]
    failure = failed(
        api, "createPet", "POST", answer(status=422, body="{}"), expect=["4XX"], check="negative_data_rejection"
    )
    assert [f.message for f in failure.failures] == ["status 422 not declared (declared: 201, 400)"]


@pytest.mark.parametrize(
    ("method", "asked"),
    [
        ("DELETE", {"status": 204, "ct": "application/json"}),
        ("HEAD", {"status": 200, "ct": "application/json", "body": "not json"}),
        ("DELETE", {"status": 204, "ct": "text/html"}),
    ],
)
def test_a_response_without_content_is_never_parsed(server, method, asked):
    operation = "deletePet" if method == "DELETE" else "getPet"
    response = client(server).case("unit_1", "no content").step(operation, method, answer(**asked), expect=["2XX"])
    assert response.status_code == asked["status"]


def test_an_empty_body_where_none_is_declared_has_no_content_but_one_where_content_is_declared_has(server):
    client(server).case("unit_1", "empty").step("getPet", "GET", answer(status=302, ct="-"), expect=["3XX"])
    failure = failed(client(server), "getPet", "GET", answer(status=200, ct="-"), expect=["200"])
    assert [f.message for f in failure.failures] == [
        "the Content-Type header is missing, but 200 declares application/json"
    ]


def test_nothing_is_parsed_to_capture_or_compare_from_a_response_without_content(server):
    failure = failed(
        client(server),
        "deletePet",
        "DELETE",
        answer(status=204, ct="application/json"),
        expect=["204"],
        capture={"id": "/id"},
    )
    assert failure.failures[0].message == "cannot capture 'id' for the next steps: the response has no content"


def test_a_step_that_created_nothing_says_so_and_a_conflict_says_why(server):
    asked = {"expect": ["200", "4XX"], "capture": {"id": "/id"}}
    # The error body has an `id` too (of the error): it is not taken for a created resource's.
    conflict = answer(status=409, ct="application/problem+json", body='{"message":"taken","id":"conflict"}')
    failure = failed(client(server), "getPet", "GET", conflict, **asked)
    [message] = [f.message for f in failure.failures if f.check == "capture"]
    assert message == (
        "cannot capture 'id' for the next steps: the server answered 409, so nothing was created: it already"
        " holds a resource with the values this step sends (left by an earlier run?); run the suite against a"
        " fresh server or clear its data"
    )
    failure = failed(client(server), "getPet", "GET", answer(status=404, ct="application/problem+json", body='{"message":"no"}'), **asked)
    [message] = [f.message for f in failure.failures if f.check == "capture"]
    assert message == "cannot capture 'id' for the next steps: the server answered 404, so nothing was created"


def test_no_body_is_sent_on_get_or_head(server, seen):
    case = client(server).case("unit_1", "no body")
    for method in ("GET", "HEAD"):
        case.step("getPet", method, answer(status=200, body=PET), body=Body.json({"a": 1}), expect=["200"])
    assert [(s["method"], s["body"], "Content-Type" in s["headers"]) for s in seen] == [
        ("GET", "", False),
        ("HEAD", "", False),
    ]


@pytest.mark.parametrize(
    ("headers", "messages"),
    [
        ({"h_Location": "/pets/7", "h_X-Rate-Remaining": "3", "h_X-Flags": "true,false"}, []),
        ({"h_location": "/pets/7"}, []),
        ({}, ["required header Location of the 201 response is missing"]),
        (
            {"h_Location": "/pets/7", "h_X-Rate-Remaining": "-1", "h_X-Flags": "true,maybe"},
            ["header X-Rate-Remaining must be >= 0", "header X-Flags/1 must be boolean"],
        ),
        ({"h_Location": "/pets/7", "h_X-Rate-Remaining": "many"}, ["header X-Rate-Remaining must be integer"]),
    ],
)
def test_response_headers_are_checked_case_insensitively_with_values_coerced_to_their_type(server, headers, messages):
    step = ("createPet", "POST", answer(status=201, body=PET, **headers))
    if not messages:
        client(server).case("unit_1", "headers").step(*step, expect=["201"])
        return
    failure = failed(client(server), *step, expect=["201"])
    assert [(f.check, f.message) for f in failure.failures] == [("response_headers_conformance", m) for m in messages]


@pytest.mark.parametrize(
    ("status", "ok"),
    [(405, True), (404, True), (400, True), (501, True), (200, False), (204, False), (500, False), (503, False)],
)
def test_an_unsupported_method_gets_only_its_own_check_and_not_a_server_error(server, status, ok):
    step = ("getPet", "PATCH", answer(status=status, ct="text/weird", body="x"))
    kwargs = {"expect": ["4XX", "501"], "check": "unsupported_method"}
    if ok:
        client(server).case("unit_1", "method").step(*step, **kwargs)
        return
    checks = [f.check for f in failed(client(server), *step, **kwargs).failures]
    assert checks == (["not_a_server_error"] if status >= 500 else []) + ["unsupported_method"]


def test_use_after_delete_and_auth_enforced_are_status_checks_by_name(server):
    failure = failed(
        client(server), "getPet", "GET", answer(status=200, body=PET), expect=["404", "410"], check="use_after_delete"
    )
    assert [(f.check, f.message) for f in failure.failures] == [("use_after_delete", "expected 404 or 410, got 200")]
    failure = failed(
        client(server), "getPet", "GET", answer(status=200, body=PET), expect=["401", "403"], check="auth_enforced"
    )
    assert [f.check for f in failure.failures] == ["auth_enforced"]


# --- across steps ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read_back", "equals", "message"),
    [
        ({"at": "2024-01-02T04:04:05+01:00"}, [("/at", "2024-01-02T03:04:05Z", "date-time")], None),
        (
            {"at": "2024-01-02T03:04:06Z"},
            [("/at", "2024-01-02T03:04:05Z", "date-time")],
            '/at: sent "2024-01-02T03:04:05Z", read back "2024-01-02T03:04:06Z"',
        ),
        ({"mail": "Ann@Example.COM"}, [("/mail", "Ann@example.com", "email")], None),
        (
            {"mail": "ann@example.com"},
            [("/mail", "Ann@example.com", "email")],
            '/mail: sent "Ann@example.com", read back "ann@example.com"',
        ),
        ({"site": "HTTP://Example.com:80"}, [("/site", "http://example.com/", "uri")], None),
        ({"o": {"a": 1, "b": 2, "server": "x"}}, [("/o", {"a": 1.0, "b": 2})], None),
        ({"tags": ["b", "a"]}, [("/tags", ["a", "b"])], None),
        ({"tags": ["a", "a"]}, [("/tags", ["a", "b"])], '/tags: sent ["a", "b"], read back ["a", "a"]'),
        ({"n": True}, [("/n", 1)], "/n: sent 1, read back true"),
        ({"id": 7}, [("/id", Var("petId"))], None),
    ],
)
def test_read_after_write_compares_formats_normalised_objects_by_what_was_sent_and_arrays_in_any_order(
    server, read_back, equals, message
):
    case = client(server).case("unit_1", "read after write")
    case.variables["petId"] = 7
    step = ("getPet", "GET", answer(status=200, body=json.dumps(read_back)))
    kwargs = {"expect": ["200"], "validate_body": False, "body_equals": equals}
    if message is None:
        case.step(*step, **kwargs)
        return
    assert [(f.check, f.message) for f in failed(case, *step, **kwargs).failures] == [("read_after_write", message)]


def test_read_after_write_is_not_run_when_the_status_already_failed(server):
    failure = failed(
        client(server),
        "getPet",
        "GET",
        answer(status=404, ct="application/problem+json", body="{}"),
        expect=["200"],
        body_equals=[("/name", "Rex")],
    )
    assert [f.check for f in failure.failures] == ["positive_data_acceptance"]


@pytest.mark.parametrize(
    ("items", "equals", "message"),
    [
        ([{"status": "sold"}, {"status": "sold"}, {"other": 1}], "sold", None),
        ([], "sold", None),
        ([{"n": 3}, {"n": 3.0}], "3", None),
        ([{"ok": True}], "true", None),
        (
            [{"status": "sold"}, {"status": "available"}],
            "sold",
            '/items/1 has status = "available", but the list was filtered by status = "sold"',
        ),
        ([{"status": "Sold"}], "sold", '/items/0 has status = "Sold", but the list was filtered by status = "sold"'),
    ],
)
def test_filter_consistency_checks_every_item_that_has_the_property(server, items, equals, message):
    name = (
        "status"
        if isinstance(equals, str) and not equals[0].isdigit() and equals != "true"
        else ("n" if equals == "3" else "ok")
    )
    step = ("getPet", "GET", answer(status=200, body=json.dumps({"items": items})))
    kwargs = {"expect": ["200"], "validate_body": False, "items_match": ("/items", name, equals)}
    if message is None:
        client(server).case("unit_1", "filter").step(*step, **kwargs)
        return
    assert [(f.check, f.message) for f in failed(client(server), *step, **kwargs).failures] == [
        ("filter_consistency", message)
    ]


def test_idempotence_compares_with_the_snapshot_except_at_ignored_pointers(server):
    case = client(server).case("unit_1", "idempotent", steps=3)
    first = {"id": 7, "name": "Rex", "updatedAt": "1", "tags": ["a"]}
    case.step(
        "getPet",
        "GET",
        answer(status=200, body=json.dumps(first)),
        expect=["200"],
        snapshot="once",
        validate_body=False,
    )
    again = dict(first, updatedAt="2")
    case.step(
        "getPet",
        "GET",
        answer(status=200, body=json.dumps(again)),
        expect=["200"],
        same_as=("once", ["/updatedAt"]),
        validate_body=False,
    )
    changed = dict(first, updatedAt="3", name="Max", tags=["a", "b"])
    failure = failed(
        case,
        "getPet",
        "GET",
        answer(status=200, body=json.dumps(changed)),
        expect=["200"],
        same_as=("once", ["/updatedAt"]),
        validate_body=False,
    )
    assert [(f.check, f.message) for f in failure.failures] == [
        ("idempotence", "repeating the request changed the resource at /name, /tags")
    ]
    assert "  at step 3 of 3 (getPet), after GET " in str(failure)


# --- the failure text ---------------------------------------------------------------------------------------


def test_the_failure_text_has_the_shape_of_docs_checks_md(server):
    api = client(server)
    case = api.case("createPet_negative_name_type", "POST /pets rejects a body with name not of type string")
    failure = failed(
        case,
        "createPet",
        "POST",
        answer(status=201, body=json.dumps({"id": 46, "name": 12345}), h_Location="/pets/46"),
        body=Body.json({"id": 46, "name": 12345}),
        auth=Auth.valid("bearer"),
        expect=["4XX"],
        check="negative_data_rejection",
    )
    url = f"{server}/r?status=201&body=%7B%22id%22%3A+46%2C+%22name%22%3A+12345%7D&h_Location=%2Fpets%2F46"
    assert str(failure) == "\n".join(
        [
            "createPet_negative_name_type — POST /pets rejects a body with name not of type string",
            "  ✗ negative_data_rejection: expected a 4xx status, got 201",
            "  ✗ response_schema_conformance: body does not match the 201 response schema of createPet:"
            " body/name must be string",
            f"  request:  POST {url}",
            "            Authorization: Bearer ***",
            "            Content-Type: application/json",
            '            {"id":46,"name":12345}',
            "  response: 201 application/json",
            '            {"id": 46, "name": 12345}',
            "  reproduce:",
            f"    curl -X POST '{url}' \\",
            "      -H \"Authorization: Bearer $UNIT_TOKEN\" -H 'Content-Type: application/json' \\",
            '      --data-raw \'{"id":46,"name":12345}\'',
        ]
    )
    assert "t0k3n-secret" not in str(failure)


def test_credentials_are_redacted_and_their_variables_used_in_curl(server):
    failure = failed(
        client(server),
        "getPet",
        "GET",
        answer(status=500, body="x"),
        cookies={"theme": "dark"},
        auth=Auth.valid("basic", "queryKey", "cookieKey", "headerKey"),
        expect=["200"],
    )
    text = str(failure)
    for secret in ("pw-secret", "k3y-secret", "ann:pw", "YW5uOnB3LXNlY3JldA=="):
        assert secret not in text
    assert "            Authorization: Basic ***\n" in text
    assert "            X-Key: ***\n" in text
    assert "            Cookie: theme=dark; session=***\n" in text
    assert "&api%20key=***\n" in text
    curl = text.split("  reproduce:\n", 1)[1]
    assert '-u "$UNIT_USER:$UNIT_PASSWORD"' in curl
    assert '-H "X-Key: $UNIT_KEY"' in curl
    assert '-H "Cookie: theme=dark; session=$UNIT_KEY"' in curl
    assert '&api%20key=$UNIT_KEY"' in curl


def test_deliberately_invalid_credentials_are_shown_as_sent(server):
    text = str(
        failed(
            client(server),
            "getPet",
            "GET",
            answer(status=200, body=PET),
            auth=Auth.invalid("bearer"),
            expect=["401"],
            check="auth_enforced",
        )
    )
    assert "            Authorization: Bearer invalid-specmint-credential\n" in text
    assert "-H 'Authorization: Bearer invalid-specmint-credential'" in text


def test_a_missing_credential_variable_sends_the_request_without_it_and_says_so(server, seen):
    api = client(server, environ={})
    text = str(failed(api, "getPet", "GET", answer(status=401, body="{}"), auth=Auth.valid("bearer"), expect=["200"]))
    assert "Authorization" not in seen[0]["headers"]
    assert "  note: UNIT_TOKEN is not set, so the request went without those credentials\n" in text
    assert api.record.missing == {"UNIT_TOKEN"}


def test_long_bodies_are_cut_after_2000_characters(server):
    long = "é" * 2500
    text = str(
        failed(
            client(server),
            "createPet",
            "POST",
            answer(status=500, ct="text/plain", body=long),
            body=Body.text(long),
            expect=["201"],
        )
    )
    assert f"            {'é' * 2000}… (500 more characters)\n  response" in text
    assert f"            {'é' * 2000}… (500 more characters)\n  reproduce" in text
    assert f"--data-raw '{long}'" in text


def test_curl_quotes_what_the_shell_would_read(server):
    request = rt.Request("HEAD", "http://h/x?q=it's", {"X-A": 'say "$HOME" `x`'}, secrets=[rt.Secret("tok", "$T")])
    request.headers["X-B"] = "a tokb"
    assert rt.curl_command(request) == (
        "curl --head 'http://h/x?q=it'\\''s' -H 'X-A: say \"$HOME\" `x`' -H \"X-B: a ${T}b\""
    )


# --- hooks --------------------------------------------------------------------------------------------------


class _Recorder:
    def __init__(self):
        self.calls = []

    def before_request(self, request):
        self.calls.append(("before_request", request.case_id, request.operation, request.method))
        request.headers["X-Signed"] = "yes"

    def after_response(self, request, response):
        self.calls.append(("after_response", request.url.rsplit("/", 1)[-1][:1], response.status_code))


def test_hooks_run_before_each_request_and_after_each_response(server, seen):
    recorder = _Recorder()
    api = client(server, hooks=rt.Hooks(recorder))
    api.case("unit_1", "hooks").step("getPet", "GET", answer(status=200, body=PET), expect=["200"])
    assert seen[0]["headers"]["X-Signed"] == "yes"
    assert recorder.calls == [("before_request", "unit_1", "getPet", "GET"), ("after_response", "r", 200)]


def test_a_hook_that_raises_fails_the_test_with_the_hook_named(server):
    class Broken:
        def before_request(self, request):
            raise KeyError("token")

    with pytest.raises(rt.HookError, match=r"hook before_request\(\) in hooks.py raised KeyError: 'token'"):
        client(server, hooks=rt.Hooks(Broken())).case("unit_1", "hooks").step("getPet", "GET", ["/pets"])


def test_without_a_hooks_module_nothing_is_called():
    rt.Hooks().call("before_run")
    rt.Hooks(object()).call("after_run")


def test_idempotence_holds_between_two_responses_without_json_and_fails_when_one_has_it(server):
    case = client(server).case("unit_1", "delete twice", steps=3)
    # getPet declares no content for "default": a 302 without a body has none, one with JSON has some.
    gone = answer(status=302, ct="-")
    case.step("getPet", "GET", gone, expect=["302"], snapshot="after_one")
    case.step("getPet", "GET", gone, expect=["302"], same_as=("after_one", []))
    back = answer(status=302, ct="application/json", body='{"code": "x"}')
    failure = failed(case, "getPet", "GET", back, expect=["302"], same_as=("after_one", []))
    assert [f.message for f in failure.failures] == ["repeating the request changed the resource at (the whole body)"]
    failure = failed(case, "getPet", "GET", back, expect=["302"], same_as=("never_kept", []))
    assert [f.message for f in failure.failures] == ["no earlier step kept a body as 'never_kept' to compare with"]


def test_a_credential_the_server_echoes_is_redacted_in_the_bodies_too(server):
    echoed = json.dumps({"token": ENV["UNIT_TOKEN"], "password": ENV["UNIT_PASSWORD"]})
    text = str(
        failed(
            client(server),
            "createPet",
            "POST",
            answer(status=500, ct="application/json", body=echoed),
            body=Body.json({"token": ENV["UNIT_TOKEN"]}),
            auth=Auth.valid("bearer", "basic"),
            expect=["201"],
        )
    )
    assert ENV["UNIT_TOKEN"] not in text and ENV["UNIT_PASSWORD"] not in text
    assert '{"token": "***", "password": "***"}' in text
    assert """--data-raw "{\\"token\\":\\"$UNIT_TOKEN\\"}\"""" in text
