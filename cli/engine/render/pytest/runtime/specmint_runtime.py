"""The runtime of a generated suite: sends each step's request, runs the named checks of docs/checks.md on the
response and fails with every check that failed. Its helpers live in specmint_values.py (what a step sends, schemas,
comparisons) and specmint_report.py (failure text, the run's record, hooks, the pytest glue); the names tests,
conftest.py and hooks.py use are all importable from here."""

from __future__ import annotations

import base64
import json
from typing import Any, Mapping, Sequence
from urllib.parse import quote, urlencode

import requests

from specmint_contract import OPERATIONS, SECURITY_SCHEMES
from specmint_report import (  # noqa: F401 (conftest.py reads these from here)
    HookError,
    Hooks,
    RunRecord,
    _redact,
    after_test,
    configure,
    curl_command,
    failure_text,
    finish,
    load_hooks,
    reports_enabled,
    write_summary,
)
from specmint_values import (  # noqa: F401 (tests and hooks.py import these from here)
    CHECK_NAMES,
    INVALID_CREDENTIAL,
    INVALID_PASSWORD,
    INVALID_USERNAME,
    NO_AUTH,
    OFF_BY_DEFAULT,
    Auth,
    Body,
    ChecksError,
    Credentials,
    Failure,
    Request,
    SchemaValidator,
    Secret,
    ValidationTimeout,
    Var,
    coerce_header,
    declared_response,
    differences,
    holds,
    is_json_media_type,
    json_equal,
    media_type_matches,
    media_type_of,
    normalise,
    read_pointer,
    rename_value,
    renamed_text,
    run_salt,
    same_value,
    scalar_text,
    selected_checks,
    status_matches,
    _json_text,
    _short,
    _substitute,
)

# pytest leaves out the frames of a module that sets this: a failure points at the test's line, not in here
# (`pytest --fulltrace` shows them all).
__tracebackhide__ = True


def _expected_text(patterns: Sequence[str]) -> str:
    shown = [f"a {p.lower()} status" if p.upper().endswith("XX") else p for p in patterns]
    return " or ".join(shown) if shown else "no status"


# What a snapshot holds for a response without a JSON body.
NO_JSON = object()



def _nothing_created(status: int) -> str:
    """Why a step that answered `status` (one it accepts) made nothing to capture; a 409 means the server
    already holds a resource with the values the step sends, most often one an earlier run created."""
    conflict = (
        ": it already holds a resource with the values this step sends (left by an earlier run?); run the"
        " suite against a fresh server or clear its data"
        if status == 409
        else ""
    )
    return f"the server answered {status}, so nothing was created{conflict}"

class _Body:
    """A response's body: whether it has content (docs/checks.md) and, parsed once, its JSON."""

    def __init__(self, method: str, response: requests.Response, declared: Any):
        status = response.status_code
        self.response = response
        self.has_content = not (
            method == "HEAD"
            or status in (204, 205, 304)
            or status < 200
            or (response.content == b"" and not (declared and declared["contents"]))
        )
        self._parsed: tuple | None = None

    def json(self) -> tuple:
        """(True, document) or (False, why not)."""
        if self._parsed is None:
            if not self.has_content:
                self._parsed = (False, "the response has no content")
            else:
                try:
                    self._parsed = (True, json.loads(self.response.content))
                except ValueError as error:
                    self._parsed = (False, f"the body is not JSON ({error})")
        return self._parsed


# --- the client --------------------------------------------------------------------------------------------


