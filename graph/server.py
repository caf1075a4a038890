"""The local Neo4j: provisioned from Maven Central, run from its own jars.

``python -m graph.server start|stop|status|env|shell``

The server is Neo4j Community (see ``graph/neo4j-pom.xml`` for the version),
copied once by ``mvn dependency:copy-dependencies`` into ``.cache/`` and started
as ``java -cp '<lib>/*' org.neo4j.server.CommunityEntryPoint``. It listens on
127.0.0.1 only, with authentication on and a generated password kept in a
0600 file; its data, logs and config live under ``<data dir>/neo4j``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.db import GraphConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POM = Path(__file__).resolve().parent / "neo4j-pom.xml"
SHELL_POM = Path(__file__).resolve().parent / "cypher-shell-pom.xml"
USER = "neo4j"


def neo4j_version() -> str:
    """The Neo4j version pinned in the Maven file."""
    return _pom_property(POM, "neo4j.version")


def cache_dir() -> Path:
    return Path(os.environ.get("PEERGRAPH_CACHE_DIR", PROJECT_ROOT / ".cache"))


def data_dir() -> Path:
    return Path(os.environ.get("PEERGRAPH_DATA_DIR", PROJECT_ROOT / ".data"))


class ServerError(RuntimeError):
    """The local server could not be provisioned, started or reached."""


def new_password() -> str:
    """A random password that neo4j-admin cannot mistake for an option (no leading '-')."""
    while True:
        password = secrets.token_urlsafe(24)
        if password[0].isalnum():
            return password


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when nothing listens on it, else a port the OS hands out."""
    if preferred:
        with socket.socket() as s:
            # Neo4j binds with SO_REUSEADDR too: a port in TIME_WAIT after a restart is free for it.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def provision(quiet: bool = False) -> Path:
    """Copy the Neo4j jars (and Neo4j Browser) from Maven Central into the cache; return the lib folder."""
    return _copy_dependencies(POM, cache_dir() / f"neo4j-{neo4j_version()}" / "lib",
                              f"Neo4j {neo4j_version()}", quiet=quiet)


def provision_shell(quiet: bool = False) -> Path:
    """Copy cypher-shell and its dependencies into their own cache folder; return it."""
    version = _pom_property(SHELL_POM, "cypher-shell.version")
    return _copy_dependencies(SHELL_POM, cache_dir() / f"cypher-shell-{version}" / "lib",
                              f"cypher-shell {version}", quiet=quiet)


def _pom_property(pom: Path, name: str) -> str:
    match = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", pom.read_text())
    assert match, f"no <{name}> in {pom}"
    return match.group(1)


