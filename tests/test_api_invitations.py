"""``/api/invitations`` through the app, with the real Neo4j: sign-in and CSRF, each action over HTTP, mails in the
outbox, block stopping follows, reports on the admins' page, "tell me when claimed", the co-author distance rule
and a recommendation's reasons and warm-introduction path.

The graph: Ada and Bob wrote a paper together; Bob and Dan another; Dan and Eve a third; Carol wrote alone. So
Ada-Bob is one hop, Ada-Dan two (through Bob), Ada-Eve three, Ada-Carol none (and no shared topic).
"""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from accounts.models import utcnow
from accounts.store import Store
from accounts.web import EXTENSION
from graph.invitations import within_two_hops
from loaders import load_files
from tests.accounts_data import PW, csrf, outbox

WORKS = [
    {"title": "Ada and Bob", "year": 2024, "authors": ["Ada Quill", "Bob Marsh"], "categories": ["cs.DL"]},
    {"title": "Bob and Dan", "year": 2023, "authors": ["Bob Marsh", "Dan Yoon"], "categories": ["cs.DL"]},
    {"title": "Dan and Eve", "year": 2022, "authors": ["Dan Yoon", "Eve Stone"], "categories": ["cs.DL"]},
    {"title": "Carol alone", "year": 2021, "authors": ["Carol Reyes"], "categories": ["q-bio.GN"]},
]


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    """SQLite only here (the rules' queries run on PostgreSQL too in tests/test_invitations.py): keeps the file
    quick, as each account here hashes a password."""
    return sqlite_store


@pytest.fixture
def people(db, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "invite.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in WORKS))
    load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", progress=False)
    rows = db.read_tx(lambda tx: [r.data() for r in tx.run("MATCH (a:Author) RETURN a.name AS name, a.id AS id")])
    return {r["name"].split()[0]: r["id"] for r in rows}


@pytest.fixture
def later(app) -> Iterator[None]:
    """The invitation clock 8 days ahead: accounts made in the test are old enough to send."""
    app.config["INVITATIONS_CLOCK"] = lambda: utcnow() + timedelta(days=8)
    try:
        yield
    finally:
        app.config.pop("INVITATIONS_CLOCK", None)


def member(app, name: str, author: str | None = None, *, role: str = "user"):  # type: ignore[no-untyped-def]
    """A signed-in client of a confirmed account, owning ``author`` at L2 when given (filed through the store)."""
    acc = app.extensions[EXTENSION]
    address = f"{name.lower()}@example.org"
    _, token = acc.store.register(address, PW, name)
    acc.store.verify_email(token)
    if role != "user":
        acc.store.set_role(address, role)
    client = app.test_client()
    assert client.post("/api/account/login", json={"email": address, "password": PW},
                       headers=csrf(client)).status_code == 200
    if author:
        account_id = client.get("/api/account").get_json()["id"]
        acc.store.open_claim(account_id, author, level="L2", evidence=[{"kind": "test"}])
    return client


def mails(app) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(outbox(app).glob("*.eml"))]


def body(msg: email.message.Message) -> str:
    return msg.get_payload(decode=True).decode()


def test_sign_in_csrf_and_bad_input(app, acct, people, later) -> None:
    assert acct.get("/api/invitations").status_code == 401
    assert acct.post("/api/invitations", json={"to": people["Bob"], "message": "hi"},
                     headers=csrf(acct)).status_code == 401
    ada = member(app, "Ada", people["Ada"])
    member(app, "Bob", people["Bob"])
    no_token = ada.post("/api/invitations", json={"to": people["Bob"], "message": "hi"})
    assert no_token.status_code == 403 and no_token.get_json()["error"]["code"] == "csrf"
    h = csrf(ada)
    assert ada.post("/api/invitations", json={"to": people["Bob"], "message": "x" * 1001},
                    headers=h).get_json()["error"]["code"] == "bad_message"
    assert ada.post("/api/invitations", json={"to": people["Bob"], "msg": "hi"}, headers=h).status_code == 400
    assert ada.post("/api/invitations", json={"to": "name:nobody_x", "message": "hi"}, headers=h).status_code == 404
    assert ada.get("/api/invitations?box=trash").status_code == 400
    assert ada.post("/api/invitations/999/accept", headers=h).status_code == 404
    assert ada.get("/api/admin/invitation-reports").status_code == 403


