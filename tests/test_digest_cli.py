"""``python app.py digest [--period weekly|daily]`` on the store under PEERGRAPH_DATA_DIR (no Neo4j needed)."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from accounts import feed as account_feed
from accounts.store import Store, url_for_data_dir
from app import main
from graph.feed import Change


def test_digest_command_mails_once_per_period_with_the_unsubscribe_headers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PEERGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PEERGRAPH_PUBLIC_URL", "https://pg.example.org")
    for name in ("PEERGRAPH_ACCOUNTS_URL", "PEERGRAPH_SMTP_URL", "PEERGRAPH_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    store = Store(url_for_data_dir(tmp_path))
    store.migrate()
    _, token = store.register("fan@example.org", "correct horse battery", "Fan")
    fan = store.verify_email(token).id
    store.follow(fan, "x:ada", True)
    account_feed.record(store, [Change("new_work", "x:ada", "new_work:x:ada:p1", "2024-05-01",
                                       {"paper": {"id": "p1", "title": "A new paper", "date": "2024-05-01"}},
                                       author_name="Ada")], {})

    assert main(["digest"]) == 0
    assert "digest (weekly): 1 sent (1 items)" in capsys.readouterr().err
    assert main(["digest"]) == 0
    second = capsys.readouterr().err
    assert "0 sent" in second and "1 already sent this period" in second
    mails = list((tmp_path / "outbox").glob("*.eml"))
    assert len(mails) == 1
    msg = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    assert "Ada: new work \"A new paper\" (2024-05-01)" in msg.get_content()
    assert msg["List-Unsubscribe"].strip().startswith("<https://pg.example.org/digest/unsubscribe?token=")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    store.close()
