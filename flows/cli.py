"""`jatsflow` on the command line: publish reports, validate JATS, serve and deploy the flows.

Exit codes: 0 success, 1 a document failed, 2 usage error (every option is checked before
anything starts), 130 (Ctrl-C) or 143 (SIGTERM) interrupted. Expected failures print one line
on stderr, no traceback.

The CLI imports Prefect only for the commands that need it, and for `publish` only once the
run's embedded server is starting, so that the two start-ups overlap.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from flows.errors import JatsflowError, UsageError
from flows.extract import Limits
from flows.processes import (
    EmbeddedServer,
    ServerRegistry,
    ServerStartError,
    database_lock,
    on_signals,
    stop_descendants,
)
from flows.profile import HouseStyle, ProfileError, house_style
from flows.reuse import (
    DEFAULT_STAGE_TIMEOUT,
    MB,
    Options,
    page_size,
    positive_int,
    positive_seconds,
    worker_count,
)
from flows.summary import Outcome, summary_table

USAGE_EXIT = 2
PAGE_SIZE_HELP = ("PDF page size: A4, letter, or WIDTH HEIGHT with units ('210mm 297mm'); "
                  "default the source's")


def _prefect_defaults() -> None:
    """The embedded Prefect server, kept in the project folder, offline and quiet."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line on stderr, exit 2 (argparse would print the usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_EXIT, f"jatsflow: {message} (see: {self.prog} --help)\n")


def _checked(parse: Callable[[str], Any], check: Callable[[Any, str], Any]) -> Any:
    """An argparse type: parse the text, then apply the same check the flows apply (argparse
    names the option in its message)."""
    def convert(text: str) -> Any:
        try:
            return check(parse(text), "the value")
        except (ValueError, UsageError) as exc:
            message = str(exc) if isinstance(exc, UsageError) else f"not a number: {text!r}"
            raise argparse.ArgumentTypeError(message) from None
    return convert


def _port(port: int, what: str) -> int:
    if not 1 <= port <= 65535:
        raise UsageError(f"{what} must be a port number from 1 to 65535, not {port}")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jatsflow", description="Report PDF → archival JATS and accessible outputs.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    publish = commands.add_parser("publish", help="run the Prefect flow on PDFs or folders")
    publish.add_argument("pdfs", nargs="+", type=Path, metavar="PDF|FOLDER")
    publish.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    publish.add_argument("--max-pages", type=_checked(int, positive_int),
                         default=Limits().max_pages, metavar="N",
                         help="most pages a PDF may have (default %(default)s)")
    publish.add_argument("--max-mb", type=_checked(int, positive_int),
                         default=Limits().max_bytes // MB, metavar="N",
                         help="largest PDF accepted, in MB (default %(default)s)")
    publish.add_argument("--workers", type=_checked(int, worker_count), default=0,
                         metavar="N",
                         help="publish on N worker processes (Dask) instead of threads")
    publish.add_argument("--stage-timeout", type=_checked(float, positive_seconds),
                         default=DEFAULT_STAGE_TIMEOUT, metavar="SECONDS",
                         help="longest any one stage may run on a document "
                              "(default %(default)g)")
    publish.add_argument("--no-reuse", action="store_true",
                         help="publish again even where the outputs are up to date")
    publish.add_argument("--profile", type=Path, metavar="FILE",
                         help="house style as a TOML file (default: the built-in one)")
    publish.add_argument("--page-size", type=_checked(str, page_size), default="",
                         metavar="SIZE", help=PAGE_SIZE_HELP)
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
    render.add_argument("--page-size", type=_checked(str, page_size), default="",
                        metavar="SIZE", help=PAGE_SIZE_HELP + ", else A4")
    verify = commands.add_parser(
        "verify", help="check archival bags: checksums, completeness, JATS")
    verify.add_argument("bags", nargs="+", type=Path, metavar="BAG",
                        help="a bag written by publish, e.g. build/archive/nbr79")
    serve = commands.add_parser(
        "serve", help="offer the flows in the Prefect UI; runs started there execute here")
    serve.add_argument("--port", type=_checked(int, _port), default=4200,
                       help="port of the Prefect server started when PREFECT_API_URL is unset")
    deploy = commands.add_parser(
        "deploy", help="register the flows with a work pool on the server at PREFECT_API_URL")
    deploy.add_argument("--pool", default="jatsflow", help="process work pool (created if new)")
    return parser


