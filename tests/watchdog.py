"""Stop what a pytest process started when that process dies, however it dies.

Neo4j runs in its own session (``graph/server.py``: a signal to the terminal's group must not reach it),
and ``PR_SET_PDEATHSIG`` fires when the *thread* that forked it ends, not the process. So a killed
pytest-xdist run (``kill -- -PGID``, Ctrl-C twice, an OOM kill of a worker) used to leave every worker's
Neo4j running. Every process a test starts inherits the environment, so a token in it marks them:
a small watchdog, in a session of its own, waits for the pytest process to end (``pidfd``: no polling)
and then stops every process still carrying its token (SIGTERM, SIGKILL after a grace period).

``python -m tests.watchdog PID TOKEN`` runs the watchdog; ``start(token)`` launches it for this process.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

VARIABLE = "PEERGRAPH_TEST_PROCESS"


def marked(token: str) -> list[int]:
    """The pids of the processes (other than this one) whose environment holds ``VARIABLE=token``."""
    needle = f"{VARIABLE}={token}".encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to read
            if needle in (entry / "environ").read_bytes() + b"\0":
                found.append(int(entry.name))
    return found


def sweep(token: str, grace: float = 20.0) -> list[int]:
    """SIGTERM every process marked with ``token``, SIGKILL those still there after ``grace`` s; their pids.

    SIGTERM first: Neo4j then shuts down cleanly (Neo4j needs a few seconds, within ``grace``).
    """
    pids = marked(token)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and marked(token):
        time.sleep(0.2)
    for pid in marked(token):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def watch(pid: int, token: str) -> None:
    """Wait until ``pid`` has ended, then sweep ``token``."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        pass  # already gone
    else:
        select.select([fd], [], [])  # readable once the process has ended
        os.close(fd)
    sweep(token)


def start(token: str) -> subprocess.Popen[bytes]:
    """Launch the watchdog of this process, in a session of its own (a signal to our group must spare it).

    Its own environment lacks the token: it must not count itself, nor be swept by another watchdog.
    """
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-m", "tests.watchdog", str(os.getpid()), token], env=env, cwd=root,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


if __name__ == "__main__":
    watch(int(sys.argv[1]), sys.argv[2])
