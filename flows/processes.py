"""Nothing left running: the helper processes a run starts end with it, however it ends.

- ``ServerRegistry``: a pid file under PREFECT_HOME for each embedded Prefect server, naming the
  run that owns it. A run killed with -9 cannot stop its server; the next run finds the file,
  sees the owner gone and stops the server it left.
- ``stop_descendants``: ends every process this one started (the server, Dask workers,
  Chromium, Java), children first asked to stop, then killed.
- ``on_signals``: Ctrl-C (SIGINT) and SIGTERM end the run within seconds with one line on
  stderr and exit 130 or 143, instead of waiting for running stages and printing the
  tracebacks of clients whose server is gone.

- ``EmbeddedServer``: the run's own Prefect API server, started before Prefect is imported
  so that it boots while the pipeline's modules load, and so that its URL is in the
  environment of every process the run starts (Dask workers find it there instead of each
  starting a server of its own on the same SQLite database).

Linux only (it reads /proc, asks for a parent-death signal). Prefect is not imported here:
the server is a child process that imports it.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

STOP_GRACE_SECONDS = 3.0  # how long a helper gets to exit on SIGTERM before it is killed
SERVERS_DIR = "jatsflow-servers"


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): with
    the pid, it names one process, even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2:].split()[19])


def _alive(pid: int, started: int | None) -> bool:
    """The process `pid` that started at `started` is still there (not another on its pid)."""
    return started is not None and _start_time(pid) == started and not _zombie(pid)


def _children(pid: int) -> list[int]:
    """The children of `pid`; none if it has ended. Processes come and go while a run is
    walked (a batch's Dask workers, Chromium's helpers): an ended one must not end the walk
    (it did, with FileNotFoundError, once in four runs of the batch test under load)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    found = []
    for task in tasks:
        with contextlib.suppress(OSError, ValueError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def descendants(pid: int | None = None) -> list[int]:
    """Every process below `pid` (this one by default), parents before their children."""
    order, queue = [], _children(pid or os.getpid())
    while queue:
        child = queue.pop(0)
        order.append(child)
        queue += _children(child)
    return order


def cpu_seconds(pid: int) -> float:
    """CPU seconds used by `pid` and every process below it (the ended ones it collected
    included); 0 for a process that has ended."""
    total = 0
    for each in (pid, *descendants(pid)):
        try:
            stat = Path(f"/proc/{each}/stat").read_text()
        except OSError:
            continue
        total += sum(int(t) for t in stat[stat.rindex(")") + 2:].split()[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def stop_processes(pids: list[int], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM, then SIGKILL whatever is still there after `grace` seconds."""
    started = {pid: _start_time(pid) for pid in pids}
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if started[pid] is not None and
                 _start_time(pid) == started[pid] and not _zombie(pid)]
        time.sleep(0.05)
    for pid in alive:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    """Exited, waiting only for its parent to collect its status: as good as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def stop_descendants(grace: float = STOP_GRACE_SECONDS) -> None:
    stop_processes(descendants(), grace)


@dataclass(frozen=True)
class ServerRegistry:
    """Pid files of embedded servers, one per server, in ``<PREFECT_HOME>/jatsflow-servers``."""

    home: Path

    @property
    def folder(self) -> Path:
        return self.home / SERVERS_DIR

    def register(self, server_pid: int, url: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        owner = os.getpid()
        record = {"server": server_pid, "server_started": _start_time(server_pid),
                  "owner": owner, "owner_started": _start_time(owner), "url": url}
        path = self.folder / f"{server_pid}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        return path

    def forget(self, server_pid: int) -> None:
        (self.folder / f"{server_pid}.json").unlink(missing_ok=True)

    def stop_orphans(self) -> list[int]:
        """Stop the servers whose owning run is gone (killed with -9); forget the files of
        servers that are gone too. Returns the pids stopped."""
        stopped = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                server, owner = int(record["server"]), int(record["owner"])
            except (OSError, ValueError, KeyError, TypeError):
                path.unlink(missing_ok=True)
                continue
            if _alive(owner, record.get("owner_started")):
                continue  # its run is still going
            if _alive(server, record.get("server_started")):
                stop_processes([server])
                stopped.append(server)
            path.unlink(missing_ok=True)
        return stopped


INTERRUPT_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number


@contextlib.contextmanager
def on_signals(cleanup: Callable[[], None]) -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM end the process at once: one line on stderr,
    `cleanup()` (stop the server and helpers), exit 130 or 143.

    Prefect would otherwise wait for every running stage on its threads (a minute and more),
    while its clients log a traceback for each call to a server that Ctrl-C already stopped.
    The run's partial folder is left for the next run to sweep; its lock goes with the process.
    """
    def interrupted(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        name = "interrupted" if signum == signal.SIGINT else "terminated"
        print(f"jatsflow: {name}, stopping", file=sys.stderr, flush=True)
        # Logs still on their way to the server being stopped cannot arrive; the stdlib
        # switch Prefect's log worker honours keeps their errors off the one-line stderr.
        logging.raiseExceptions = False
        try:
            cleanup()
        finally:
            os._exit(INTERRUPT_EXIT[signal.Signals(signum)])

    previous = {sig: signal.signal(sig, interrupted) for sig in INTERRUPT_EXIT}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- the embedded Prefect server ------------------------------------------------------------

STARTUP_TIMEOUT_VARIABLE = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_TIMEOUT = 180.0  # seconds; a first start on a new database migrates it
HEALTH_POLL_SECONDS = 0.1
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The server process: Prefect's API app (``create_app``; ephemeral: no UI, no background
# services) under uvicorn. It asks the kernel for SIGTERM when its parent dies, so even a run
# killed with -9 takes its server with it; it exits at once if that parent is already gone.
_SERVE = f"""
import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl({_PR_SET_PDEATHSIG}, signal.SIGTERM)
if os.getppid() != int(sys.argv[2]):
    sys.exit(0)
import uvicorn
from prefect.server.api.server import create_app
uvicorn.run(create_app(ephemeral=True, final=True), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="error", lifespan="on")
"""


class ServerStartError(RuntimeError):
    """The embedded server did not answer in time; the message names its log."""


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class EmbeddedServer:
    """One Prefect API server for one run, on a free loopback port, registered under
    PREFECT_HOME so that the next run can stop it if this one cannot.

    ``start`` only launches it: the caller imports Prefect and the pipeline while the server
    boots (the two take about as long), then calls ``wait_ready``. Start it from the main
    thread: the kernel's parent-death signal follows the thread that started the process."""

    def __init__(self, home: Path) -> None:
        self.registry = ServerRegistry(home)
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log = home / SERVERS_DIR / "server.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        self.registry.folder.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.log = self.registry.folder / f"server-{self.port}.log"
        env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
        with self.log.open("wb") as log:
            # a session of its own: Ctrl-C in the terminal reaches this run, which stops the
            # server itself, after its last call, instead of the server dying mid-call
            self.process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, str(self.port), str(os.getpid())],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                start_new_session=True)
        self.registry.register(self.process.pid, self.api_url)

    def wait_ready(self) -> str:
        """Block until the server answers; its API URL. ServerStartError if it never does."""
        assert self.process is not None, "start() first"
        timeout = float(os.environ.get(STARTUP_TIMEOUT_VARIABLE) or DEFAULT_STARTUP_TIMEOUT)
        deadline = time.monotonic() + timeout
        while not healthy(self.api_url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                lines = self.log.read_text(errors="replace").strip().splitlines()
                self.stop(keep_log=True)
                raise ServerStartError(
                    f"the embedded Prefect server did not start in {timeout:g} s "
                    f"({lines[-1] if lines else 'no output'}; log: {self.log})")
            time.sleep(HEALTH_POLL_SECONDS)
        return self.api_url

    def stop(self, keep_log: bool = False) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                stop_processes([self.process.pid])
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_GRACE_SECONDS)
            self.registry.forget(self.process.pid)
            self.process = None
        if not keep_log:
            self.log.unlink(missing_ok=True)


@contextlib.contextmanager
def database_lock(home: Path) -> Iterator[bool]:
    """For a new PREFECT_HOME, the first run creates the database while the others wait:
    the server migrates its SQLite database on start without a lock of its own, and four
    runs started at once on a new home race on the same ALTER TABLE. Yields True when the
    holder must start its server (and wait for it) before letting go."""
    home.mkdir(parents=True, exist_ok=True)
    ready = home / f".jatsflow-database-ready-{importlib.metadata.version('prefect')}"
    if ready.exists():
        yield False
        return
    with (home / ".jatsflow-database.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        new = not ready.exists()
        yield new
        if new:
            ready.touch()
