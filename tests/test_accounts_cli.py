"""``python app.py accounts make-admin EMAIL`` on the store under PEERGRAPH_DATA_DIR (no Neo4j needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.store import Store, url_for_data_dir
from app import main


def test_make_admin_promotes_an_existing_account_and_says_so_for_a_missing_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PEERGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PEERGRAPH_ACCOUNTS_URL", raising=False)
    store = Store(url_for_data_dir(tmp_path))
    store.migrate()
    store.register("root@example.org", "correct horse battery", "Root")
    assert main(["accounts", "make-admin", "Root@Example.org"]) == 0
    assert "root@example.org is now an admin" in capsys.readouterr().err
    assert store.login("root@example.org", "correct horse battery")[0].role == "admin"
    assert main(["accounts", "make-admin", "nobody@example.org"]) == 1
    assert "no account has the address 'nobody@example.org'" in capsys.readouterr().err
    assert "account.role" in [a["action"] for a in store.audit_log()]
    store.close()