def test_invite_accept_with_the_address_shared(app, acct, people, later) -> None:
    ada, bob = member(app, "Ada", people["Ada"]), member(app, "Bob", people["Bob"])
    sent = ada.post("/api/invitations", json={"to": people["Bob"], "message": "<i>Shall we?</i>"},
                    headers=csrf(ada))
    assert sent.status_code == 201, sent.get_json()
    invitation = sent.get_json()
    assert (invitation["status"], invitation["to_author"], invitation["from_author"]) == (
        "pending", people["Bob"], people["Ada"])
    notice = mails(app)[-1]
    assert notice["To"] == "bob@example.org" and "ada@example.org" not in body(notice)
    inbox = bob.get("/api/invitations?box=inbox").get_json()
    assert [(i["id"], i["message"], i["sender_name"], i["email"]) for i in inbox["invitations"]] == [
        (invitation["id"], "<i>Shall we?</i>", "Ada", None)]
    assert bob.post(f"/api/invitations/{invitation['id']}/accept", json={"share_email": "yes"},
                    headers=csrf(bob)).status_code == 400
    assert ada.post(f"/api/invitations/{invitation['id']}/accept", headers=csrf(ada)).status_code == 403
    accepted = bob.post(f"/api/invitations/{invitation['id']}/accept", json={"share_email": True},
                        headers=csrf(bob))
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    told = mails(app)[-1]
    assert told["To"] == "ada@example.org" and "bob@example.org" in body(told)
    outbox_view = ada.get("/api/invitations?box=outbox").get_json()["invitations"]
    assert outbox_view[0]["email"] == "bob@example.org"
    assert bob.get("/api/invitations").get_json()["invitations"][0]["email"] is None  # inbox is the default


def test_decline_block_report_over_http(app, acct, people, later) -> None:
    ada, bob = member(app, "Ada", people["Ada"]), member(app, "Bob", people["Bob"])
    carol = member(app, "Carol", people["Carol"])
    admin = member(app, "Root", role="admin")

    def invite(client, to: str):  # type: ignore[no-untyped-def]
        return client.post("/api/invitations", json={"to": to, "message": "hello"}, headers=csrf(client))

    first = invite(ada, people["Bob"]).get_json()
    assert bob.post(f"/api/invitations/{first['id']}/decline", headers=csrf(bob)).get_json()["status"] == "declined"
    again = invite(ada, people["Bob"])
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "declined_recently"

    to_carol = invite(ada, people["Carol"]).get_json()
    assert carol.post(f"/api/invitations/{to_carol['id']}/block", headers=csrf(carol)).status_code == 200
    assert invite(ada, people["Carol"]).get_json()["error"]["code"] == "blocked"
    follow = ada.post(f"/api/authors/{quote(people['Carol'], safe='')}/follow", headers=csrf(ada))
    assert follow.status_code == 403 and follow.get_json()["error"]["code"] == "blocked"
    assert bob.post(f"/api/authors/{quote(people['Carol'], safe='')}/follow",
                    headers=csrf(bob)).get_json() == {"followers": 1}

    spam = invite(bob, people["Ada"]).get_json()
    reported = ada.post(f"/api/invitations/{spam['id']}/report", json={"reason": "unsolicited"}, headers=csrf(ada))
    assert reported.get_json()["status"] == "reported"
    reports = admin.get("/api/admin/invitation-reports").get_json()["reports"]
    assert [(r["id"], r["sender_name"], r["reason"]) for r in reports] == [(spam["id"], "Bob", "unsolicited")]

    # The admins' review page lists it (the page's layout, rendered for the admin's session).
    from dashboards.pages import admin_claims

    cookie = admin.get_cookie("peergraph_session").value
    with app.test_request_context("/admin/claims", headers={"Cookie": f"peergraph_session={cookie}"}):
        page = str(admin_claims.layout())
    assert "Reported invitations" in page and "unsolicited" in page and "hello" in page
    assert admin.post(f"/api/admin/invitation-reports/{spam['id']}", json={"reason": "warned"},
                      headers=csrf(admin)).status_code == 200
    assert admin.get("/api/admin/invitation-reports").get_json()["reports"] == []