def _house_style(profile: Path | None) -> HouseStyle:
    """The --profile file, read before any flow starts: a malformed profile is a usage error."""
    try:
        return house_style(str(profile.resolve()) if profile else "")
    except ProfileError as error:
        raise UsageError(str(error)) from None


def _publish(args: argparse.Namespace) -> int:
    _prefect_defaults()
    # Prefect's own console lines would repeat each failure with a traceback; the run's full
    # log still goes to its database and the UI. PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL=INFO
    # brings them back.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    options = Options(args.max_pages, args.max_mb * MB, args.stage_timeout, not args.no_reuse,
                      style=_house_style(args.profile), page_size=args.page_size)
    home = Path(os.environ["PREFECT_HOME"])
    ServerRegistry(home).stop_orphans()  # left by a run killed with -9
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server = EmbeddedServer(home)

    def cleanup() -> None:
        # the server, Dask workers, Chromium, Java: all asked at once, so that the whole
        # takes one grace period, then the server's pid file and log go
        stop_descendants()
        if server is not None:
            server.stop()

    # Registered before Prefect is imported, so it runs after Prefect's own exit handlers,
    # which still send the last logs and events to the server.
    atexit.register(cleanup)
    with on_signals(cleanup):
        try:
            if server is not None:
                with database_lock(home) as new_database:
                    server.start()
                    if new_database:
                        server.wait_ready()
                os.environ["PREFECT_API_URL"] = server.api_url  # for Prefect and the workers
            from flows import publish  # Prefect and the pipeline load while the server boots

            if server is not None:
                server.wait_ready()
        except ServerStartError as exc:
            print(f"jatsflow: {exc}", file=sys.stderr)
            return 1
        return _off_the_main_thread(lambda: _run_publish(publish, args, options))


def _off_the_main_thread(run: Callable[[], int]) -> int:
    """`run()` on a thread of its own while the main thread only waits. Prefect's flow engine,
    run on the main thread, replaces the SIGTERM handler with one that first reports the run
    as crashed and waits for the running stages (minutes in a batch); off the main thread it
    cannot install it, and `on_signals` keeps the signals."""
    result: list[int] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(run())
        except BaseException as exc:  # handed to the main thread as it is
            errors.append(exc)

    worker = threading.Thread(target=target, name="jatsflow-run")
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.5)  # wakes up for signals
    if errors:
        raise errors[0]
    return result[0]


def _run_publish(publish: Any, args: argparse.Namespace, options: Options) -> int:
    parameters = {"out_dir": str(args.out), "max_pages": options.max_pages,
                  "max_bytes": options.max_bytes, "stage_timeout": options.stage_timeout,
                  "reuse": options.reuse, "page_size": options.page_size,
                  "profile": str(args.profile.resolve()) if args.profile else ""}
    if len(args.pdfs) == 1 and not args.pdfs[0].is_dir() and not args.workers:
        pdf = args.pdfs[0]
        outcomes = [publish.outcome(
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
        outcomes = [Outcome(**row) for row in rows]
        print(summary_table(outcomes))
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
        report = json.loads(report_file.read_text(encoding="utf-8"))
        stem = report.get("stem") or Path(report["source"]).stem  # before safe file names
        report = check_outputs(folder, stem)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(report["summary"].items()))
        print(f"{folder}: {counts} — see {folder / 'accessibility.html'}")
        worst = max(worst, int("fail" in report["summary"]))
    return worst


def _render(args: argparse.Namespace) -> int:
    """Every output and the accessibility report for each JATS file; 1 if any file could not
    be rendered or any check fails."""
    from flows.checkers import close_checkers
    from flows.render_all import render_outputs

    worst = 0
    try:
        for path in args.files:
            folder = args.out / path.stem
            try:
                report = render_outputs(path, folder, page_size=args.page_size or None)
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "publish": _publish, "check": _check, "verify": _verify, "serve": _serve,
    "deploy": _deploy, "render": _render}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        from flows.validate import run_validate

        return run_validate(args.files, args.json)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"jatsflow: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except JatsflowError as exc:
        print(f"jatsflow: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