class ApiClient:
    """Sends the steps of test cases to BASE_URL with the configured credentials."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        credentials: Credentials,
        validator: SchemaValidator,
        timeout: float = 30.0,
        checks: frozenset | None = None,
        record: "RunRecord | None" = None,
        hooks: Hooks | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.credentials = credentials
        self.validator = validator
        self.timeout = timeout
        self.record = RunRecord() if record is None else record
        self.checks = self.record.checks if checks is None else checks
        self.hooks = Hooks() if hooks is None else hooks
        # The id of the last case this client ran (for the after_failure hook).
        self.case_id: str | None = None

    def case(self, case_id: str, title: str, steps: int = 1) -> "Case":
        """Starts a test case of 'steps' steps; they share captured variables."""
        self.case_id = case_id
        return Case(self, case_id, title, steps)

    def apply_auth(self, auth: Auth, headers: dict, query: list, cookies: dict, secrets: list | None = None) -> list:
        """Adds the credentials of every scheme in auth.schemes (an AND set) to the request parts; returns the
        variables that are not set (their scheme is left out). Each valid credential goes into 'secrets'."""
        missing: list = []
        secrets = [] if secrets is None else secrets
        if auth.mode == "none":
            return missing
        invalid = auth.mode == "invalid"

        def read(name: str) -> str | None:
            value = self.credentials.get(name)
            if value is None:
                missing.append(name)
            return value

        for key in auth.schemes:
            scheme = SECURITY_SCHEMES[key]
            env = scheme["env"]
            kind = scheme["type"]
            http_scheme = (scheme.get("scheme") or "").lower()
            if kind == "http" and http_scheme == "basic":
                user = INVALID_USERNAME if invalid else read(env["username"])
                password = INVALID_PASSWORD if invalid else read(env["password"])
                if user is None or password is None:
                    continue
                token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
                headers["Authorization"] = f"Basic {token}"
                if not invalid:
                    secrets.append(Secret(token, f"basic:{env['username']}:{env['password']}"))
                    secrets.append(Secret(password, "$" + env["password"]))
                continue
            value = INVALID_CREDENTIAL if invalid else read(env["token"])
            if value is None:
                continue
            if not invalid:
                secrets.append(Secret(value, "$" + env["token"]))
            if kind == "apiKey":
                where = scheme["in"]
                if where == "header":
                    headers[scheme["name"]] = value
                elif where == "query":
                    query.append((scheme["name"], value))
                else:
                    cookies[scheme["name"]] = value
            elif kind == "http" and http_scheme not in ("", "bearer"):
                headers["Authorization"] = f"{http_scheme.capitalize()} {value}"
            else:
                headers["Authorization"] = f"Bearer {value}"
        return missing


class Case:
    """One test case: runs its steps in order and keeps the values and bodies they capture."""

    def __init__(self, client: ApiClient, case_id: str, title: str, steps: int = 1):
        self.client = client
        self.case_id = case_id
        self.title = title
        self.steps = steps
        self.variables: dict = {}
        self.renames: list = []
        self.snapshots: dict = {}
        self.history: list = []
        self._step = 0

    def _value(self, value: Any) -> Any:
        if isinstance(value, Var):
            if value.name not in self.variables:
                raise AssertionError(f"{self.case_id}: variable {value.name!r} was not captured by an earlier step")
            return self.variables[value.name]
        return value

    def _resolve(self, value: Any) -> Any:
        return _substitute(value, lambda name: self._value(Var(name)))

    def step(
        self,
        operation: str,
        method: str,
        path: Sequence[Any],
        *,
        query: Sequence[tuple] = (),
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        body: Body | None = None,
        auth: Auth = NO_AUTH,
        expect: Sequence[str] = ("2XX",),
        check: str = "positive_data_acceptance",
        lenient: Sequence[str] = (),
        validate_body: bool = True,
        capture: Mapping[str, str] | None = None,
        snapshot: str | None = None,
        body_equals: Sequence[tuple] = (),
        items_match: tuple | None = None,
        same_as: tuple | None = None,
        unique: Sequence[tuple] = (),
    ) -> requests.Response:
        """Sends one request, runs every enabled check on the response and fails with all that failed;
        returns the response for extra assertions."""
        self._step += 1
        # Made-up texts the server may keep unique are sent renamed in each run, here and in later steps.
        self.renames.extend((text, renamed_text(text, shape, run_salt())) for text, shape in unique)
        if self.renames:
            path = rename_value(path, self.renames)
            query = [(name, rename_value(value, self.renames)) for name, value in query]
            body_equals = [(check[0], rename_value(check[1], self.renames), *check[2:]) for check in body_equals]
            headers, cookies = (rename_value(dict(x), self.renames) if x else x for x in (headers, cookies))
            if body is not None:
                body = Body(body.kind, rename_value(body.value, self.renames), body.media_type)
            if items_match is not None:
                items_match = (items_match[0], items_match[1], rename_value(items_match[2], self.renames))
        request = self._request(operation, method, path, query, headers, cookies, body, auth)
        self.client.hooks.call("before_request", request)
        self.client.session.cookies.clear()
        try:
            response = self.client.session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body,
                files=request.files,
                timeout=self.client.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            failure = Failure("request", f"it got no response: {error}", "it got no response")
            self.client.record.step(self, request, None, check=check, ran=[], failures=[failure], auth=auth)
            raise CheckFailure(failure_text(self, request, None, [failure]), [failure]) from None
        self.client.hooks.call("after_response", request, response)
        outcome = _Evaluation(self, request, response, check)
        outcome.run(
            expect=list(expect),
            lenient=list(lenient),
            validate_body=validate_body,
            body_equals=body_equals,
            items_match=items_match,
            same_as=same_as,
        )
        if snapshot:
            ok, document = outcome.body.json()
            self.snapshots[snapshot] = document if ok else NO_JSON
        if capture and not outcome.failures:
            outcome.capture(capture)
        self.client.record.step(
            self,
            request,
            response,
            check=check,
            ran=outcome.ran,
            failures=outcome.failures,
            auth=auth,
            warnings=outcome.warnings,
        )
        if outcome.failures:
            raise CheckFailure(failure_text(self, request, response, outcome.failures), outcome.failures)
        self.history.append(f"{request.method} {_redact(request.url, request.secrets)} → {response.status_code}")
        return response

    def _request(self, operation, method, path, query, headers, cookies, body, auth) -> Request:
        path_text = "".join(
            part if isinstance(part, str) else quote(scalar_text(self._value(part)), safe="") for part in path
        )
        pairs = [(name, scalar_text(self._value(value))) for name, value in query]
        request_headers = dict(headers or {})
        request_cookies = dict(cookies or {})
        secrets: list = []
        missing = self.client.apply_auth(auth, request_headers, pairs, request_cookies, secrets)
        if request_cookies:
            request_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in request_cookies.items())
        url = self.client.base_url + path_text
        if pairs:
            url += ("&" if "?" in url else "?") + "&".join(
                f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs
            )
        # HTTP clients refuse a body on GET and HEAD; the plan never asks for one, and none is sent.
        sent_body = None if method in ("GET", "HEAD") else body
        data, files = self._body(sent_body, request_headers)
        return Request(
            method=method,
            url=url,
            headers=request_headers,
            body=data,
            files=files,
            case_id=self.case_id,
            operation=operation,
            step=self._step,
            secrets=secrets,
            missing=missing,
        )

    def _body(self, body: Body | None, headers: dict) -> tuple:
        if body is None:
            return None, None
        if body.kind == "multipart":
            # requests writes the multipart Content-Type itself (it has to add the boundary).
            return None, [(name, (None, value)) for name, value in self._fields(body.value)]
        headers["Content-Type"] = body.media_type
        if body.kind == "json":
            text = json.dumps(self._resolve(body.value), ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8"), None
        if body.kind == "form":
            return urlencode(self._fields(body.value)).encode("utf-8"), None
        return str(body.value).encode("utf-8"), None

    def _fields(self, value: dict) -> list:
        """Form or multipart fields as (name, text) pairs: a list is one field per item, under the same name."""
        pairs = []
        for name, item in value.items():
            for one in item if isinstance(item, list) else [item]:
                pairs.append((name, scalar_text(self._value(one))))
        return pairs


class CheckFailure(AssertionError):
    """A step failed one or more checks; 'failures' lists them."""

    def __init__(self, text: str, failures: Sequence[Failure]):
        super().__init__(text)
        self.failures = list(failures)


# pytest prints the exception's type before its text: the plain name reads better than the module path.
CheckFailure.__module__ = "builtins"


class _Evaluation:
    """The checks of one step: runs each enabled one that applies, collects every failure and warning."""

    def __init__(self, case: Case, request: Request, response: requests.Response, check: str):
        self.case = case
        self.request = request
        self.response = response
        self.check = check
        self.enabled = case.client.checks
        self.validator = case.client.validator
        self.unsupported = check == "unsupported_method"
        status = response.status_code
        self.declared = None if self.unsupported else declared_response(request.operation, status)
        self.body = _Body(request.method, response, self.declared)
        self.ran: list = []
        self.failures: list = []
        self.warnings: list = []

    def _runs(self, name: str) -> bool:
        if name in self.enabled:
            self.ran.append(name)
            return True
        return False

    def fail(self, name: str, message: str, summary: str = "") -> None:
        self.failures.append(Failure(name, message, summary))

    def run(self, expect, lenient, validate_body, body_equals, items_match, same_as) -> None:
        status = self.response.status_code
        if self._runs("not_a_server_error") and status >= 500 and not (self.unsupported and status == 501):
            self.fail("not_a_server_error", f"the server answered {status}")
        status_ok = self._status_check(expect)
        if not self.unsupported:
            self._status_declared(lenient)
            if self.declared is not None and self.body.has_content:
                self._content(validate_body)
            if self.declared is not None and self.declared.get("headers"):
                self._headers()
        if not status_ok:
            return
        if body_equals and self._runs("read_after_write"):
            self._read_after_write(body_equals)
        if items_match and self._runs("filter_consistency"):
            self._filter(items_match)
        if same_as and self._runs("idempotence"):
            self._same_as(same_as)

    def _status_check(self, expect: list) -> bool:
        status = self.response.status_code
        if self.unsupported:
            ok = not (200 <= status < 300 or (status >= 500 and status != 501))
            wanted = "404, 405, 501 or another 4xx"
        else:
            ok = any(status_matches(pattern, status) for pattern in expect)
            wanted = _expected_text(expect)
        if self._runs(self.check) and not ok:
            self.fail(self.check, f"expected {wanted}, got {status}")
        return ok

    def _status_declared(self, lenient: list) -> None:
        if not self._runs("status_code_conformance") or self.declared is not None:
            return
        status = self.response.status_code
        listed = ", ".join(r["status"] for r in OPERATIONS[self.request.operation]["responses"]) or "none"
        if any(status_matches(pattern, status) for pattern in lenient):
            where = f"{OPERATIONS[self.request.operation]['method']} {OPERATIONS[self.request.operation]['path']}"
            self.warnings.append(
                (
                    (self.request.operation, str(status)),
                    f"{where} answered {status}, which it does not declare (declared: {listed}); the spec declares"
                    " no response for this kind of rejection, so this is a warning, not a failure",
                )
            )
            return
        self.fail("status_code_conformance", f"status {status} not declared (declared: {listed})")

    def _content(self, validate_body: bool) -> None:
        declared = self.declared
        if not declared["contents"]:
            return
        content_type = self.response.headers.get("Content-Type", "")
        actual = media_type_of(content_type)
        declared_types = ", ".join(content["mediaType"] for content in declared["contents"])
        matching = [c for c in declared["contents"] if actual and media_type_matches(c["mediaType"], actual)]
        if self._runs("content_type_conformance") and not matching:
            if actual:
                message = f"Content-Type {actual} is not declared for {declared['status']} (declared: {declared_types})"
            else:
                message = f"the Content-Type header is missing, but {declared['status']} declares {declared_types}"
            self.fail("content_type_conformance", message)
        if not validate_body or not matching or "response_schema_conformance" not in self.enabled:
            return
        content = next((c for c in matching if media_type_of(c["mediaType"]) == actual), matching[0])
        if "schema" not in content or not is_json_media_type(actual):
            return
        self._runs("response_schema_conformance")
        ok, document = self.body.json()
        what = f"the {declared['status']} response schema of {self.request.operation}"
        if not ok:
            self.fail("response_schema_conformance", f"body does not match {what}: {document}", "body is not JSON")
            return
        try:
            errors = self.validator.errors(content["schema"], document, prefix="body")
        except ValidationTimeout as error:
            self.fail(
                "response_schema_conformance",
                f"validating the body against {what} did not finish in {error.args[0]:g} s"
                " (a 'pattern' backtracking on one of its values?)",
            )
            return
        if errors:
            shown = "; ".join(errors[:5]) + (f"; … and {len(errors) - 5} more" if len(errors) > 5 else "")
            self.fail("response_schema_conformance", f"body does not match {what}: {shown}")

    def _headers(self) -> None:
        if not self._runs("response_headers_conformance"):
            return
        status = self.declared["status"]
        for header in self.declared["headers"]:
            name = header["name"]
            if name.lower() == "content-type":
                continue
            value = self.response.headers.get(name)
            if value is None:
                if header.get("required"):
                    self.fail(
                        "response_headers_conformance", f"required header {name} of the {status} response is missing"
                    )
                continue
            if "schema" not in header:
                continue
            coerced = coerce_header(value, header["schema"], self.validator)
            try:
                errors = self.validator.errors(header["schema"], coerced, prefix=f"header {name}")
            except ValidationTimeout:
                errors = [f"header {name} could not be validated in time"]
            for error in errors:
                self.fail("response_headers_conformance", error)

    def _json_or_fail(self, check: str) -> tuple:
        ok, document = self.body.json()
        if not ok:
            self.fail(check, f"cannot compare values: {document}")
        return ok, document

    def _read_after_write(self, body_equals: Sequence[tuple]) -> None:
        ok, document = self._json_or_fail("read_after_write")
        if not ok:
            return
        for entry in body_equals:
            pointer, sent = entry[0], self.case._resolve(entry[1])
            value_format = entry[2] if len(entry) > 2 else None
            try:
                actual = read_pointer(document, pointer)
            except LookupError:
                self.fail(
                    "read_after_write",
                    f"{pointer or 'the body'}: sent {_short(_json_text(sent), 200)}, missing in the body read back",
                    f"{pointer or 'the body'} is missing in the body read back",
                )
                continue
            if not holds(actual, sent, value_format):
                self.fail(
                    "read_after_write",
                    f"{pointer or 'the body'}: sent {_short(_json_text(sent), 200)},"
                    f" read back {_short(_json_text(actual), 200)}",
                    f"{pointer or 'the body'} read back is not what was sent",
                )

    def _filter(self, items_match: tuple) -> None:
        pointer, name, wanted = items_match[0], items_match[1], self.case._resolve(items_match[2])
        ok, document = self._json_or_fail("filter_consistency")
        if not ok:
            return
        try:
            items = read_pointer(document, pointer)
        except LookupError:
            items = None
        if not isinstance(items, list):
            self.fail("filter_consistency", f"no list of items at {pointer or 'the body'}")
            return
        for index, item in enumerate(items):
            if isinstance(item, dict) and name in item and not same_value(item[name], wanted):
                self.fail(
                    "filter_consistency",
                    f"{pointer}/{index} has {name} = {_short(_json_text(item[name]), 100)},"
                    f" but the list was filtered by {name} = {_short(_json_text(wanted), 100)}",
                    f"the list filtered by {name} holds items with another {name}",
                )
                return

    def _same_as(self, same_as: tuple) -> None:
        name, ignore = same_as[0], list(same_as[1]) if len(same_as) > 1 else []
        if name not in self.case.snapshots:
            self.fail("idempotence", f"no earlier step kept a body as {name!r} to compare with")
            return
        ok, document = self.body.json()
        before, after = self.case.snapshots[name], document if ok else NO_JSON
        if before is NO_JSON or after is NO_JSON:
            # Two responses without a JSON body (a 404 after a delete, say) are alike; one with and one without differ.
            changed = [] if before is after else ["(the whole body)"]
        else:
            changed = differences(before, after, ignore)
        if changed:
            listed = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
            self.fail("idempotence", f"repeating the request changed the resource at {listed}")

    def capture(self, capture: Mapping[str, str]) -> None:
        status = self.response.status_code
        ok, document = self.body.json()
        for name, pointer in capture.items():
            # Only a 2xx body made something: a 409's error body may hold a `code` of the error, not a resource.
            try:
                value = read_pointer(document, pointer) if ok and 200 <= status < 300 else None
            except LookupError:
                value = None
            if value is None:
                if not 200 <= status < 300:
                    why = _nothing_created(status)
                else:
                    why = f"{pointer} is missing in the response body" if ok else document
                self.fail("capture", f"cannot capture {name!r} for the next steps: {why}")
                return
            self.case.variables[name] = value
