"""The runtime of a generated suite: sends each step's request, runs the named checks of docs/checks.md on the
response, reports every failed check of a step with the request, the response and a curl line, keeps the run's
record for the end-of-run summary and reports/coverage.json, and calls the hooks of hooks.py.

It is one file because it is copied into every suite as is; its sections follow the order of a step: values
and credentials, response checks, the client, the failure text, the run's record, and the pytest glue that
conftest.py calls.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import importlib
import ipaddress
import json
import os
import re
import signal
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import jsonschema
import requests

from specmint_contract import API, OPERATIONS, SCHEMAS, SECURITY_SCHEMES

# pytest leaves out the frames of a module that sets this: a failure points at the test's line, not in here
# (`pytest --fulltrace` shows them all).
__tracebackhide__ = True

INVALID_CREDENTIAL = "invalid-specmint-credential"
INVALID_USERNAME = "invalid-specmint-user"
INVALID_PASSWORD = "invalid-specmint-password"
# Request and response bodies in a failure are cut after this many characters.
BODY_LIMIT = 2000

# Every check, by the name its failures carry (docs/checks.md; the same list as CHECK_NAMES in the planner).
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "negative_format_rejection",
    "auth_enforced",
    "use_after_delete",
    "unsupported_method",
    "read_after_write",
    "filter_consistency",
    "idempotence",
)
# Checks that run only when SPECMINT_CHECKS names them.
OFF_BY_DEFAULT = ("negative_format_rejection",)


# --- values and credentials --------------------------------------------------------------------------------


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

    def get(self, env_name: str) -> str | None:
        """The variable's value, or None when it is not set (the request then goes without it)."""
        value = self._environ.get(env_name, "")
        return value if value != "" else None


@dataclass(frozen=True)
class Secret:
    """A credential in a request: shown as *** in a failure, and as $ENV in its curl line."""

    text: str
    shell: str


@dataclass
class Request:
    """One request as it is about to be sent. A before_request hook may change any field."""

    method: str
    url: str
    headers: dict
    # The encoded body (JSON, form or text), or None.
    body: bytes | None = None
    # Multipart fields (name -> (file name or None, value)); requests writes the boundary.
    files: dict | None = None
    case_id: str = ""
    operation: str = ""
    step: int = 0
    secrets: list = field(default_factory=list)
    # Credential variables a step needed that are not set.
    missing: list = field(default_factory=list)


# --- formats -----------------------------------------------------------------------------------------------
# Only formats the standard library can check; every other format is ignored, as JSON Schema allows.

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
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


def normalise(value: Any, value_format: str | None) -> Any:
    """A value in the form two equal values of a `format` share (read_after_write compares these)."""
    if not isinstance(value, str) or not value_format:
        return value
    text = value.strip()
    try:
        if value_format == "date-time":
            moment = datetime.datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text.replace("t", "T")))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.timezone.utc)
            return moment.astimezone(datetime.timezone.utc).isoformat()
        if value_format == "date":
            return datetime.date.fromisoformat(text).isoformat()
        if value_format in ("email", "idn-email"):
            local, _, domain = text.rpartition("@")
            return f"{local}@{domain.lower()}"
        if value_format in ("uri", "url", "iri", "uri-reference", "iri-reference"):
            parts = urlsplit(text)
            host = (parts.hostname or "").lower()
            default = {"http": 80, "https": 443}.get(parts.scheme.lower())
            port = f":{parts.port}" if parts.port and parts.port != default else ""
            path = parts.path or ("/" if host else "")
            return urlunsplit((parts.scheme.lower(), host + port, path, parts.query, parts.fragment))
        if value_format in ("hostname", "idn-hostname"):
            return text.lower().rstrip(".")
        if value_format in ("uuid", "ipv4", "ipv6"):
            return str(ipaddress.ip_address(text)) if value_format != "uuid" else text.lower()
        if value_format == "byte":
            return base64.b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return value
    return value


# --- schemas -----------------------------------------------------------------------------------------------


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


