"""Stopping ``app.py run`` stops the Neo4j it started, however the signal comes.

A real ``python app.py run`` in its own process group (as ``make run`` in a
terminal or under a supervisor is), with its own data folder and a free port;
the signal goes to the process or to its whole group, while it serves or while
it loads the sample; afterwards the Neo4j Java process must be gone.

Every case runs ``app.py run`` in one data folder of the module, in turn, as ``make run`` runs day after day:
each case's app starts a Neo4j process of its own there (a new pid, read from that start's server.json), and
that process must be gone after the signal. Only the first case pays for a new home (neo4j-admin setting the
password, the system and neo4j databases created): about 2.5 s of CPU of a case's 15-17 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.server import PROJECT_ROOT, free_port

# How long Neo4j may take to stop after app.py exits (a clean shutdown checkpoints the store).
STOP_WITHIN = 90.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}  # the local server, not another
    env.update(PEERGRAPH_DATA_DIR=str(tmp_path / "data"), PEERGRAPH_CACHE_DIR=str(PROJECT_ROOT / ".cache"),
               PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "app.py", "run", "--port", str(free_port(None)), *args],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _wait_for(proc: subprocess.Popen[str], text: str, timeout: float = 240.0) -> list[str]:
    """stderr lines up to the first that contains ``text``."""
    assert proc.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            pytest.fail(f"app.py exited ({proc.wait()}) before {text!r}: {''.join(seen)[-2000:]}")
        seen.append(line)
        if text in line:
            return seen
    pytest.fail(f"no {text!r} within {timeout:.0f} s: {''.join(seen)[-2000:]}")


def _neo4j_pid(tmp_path: Path) -> int:
    return int(json.loads((tmp_path / "data" / "neo4j" / "server.json").read_text())["pid"])


def _stop_and_check(proc: subprocess.Popen[str], pid: int, sig: signal.Signals, group: bool) -> None:
    assert _alive(pid), "Neo4j should run before the signal"
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=STOP_WITHIN)
    finally:
        if proc.poll() is None:
            proc.kill()
    # A repeated signal once surfaced at shutdown as "Exception ignored in Popen.__del__ ... SystemExit".
    assert "Traceback" not in err and "Exception ignored" not in err, err[-2000:]
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)  # leave no Java behind, whatever the verdict
    assert not alive, f"Neo4j (pid {pid}) still runs after {sig.name} to the {'group' if group else 'process'}"


SIGNALS = [signal.SIGINT, signal.SIGTERM]
GROUP = [False, True]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder every case's ``app.py run`` uses, one case after another (never two at once)."""
    return tmp_path_factory.mktemp("stop")


@contextlib.contextmanager
def _app(folder: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """``app.py run ARGS`` in ``folder``; afterwards no app and no Neo4j of it is left, whatever the verdict.

    The next case starts its Neo4j in the same home: one left running would be found and reused by it.
    """
    proc = _start(folder, *args)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
        try:
            pid = _neo4j_pid(folder)
        except (OSError, ValueError, KeyError):
            pid = None
        if pid is not None and _alive(pid):
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)


@pytest.mark.parametrize("group", GROUP, ids=["process", "group"])
@pytest.mark.parametrize("sig", SIGNALS, ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_serving_stops_neo4j(folder: Path, sig: signal.Signals, group: bool) -> None:
    with _app(folder, "--no-sample") as proc:
        lines = _wait_for(proc, "peergraph is serving")
        serving = lines[-1]
        # What a newcomer reads on a start: no set-up chatter of the libraries (Alembic's plugins: seven lines).
        assert not [line for line in lines if "alembic.runtime.plugins" in line], "".join(lines)[-2000:]
        # Its own Neo4j, not one a case before left running in this home (the app would reuse that one).
        assert "and the Neo4j it started" in serving, serving
        _stop_and_check(proc, _neo4j_pid(folder), sig, group)


def test_sigterm_to_the_group_while_loading_the_sample_stops_neo4j(folder: Path) -> None:
    """The race of the report: the signal lands while the sample is being written (the graph is empty:
    the cases before ran with ``--no-sample``)."""
    with _app(folder) as proc:
        _wait_for(proc, "loading the bundled sample")
        time.sleep(2)  # inside the first file's write transactions
        _stop_and_check(proc, _neo4j_pid(folder), signal.SIGTERM, True)
