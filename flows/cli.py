"""`jatsflow` on the command line: publish reports, validate JATS, serve and deploy the flows.

Exit codes: 0 success, 1 a document failed, 2 usage error. Expected failures print one
line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports Prefect only for the commands that need it
    from flows.publish import Outcome


def _prefect_defaults() -> None:
    """The embedded Prefect server, kept in the project folder, offline and quiet."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jatsflow", description="Report PDF → archival JATS and accessible outputs.")
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="run the Prefect flow on PDFs or folders")
    publish.add_argument("pdfs", nargs="+", type=Path, metavar="PDF|FOLDER")
    publish.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    publish.add_argument("--max-pages", type=int, default=2000)
    publish.add_argument("--max-mb", type=int, default=200, help="largest PDF accepted, in MB")
    publish.add_argument("--workers", type=int, default=0, metavar="N",
                         help="publish on N worker processes (Dask) instead of threads")
    publish.add_argument("--stage-timeout", type=float, default=900, metavar="SECONDS",
                         help="longest any one stage may run on a document")
    publish.add_argument("--no-reuse", action="store_true",
                         help="publish again even where the outputs are up to date")
    validate = commands.add_parser("validate", help="validate JATS files (DTD + rules)")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    check = commands.add_parser(
        "check", help="check a published folder's outputs for accessibility")
    check.add_argument("folders", nargs="+", type=Path, metavar="FOLDER",
                       help="a folder written by publish, e.g. build/nbr79")
    render = commands.add_parser(
        "render", help="render JATS files as HTML, PDF, EPUB and text, and check them")
    render.add_argument("files", nargs="+", type=Path, metavar="FILE.xml")
    render.add_argument("--out", type=Path, default=Path("build/render"),
                        help="output folder (one folder per file inside it)")
    render.add_argument("--page-size", type=_page_size, default=None, metavar="SIZE",
                        help="PDF page size: A4, letter, or WIDTH HEIGHT with units "
                             "('210mm 297mm'); default the source's, else A4")
    verify = commands.add_parser(
        "verify", help="check archival bags: checksums, completeness, JATS")
    verify.add_argument("bags", nargs="+", type=Path, metavar="BAG",
                        help="a bag written by publish, e.g. build/archive/nbr79")
    serve = commands.add_parser(
        "serve", help="offer the flows in the Prefect UI; runs started there execute here")
    serve.add_argument("--port", type=int, default=4200,
                       help="port of the Prefect server started when PREFECT_API_URL is unset")
    deploy = commands.add_parser(
        "deploy", help="register the flows with a work pool on the server at PREFECT_API_URL")
    deploy.add_argument("--pool", default="jatsflow", help="process work pool (created if new)")
    return parser


def _summary_table(outcomes: list[Outcome]) -> str:
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


def _publish(args: argparse.Namespace) -> int:
    _prefect_defaults()
    # Prefect's own console lines would repeat each failure with a traceback; the run's full
    # log still goes to its database and the UI. PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL=INFO
    # brings them back.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from flows import publish

    publish.ensure_embedded_database()
    parameters = {"out_dir": str(args.out), "max_pages": args.max_pages,
                  "max_bytes": args.max_mb * 1024 * 1024,
                  "stage_timeout": args.stage_timeout, "reuse": not args.no_reuse}
    if len(args.pdfs) == 1 and not args.pdfs[0].is_dir() and not args.workers:
        pdf = args.pdfs[0]
        outcomes = [publish.Outcome.of(
            pdf, publish.publish_report(str(pdf), **parameters, return_state=True))]
        if outcomes[0].status != "failed":
            print(outcomes[0].line())
    else:
        state = publish.batch_flow(args.workers)(
            [str(p) for p in args.pdfs], **parameters, return_state=True)
        rows = state.result(raise_on_failure=False)
        if not isinstance(rows, list):
            print(f"jatsflow: {state.message}", file=sys.stderr)
            return 1
        outcomes = [publish.Outcome(**row) for row in rows]
        print(_summary_table(outcomes))
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        print(f"jatsflow: {outcome.detail}", file=sys.stderr)
    return 1 if failed else 0


def _serve(args: argparse.Namespace) -> int:
    _prefect_defaults()
    from flows import publish

    if os.environ.get("PREFECT_API_URL"):
        publish.serve_deployments()
        return 0
    with publish.local_server(args.port):
        publish.serve_deployments()
    return 0


def _deploy(args: argparse.Namespace) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        print("jatsflow: set PREFECT_API_URL to the Prefect server's API, "
              "e.g. http://127.0.0.1:4200/api", file=sys.stderr)
        return 2
    _prefect_defaults()
    from flows import publish

    for name in publish.deploy_deployments(args.pool):
        print(f"deployment {name} registered with work pool {args.pool}")
    return 0


def _check(args: argparse.Namespace) -> int:
    """Accessibility checks of published folders; 1 if any check fails or a folder is not one
    that publish wrote."""
    from flows.accessibility import check_outputs

    worst = 0
    for folder in args.folders:
        report_file = folder / "report.json"
        if not report_file.is_file():
            print(f"jatsflow: {folder}: not a published folder (no report.json)",
                  file=sys.stderr)
            worst = 1
            continue
        stem = Path(json.loads(report_file.read_text(encoding="utf-8"))["source"]).stem
        report = check_outputs(folder, stem)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(report["summary"].items()))
        print(f"{folder}: {counts} — see {folder / 'accessibility.html'}")
        worst = max(worst, int("fail" in report["summary"]))
    return worst


PAGE_SIZE = re.compile(r"(?i)^(a[3-6]|b[45]|letter|legal|ledger|"
                       r"\d+(\.\d+)?(mm|cm|in|pt|px) \d+(\.\d+)?(mm|cm|in|pt|px))"
                       r"( landscape| portrait)?$")


def _page_size(value: str) -> str:
    """A CSS page size WeasyPrint knows; anything else is a usage error (exit 2)."""
    value = " ".join(value.split())
    if not PAGE_SIZE.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a page size (A4, letter, "
                                         "'210mm 297mm')")
    return value


def _render(args: argparse.Namespace) -> int:
    """Every output and the accessibility report for each JATS file; 1 if any file could not
    be rendered or any check fails."""
    from flows.checkers import close_checkers
    from flows.errors import JatsflowError
    from flows.render_all import render_outputs

    worst = 0
    try:
        for path in args.files:
            folder = args.out / path.stem
            try:
                report = render_outputs(path, folder, page_size=args.page_size)
            except JatsflowError as error:  # not XML, unsafe XML: its message names the file
                print(f"jatsflow: {error}", file=sys.stderr)
                worst = 1
                continue
            except OSError as error:
                print(f"jatsflow: {path}: {error.strerror or error}", file=sys.stderr)
                worst = 1
                continue
            counts = ", ".join(f"{n} {s}" for s, n in sorted(report["summary"].items()))
            print(f"{path}: rendered to {folder}/ ({counts}) — see {folder / 'accessibility.html'}")
            worst = max(worst, int("fail" in report["summary"]))
    finally:
        close_checkers()
    return worst


def _verify(args: argparse.Namespace) -> int:
    from flows.archive import run_verify

    return run_verify(args.bags)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        from flows.validate import run_validate

        return run_validate(args.files, args.json)
    commands = {"publish": _publish, "check": _check, "verify": _verify, "serve": _serve,
                "deploy": _deploy, "render": _render}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
