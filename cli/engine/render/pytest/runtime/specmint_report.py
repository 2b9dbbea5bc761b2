"""The reporting half of the runtime of a generated suite: a failure's text (request, response, curl line, credentials
redacted), the run's record behind the end-of-run summary and reports/coverage.json, the hooks of hooks.py, and the
functions conftest.py's pytest hooks call."""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
from collections import Counter, defaultdict
from typing import Any, Mapping, Sequence
from urllib.parse import quote

import requests

from specmint_contract import API, OPERATIONS, SECURITY_SCHEMES
from specmint_values import (
    CHECK_NAMES,
    INVALID_CREDENTIAL,
    INVALID_PASSWORD,
    INVALID_USERNAME,
    ChecksError,
    Failure,
    Request,
    Secret,
    _short,
    selected_checks,
    status_matches,
)

# pytest leaves out the frames of a module that sets this: a failure points at the test's line, not in here.
__tracebackhide__ = True

# --- hooks -------------------------------------------------------------------------------------------------


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
        return "multipart fields: " + ", ".join(f"{name}={value[1]}" for name, value in request.files)
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
        for name, (_, value) in request.files:
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


def failure_text(case: Any, request: Request, response: requests.Response | None, failures: Sequence[Failure]) -> str:
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

    def step(self, case: Any, request: Request, response, *, check, ran, failures, auth, warnings=()) -> None:
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
