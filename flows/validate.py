"""Validate JATS against the project's local DTDs and rules; the body of ``jatsflow validate``.

The DTD says whether the XML has the shape JATS allows; flows/rules.py says whether it keeps what
readers and archivists rely on. Both run on every file, and both are reported with line numbers so
a person can fix the file. Nothing here touches the network: DTDs come from schemas/ (see
flows/xmlsafe.choose_dtd), and input files go through flows/xmlsafe.parse_xml.
"""

import json
import sys
import threading
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from lxml import etree

from flows.errors import JatsflowError
from flows.rules import Finding, check_rules
from flows.xmlsafe import SCHEMAS_DIR, choose_dtd, parse_xml

# A cached DTD object keeps its error log between calls; one lock keeps callers' logs apart.
_VALIDATE_LOCK = threading.Lock()


class DtdLoadError(JatsflowError):
    """A DTD file in schemas/ is missing or broken (an installation problem, not the input's)."""


@dataclass
class ValidationResult:
    """The verdict on one document: ``valid`` is DTD validity, ``passed`` adds the rule errors."""

    valid: bool
    dtd: str
    dtd_label: str
    dtd_note: str = ""
    errors: list[tuple[int, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def rule_errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def passed(self) -> bool:
        return self.valid and not self.rule_errors


@cache
def load_dtd(path: Path) -> etree.DTD:
    """Load a DTD suite once per process; lxml resolves its modules next to the file."""
    try:
        return etree.DTD(str(path))
    except (etree.DTDParseError, OSError) as exc:
        raise DtdLoadError(f"cannot load DTD {path}: {exc}") from None


def validate_jats(tree: etree._ElementTree) -> ValidationResult:
    """Check a parsed document against its DTD (chosen by choose_dtd) and the project's rules."""
    choice = choose_dtd(tree)
    dtd = load_dtd(choice.path)
    with _VALIDATE_LOCK:
        valid = dtd.validate(tree)
        errors = [(entry.line, entry.message) for entry in dtd.error_log]
    return ValidationResult(
        valid=valid,
        dtd=str(choice.path.relative_to(SCHEMAS_DIR)),
        dtd_label=choice.label,
        dtd_note=choice.note,
        errors=errors,
        findings=check_rules(tree),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _readable(message: str) -> str:
    """Shorten the DTD's long 'expecting (...)' content models; the 'got (...)' part is the clue."""
    expecting, got, rest = message.partition(", got (")
    if got and len(expecting) > 160:
        expecting = expecting[:150] + " ...)"
    return expecting + got + rest


def _report(path: Path) -> dict[str, Any]:
    """Parse and validate one file into a JSON-ready dict; expected failures become 'error'."""
    try:
        result = validate_jats(parse_xml(path))
    except JatsflowError as exc:
        return {"file": str(path), "passed": False, "error": str(exc)}
    return {
        "file": str(path),
        "passed": result.passed,
        "valid": result.valid,
        "dtd": result.dtd,
        "dtd_label": result.dtd_label,
        "dtd_note": result.dtd_note,
        "dtd_errors": [{"line": line, "message": message} for line, message in result.errors],
        "findings": [asdict(finding) for finding in result.findings],
    }


def _print_report(report: dict[str, Any], out: TextIO) -> None:
    name = report["file"]
    if "error" in report:
        # a refused file is an error of the run, reported like every other: on stderr
        print(f"jatsflow: {report['error']}", file=sys.stderr)
        return
    findings = report["findings"]
    rule_errors = sum(finding["severity"] == "error" for finding in findings)
    dtd_part = (
        f"valid against {report['dtd_label']}"
        if report["valid"]
        else f"{_plural(len(report['dtd_errors']), 'DTD error')} against {report['dtd_label']}"
    )
    warnings = len(findings) - rule_errors
    counts = f"{_plural(rule_errors, 'rule error')}, {_plural(warnings, 'warning')}"
    print(f"{'PASS' if report['passed'] else 'FAIL'} {name}: {dtd_part}; {counts}", file=out)
    if report["dtd_note"]:
        print(f"  note: {report['dtd_note']}", file=out)
    for error in report["dtd_errors"]:
        print(f"{name}:{error['line']}: [dtd] {_readable(error['message'])}", file=out)
    for finding in findings:
        tag = "" if finding["severity"] == "error" else "(warning) "
        line = finding["line"] if finding["line"] is not None else "?"
        print(f"{name}:{line}: [{finding['rule']}] {tag}{finding['message']}", file=out)


def run_validate(paths: list[Path], as_json: bool = False, out: TextIO = sys.stdout) -> int:
    """Validate files for ``jatsflow validate``; exit status 1 if any file has an error.

    Warnings never fail; an unreadable or unsafe file is one line and a failure, never a traceback.
    """
    reports = [_report(Path(path)) for path in paths]
    if as_json:
        json.dump(reports, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for report in reports:
            _print_report(report, out)
    return 0 if all(report["passed"] for report in reports) else 1
