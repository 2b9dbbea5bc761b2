"""Helpers shared by the generated tests: requests, auth, response checks and captures."""

from __future__ import annotations

import base64
import contextlib
import datetime
import ipaddress
import json
import re
import signal
import threading
from dataclasses import dataclass
from typing import Any, Mapping, Sequence
from urllib.parse import quote

import jsonschema
import requests

from specmint_contract import OPERATIONS, SCHEMAS, SECURITY_SCHEMES

INVALID_CREDENTIAL = "invalid-specmint-credential"
INVALID_USERNAME = "invalid-specmint-user"
INVALID_PASSWORD = "invalid-specmint-password"
BODY_EXCERPT = 300


@dataclass(frozen=True)
class Var:
    """A value captured by an earlier step of the same case, substituted when the request is built."""

    name: str


@dataclass(frozen=True)
class Auth:
    """Credentials a step sends: valid ones from env vars, deliberately invalid ones, or none."""

    mode: str
    schemes: tuple = ()

    @classmethod
    def valid(cls, *schemes: str) -> "Auth":
        return cls("valid", tuple(schemes))

    @classmethod
    def invalid(cls, *schemes: str) -> "Auth":
        return cls("invalid", tuple(schemes))


NO_AUTH = Auth("none")


@dataclass(frozen=True)
class Body:
    """A request body: JSON (may contain Var), form fields, multipart fields or raw text."""

    kind: str
    value: Any
    media_type: str

    @classmethod
    def json(cls, value: Any, media_type: str = "application/json") -> "Body":
        return cls("json", value, media_type)

    @classmethod
    def form(cls, value: Mapping[str, Any], media_type: str = "application/x-www-form-urlencoded") -> "Body":
        return cls("form", value, media_type)

    @classmethod
    def multipart(cls, value: Mapping[str, Any], media_type: str = "multipart/form-data") -> "Body":
        return cls("multipart", value, media_type)

    @classmethod
    def text(cls, value: str, media_type: str = "text/plain") -> "Body":
        return cls("text", value, media_type)


class Credentials:
    """Reads each security scheme's credentials from the environment when a step needs them."""

    def __init__(self, environ: Mapping[str, str]):
        self._environ = environ

    def get(self, scheme: str, env_name: str) -> str:
        value = self._environ.get(env_name, "")
        if value == "":
            raise AssertionError(
                f"environment variable {env_name} is not set (credentials of security scheme {scheme!r})"
            )
        return value


# --- formats -------------------------------------------------------------------------------------------
# Only formats that the standard library can check; every other format is ignored, as JSON Schema allows.

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_date(value: str) -> bool:
    match = _DATE.match(value)
    if not match:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _is_date_time(value: str) -> bool:
    match = _DATE_TIME.match(value)
    if not match or not _is_date(match[1]):
        return False
    return int(match[2]) < 24 and int(match[3]) < 60 and int(match[4]) <= 60


def _is_ip(value: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(value).version == version
    except ValueError:
        return False


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checks = {
        "date": _is_date,
        "date-time": _is_date_time,
        "uuid": lambda value: bool(_UUID.match(value)),
        "email": lambda value: bool(_EMAIL.match(value)),
        "ipv4": lambda value: _is_ip(value, 4),
        "ipv6": lambda value: _is_ip(value, 6),
    }
    for name, check in checks.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str) or check(value))
    return checker