def _copy_dependencies(pom: Path, lib: Path, what: str, *, quiet: bool) -> Path:
    """``mvn dependency:copy-dependencies`` of ``pom`` into ``lib``, unless ``lib`` came from this very pom.

    The marker holds the pom's digest, so a pom that gains a dependency (Neo4j Browser did) refreshes
    a cache made before it; the new folder is built aside and swapped in, never half-written.
    """
    marker = lib / ".complete"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    with contextlib.suppress(OSError):
        if marker.read_text().strip() == digest:
            return lib
    if not shutil.which("mvn"):
        raise ServerError(f"Maven (mvn) is needed once to fetch {what} from Maven Central; install it or set NEO4J_URI")
    if not shutil.which("java"):
        raise ServerError(f"Java 17+ is needed to run {what}; install it or set NEO4J_URI")
    if not quiet:
        print(f"Fetching {what} from Maven Central into {lib} (once) ...", file=sys.stderr)
    lib.parent.mkdir(parents=True, exist_ok=True)
    tmp = lib.with_name("lib.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = ["mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
           f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerError(f"mvn could not fetch {what}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    tmp.mkdir(exist_ok=True)  # Maven makes it only when there is something to copy
    (tmp / ".complete").write_text(digest + "\n")
    # A server already running from the old folder keeps its open jars (unlinked files stay readable).
    old = lib.with_name("lib.old")
    shutil.rmtree(old, ignore_errors=True)
    if lib.exists():
        lib.rename(old)
    tmp.rename(lib)
    shutil.rmtree(old, ignore_errors=True)
    return lib


@dataclass
class ServerInfo:
    """What a running local server is: written to ``server.json`` beside its data."""

    pid: int
    bolt_port: int
    http_port: int
    home: str
    version: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


JVM_OPTIONS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
]


@dataclass
class Settings:
    """Memory, limits and connectors written into ``neo4j.conf``; all but ``http`` have a ``PEERGRAPH_NEO4J_*``
    variable."""

    heap: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_HEAP", "1g"))
    pagecache: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_PAGECACHE", "512m"))
    tx_timeout: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_TX_TIMEOUT", "120s"))
    tx_memory: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_TX_MEMORY", "1g"))
    # More JVM flags for Neo4j and neo4j-admin, space-separated, after the project's own (so they win). The
    # test suite sets -XX:TieredStopAtLevel=1: its servers live for minutes on small graphs, where C2's
    # compiling costs more than it gains (a start took 40 % less CPU).
    jvm_options: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_JVM_OPTIONS", ""))
    # dbms.cypher.min_replan_interval: how old a cached plan must be before a change in the counts may replan it
    # (Neo4j's default, 10s). The test suite sets 1h: it empties and refills the graph test after test, so every
    # plan went stale again and again (a fifth of the suite's CPU was replanning); the loader's queries carry the
    # hints that keep a plan made on a young graph good (tests/test_query_plans.py).
    replan_interval: str = field(default_factory=lambda: os.environ.get("PEERGRAPH_NEO4J_REPLAN_INTERVAL", "10s"))
    # The HTTP connector (Neo4j Browser, its discovery document). Only servers that nobody browses leave it out,
    # such as the tests' own: Jetty's start is about 1 s of a start's 10 s of CPU.
    http: bool = True


class LocalServer:
    """A Neo4j process whose home (config, data, logs, password) is ``home``."""

    def __init__(self, home: Path | None = None, settings: Settings | None = None) -> None:
        # Absolute: Neo4j runs with the home as its working folder, so a relative path would resolve twice.
        self.home = (Path(home) if home else data_dir() / "neo4j").absolute()
        self.settings = settings or Settings()
        self._proc: subprocess.Popen[bytes] | None = None  # kept so that stop() can reap our own child

    # -- files -------------------------------------------------------------
    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def info_file(self) -> Path:
        return self.home / "server.json"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    def password(self) -> str:
        return self.password_file.read_text().strip()

    def info(self) -> ServerInfo | None:
        """The running server's info, or None when it is not running."""
        try:
            info = ServerInfo(**json.loads(self.info_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if not _alive(info.pid):
            return None
        return info

    def _check_writable(self) -> None:
        """Raise ServerError unless Neo4j can write its home and every folder and file of its data.

        Checked before Java starts, so that a read-only, full or immutable folder (``chattr +i``
        stops root, chmod does not), or a file where a folder belongs, is one clear line and not a
        Java stack trace at the end of the log.
        """
        existing = self.home
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent  # mkdir creates the rest: this one must take new folders
        tops = [existing]
        if existing == self.home:
            tops += [p for p in (self.home / "data", self.home / "logs", self.home / "run") if p.exists()]
        for top in tops:
            if not top.is_dir():
                raise ServerError(f"the Neo4j home needs {top} to be a folder, but it is a file; move it away or "
                                  "set PEERGRAPH_DATA_DIR to another folder")
        walks: list[tuple[str, list[str], list[str]]] = [(str(existing), [], [])]
        walks += [w for top in tops[1:] for w in os.walk(top)]
        for folder, _, files in walks:
            probe = Path(folder) / ".peergraph-write-probe"
            try:
                with open(probe, "wb") as fh:
                    fh.write(b"x")
                probe.unlink()
            except OSError as exc:
                raise ServerError(_unwritable(Path(folder), exc)) from exc
            for name in files:  # an immutable file, or a read-only mount (not a mode: Neo4j sets its own)
                try:
                    os.close(os.open(Path(folder) / name, os.O_WRONLY | os.O_APPEND))
                except OSError as exc:
                    if exc.errno in (errno.EPERM, errno.EROFS):
                        raise ServerError(_unwritable(Path(folder) / name, exc)) from exc

    def _previous_ports(self) -> tuple[int | None, int | None]:
        """The Bolt and HTTP ports of the last start, from its neo4j.conf (None when never started)."""
        try:
            text = (self.home / "conf" / "neo4j.conf").read_text()
        except OSError:
            return None, None
        found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=127\.0\.0\.1:(\d+)$", text, re.M))
        return (int(found["bolt"]) if "bolt" in found else None, int(found["http"]) if "http" in found else None)

    def _write_config(self, bolt_port: int, http_port: int) -> Path:
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        s = self.settings
        (conf / "neo4j.conf").write_text(
            "# Written by graph/server.py on every start; edit the PEERGRAPH_NEO4J_* variables instead.\n"
            "server.default_listen_address=127.0.0.1\n"
            "server.default_advertised_address=127.0.0.1\n"
            f"server.bolt.listen_address=127.0.0.1:{bolt_port}\n"
            f"server.http.listen_address=127.0.0.1:{http_port}\n"
            # Neo4j Browser connects to the Bolt address the server advertises (7687 unless told).
            f"server.bolt.advertised_address=127.0.0.1:{bolt_port}\n"
            f"server.http.advertised_address=127.0.0.1:{http_port}\n"
            "server.https.enabled=false\n"
            f"server.http.enabled={'true' if s.http else 'false'}\n"
            "dbms.security.auth_enabled=true\n"
            "dbms.usage_report.enabled=false\n"
            f"server.directories.data={self.home / 'data'}\n"
            f"server.directories.logs={self.home / 'logs'}\n"
            f"server.directories.import={self.home / 'import'}\n"
            f"server.directories.run={self.home / 'run'}\n"
            f"server.memory.heap.initial_size={s.heap}\n"
            f"server.memory.heap.max_size={s.heap}\n"
            f"server.memory.pagecache.size={s.pagecache}\n"
            f"db.transaction.timeout={s.tx_timeout}\n"
            f"db.memory.transaction.max={s.tx_memory}\n"
            "db.logs.query.enabled=OFF\n"
            f"dbms.cypher.min_replan_interval={s.replan_interval}\n"
            # While a request runs Neo4j sends a NOOP every second and tells the driver to drop a
            # connection silent for 3 s (the connection.recv_timeout_seconds hint): a Neo4j that hangs
            # gets a 503 after about 10 s (with the retries) instead of requests that never end, and
            # long queries stay alive.
            "server.bolt.connection_keep_alive=1s\n"
            "server.bolt.connection_keep_alive_probes=3\n"
            "server.bolt.connection_keep_alive_streaming_scheduling_interval=200ms\n"
            "dbms.security.procedures.unrestricted=\n"
            # On stop, Bolt's two event loop groups each waited out a 5 s quiet period after the databases had
            # already closed, with nothing left to serve: a stop took 12 s, now 2 s (Ctrl-C on `make run` too).
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0\n"
        )
        return conf

    def _java(self, lib: Path, main: str, *args: str, heap: str | None = None) -> list[str]:
        java = shutil.which("java") or "java"
        memory = [f"-Xms{heap}", f"-Xmx{heap}"] if heap else []
        return [java, *memory, *JVM_OPTIONS, *self.settings.jvm_options.split(), "-cp", f"{lib}/*", main, *args]

    def _set_initial_password(self, lib: Path, conf: Path) -> None:
        password = new_password()
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}
        done = subprocess.run(
            self._java(lib, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", password),
            env=env, capture_output=True, text=True, cwd=self.home,
        )
        if done.returncode != 0:
            raise ServerError(f"could not set the initial password: {_cause(done.stderr)} (home {self.home})")
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # the mode given to open() only applies to a new file, not an older one
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")

    # -- lifecycle ---------------------------------------------------------
    def start(self, *, bolt_port: int | None = 7687, http_port: int | None = 7474,
              timeout: float = 120.0, quiet: bool = False, owned: bool = False) -> ServerInfo:
        """Start the server (or return the running one) and wait until Bolt answers.

        ``owned``: the server lives only as long as this process (``app.py run``, a load that
        started it), so Linux stops it (SIGTERM) when this process dies, even by SIGKILL.
        Interrupted while waiting (Ctrl-C, SIGTERM), the server it launched is stopped again.
        """
        running = self.info()
        if running:
            return running
        lib = provision(quiet=quiet)
        try:
            self._check_writable()
            self.home.mkdir(parents=True, exist_ok=True)
            os.chmod(self.home, 0o700)
            # A restarted server keeps its ports, so clients that knew it find it again.
            previous = self._previous_ports()
            bolt = free_port(previous[0] or bolt_port)
            http = free_port(previous[1] or (http_port if http_port != bolt else None))
            if http == bolt:
                http = free_port(None)
            conf = self._write_config(bolt, http)
            if not self.password_file.exists() or not (self.home / "data" / "dbms" / "auth.ini").exists():
                self._set_initial_password(lib, conf)
            (self.home / "logs").mkdir(exist_ok=True)
            log = open(self.log_file, "ab")  # noqa: SIM115 - closed right after the Popen below
        except OSError as exc:
            raise ServerError(_unwritable(Path(exc.filename or self.home), exc)) from exc
        with log:
            proc = subprocess.Popen(
                self._java(lib, "org.neo4j.server.CommunityEntryPoint",
                           f"--home-dir={self.home}", f"--config-dir={conf}", heap=self.settings.heap),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.home,
                # Its own session: a signal to our terminal or process group reaches us only, and we
                # stop it in order (a Neo4j stopping on its own meanwhile would fail the running load).
                start_new_session=True,
                preexec_fn=_die_with_parent if owned else None,  # noqa: PLW1509 - prctl only, no locks
                env={**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)},
            )
        self._proc = proc
        info = ServerInfo(pid=proc.pid, bolt_port=bolt, http_port=http, home=str(self.home),
                          version=neo4j_version())
        try:
            self.info_file.write_text(json.dumps(asdict(info)))
            if not quiet:
                print(f"Starting Neo4j {info.version} on {info.uri} (log: {self.log_file}) ...", file=sys.stderr)
            self._wait_for_bolt(info, proc, timeout)
        except BaseException:
            # Interrupted (a signal raises here) or failed: nobody else knows this process yet.
            with _signals_held():
                self.stop()
            raise
        return info

    def _wait_for_bolt(self, info: ServerInfo, proc: subprocess.Popen[bytes], timeout: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        deadline = time.monotonic() + timeout
        with GraphDatabase.driver(info.uri, auth=(USER, self.password())) as driver:
            while True:
                if proc.poll() is not None:
                    neo4j_log = self.home / "logs" / "neo4j.log"  # where Neo4j itself writes why it stopped
                    why = _cause(_tail(self.log_file, 200) + "\n" + _tail(neo4j_log, 300))
                    raise ServerError(f"Neo4j exited with code {proc.returncode} while starting: {why} "
                                      f"(logs: {neo4j_log}, {self.log_file})")
                try:
                    driver.verify_connectivity()
                    driver.execute_query("RETURN 1")
                    return
                except (ServiceUnavailable, SessionExpired, OSError):
                    pass
                except Exception as exc:  # noqa: BLE001 - e.g. the database still starting
                    if "DatabaseUnavailable" not in type(exc).__name__ and "unavailable" not in str(exc).lower():
                        raise
                if time.monotonic() > deadline:
                    self.stop()
                    raise ServerError(f"Neo4j did not answer on {info.uri} within {timeout:.0f}s; see {self.log_file}")
                time.sleep(0.25)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``); True if one was running.

        SIGINT and SIGTERM wait until it is done: a second signal (a supervisor repeating
        itself, Ctrl-C pressed twice) must not cut the wait short and leave Neo4j running.
        """
        with _signals_held():
            return self._stop(timeout)

    def _stop(self, timeout: float) -> bool:
        info = self.info()
        if not info:
            self.info_file.unlink(missing_ok=True)
            return False
        os.kill(info.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(info.pid):
            os.kill(info.pid, signal.SIGKILL)
        if self._proc is not None and self._proc.pid == info.pid:
            self._proc.wait()
            self._proc = None
        else:
            _reap(info.pid)
        self.info_file.unlink(missing_ok=True)
        return True

    # -- offline tools (the server must be stopped) ------------------------
    def database_dir(self, database: str = "neo4j") -> Path:
        """Where the store files of ``database`` live (absent before its first start or import)."""
        return self.home / "data" / "databases" / database

    def _admin_config(self) -> Path:
        """The config folder for neo4j-admin: the last start's neo4j.conf, written now when there is none."""
        conf = self.home / "conf"
        if not (conf / "neo4j.conf").exists():
            self.home.mkdir(parents=True, exist_ok=True)
            os.chmod(self.home, 0o700)
            bolt = free_port(7687)
            http = free_port(7474)
            if http == bolt:
                http = free_port(None)
            self._write_config(bolt, http)
        return conf

    def admin(self, *args: str, heap: str = "1g", timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin ARGS`` (``org.neo4j.cli.AdminTool`` from the provisioned jars) for this home."""
        lib = provision(quiet=True)
        conf = self._admin_config()
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}
        return subprocess.run(self._java(lib, "org.neo4j.cli.AdminTool", *args, heap=heap), env=env,
                              capture_output=True, text=True, cwd=self.home, timeout=timeout)

    def import_full(self, nodes: list[tuple[str, list[Path]]], relationships: list[tuple[str, list[Path]]],
                    *, database: str = "neo4j", options: list[str] | None = None,
                    heap: str = "1g") -> str:
        """``neo4j-admin database import full`` of CSV files into ``database``, replacing its store.

        ``nodes``/``relationships`` are (label or type, [header file, data files...]). The server
        must be stopped (ServerError otherwise, or when the import fails); returns the tool's output.
        """
        if self.info():
            raise ServerError(f"the local Neo4j (home {self.home}) is running; stop it before an offline import")
        # The database first: after --nodes/--relationships (which take several values) it would be a file.
        args = ["database", "import", "full", database, f"--report-file={self.home / 'logs' / 'import.report'}",
                "--overwrite-destination=true", *(options or [])]
        args += [f"--nodes={label}={','.join(str(f) for f in files)}" for label, files in nodes]
        args += [f"--relationships={kind}={','.join(str(f) for f in files)}" for kind, files in relationships]
        done = self.admin(*args, heap=heap)
        output = done.stdout + done.stderr
        with open(self.home / "logs" / "import.log", "a", encoding="utf-8") as log:
            log.write(output)
        if done.returncode != 0:
            raise ServerError(f"neo4j-admin database import failed (exit {done.returncode}); see "
                              f"{self.home / 'logs' / 'import.log'}:\n{output[-3000:]}")
        return output

    def env_lines(self) -> list[str]:
        """``export NEO4J_...=`` lines for the running server (for cypher-shell, notebooks, Browser)."""
        info = self.info()
        if not info:
            raise ServerError(f"no local Neo4j is running (home {self.home}); run: python -m graph.server start")
        return [
            f"export NEO4J_URI={info.uri}",
            f"export NEO4J_USER={USER}",
            f"export NEO4J_PASSWORD={self.password()}",
            "export NEO4J_DATABASE=neo4j",
        ]

    def browser_url(self) -> str | None:
        """Neo4j Browser on the running server, or None when it is not running."""
        info = self.info()
        return f"http://127.0.0.1:{info.http_port}/browser/" if info and self.settings.http else None

    def tools_hint(self) -> str:
        """Where an analyst's own tools find the running server, for the start banners."""
        return (f"Neo4j Browser at {self.browser_url()} (user {USER}, password in {self.password_file}); "
                "cypher-shell: python -m graph.server shell")


def shell_command(config: GraphConfig, *args: str) -> tuple[list[str], dict[str, str]]:
    """The cypher-shell command line for ``config``, and its environment.

    The password travels in ``NEO4J_PASSWORD``, which cypher-shell reads itself, so it never shows in
    the process list (``ps`` shows argv to everyone; a process's environment only to its owner).
    """
    lib = provision_shell(quiet=True)
    java = shutil.which("java") or "java"
    cmd = [java, "-Xmx256m", "-cp", f"{lib}/*", "org.neo4j.shell.Main",
           "--address", config.uri, "--username", config.user]
    if config.database:
        cmd += ["--database", config.database]
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_USERNAME", "NEO4J_ADDRESS", "NEO4J_URI")}
    env["NEO4J_PASSWORD"] = config.password
    return [*cmd, *args], env


def _shell(args: argparse.Namespace, extra: list[str]) -> int:
    """Replace this process by cypher-shell on the graph ``graph.connect.resolve`` names."""
    from graph.connect import local_config, resolve

    if args.file is not None and not args.file.is_file():
        raise ServerError(f"no Cypher file at {args.file}")
    config = local_config(LocalServer(args.home)) if args.home else resolve()[0]
    cmd, env = shell_command(config, *(["--file", str(args.file)] if args.file else []), *extra)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(cmd[0], cmd, env)  # the terminal, Ctrl-C and the exit code belong to cypher-shell
    return 1  # not reached


def _die_with_parent() -> None:
    """In the forked child, before exec: ask Linux for SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM noted and delivered again afterwards (main thread only; elsewhere nothing to hold).

    Handlers, not a signal mask: the kernel may hand a process signal to any thread (the
    driver's, a loader's), where a mask of the main thread does not apply.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda sig, _frame: caught.append(sig)) for sig in held}
    try:
        yield
    finally:
        for held_sig, handler in previous.items():
            if handler is not None:  # None: a handler set outside Python, which signal() cannot restore
                signal.signal(held_sig, handler)
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child is dead for our purposes
        status = Path(f"/proc/{pid}/stat").read_text().split()[2]
        return status != "Z"
    except OSError:
        return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _unwritable(path: Path, exc: OSError) -> str:
    """One line saying that Neo4j cannot write ``path``, and what to do."""
    return (f"Neo4j cannot write {path}: {exc.strerror or exc} (a read-only, full or immutable folder?); "
            "make it writable or set PEERGRAPH_DATA_DIR to another folder")


def _cause(text: str) -> str:
    """A Java failure in one line: the last two ``Caused by`` (the reason and its root), else the last error line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    causes = [line.removeprefix("Caused by: ") for line in lines if line.startswith("Caused by: ")]
    if causes:
        return (f"{causes[-2]} ({causes[-1]})" if len(causes) > 1 else causes[-1])[:500]
    errors = [line for line in lines if re.search(r"Exception|Error|ERROR", line) and not line.startswith("at ")]
    return ((errors or lines or ["no output"])[-1])[:500]


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.server", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "env", "shell"],
                        help="shell: cypher-shell on the running server (other options go to cypher-shell)")
    parser.add_argument("--home", type=Path, help="server home (default: $PEERGRAPH_DATA_DIR/neo4j)")
    parser.add_argument("-f", "--file", type=Path, help="shell: run this file of Cypher and exit")
    args, extra = parser.parse_known_args(argv)
    if (extra or args.file) and args.command != "shell":
        parser.error(f"unrecognized arguments: {' '.join(extra or ['--file'])} (only shell takes them)")
    server = LocalServer(args.home)
    try:
        if args.command == "shell":
            return _shell(args, extra)
        if args.command == "start":
            started = server.start()
            print(f"Neo4j {started.version} running on {started.uri} (pid {started.pid}); {server.tools_hint()}")
        elif args.command == "stop":
            print("stopped" if server.stop() else "not running")
        elif args.command == "status":
            info = server.info()
            if not info:
                print(f"not running (home {server.home})")
                return 3
            print(f"running: Neo4j {info.version} on {info.uri} (pid {info.pid}), home {info.home}")
        else:
            print("\n".join(server.env_lines()))
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. a home that cannot be read: one line, never a traceback
        print(f"error: {exc.strerror or exc}: {exc.filename or server.home}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
