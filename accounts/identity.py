"""Merge and split from the web (issue 11): who may do which, checked on the server, and an audit row each.

The operations are the CLI's (``loaders.corrections``): the same checks, the same stored constraints that
every later load obeys, the same redirects. Who may:

* an admin merges and splits any author;
* the verified owner of a profile (their claim granted at L2 or L3) splits works out of it, and asks that
  another author be merged into it (a merge request): an admin approves (the merge is made) or rejects it,
  because a merge takes works from a profile that is not theirs.

Each operation done writes an ``Audit`` row in the account store (actor, author, what moved); nothing about
the account goes into Neo4j. A refused correction raises ``IdentityError`` (nothing changed), a missing right
``AccountError`` (401/403).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from accounts import service
from accounts.merges import follow_merges
from accounts.models import Audit, MergeRequest, utcnow
from accounts.store import AccountError, AccountView, Store
from graph import accounts as graph_accounts
from graph.db import Graph
from graph.errors import NotFound
from loaders import corrections

OWNER_LEVELS = ("L2", "L3")


def verified_owner(store: Store, account: AccountView, author_id: str) -> bool:
    """Whether ``account`` holds the granted claim (L2 or L3) on ``author_id``."""
    claim = store.author_claim(author_id)
    return (claim is not None and claim.account_id == account.id and claim.status == "claimed"
            and claim.level in OWNER_LEVELS)


def may_split(store: Store, account: AccountView | None, author_id: str) -> bool:
    return account is not None and (account.role == "admin" or verified_owner(store, account, author_id))


def _audit(store: Store, account: AccountView, action: str, author_id: str, detail: dict[str, object]) -> None:
    with store.tx() as s:
        s.add(Audit(actor=str(account.id), action=action, account_id=account.id, author_id=author_id,
                    detail=json.dumps(detail, sort_keys=True)))


def _signed_in(account: AccountView | None) -> AccountView:
    if account is None:
        raise AccountError("not_signed_in", "sign in first (POST /api/account/login)", status=401)
    return account


def split(store: Store, db: Graph, account: AccountView | None, author_id: str,
          papers: Sequence[str]) -> corrections.SplitResult:
    """Split ``papers`` off ``author_id`` into a new person, for an admin or the profile's verified owner."""
    account = _signed_in(account)
    if not may_split(store, account, author_id):
        raise AccountError("forbidden", f"only an admin or the verified owner of {author_id} (a claim granted at L2 "
                                        "or L3) may split works off it", status=403)
    result = corrections.split(db, author_id, papers)
    _audit(store, account, "identity.split", author_id,
           {"papers": sorted(set(papers)), "new_person": result.person, "moved": result.moved,
            "role": "admin" if account.role == "admin" else "owner"})
    if result.person is not None:
        service.refresh_author(store, db, author_id)  # fewer works: the trust snapshot changes
    return result


def merge(store: Store, db: Graph, account: AccountView | None, source: str, into: str, *,
          request: int | None = None) -> corrections.MergeResult:
    """Merge ``source`` into ``into`` (an admin only: it moves works between profiles that may have owners)."""
    account = _signed_in(account)
    if account.role != "admin":
        raise AccountError("forbidden", "only admins may merge two authors", status=403)
    result = corrections.merge(db, source, into)
    _audit(store, account, "identity.merge", source,
           {"into": into, "survivor": result.survivor, "moved": result.moved, "already": result.already})
    # Follows, open claims, watches and pending requests on the old id move to the survivor (also when the
    # merge was made before: a failure between the graph write and here is mended by doing it again).
    follow_merges(store, db, actor=str(account.id), deciding=request)
    if not result.already:
        service.refresh_author(store, db, result.survivor)
    return result


# -- merge requests ----------------------------------------------------------------------------------------------
MAX_NOTE = 2000


@dataclass(frozen=True)
class MergeRequestView:
    """A request that ``source`` is merged into ``author`` (the requester's profile)."""

    id: int
    author: str
    source: str
    status: str
    note: str
    reason: str | None
    created_at: str
    decided_at: str | None