def test_settings_and_the_coauthor_distance(app, acct, db, people, later) -> None:
    assert within_two_hops(db, [people["Ada"]], [people["Bob"]])
    assert within_two_hops(db, [people["Ada"]], [people["Dan"]])
    assert not within_two_hops(db, [people["Ada"]], [people["Eve"]])
    assert not within_two_hops(db, [people["Ada"]], [people["Carol"]])
    ada, eve = member(app, "Ada", people["Ada"]), member(app, "Eve", people["Eve"])
    dan = member(app, "Dan", people["Dan"])
    assert dan.get("/api/invitations/settings").get_json() == {"who": "verified"}
    assert dan.put("/api/invitations/settings", json={"who": "friends"}, headers=csrf(dan)).status_code == 400
    assert dan.put("/api/invitations/settings", json={"who": "coauthors2"},
                   headers=csrf(dan)).get_json() == {"who": "coauthors2"}
    from_ada = ada.post("/api/invitations", json={"to": people["Dan"], "message": "hi"}, headers=csrf(ada))
    assert from_ada.status_code == 201
    assert eve.post("/api/invitations", json={"to": people["Ada"], "message": "hi"}, headers=csrf(eve)).status_code \
        == 201  # Ada's setting is the default
    carol = member(app, "Carol", people["Carol"])
    assert ada.put("/api/invitations/settings", json={"who": "coauthors2"}, headers=csrf(ada)).status_code == 200
    far = carol.post("/api/invitations", json={"to": people["Ada"], "message": "hi"}, headers=csrf(carol))
    assert far.status_code == 403 and far.get_json()["error"]["code"] == "not_allowed"
    bob = member(app, "Bob", people["Bob"])
    assert bob.post("/api/invitations", json={"to": people["Ada"], "message": "hi"},
                    headers=csrf(bob)).status_code == 201  # one hop


def test_tell_me_when_claimed(app, acct, people, later) -> None:
    ada = member(app, "Ada", people["Ada"])
    bob = member(app, "Bob")
    refused = ada.post("/api/invitations", json={"to": people["Carol"], "message": "hi"}, headers=csrf(ada))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_claimed"
    watched = ada.post("/api/invitations/watches", json={"author": people["Carol"]}, headers=csrf(ada))
    assert watched.status_code == 201 and watched.get_json()["notified_at"] is None
    # Bob claims Carol's profile (pending: no evidence), an admin approves it: Ada is told by mail.
    assert bob.post(f"/api/authors/{quote(people['Carol'], safe='')}/claim", headers=csrf(bob)).status_code == 202
    assert not any(m["To"] == "ada@example.org" for m in mails(app))
    admin = member(app, "Root", role="admin")
    claim_id = admin.get("/api/admin/claims?status=pending").get_json()["claims"][0]["id"]
    assert admin.post(f"/api/admin/claims/{claim_id}", json={"decision": "approve", "reason": "known"},
                      headers=csrf(admin)).get_json()["status"] == "claimed"
    told = [m for m in mails(app) if m["To"] == "ada@example.org"]
    assert len(told) == 1 and "now claimed" in told[0]["Subject"].lower() + body(told[0])
    assert ada.get("/api/invitations/watches").get_json()["watches"][0]["notified_at"] is not None
    assert ada.post("/api/invitations", json={"to": people["Carol"], "message": "hi"},
                    headers=csrf(ada)).status_code == 201


def test_from_a_recommendation_with_reasons_and_the_introduction_path(app, acct, people, later) -> None:
    ada, _dan = member(app, "Ada", people["Ada"]), member(app, "Dan", people["Dan"])
    bob = member(app, "Bob", people["Bob"])
    not_mine = bob.post("/api/invitations", json={"to": people["Dan"], "message": "hi", "via": people["Ada"]},
                        headers=csrf(bob))
    assert not_mine.status_code == 403 and not_mine.get_json()["error"]["code"] == "not_your_profile"
    sent = ada.post("/api/invitations", json={"to": people["Dan"], "message": "Bob says hi", "via": people["Ada"]},
                    headers=csrf(ada))
    assert sent.status_code == 201, sent.get_json()
    context = sent.get_json()["context"]
    # Bob is the only co-author Ada and Dan share: the path runs through him.
    assert [step["name"] for step in context["path"]] == ["Ada Quill", "Bob Marsh", "Dan Yoon"]
    assert any("Bob Marsh" in reason for reason in context["reasons"])
    far = ada.post("/api/invitations", json={"to": people["Carol"], "message": "hi", "via": people["Ada"]},
                   headers=csrf(ada))
    assert far.status_code == 400 and far.get_json()["error"]["code"] == "not_recommended"


def test_openapi_documents_the_invitation_routes(client) -> None:
    doc = client.get("/api/openapi.json").get_json()
    send = doc["paths"]["/api/invitations"]["post"]
    assert "201" in send["responses"] and "429" in send["responses"]
    assert send["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvitationRequest"}
    assert set(doc["components"]["schemas"]["InvitationRequest"]["properties"]) == {"to", "message", "via"}
    for action in ("accept", "decline", "block", "report"):
        assert "post" in doc["paths"][f"/api/invitations/{{invitation_id}}/{action}"]
