"""Values and rules shared by the runtime of a generated suite (specmint_runtime.py): the check names and
their selection, what a step sends (Var, Auth, Body, Request) and its credentials, JSON Schema validation with
value-free messages, and the comparisons behind the checks (formats normalised, objects by what was sent)."""

from __future__ import annotations

import base64
import contextlib
import datetime
import ipaddress
import json
import math
import re
import signal
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import jsonschema

from specmint_contract import OPERATIONS

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
    # Multipart fields as (name, (file name or None, value)) pairs, a name once per part; requests writes the
    # boundary.
    files: list | None = None
    case_id: str = ""
    operation: str = ""
    step: int = 0
    secrets: list = field(default_factory=list)
    # Credential variables a step needed that are not set.
    missing: list = field(default_factory=list)


# --- formats -----------------------------------------------------------------------------------------------
# Only formats the standard library can check; every other format is ignored, as JSON Schema allows. OpenAPI's
# int32, int64 and byte are checked as the JS runtimes check them.

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# byte: RFC 4648 base64 in either of its alphabets (section 4, or section 5's URL-safe one, which Google's APIs
# declare as byte too), padded as the RFC requires; one alphabet per value.
_BYTE = re.compile(
    r"^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
    r"|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?)\Z"
)


def _is_integer_in(value: Any, low: int, high: int) -> bool:
    """Whether a JSON number is an integer (5.0 is) within [low, high]; anything else is another check's."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    if isinstance(value, float) and not value.is_integer():
        return False
    return low <= value <= high


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
    checker.checks("byte")(lambda value: not isinstance(value, str) or bool(_BYTE.match(value)))
    checker.checks("int32")(lambda value: _is_integer_in(value, -(2**31), 2**31 - 1))
    checker.checks("int64")(lambda value: _is_integer_in(value, -(2**63), 2**63 - 1))
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
            return base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4))
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


# multipleOf within this tolerance of a whole quotient: 0.3 is a multiple of 0.1 although 0.3 / 0.1 is
# 2.9999999999999996 in floating point (the JS runtimes ask Ajv for the same, k6's for the same).
MULTIPLE_OF_TOLERANCE = 1e-9


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Any:
    if not validator.is_type(instance, "number") or isinstance(instance, bool):
        return
    if isinstance(divisor, float) or isinstance(instance, float):
        quotient = instance / divisor
        failed = abs(quotient - round(quotient)) > MULTIPLE_OF_TOLERANCE if math.isfinite(quotient) else True
    else:
        failed = instance % divisor != 0
    if failed:
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {divisor}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"multipleOf": _multiple_of})


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
            validator = _Validator(document, format_checker=self._checker)
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


# --- made-up texts renamed in each run ------------------------------------------------------------------------

_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _rename_class(char: str, shape: str, index: int) -> str | None:
    hexadecimal = shape == "uuid"
    if hexadecimal and index in (14, 19):
        return None
    if char in _DIGITS:
        return _DIGITS
    lower = _LOWER[:6] if hexadecimal else _LOWER
    upper = _UPPER[:6] if hexadecimal else _UPPER
    if char in lower:
        return lower
    if char in upper:
        return upper
    return None


def renamed_text(text: str, shape: str, salt: str) -> str:
    """`text` as a run with `salt` sends it: each digit or letter another of its kind (`uuid`: hex digits, the
    version and variant kept); two texts that differ stay different."""
    out = []
    for i, char in enumerate(text):
        members = _rename_class(char, shape, i)
        if members is None:
            out.append(char)
            continue
        k = sum(ord(c) * (i + j + 1) for j, c in enumerate(salt))
        out.append(members[(members.index(char) + 1 + k % (len(members) - 1)) % len(members)])
    return "".join(out)


_SALT: list = []


def run_salt() -> str:
    """This run's salt: SPECMINT_RUN_ID when set (to send the values of a run again), else random."""
    if not _SALT:
        import os
        import secrets

        _SALT.append(os.environ.get("SPECMINT_RUN_ID") or secrets.token_hex(4))
    return _SALT[0]


def rename_value(value: Any, renames: Sequence[tuple]) -> Any:
    """`value` with every renamed text replaced in its strings (one of six characters or more wherever it
    occurs, a shorter one only as a whole string); captured variables are left alone."""
    if not renames:
        return value
    if isinstance(value, str):
        for old, new in renames:
            if len(old) >= 6:
                value = value.replace(old, new)
            elif value == old:
                value = new
        return value
    if isinstance(value, dict):
        return {key: rename_value(item, renames) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(rename_value(item, renames) for item in value)
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
