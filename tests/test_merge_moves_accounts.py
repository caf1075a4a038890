"""Issue 11: after a merge, what the account store holds on the merged-away id follows the person.

Accounts, follows, claims and requests are written straight into a SQLite store (no password hashing); the
authors come from a publication list loaded by the project's loader. Every expectation is worked out from the
rows written here: which account follows or claims which id before the merge, and the rule (one follow per
account, two accounts' open claims make a dispute, one account keeps its stronger claim).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loader_helpers import rows
from sqlalchemy import select

from accounts import identity
from accounts.merges import follow_merges
from accounts.models import Account, Audit, Claim, ClaimWatch, Follow, FollowSetting, Invitation, MergeRequest
from accounts.store import ACTIVE, AccountView, Store, view
from graph.db import Graph
from loaders import corrections, load_files

WORKS = [
    {"title": "Graph methods for bibliographies", "year": 2024, "doi": "10.1234/m.1", "authors": ["Ada Lovelace"]},
    {"title": "Poems of science", "year": 1843, "doi": "10.1234/m.2", "authors": ["Ada Byron"]},
    {"title": "Notes on the analytical engine", "year": 1843, "doi": "10.1234/m.3", "authors": ["Ada King"]},
]


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    return sqlite_store


def account(store: Store, name: str, role: str = "user") -> AccountView:
    with store.tx() as s:
        row = Account(email=f"{name}@example.org", name=name.title(), password_hash="-", email_verified=True,
                      role=role)
        s.add(row)
        s.flush()
        return view(row)


def load(db: Graph, tmp: Path) -> dict[str, str]:
    path = tmp / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in WORKS))
    load_files(db, "works", [path], rejects=tmp / "rejects.jsonl", progress=False)
    return {r["name"]: r["id"] for r in rows(db, "MATCH (a:Author) RETURN a.name AS name, a.id AS id")}


def held(store: Store, model: type, author: str) -> set[int]:
    with store.tx() as s:
        return set(s.scalars(select(model.account_id).where(model.author_id == author)))


def claims(store: Store, author: str) -> dict[int, str]:
    """The open claims on ``author`` by account (each account has at most one open claim on an author)."""
    with store.tx() as s:
        found = [(c.account_id, c.status) for c in s.scalars(select(Claim).where(Claim.author_id == author,
                                                                                 Claim.status.in_(ACTIVE)))]
    assert len(found) == len(dict(found))
    return dict(found)


def test_follows_claims_and_requests_move_to_the_survivor(store: Store, db: Graph, tmp_path: Path) -> None:
    ids = load(db, tmp_path)
    ada, byron, king = ids["Ada Lovelace"], ids["Ada Byron"], ids["Ada King"]
    admin, fan, reader, watcher = (account(store, n) for n in ("root", "fan", "reader", "watcher"))
    owner, claimant, heir, sender = (account(store, n) for n in ("owner", "claimant", "heir", "sender"))
    store.set_role("root@example.org", "admin")
    admin = AccountView(admin.id, admin.email, admin.name, admin.email_verified, "admin", admin.orcid)
    with store.tx() as s:
        follows = {fan.id: [ada, byron], reader.id: [byron], sender.id: [king]}
        s.add_all(Follow(account_id=a, author_id=x) for a, xs in follows.items() for x in xs)
        s.add(FollowSetting(account_id=reader.id, author_id=byron, muted=True))
        s.add(ClaimWatch(account_id=watcher.id, author_id=byron))
        s.add(Claim(account_id=owner.id, author_id=ada, status="claimed", level="L2", evidence="[]"))
        s.add(Claim(account_id=owner.id, author_id=king, status="pending", evidence="[]"))
        s.add(Claim(account_id=claimant.id, author_id=byron, status="pending", evidence="[]"))
        s.add(Claim(account_id=claimant.id, author_id=king, status="rejected", evidence="[]"))  # history stays
        s.add(Claim(account_id=heir.id, author_id=king, status="claimed", level="L2", evidence="[]"))
        s.add(Invitation(sender_id=sender.id, recipient_id=heir.id, to_author_id=king, message="Shall we?"))
        s.add(MergeRequest(account_id=owner.id, author_id=ada, source_id=king))
    want_follows = {a for a, xs in follows.items() if ada in xs or byron in xs}

    # An admin merges Byron into Lovelace from the web: the follows, the mute, the watch and the claim move.
    identity.merge(store, db, admin, byron, ada)
    assert held(store, Follow, ada) == want_follows and held(store, Follow, byron) == set()
    assert held(store, FollowSetting, ada) == {reader.id} and held(store, ClaimWatch, ada) == {watcher.id}
    with store.tx() as s:
        assert s.scalar(select(FollowSetting.muted).where(FollowSetting.author_id == ada)) is True
    # Two accounts now claim one person: both wait for an admin, as for a second claim on one profile.
    assert claims(store, ada) == {owner.id: "disputed", claimant.id: "disputed"}
    assert rows(db, "MATCH (a:Author {id: $id}) RETURN a.followers AS n", id=ada) == [{"n": len(want_follows)}]

    # The CLI merges King into Lovelace in the graph only; the next follow_merges moves the rest.
    corrections.merge(db, king, ada)
    assert held(store, Follow, king) == {sender.id}
    moved = follow_merges(store, db)
    assert moved.ids == {king: ada}  # nothing live is left on Byron's id
    assert (moved.follows, moved.claims, moved.invitations, moved.merge_requests) == (1, 2, 1, 1)
    assert held(store, Follow, ada) == want_follows | {sender.id}
    # The owner's pending claim on King is the weaker of two on one person: withdrawn; the heir disputes.
    assert claims(store, ada) == {owner.id: "disputed", claimant.id: "disputed", heir.id: "disputed"}
    with store.tx() as s:
        withdrawn = s.scalars(select(Claim).where(Claim.account_id == owner.id, Claim.status == "withdrawn")).one()
        assert withdrawn.author_id == ada and str(withdrawn.reason).startswith(f"{king} was merged into {ada}")
        assert [(c.account_id, c.status) for c in s.scalars(select(Claim).where(Claim.author_id == king))] == [
            (claimant.id, "rejected")]
        assert s.scalars(select(Invitation.to_author_id)).one() == ada
        request = s.scalars(select(MergeRequest)).one()
        assert (request.author_id, request.source_id, request.status) == (ada, ada, "approved")
        moves = [(a.author_id, json.loads(a.detail)["survivor"]) for a in s.scalars(
            select(Audit).where(Audit.action == "identity.accounts_moved").order_by(Audit.id))]
    assert moves == [(byron, ada), (king, ada)]

    # Again: nothing left to move, nothing audited.
    assert not follow_merges(store, db)
    with store.tx() as s:
        assert len(s.scalars(select(Audit).where(Audit.action == "identity.accounts_moved")).all()) == 2
    text = json.dumps(rows(db, "MATCH (n) RETURN properties(n) AS p"), default=str)
    assert "@example.org" not in text
