"""The feed over HTTP (401 anonymous, only your own feed, mute, read markers, followers for the verified owner)
and the e-mail digest (20-item cap, never empty, once per period, unsubscribe headers and link without login)."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from accounts import digest
from accounts import feed as account_feed
from accounts.models import utcnow
from accounts.web import EXTENSION
from graph.feed import Change
from loaders import load_files
from tests.accounts_data import csrf, outbox, sign_up
from tests.test_feed_events import AFTER, BEFORE


def _load(app, db, tmp: Path, name: str, works: list[dict]) -> None:
    path = tmp / name
    path.write_text("".join(json.dumps(w) + "\n" for w in works))
    load_files(db, "works", [path], rejects=tmp / f"{name}.rejects", progress=False,
               watch=account_feed.FeedWatch(app.extensions[EXTENSION].store))


def _id(db, name: str) -> str:
    return db.read_tx(lambda tx: tx.run("MATCH (a:Author {name: $n}) RETURN a.id AS id", n=name).single()["id"])


def test_feed_api_auth_own_feed_mute_read_and_followers(app, acct, db, tmp_path: Path) -> None:
    assert acct.get("/api/feed").status_code == 401
    _load(app, db, tmp_path, "before.jsonl", BEFORE)
    ada = _id(db, "Ada Lovelace")
    path = quote(ada, safe="")
    sign_up(acct, outbox(app), "fan@example.org", "Fan")
    other = app.test_client()
    sign_up(other, outbox(app), "other@example.org", "Other")
    assert acct.post(f"/api/authors/{path}/follow", headers=csrf(acct)).get_json() == {"followers": 1}
    _load(app, db, tmp_path, "after.jsonl", AFTER)

    mine = acct.get("/api/feed").get_json()
    new_titles = {w["title"] for w in AFTER if "Ada Lovelace" in [a["name"] for a in w["authors"]]}
    assert {e["evidence"]["paper"]["title"] for e in mine["events"] if e["type"] == "new_work"} == new_titles
    assert mine["unread"] == len(mine["events"]) and all(e["author"]["id"] == ada for e in mine["events"])
    assert other.get("/api/feed").get_json() == {"events": [], "unread": 0}  # only your own feed
    page = acct.get(f"/api/feed?limit=1&before={mine['events'][0]['id']}").get_json()["events"]
    assert [e["id"] for e in page] == [mine["events"][1]["id"]]
    assert acct.get("/api/feed?limit=0").status_code == 400

    assert acct.post("/api/feed/read").status_code == 403  # CSRF
    assert acct.post("/api/feed/read", headers=csrf(acct)).get_json() == {"marked": len(mine["events"]),
                                                                           "unread": 0}
    assert other.post(f"/api/authors/{path}/mute", headers=csrf(other)).status_code == 409  # not following
    assert acct.post(f"/api/authors/{path}/mute", headers=csrf(acct)).get_json() == {"author": ada, "muted": True}
    assert acct.get("/api/feed").get_json()["events"] == []
    acct.delete(f"/api/authors/{path}/mute", headers=csrf(acct))
    assert len(acct.get("/api/feed").get_json()["events"]) == len(mine["events"])

    # Who follows: the verified owner only.
    assert app.test_client().get(f"/api/authors/{path}/followers").status_code == 401
    assert other.get(f"/api/authors/{path}/followers").status_code == 403
    store = app.extensions[EXTENSION].store
    other_id = other.get("/api/account").get_json()["id"]
    store.open_claim(other_id, ada, level="L3", evidence=[])
    followers = other.get(f"/api/authors/{path}/followers").get_json()
    assert followers["count"] == 1 and [f["name"] for f in followers["followers"]] == ["Fan"]
    assert acct.get(f"/api/authors/{path}").get_json()["followers"] == 1  # the count is public


def _changes(author: str, n: int) -> list[Change]:
    return [Change("new_work", author, f"new_work:{author}:p{i}", f"2024-01-{i % 28 + 1:02d}",
                   {"paper": {"id": f"p{i}", "title": f"Paper {i}", "date": None}}, author_name="Ada")
            for i in range(n)]


def test_digest_cap_never_empty_once_per_period_and_unsubscribe(app, acct, db, tmp_path: Path) -> None:
    acc = app.extensions[EXTENSION]
    store = acc.store
    sign_up(acct, outbox(app), "fan@example.org", "Fan")
    quiet = app.test_client()
    sign_up(quiet, outbox(app), "quiet@example.org", "Quiet")
    daily = app.test_client()
    sign_up(daily, outbox(app), "daily@example.org", "Daily")
    fan_id = acct.get("/api/account").get_json()["id"]
    daily_id = daily.get("/api/account").get_json()["id"]
    store.follow(fan_id, "x:ada", True)
    store.follow(daily_id, "x:ada", True)
    assert daily.post("/api/account/digest", json={"period": "daily"}, headers=csrf(daily)).get_json() == {
        "period": "daily"}
    assert daily.post("/api/account/digest", json={"period": "hourly"}, headers=csrf(daily)).status_code == 400
    account_feed.record(store, _changes("x:ada", 25), {})
    before = set(outbox(app).glob("*.eml"))

    now = utcnow()
    run = digest.send_due(store, acc.mailer, acc.secret, "http://pg.test", "weekly", now=now)
    assert (run.sent, run.empty, run.already, run.items) == (1, 1, 0, [digest.MAX_ITEMS])  # quiet: nothing
    mails = sorted(set(outbox(app).glob("*.eml")) - before)
    assert len(mails) == 1
    msg = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    assert msg["To"] == "fan@example.org"
    body = msg.get_content()
    assert sum(1 for line in body.splitlines() if line.startswith("- ")) == digest.MAX_ITEMS
    assert f"and {25 - digest.MAX_ITEMS} more" in body
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = msg["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("http://pg.test/digest/unsubscribe?token=")

    again = digest.send_due(store, acc.mailer, acc.secret, "http://pg.test", "weekly", now=now)
    assert (again.sent, again.already) == (0, 1) and len(set(outbox(app).glob("*.eml")) - before) == 1
    # A week on, nothing new: no mail (never empty). The daily account gets its own.
    later = digest.send_due(store, acc.mailer, acc.secret, "http://pg.test", "weekly", now=now + timedelta(days=7))
    assert later.sent == 0 and later.empty == 2
    assert digest.send_due(store, acc.mailer, acc.secret, "http://pg.test", "daily", now=now).sent == 1

    # Unsubscribe without a session: GET asks, POST (one-click) does it; a forged token is refused.
    anonymous = app.test_client()
    target = urlsplit(link)
    asked = anonymous.get(f"{target.path}?{target.query}")
    assert asked.status_code == 200 and b"unsubscribe-confirm" in asked.data
    assert digest.get_period(store, fan_id) == "weekly"
    done = anonymous.post(f"{target.path}?{target.query}", data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and digest.get_period(store, fan_id) == "off"
    assert anonymous.post(f"{target.path}?token={fan_id}.forged").status_code == 400
    assert acct.get("/api/account/digest").get_json() == {"period": "off"}
