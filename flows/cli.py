"""`jatsflow` on the command line: publish reports, validate JATS, check outputs.

Exit codes: 0 success, 1 a document failed, 2 usage error. Expected failures print one
line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _prefect_defaults() -> None:
    """The embedded Prefect server, kept in the project folder, offline and quiet."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jatsflow", description="Report PDF → archival JATS and accessible outputs.")
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="run the Prefect flow on PDFs")
    publish.add_argument("pdfs", nargs="+", type=Path, metavar="PDF")
    publish.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    publish.add_argument("--max-pages", type=int, default=2000)
    publish.add_argument("--max-mb", type=int, default=200, help="largest PDF accepted, in MB")
    validate = commands.add_parser("validate", help="validate JATS files (DTD + rules)")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _publish(args: argparse.Namespace) -> int:
    _prefect_defaults()
    from flows.publish import publish_report

    failures = 0
    for pdf in args.pdfs:
        state = publish_report(str(pdf), str(args.out), args.max_pages,
                               args.max_mb * 1024 * 1024, return_state=True)
        if state.is_completed():
            report = state.result()
            print(f"{pdf}: published to {report['output']}/ "
                  f"({report['pages']} pages, {report['notes']} notes, JATS valid)")
        else:
            failures += 1
            print(f"jatsflow: {state.message}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "publish":
        return _publish(args)
    from flows.validate import run_validate

    return run_validate(args.files, args.json)


if __name__ == "__main__":
    sys.exit(main())