def _describe(error: jsonschema.ValidationError) -> str:
    """What a schema error asks for, without the value that broke it (so equal findings read the same)."""
    kind, rule = error.validator, error.validator_value
    if kind == "type":
        return "must be " + " or ".join(rule if isinstance(rule, list) else [rule])
    if kind == "required":
        missing = re.match(r"^(.*) is a required property$", error.message)
        return f"must have required property {missing[1] if missing else rule}"
    if kind == "enum":
        return "must be one of " + _short(json.dumps(rule, ensure_ascii=False), 120)
    if kind == "const":
        return "must be " + _short(json.dumps(rule, ensure_ascii=False), 120)
    if kind == "format":
        return f'must be a valid "{rule}"'
    if kind == "pattern":
        return f"must match pattern {rule}"
    limits = {
        "minimum": ">=",
        "maximum": "<=",
        "exclusiveMinimum": ">",
        "exclusiveMaximum": "<",
    }
    if kind in limits:
        return f"must be {limits[kind]} {rule}"
    sizes = {
        "minLength": "at least {} characters",
        "maxLength": "at most {} characters",
        "minItems": "at least {} items",
        "maxItems": "at most {} items",
        "minProperties": "at least {} properties",
        "maxProperties": "at most {} properties",
    }
    if kind in sizes:
        return "must have " + sizes[kind].format(rule)
    if kind == "multipleOf":
        return f"must be a multiple of {rule}"
    if kind == "uniqueItems":
        return "must have unique items"
    if kind in ("oneOf", "anyOf"):
        return f"must match {'exactly one' if kind == 'oneOf' else 'at least one'} of its schemas"
    return error.message


class SchemaValidator:
    """Validates JSON values against response schemas (JSON Schema 2020-12).

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

    def errors(self, schema: Any, instance: Any, prefix: str = "") -> list:
        """Every error as '<prefix><JSON pointer> <what the schema asks for>', sorted by pointer."""
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            document = {"allOf": [schema], "components": {"schemas": self._schemas}}
            validator = jsonschema.Draft202012Validator(document, format_checker=self._checker)
            self._validators[key] = validator
        with _time_limit(self.time_limit):
            found = list(validator.iter_errors(instance))
        found.sort(key=lambda error: [str(part) for part in error.absolute_path])
        return [f"{prefix}{_pointer(error.absolute_path)} {_describe(error)}".strip() for error in found]

    def resolve(self, schema: Any) -> Any:
        """The schema a local '#/components/schemas/X' reference points at (followed up to ten times)."""
        for _ in range(10):
            ref = schema.get("$ref") if isinstance(schema, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/components/schemas/"):
                return schema
            schema = self._schemas.get(ref[len("#/components/schemas/") :], {})
        return schema


def _pointer(path: Sequence[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


# --- helpers -----------------------------------------------------------------------------------------------


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
    """ "201" matches exactly; "2XX" matches the class."""
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


def holds(actual: Any, expected: Any, value_format: str | None = None) -> bool:
    """Whether 'actual' holds what was sent: objects by the properties sent, arrays the same items in any
    order, values of a `format` after normalising."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and holds(actual[key], item, value_format) for key, item in expected.items()
        )
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False
        left = list(actual)
        for item in expected:
            match = next((index for index, other in enumerate(left) if holds(other, item, value_format)), None)
            if match is None:
                return False
            left.pop(match)
        return True
    if value_format and isinstance(actual, str) and isinstance(expected, str):
        return normalise(actual, value_format) == normalise(expected, value_format)
    return json_equal(actual, expected)


def same_value(actual: Any, expected: Any) -> bool:
    """filter_consistency: strings compared exactly, numbers and booleans by value; a query's text form of a
    number or boolean ("3", "true") equals that number or boolean."""
    if isinstance(expected, str) and isinstance(actual, bool):
        return scalar_text(actual) == expected
    if isinstance(expected, str) and isinstance(actual, (int, float)):
        number = re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", expected)
        return number is not None and float(expected) == actual
    return json_equal(actual, expected)


def differences(left: Any, right: Any, ignore: Sequence[str], at: str = "") -> list:
    """JSON pointers where two documents differ (none under an ignored pointer)."""
    if at in ignore:
        return []
    if isinstance(left, dict) and isinstance(right, dict):
        found = []
        for key in sorted(set(left) | set(right)):
            child = f"{at}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in left or key not in right:
                if child not in ignore:
                    found.append(child)
            else:
                found.extend(differences(left[key], right[key], ignore, child))
        return found
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [p for index, (a, b) in enumerate(zip(left, right)) for p in differences(a, b, ignore, f"{at}/{index}")]
    return [] if json_equal(left, right) else [at or "(the whole body)"]