class ValidationTimeout(Exception):
    """Validating one body took longer than the limit (a 'pattern' backtracking on a value, most likely)."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raises ValidationTimeout inside the block once 'seconds' have passed.

    Uses SIGALRM, which CPython's regex engine checks while it matches, so a runaway 'pattern' is stopped.
    Does nothing where the alarm is not ours to use: off the main thread, without SIGALRM (Windows), or
    when something else (pytest-timeout, say) already set a handler or a timer.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(_signum, _frame):
        raise ValidationTimeout(seconds)

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


class SchemaValidator:
    """Validates JSON bodies against response schemas (JSON Schema 2020-12).

    The named schemas are embedded in the validated document under components/schemas, so every
    "#/components/schemas/X" reference resolves inside one document. That needs neither RefResolver
    (jsonschema < 4.18) nor the referencing registry (jsonschema >= 4.18) and works the same on both.
    One validation may take at most 'time_limit' seconds (0: no limit); past it ValidationTimeout is
    raised, so a response value that a spec's pattern backtracks on fails its test instead of hanging.
    """

    def __init__(self, schemas: Mapping[str, Any], time_limit: float = 30.0):
        self._schemas = schemas
        self._checker = _format_checker()
        self._validators: dict = {}
        self.time_limit = time_limit

    def errors(self, schema: Any, instance: Any) -> list:
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            document = {"allOf": [schema], "components": {"schemas": self._schemas}}
            validator = jsonschema.Draft202012Validator(document, format_checker=self._checker)
            self._validators[key] = validator
        with _time_limit(self.time_limit):
            found = list(validator.iter_errors(instance))
        found.sort(key=lambda error: list(error.absolute_path))
        return [f"{_pointer(error.absolute_path)}: {error.message}" for error in found]


def _pointer(path: Sequence[Any]) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in path)


# --- helpers -------------------------------------------------------------------------------------------


def scalar_text(value: Any) -> str:
    """How a captured value is written into a path, query or form field."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def read_pointer(document: Any, pointer: str) -> Any:
    """Resolves a JSON pointer (RFC 6901); raises LookupError when a part is missing."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LookupError(pointer)
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and re.fullmatch(r"0|[1-9][0-9]*", token) and int(token) < len(current):
            current = current[int(token)]
        else:
            raise LookupError(pointer)
    return current


def media_type_of(content_type: str) -> str:
    """The media type without parameters, lower case: "application/json; charset=utf-8" -> "application/json"."""
    return content_type.split(";", 1)[0].strip().lower()


def media_type_matches(declared: str, actual: str) -> bool:
    """Whether a response media type matches a declared one (supports */*, type/* and type/*+suffix)."""
    declared = media_type_of(declared)
    if declared in ("*/*", actual):
        return True
    declared_type, _, declared_sub = declared.partition("/")
    actual_type, _, actual_sub = actual.partition("/")
    if declared_type != actual_type:
        return False
    if declared_sub == "*":
        return True
    if declared_sub.startswith("*+"):
        return actual_sub.endswith(declared_sub[1:])
    return False


def is_json_media_type(media_type: str) -> bool:
    media_type = media_type_of(media_type)
    return media_type == "application/json" or media_type.endswith("+json")


def status_matches(pattern: str, status: int) -> bool:
    """"201" matches exactly; "2XX" matches the class."""
    pattern = pattern.upper()
    if len(pattern) == 3 and pattern.endswith("XX"):
        return str(status)[0] == pattern[0]
    return pattern == str(status)


def declared_response(operation: str, status: int) -> Any:
    """The response the operation declares for a status: exact, else its class, else default."""
    responses = OPERATIONS[operation]["responses"]
    for candidate in (str(status), f"{str(status)[0]}XX", "default"):
        for response in responses:
            if response["status"].upper() == candidate.upper():
                return response
    return None


def json_equal(left: Any, right: Any) -> bool:
    """Deep JSON equality: 1 == 1.0, but true is not 1 and "1" is not 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right))
    return type(left) is type(right) and left == right


def _substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    if isinstance(value, Var):
        return variables[value.name]
    if isinstance(value, dict):
        return {key: _substitute(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, variables) for item in value]
    return value


def _excerpt(response: requests.Response) -> str:
    text = response.text
    if len(text) > BODY_EXCERPT:
        text = text[:BODY_EXCERPT] + "..."
    return text if text else "<empty>"


# --- the client ----------------------------------------------------------------------------------------


class ApiClient:
    """Sends the steps of test cases to BASE_URL with the configured credentials."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        credentials: Credentials,
        validator: SchemaValidator,
        timeout: float = 30.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.credentials = credentials
        self.validator = validator
        self.timeout = timeout

    def case(self, case_id: str, title: str) -> "Case":
        """Starts a test case; its steps share captured variables."""
        return Case(self, case_id, title)

    def apply_auth(self, auth: Auth, headers: dict, query: list, cookies: dict) -> None:
        """Adds the credentials of every scheme in auth.schemes (an AND set) to the request parts."""
        if auth.mode == "none":
            return
        invalid = auth.mode == "invalid"
        for key in auth.schemes:
            scheme = SECURITY_SCHEMES[key]
            env = scheme["env"]
            kind = scheme["type"]
            http_scheme = (scheme.get("scheme") or "").lower()
            if kind == "http" and http_scheme == "basic":
                user = INVALID_USERNAME if invalid else self.credentials.get(key, env["username"])
                password = INVALID_PASSWORD if invalid else self.credentials.get(key, env["password"])
                token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
                headers["Authorization"] = f"Basic {token}"
                continue
            value = INVALID_CREDENTIAL if invalid else self.credentials.get(key, env["token"])
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


class Case:
    """One test case: runs its steps in order and keeps the values they capture."""

    def __init__(self, client: ApiClient, case_id: str, title: str):
        self.client = client
        self.case_id = case_id
        self.title = title
        self.variables: dict = {}
        self._step = 0

    def _value(self, value: Any) -> Any:
        if isinstance(value, Var):
            if value.name not in self.variables:
                raise AssertionError(f"{self.case_id}: variable {value.name!r} was not captured by an earlier step")
            return self.variables[value.name]
        return value

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
        validate_body: bool = True,
        capture: Mapping[str, str] | None = None,
        body_equals: Sequence[tuple] = (),
    ) -> requests.Response:
        """Sends one request and checks the response; returns it for extra assertions."""
        self._step += 1
        path_text = "".join(
            part if isinstance(part, str) else quote(scalar_text(self._value(part)), safe="") for part in path
        )
        pairs = [(name, scalar_text(self._value(value))) for name, value in query]
        request_headers = dict(headers or {})
        request_cookies = dict(cookies or {})
        self.client.apply_auth(auth, request_headers, pairs, request_cookies)
        if request_cookies:
            request_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in request_cookies.items())
        url = self.client.base_url + path_text
        if pairs:
            url += "?" + "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)
        data, files = self._body(body, request_headers)
        where = f"{self.case_id} step {self._step} ({operation}: {method} {path_text})"
        self.client.session.cookies.clear()
        try:
            response = self.client.session.request(
                method,
                url,
                headers=request_headers,
                data=data,
                files=files,
                timeout=self.client.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise AssertionError(f"{where}: request to {url} failed: {error}") from error
        self._check(where, operation, method, response, list(expect), validate_body)
        self._check_values(where, response, body_equals)
        self._capture(where, response, capture or {})
        return response

    def _body(self, body: Body | None, headers: dict) -> tuple:
        if body is None:
            return None, None
        if body.kind == "json":
            headers["Content-Type"] = body.media_type
            value = _substitute(body.value, self._resolved_variables())
            return json.dumps(value, ensure_ascii=False).encode("utf-8"), None
        if body.kind == "form":
            headers["Content-Type"] = body.media_type
            return {name: scalar_text(self._value(value)) for name, value in body.value.items()}, None
        if body.kind == "multipart":
            # requests writes the multipart Content-Type itself (it has to add the boundary).
            return None, {name: (None, scalar_text(self._value(value))) for name, value in body.value.items()}
        headers["Content-Type"] = body.media_type
        return str(body.value).encode("utf-8"), None

    def _resolved_variables(self) -> dict:
        return _VariableView(self)

    def _check(
        self, where: str, operation: str, method: str, response: requests.Response, expect: list, validate: bool
    ) -> None:
        status = response.status_code
        came_back = f"got {status}; body: {_excerpt(response)}"
        if status >= 500:
            raise AssertionError(f"{where}: server error, {came_back}")
        if not any(status_matches(pattern, status) for pattern in expect):
            raise AssertionError(f"{where}: expected status {' or '.join(expect)}, {came_back}")
        declared = declared_response(operation, status)
        if declared is None:
            raise AssertionError(f"{where}: status {status} not declared by {operation}; body: {_excerpt(response)}")
        if not validate or not declared["contents"] or method == "HEAD":
            return
        content_type = response.headers.get("Content-Type", "")
        actual = media_type_of(content_type)
        declared_types = [content["mediaType"] for content in declared["contents"]]
        matching = [content for content in declared["contents"] if media_type_matches(content["mediaType"], actual)]
        if not matching:
            raise AssertionError(
                f"{where}: Content-Type {content_type or '<missing>'!r} is not one of {', '.join(declared_types)}"
                f" (declared for {declared['status']}); body: {_excerpt(response)}"
            )
        content = next((c for c in matching if media_type_of(c["mediaType"]) == actual), matching[0])
        if "schema" not in content or not is_json_media_type(actual):
            return
        try:
            document = response.json()
        except ValueError as error:
            raise AssertionError(f"{where}: body is not valid JSON ({error}); body: {_excerpt(response)}") from error
        try:
            errors = self.client.validator.errors(content["schema"], document)
        except ValidationTimeout as error:
            raise AssertionError(
                f"{where}: validating the body against the {declared['status']} {actual} schema did not finish"
                f" in {error.args[0]:g} s (a 'pattern' backtracking on one of its values?); body: {_excerpt(response)}"
            ) from None
        if errors:
            listed = "\n  ".join(errors[:10])
            raise AssertionError(
                f"{where}: body does not match the {declared['status']} {actual} schema:\n  {listed}\n"
                f"body: {_excerpt(response)}"
            )

    def _check_values(self, where: str, response: requests.Response, body_equals: Sequence[tuple]) -> None:
        if not body_equals:
            return
        try:
            document = response.json()
        except ValueError as error:
            raise AssertionError(f"{where}: expected a JSON body to compare values; body: {_excerpt(response)}") from error
        for pointer, expected in body_equals:
            wanted = _substitute(expected, self._resolved_variables())
            try:
                actual = read_pointer(document, pointer)
            except LookupError:
                raise AssertionError(
                    f"{where}: expected {pointer} = {json.dumps(wanted, ensure_ascii=False)}, but it is missing; body: {_excerpt(response)}"
                ) from None
            if not json_equal(actual, wanted):
                raise AssertionError(
                    f"{where}: expected {pointer} = {json.dumps(wanted, ensure_ascii=False)}, got {json.dumps(actual, ensure_ascii=False)}; "
                    f"body: {_excerpt(response)}"
                )

    def _capture(self, where: str, response: requests.Response, capture: Mapping[str, str]) -> None:
        if not capture:
            return
        try:
            document = response.json()
        except ValueError as error:
            raise AssertionError(f"{where}: cannot capture {', '.join(capture)}: body is not JSON") from error
        for name, pointer in capture.items():
            try:
                value = read_pointer(document, pointer)
            except LookupError:
                value = None
            if value is None:
                raise AssertionError(
                    f"{where}: cannot capture {name!r}: {pointer} is missing in the response body: {_excerpt(response)}"
                )
            self.variables[name] = value


class _VariableView(dict):
    """Mapping view of a case's variables that fails clearly when a Var was never captured."""

    def __init__(self, case: Case):
        super().__init__(case.variables)
        self._case = case

    def __missing__(self, name: str) -> Any:
        return self._case._value(Var(name))
