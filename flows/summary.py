"""What a person reads about a run: the batch summary rows and table, the run's summary in
the Prefect UI. Plain functions of the reports, so they can be tested without Prefect."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Outcome:
    """One row of the batch summary."""

    source: str
    status: str  # published, reused or failed
    pages: int | None = None
    notes: int | None = None
    seconds: float | None = None
    detail: str = ""  # the output folder, or why it failed

    @classmethod
    def of_report(cls, pdf: Path, report: dict[str, Any]) -> Outcome:
        return cls(str(pdf), "reused" if report["reused"] else "published", report["pages"],
                   report["notes"], round(sum(report["seconds"].values()), 1), report["output"])

    def line(self) -> str:
        if self.status == "failed":
            return self.detail
        done = "published to" if self.status == "published" else "unchanged, reused"
        return (f"{self.source}: {done} {self.detail}/ "
                f"({self.pages} pages, {self.notes} notes, JATS valid)")


def artifact_key(stem: str, kind: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes; one key per document and kind
    gives every artifact a history across runs."""
    return re.sub(r"[^a-z0-9]+", "-", f"{stem}-{kind}".lower()).strip("-")


def summary_markdown(report: dict[str, Any]) -> str:
    """The run as a reviewer wants it first: valid or not, how much was found, what to check."""
    validation = report["validation"]
    made = "reused, the input is unchanged" if report["reused"] else "new"
    lines = [
        f"# {report['source']}",
        "",
        "| | |", "|---|---|",
        f"| JATS | {'valid' if validation['valid'] else 'NOT valid'} against {validation['dtd']} |",
        f"| pages | {report['pages']} |",
        f"| parts | {report['parts']} |",
        f"| notes | {report['notes']} |",
        f"| warnings | {len(report['warnings'])} |",
        f"| outputs | `{report['output']}/` ({made}) |",
    ]
    accessibility = report.get("accessibility")
    if accessibility:
        counts = ", ".join(f"{n} {status}" for status, n in accessibility["summary"].items())
        lines.append(f"| accessibility | {counts} |")
    if report["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in report["warnings"][:20]]
    return "\n".join(lines) + "\n"


def summary_table(outcomes: list[Outcome]) -> str:
    """The batch at a glance, one row per document, for the terminal; the last column (the
    output folder, or why the document failed) runs on unpadded."""
    def blank(value: object) -> str:
        return "" if value is None else str(value)

    rows = [["document", "status", "pages", "notes", "seconds", "output or reason"]]
    rows += [[Path(o.source).name, o.status, blank(o.pages), blank(o.notes), blank(o.seconds),
              o.detail] for o in outcomes]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                                row[-1]]) for row in rows)