def coerce_header(value: str, schema: Any, validator: SchemaValidator) -> Any:
    """A header's text as its schema's type ("3" -> 3 for an integer; "a,b" -> ["a", "b"] for an array)."""
    schema = validator.resolve(schema)
    declared = schema.get("type") if isinstance(schema, dict) else None
    types = declared if isinstance(declared, list) else [declared] if declared else []
    text = value.strip()
    for kind in types:
        if kind == "integer" and re.fullmatch(r"[-+]?\d+", text):
            return int(text)
        if kind == "number" and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
            number = float(text)
            return int(number) if number.is_integer() and re.fullmatch(r"[-+]?\d+", text) else number
        if kind == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if kind == "array":
            items = schema.get("items", {})
            return [coerce_header(part.strip(), items, validator) for part in text.split(",")] if text else []
        if kind == "object":
            properties = schema.get("properties", {})
            parts = [part.strip() for part in text.split(",")] if text else []
            pairs = (
                [tuple(part.split("=", 1)) for part in parts]
                if all("=" in part for part in parts)
                else list(zip(parts[::2], parts[1::2]))
            )
            return {key: coerce_header(item, properties.get(key, {}), validator) for key, item in pairs}
        if kind == "null" and text == "":
            return None
    return value


def _substitute(value: Any, lookup: Callable[[str], Any]) -> Any:
    if isinstance(value, Var):
        return lookup(value.name)
    if isinstance(value, dict):
        return {key: _substitute(item, lookup) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_substitute(item, lookup) for item in value]
    return value


