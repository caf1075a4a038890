"""Fixtures of the account store: the same tests run against SQLite and a real PostgreSQL server.

PostgreSQL is Debian's ``postgresql`` package (``make postgres`` installs it), started once per test session
on a free port in a temporary folder; as root it runs as the ``postgres`` user, because it refuses root.
Each test gets a new, migrated database. ``PEERGRAPH_TEST_POSTGRES_URL`` points at a server of your own
instead (its databases named ``peergraph_t_*`` are created and dropped).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from accounts.store import Store


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert found, "PostgreSQL is not installed: run `make postgres` (Debian's postgresql package)"
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """``postgresql+psycopg://`` URL of a server's maintenance database."""
    given = os.environ.get("PEERGRAPH_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_dir = _pg_bin()
    home = Path(tempfile.mkdtemp(prefix="peergraph-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    data = home / "data"
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(_as_postgres([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                                            "-h", "127.0.0.1", "-k", str(home), "-c", "fsync=off"]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres").close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("PostgreSQL did not start within 30 s") from None
                time.sleep(0.2)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def _new_postgres_database(url: str) -> str:
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"peergraph_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
                         dbname=parsed.database, autocommit=True) as conn:
        # A database name cannot be a parameter: psycopg quotes it as an identifier.
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """A new, migrated account store on SQLite only (rights and rules whose queries ``store`` runs on both)."""
    st = Store(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    st.migrate()
    try:
        yield st
    finally:
        st.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A new, migrated account store on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'accounts.sqlite3'}"
    else:
        url = _new_postgres_database(request.getfixturevalue("postgres_url"))
    st = Store(url)
    st.migrate()
    try:
        yield st
    finally:
        st.close()


@pytest.fixture
def acct(app, db, store: Store, tmp_path: Path) -> Iterator:
    """The suite's app with this test's store, outbox and ROR fixture; a fresh client and rate counters."""
    from accounts.ror import RorIndex
    from accounts.web import EXTENSION
    from tests.accounts_data import ROR_DIR

    acc = app.extensions[EXTENSION]
    saved = acc.store, acc.mailer.outbox, acc.ror
    acc.store, acc.mailer.outbox, acc.ror = store, tmp_path / "outbox", RorIndex.from_dir(ROR_DIR)
    acc.limiter.reset()
    try:
        yield app.test_client()
    finally:
        acc.store, acc.mailer.outbox, acc.ror = saved
