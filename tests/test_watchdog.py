"""tests/watchdog.py: what a killed pytest process started is stopped; nothing else is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import watchdog

ROOT = Path(__file__).resolve().parent.parent

# A stand-in for a pytest worker: marks itself, starts its watchdog, then a child in a session of its own (as
# graph/server.py starts Neo4j, out of reach of a signal to the group) and one without the mark.
PARENT = """
import os, subprocess, sys, time
from tests import watchdog
os.environ[watchdog.VARIABLE] = sys.argv[1]
watchdog.start(sys.argv[1])
marked = subprocess.Popen(["sleep", "300"], start_new_session=True)
env = {k: v for k, v in os.environ.items() if k != watchdog.VARIABLE}
unmarked = subprocess.Popen(["sleep", "300"], start_new_session=True, env=env)
print(marked.pid, unmarked.pid, flush=True)
time.sleep(300)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_process_takes_what_it_started_with_it_and_nothing_else() -> None:
    token = f"test-{os.getpid()}-{time.monotonic_ns()}"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, token], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert parent.stdout is not None
    marked, unmarked = (int(pid) for pid in parent.stdout.readline().split())
    try:
        assert watchdog.marked(token) == [marked]
        parent.send_signal(signal.SIGKILL)  # no handler, no atexit, no fixture teardown can run
        parent.wait()
        deadline = time.monotonic() + 15
        while _running(marked) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(marked), "the marked child outlived its killed parent"
        assert _running(unmarked), "the watchdog stopped a process its parent had not marked"
    finally:
        for pid in (marked, unmarked):
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        parent.stdout.close()