def _short(text: str, limit: int = BODY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- checks ------------------------------------------------------------------------------------------------


class ChecksError(ValueError):
    """SPECMINT_CHECKS or SPECMINT_EXCLUDE_CHECKS names a check that does not exist."""


def _check_list(environ: Mapping[str, str], name: str) -> list:
    names = [part.strip() for part in environ.get(name, "").split(",") if part.strip()]
    unknown = [item for item in names if item != "all" and item not in CHECK_NAMES]
    if unknown:
        raise ChecksError(
            f"{name} names unknown check{'s' if len(unknown) > 1 else ''} {', '.join(unknown)};"
            f" known checks: {', '.join(CHECK_NAMES)} (or all)"
        )
    return list(CHECK_NAMES) if "all" in names else names


def selected_checks(environ: Mapping[str, str]) -> frozenset:
    """The checks a run performs: SPECMINT_CHECKS (default: all but the off-by-default ones) less
    SPECMINT_EXCLUDE_CHECKS. Raises ChecksError for an unknown name."""
    chosen = _check_list(environ, "SPECMINT_CHECKS")
    excluded = _check_list(environ, "SPECMINT_EXCLUDE_CHECKS")
    base = chosen or [name for name in CHECK_NAMES if name not in OFF_BY_DEFAULT]
    return frozenset(name for name in base if name not in excluded)


@dataclass(frozen=True)
class Failure:
    """One failed check of a step: its name, the message, and the message without values for the summary."""

    check: str
    message: str
    summary: str = ""

    @property
    def key(self) -> str:
        return self.summary or self.message


def _expected_text(patterns: Sequence[str]) -> str:
    shown = [f"a {p.lower()} status" if p.upper().endswith("XX") else p for p in patterns]
    return " or ".join(shown) if shown else "no status"


# What a snapshot holds for a response without a JSON body.
NO_JSON = object()


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


# --- hooks -------------------------------------------------------------------------------------------------

HOOK_NAMES = ("before_run", "before_request", "after_response", "after_failure", "after_run")


class Hooks:
    """The functions of hooks.py (the user's; SpecMint writes it once). A hook that raises fails the test it ran
    for, with the hook named."""

    def __init__(self, module: Any = None):
        self.module = module

    def call(self, name: str, *args: Any) -> None:
        function = getattr(self.module, name, None) if self.module is not None else None
        if function is None:
            return
        try:
            function(*args)
        except Exception as error:
            raise HookError(f"hook {name}() in hooks.py raised {type(error).__name__}: {error}") from error


class HookError(AssertionError):
    """A function of hooks.py raised."""


def load_hooks() -> Hooks:
    """hooks.py next to conftest.py, or no hooks when it was removed."""
    try:
        return Hooks(importlib.import_module("hooks"))
    except ModuleNotFoundError as error:
        if error.name != "hooks":
            raise
        return Hooks()


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
    ) -> requests.Response:
        """Sends one request, runs every enabled check on the response and fails with all that failed;
        returns the response for extra assertions."""
        self._step += 1
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
            return None, {name: (None, scalar_text(self._value(value))) for name, value in body.value.items()}
        headers["Content-Type"] = body.media_type
        if body.kind == "json":
            text = json.dumps(self._resolve(body.value), ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8"), None
        if body.kind == "form":
            fields = [(name, scalar_text(self._value(value))) for name, value in body.value.items()]
            return urlencode(fields).encode("utf-8"), None
        return str(body.value).encode("utf-8"), None


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
        ok, document = self.body.json()
        for name, pointer in capture.items():
            try:
                value = read_pointer(document, pointer) if ok else None
            except LookupError:
                value = None
            if value is None:
                why = f"{pointer} is missing in the response body" if ok else document
                self.fail("capture", f"cannot capture {name!r} for the next steps: {why}")
                return
            self.case.variables[name] = value


# --- the failure text --------------------------------------------------------------------------------------


def _redact(text: str, secrets: Sequence[Secret]) -> str:
    for secret in secrets:
        for form in {secret.text, quote(secret.text, safe="")}:
            if form:
                text = text.replace(form, "***")
    return text


def _shown_header(name: str, value: str, secrets: Sequence[Secret]) -> str:
    """A request header as a failure shows it: credentials as ***, deliberately invalid ones as sent."""
    shown = _redact(value, secrets)
    if shown != value or name.lower() not in ("authorization", "proxy-authorization"):
        return shown
    # Not one of the suite's credentials: its own invalid ones are shown as sent; any other (a hook's) keeps
    # only its scheme word.
    scheme, _, token = value.partition(" ")
    if INVALID_CREDENTIAL in value or (scheme.lower() == "basic" and _is_invalid_basic(token)):
        return value
    return f"{scheme} ***" if token else "***"


def _is_invalid_basic(token: str) -> bool:
    try:
        return base64.b64decode(token).decode("utf-8") == f"{INVALID_USERNAME}:{INVALID_PASSWORD}"
    except ValueError:
        return False


def _request_body_text(request: Request) -> str | None:
    if request.files:
        return "multipart fields: " + ", ".join(f"{name}={value[1]}" for name, value in request.files.items())
    if request.body is None:
        return None
    return request.body.decode("utf-8", "replace") if isinstance(request.body, bytes) else str(request.body)


def _shell_word(parts: Sequence[tuple]) -> str:
    """One shell word from (literal text | $VAR) parts: single quotes when there is no variable, else double."""
    if all(kind == "text" for kind, _ in parts):
        return "'" + "".join(text for _, text in parts).replace("'", "'\\''") + "'"
    out = []
    for index, (kind, text) in enumerate(parts):
        if kind == "var":
            following = parts[index + 1][1][:1] if index + 1 < len(parts) else ""
            out.append("${" + text + "}" if re.match(r"\w", following) else "$" + text)
        else:
            out.append(re.sub(r'([\\"$`])', r"\\\1", text))
    return '"' + "".join(out) + '"'


def _with_vars(text: str, secrets: Sequence[Secret]) -> list:
    """'text' split into literal parts and $VAR parts where a credential stood."""
    parts: list = [("text", text)]
    for secret in secrets:
        if not secret.shell.startswith("$"):
            continue
        split: list = []
        for kind, value in parts:
            if kind != "text":
                split.append((kind, value))
                continue
            for form in {secret.text, quote(secret.text, safe="")}:
                if form and form in value:
                    pieces = value.split(form)
                    for index, piece in enumerate(pieces):
                        if index:
                            split.append(("var", secret.shell[1:]))
                        split.append(("text", piece))
                    break
            else:
                split.append((kind, value))
        parts = [part for part in split if part != ("text", "")]
    return parts or [("text", "")]


def curl_command(request: Request) -> str:
    """A curl command that sends the same request, credentials as the variables that hold them."""
    method = "--head" if request.method == "HEAD" else f"-X {request.method}"
    words = [f"curl {method} {_shell_word(_with_vars(request.url, request.secrets))}"]
    basic = {secret.text: secret.shell for secret in request.secrets if secret.shell.startswith("basic:")}
    for name, value in request.headers.items():
        scheme, _, token = value.partition(" ")
        if name.lower() == "authorization" and scheme.lower() == "basic" and token in basic:
            _, user, password = basic[token].split(":")
            words.append("-u " + _shell_word([("var", user), ("text", ":"), ("var", password)]))
            continue
        parts = _with_vars(f"{name}: {value}", request.secrets)
        if all(kind == "text" for kind, _ in parts):
            parts = [("text", f"{name}: {_shown_header(name, value, request.secrets)}")]
        words.append("-H " + _shell_word(parts))
    if request.files:
        for name, (_, value) in request.files.items():
            words.append("-F " + _shell_word([("text", f"{name}={value}")]))
    elif request.body is not None:
        words.append("--data-raw " + _shell_word(_with_vars(_request_body_text(request) or "", request.secrets)))
    return _wrapped(words, " \\\n      ")


def _wrapped(words: Sequence[str], separator: str, width: int = 100) -> str:
    """Words joined by spaces, a new line (after 'separator') before one that would pass 'width'."""
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return separator.join(lines)


def _response_text(response: requests.Response) -> str:
    """The body as text: in the charset its Content-Type names, else UTF-8 (not requests' Latin-1 guess)."""
    charset = re.search(r"charset=\"?([\w.:-]+)", response.headers.get("Content-Type", ""), re.I)
    try:
        return response.content.decode(charset[1] if charset else "utf-8", "replace")
    except LookupError:
        return response.content.decode("utf-8", "replace")


def _indented(text: str, prefix: str) -> str:
    return ("\n" + prefix).join(text.splitlines() or [""])


def failure_text(case: Case, request: Request, response: requests.Response | None, failures: Sequence[Failure]) -> str:
    """The failure of a step in the shape of docs/checks.md."""
    pad = " " * 12
    lines = [f"{case.case_id} — {case.title}"]
    if max(request.step, case.steps) > 1:
        after = f", after {'; '.join(case.history)}" if case.history else ""
        lines.append(f"  at step {request.step} of {max(request.step, case.steps)} ({request.operation}){after}")
    for failure in failures:
        label = failure.check if failure.check in CHECK_NAMES else failure.check.replace("_", " ")
        lines.append(f"  ✗ {label}: {_indented(failure.message, '    ')}")
    if request.missing:
        names = ", ".join(dict.fromkeys(request.missing))
        lines.append(
            f"  note: {names} {'is' if len(request.missing) == 1 else 'are'} not set,"
            " so the request went without those credentials"
        )
    lines.append(f"  request:  {request.method} {_redact(request.url, request.secrets)}")
    headers = dict(request.headers)
    if response is not None and request.files:
        headers["Content-Type"] = response.request.headers.get("Content-Type", "multipart/form-data")
    for name, value in headers.items():
        lines.append(f"{pad}{name}: {_shown_header(name, value, request.secrets)}")
    body = _request_body_text(request)
    if body is not None:
        lines.append(pad + _indented(_short(_redact(body, request.secrets)), pad))
    if response is not None:
        content_type = response.headers.get("Content-Type", "")
        lines.append(f"  response: {response.status_code} {content_type or '(no Content-Type)'}".rstrip())
        if request.method == "HEAD" or response.status_code in (204, 205, 304):
            lines.append(f"{pad}(no content)")
        else:
            text = _redact(_response_text(response), request.secrets)
            lines.append(pad + _indented(_short(text) if text else "(empty body)", pad))
    lines.append("  reproduce:")
    lines.append("    " + curl_command(request))
    return "\n".join(lines)


# --- the run's record --------------------------------------------------------------------------------------


def _where(operation: str) -> str:
    declared = OPERATIONS[operation]
    return f"{declared['method']} {declared['path']}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class RunRecord:
    """What a run did: requests and statuses per operation, checks run and failed, failures grouped by
    operation and check, and warnings. Feeds the end-of-run summary and reports/coverage.json."""

    def __init__(self, checks: frozenset | None = None):
        self.checks = selected_checks({}) if checks is None else checks
        self.reports = False
        self.requests: Counter = Counter()
        self.seen: dict = defaultdict(Counter)
        self.auth_rejected: Counter = Counter()
        self.not_found: Counter = Counter()
        self.rejected_valid: Counter = Counter()
        self.credential_vars: dict = defaultdict(set)
        self.missing: set = set()
        self.checks_run: Counter = Counter()
        self.checks_failed: Counter = Counter()
        # (operation, check, message) -> the ids of the tests it failed in (insertion order kept).
        self.failures: dict = {}
        # (operation, status) -> warning, once each.
        self.lenient: dict = {}

    def step(self, case: Case, request: Request, response, *, check, ran, failures, auth, warnings=()) -> None:
        """Records one step's request, response, checks and findings."""
        operation = request.operation
        self.checks_run.update(ran)
        self.checks_failed.update({failure.check for failure in failures if failure.check in ran})
        self.missing.update(request.missing)
        for failure in failures:
            key = (operation, failure.check, re.sub(r"/\d+(?=/| |$)", "/*", failure.key))
            self.failures.setdefault(key, {})[case.case_id] = True
        for key, text in warnings:
            self.lenient.setdefault(key, text)
        if auth.mode == "valid":
            for scheme in auth.schemes:
                env = SECURITY_SCHEMES.get(scheme, {}).get("env", {})
                self.credential_vars[operation].update(
                    env.get(part) for part in ("token", "username", "password") if env.get(part)
                )
        if response is None or operation not in OPERATIONS or check == "unsupported_method":
            return
        status = response.status_code
        self.requests[operation] += 1
        self.seen[operation][str(status)] += 1
        if status in (401, 403):
            self.auth_rejected[operation] += 1
        if status == 404:
            self.not_found[operation] += 1
        if check == "positive_data_acceptance" and 400 <= status < 500 and status not in (401, 403, 404, 409, 429):
            self.rejected_valid[operation] += 1

    def not_seen(self, operation: str) -> list:
        """The statuses the operation declares that no response had."""
        seen = [int(status) for status in self.seen.get(operation, {})]
        declared = [response["status"] for response in OPERATIONS[operation]["responses"]]
        out = []
        for status in declared:
            if status == "default":
                covered = [s for s in seen if any(d != "default" and status_matches(d, s) for d in declared)]
                hit = len(covered) < len(seen)
            else:
                hit = any(status_matches(status, s) for s in seen)
            if not hit:
                out.append(status)
        return out

    def warnings(self) -> list:
        """Schemathesis-style advice: credentials, ids, constraints, and statuses the spec leaves open."""
        out = []
        for operation, declared in OPERATIONS.items():
            sent = self.requests[operation]
            if sent == 0:
                continue
            where = _where(operation)
            if self.auth_rejected[operation] * 2 > sent:
                names = sorted(self.credential_vars.get(operation, ()))
                unset = [name for name in names if name in self.missing]
                advice = f"set {', '.join(names)}" if names else "check the credentials the API expects"
                if unset:
                    advice += f" ({', '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set)"
                out.append(f"most requests to {where} answered 401/403: {advice}")
            parameters = re.findall(r"\{([^}]+)\}", declared["path"])
            if parameters and self.not_found[operation] * 2 > sent:
                ids = " ".join(f"--path-param {name}=<id>" for name in parameters)
                out.append(f"most requests to {where} answered 404: give real ids with {ids}")
            if self.rejected_valid[operation]:
                count = self.rejected_valid[operation]
                out.append(
                    f"the server rejected {_plural(count, 'valid input')} to {where} with 4xx:"
                    " the spec's constraints may differ from the server's"
                )
        out.extend(self.lenient.values())
        return out

    def grouped_failures(self) -> list:
        return [
            {"operation": operation, "check": check, "message": message, "tests": len(tests)}
            for (operation, check, message), tests in self.failures.items()
        ]

    def coverage(self) -> dict:
        """reports/coverage.json (docs/checks.md gives the shape)."""
        operations = []
        for operation, declared in OPERATIONS.items():
            seen = self.seen.get(operation, {})
            operations.append(
                {
                    "id": operation,
                    "method": declared["method"],
                    "path": declared["path"],
                    "requests": self.requests[operation],
                    "declared": [response["status"] for response in declared["responses"]],
                    "seen": {status: seen[status] for status in sorted(seen)},
                    "notSeen": self.not_seen(operation),
                }
            )
        checks = [
            {"name": name, "run": self.checks_run[name], "failed": self.checks_failed[name]}
            for name in CHECK_NAMES
            if name in self.checks
        ]
        return {
            "specmint": 1,
            "format": "pytest",
            "api": dict(API),
            "operations": operations,
            "checks": checks,
            "failures": self.grouped_failures(),
            "warnings": self.warnings(),
        }

    def summary_lines(self) -> list:
        """The coverage summary printed at the end of every run."""
        coverage = self.coverage()
        operations = coverage["operations"]
        called = [op for op in operations if op["requests"]]
        lines = [
            f"operations: {len(called)} of {len(operations)} called,"
            f" {_plural(sum(op['requests'] for op in operations), 'request')}"
        ]
        uncalled = [op["id"] for op in operations if not op["requests"]]
        if uncalled:
            lines.append(f"  not called: {', '.join(uncalled)}")
        missing = [f"{op['id']} {' '.join(op['notSeen'])}" for op in called if op["notSeen"]]
        if missing:
            lines.append(f"  declared statuses not seen: {'; '.join(missing)}")
        ran = [
            f"{c['name']} {c['run']}" + (f" ({c['failed']} failed)" if c["failed"] else "") + ","
            for c in coverage["checks"]
        ]
        if ran:
            ran[-1] = ran[-1][:-1]
        lines.extend(_wrapped(["checks run:", *ran], "\n  ").split("\n"))
        skipped = [name for name in CHECK_NAMES if name not in self.checks]
        if skipped:
            lines.append(f"  not run (SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS): {', '.join(skipped)}")
        if coverage["failures"]:
            lines.append("failures by operation and check:")
            for failure in coverage["failures"]:
                lines.append(
                    f"  {failure['operation']} · {failure['check']}: {failure['message']}"
                    f" — {_plural(failure['tests'], 'test')}"
                )
        if coverage["warnings"]:
            lines.append("warnings:")
            lines.extend(f"  {warning}" for warning in coverage["warnings"])
        return lines


# --- the pytest glue (conftest.py calls these) -------------------------------------------------------------


def reports_enabled(environ: Mapping[str, str]) -> bool:
    """SPECMINT_REPORTS=1 asks for reports, SPECMINT_REPORTS=0 never; otherwise CI decides."""
    off = ("", "0", "false", "no", "off")
    flag = environ.get("SPECMINT_REPORTS", "").strip().lower()
    if flag:
        return flag not in off
    return environ.get("CI", "").strip().lower() not in off


def configure(config: Any, record: RunRecord, environ: Mapping[str, str] = os.environ) -> None:
    """pytest_configure: reads the checks to run (an unknown name stops the run) and, when reports are on,
    points --junitxml at reports/junit.xml unless it was given."""
    import pytest

    try:
        record.checks = selected_checks(environ)
    except ChecksError as error:
        raise pytest.UsageError(str(error)) from None
    record.reports = reports_enabled(environ)
    if record.reports and not config.option.xmlpath and not hasattr(config, "workerinput"):
        config.option.xmlpath = str(config.rootpath / "reports" / "junit.xml")


def after_test(item: Any, call: Any, report: Any, hooks: Hooks) -> None:
    """pytest_runtest_makereport: calls after_failure(test_id, error) of hooks.py when a test failed; a hook that
    raises adds its error to the test's report."""
    if report.when != "call" or not report.failed or call.excinfo is None:
        return
    client = (getattr(item, "funcargs", None) or {}).get("api")
    test_id = getattr(client, "case_id", None) or item.nodeid
    try:
        hooks.call("after_failure", test_id, call.excinfo.value)
    except HookError as error:
        report.sections.append(("hooks.py", str(error)))


def write_summary(reporter: Any, record: RunRecord) -> None:
    """pytest_terminal_summary: the coverage summary, failures grouped by operation and check, warnings."""
    reporter.write_sep("=", "SpecMint summary")
    for line in record.summary_lines():
        reporter.write_line(line)
    if record.reports:
        xml = getattr(reporter.config.option, "xmlpath", None)
        written = [path for path in (xml, str(reporter.config.rootpath / "reports" / "coverage.json")) if path]
        reporter.write_line(f"reports: {', '.join(os.path.relpath(path) for path in written)}")


def finish(session: Any, record: RunRecord) -> None:
    """pytest_sessionfinish: writes reports/coverage.json when reports are on."""
    if not record.reports or hasattr(session.config, "workerinput"):
        return
    folder = session.config.rootpath / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record.coverage(), indent=2, ensure_ascii=False)
    (folder / "coverage.json").write_text(text + "\n", encoding="utf-8")