def _view(r: MergeRequest) -> MergeRequestView:
    return MergeRequestView(r.id, r.author_id, r.source_id, r.status, r.note, r.reason,
                            r.created_at.isoformat() + "Z", r.decided_at.isoformat() + "Z" if r.decided_at else None)


def request_merge(store: Store, db: Graph, account: AccountView | None, author_id: str, source: str,
                  note: str | None) -> MergeRequestView:
    """The verified owner of ``author_id`` asks that ``source`` is merged into it; an admin decides."""
    account = _signed_in(account)
    if not verified_owner(store, account, author_id):
        raise AccountError("forbidden", f"only the verified owner of {author_id} (a claim granted at L2 or L3) may "
                                        "ask to merge another author into it", status=403)
    source = source.strip()
    if source == author_id:
        raise corrections.IdentityError(f"cannot merge {source} into itself")
    try:
        graph_accounts.claim_facts(db, source)
    except NotFound:
        raise corrections.UnknownAuthor(f"no author has the id {source!r}") from None
    with store.tx() as s:
        pending = s.scalar(select(MergeRequest).where(MergeRequest.author_id == author_id,
                                                      MergeRequest.source_id == source,
                                                      MergeRequest.status == "pending"))
        if pending is not None:
            raise AccountError("already_requested", f"a request to merge {source} into {author_id} is already "
                                                    f"waiting for an admin (request {pending.id})", status=409)
        row = MergeRequest(account_id=account.id, author_id=author_id, source_id=source,
                           note=(note or "").strip()[:MAX_NOTE])
        s.add(row)
        s.flush()
        s.add(Audit(actor=str(account.id), action="identity.merge_requested", account_id=account.id,
                    author_id=author_id, detail=json.dumps({"request": row.id, "source": source}, sort_keys=True)))
        return _view(row)


def merge_requests(store: Store, account: AccountView | None, status: str | None) -> list[MergeRequestView]:
    account = _signed_in(account)
    if account.role != "admin":
        raise AccountError("forbidden", "only admins may review merge requests", status=403)
    with store.tx() as s:
        query = select(MergeRequest).order_by(MergeRequest.created_at, MergeRequest.id)
        if status:
            query = query.where(MergeRequest.status == status)
        return [_view(r) for r in s.scalars(query)]


def decide_merge(store: Store, db: Graph, account: AccountView | None, request_id: int, decision: str,
                 reason: str) -> tuple[MergeRequestView, corrections.MergeResult | None]:
    """An admin approves (the merge is made, then the request is closed) or rejects a pending request. A merge
    the graph refuses raises ``IdentityError`` and leaves the request pending."""
    account = _signed_in(account)
    if account.role != "admin":
        raise AccountError("forbidden", "only admins may decide merge requests", status=403)
    if not reason.strip():
        raise AccountError("missing_reason", "'reason' is required: it is kept with the decision")
    with store.tx() as s:
        # Beyond a 64-bit integer SQLite cannot even look: no request has such an id.
        row = s.get(MergeRequest, request_id) if 0 < request_id < 2**63 else None
        if row is None:
            raise AccountError("not_found", f"no merge request has the id {request_id}", status=404)
        if row.status != "pending":
            raise AccountError("bad_state", f"merge request {request_id} is {row.status} already", status=409)
        source, into = row.source_id, row.author_id
    result = merge(store, db, account, source, into, request=request_id) if decision == "approve" else None
    with store.tx() as s:
        row = s.get_one(MergeRequest, request_id)
        row.status = "approved" if result else "rejected"
        row.reason, row.decided_at = reason.strip()[:MAX_NOTE], utcnow()
        s.add(Audit(actor=str(account.id), action=f"identity.merge_{row.status}", account_id=row.account_id,
                    author_id=into, detail=json.dumps({"request": row.id, "source": source}, sort_keys=True)))
        return _view(row), result
