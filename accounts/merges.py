"""What accounts hold about an author follows the author when it is merged away (issue 11).

A merge (an admin's, a granted merge request, the CLI's ``loaders.corrections``, or a later load) leaves the
merged-away id redirecting to the survivor in the graph. The account store keeps author ids too, and they must
not stay behind on an id whose profile now answers 301: the follows (and their mute setting), the "tell me when
this profile is claimed" watches, the open claims, the pending invitations and merge requests move to the
survivor. Where the account already has the same thing on the survivor the copy on the old id is dropped (two
follows are one); two accounts' open claims on one author become ``disputed`` for an admin, as when a second
claim is filed. Decided claims, feed events and the audit keep the old id: they are history, and the old id
still leads to the profile.

``follow_merges`` is idempotent and cheap when nothing is merged away (one query over the ids the store holds);
it runs after every web merge, after every watched load (``accounts.feed.FeedWatch``) and after the CLI's merge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select, union
from sqlalchemy.orm import Session as OrmSession

from accounts.models import Audit, Claim, ClaimWatch, Follow, FollowSetting, Invitation, MergeRequest, utcnow
from accounts.store import ACTIVE, Store
from graph.db import Graph
from graph.redirects import survivors

PerAccount = TypeVar("PerAccount", Follow, FollowSetting, ClaimWatch)  # one row per (account, author)
RANK = {"claimed": 0, "disputed": 1, "pending": 2}  # which of one account's two open claims is kept


@dataclass
class Moved:
    """What moved, per merged-away id (``{old: survivor}``) and in counts."""

    ids: dict[str, str] = field(default_factory=dict)
    follows: int = 0
    claims: int = 0
    watches: int = 0
    invitations: int = 0
    merge_requests: int = 0

    def __bool__(self) -> bool:
        return bool(self.follows or self.claims or self.watches or self.invitations or self.merge_requests)


def held_ids(s: OrmSession, deciding: int = 0) -> list[str]:
    """Every author id the store holds something live about."""
    query = union(select(Follow.author_id), select(FollowSetting.author_id), select(ClaimWatch.author_id),
                  select(Claim.author_id).where(Claim.status.in_(ACTIVE)),
                  select(Invitation.to_author_id).where(Invitation.status == "pending"),
                  select(MergeRequest.author_id).where(MergeRequest.status == "pending", MergeRequest.id != deciding),
                  select(MergeRequest.source_id).where(MergeRequest.status == "pending", MergeRequest.id != deciding))
    return sorted(str(i) for i in s.scalars(query) if i)


def follow_merges(store: Store, db: Graph, *, actor: str = "system", deciding: int | None = None) -> Moved:
    """Move what the store holds on merged-away ids to their survivors, in one transaction, audited.
    ``deciding``: the merge request being approved right now (its decision is recorded by its own code)."""
    with store.tx() as s:
        leads = survivors(db, held_ids(s, deciding or 0))
    if not leads:
        return Moved()
    moved = Moved(ids=leads)
    with store.tx() as s:
        for old, new in sorted(leads.items()):
            before = (moved.follows, moved.claims, moved.watches, moved.invitations, moved.merge_requests)
            _move_follows(s, old, new, moved)
            _move_claims(s, old, new, moved, actor)
            _move_rest(s, old, new, moved, deciding)
            after = (moved.follows, moved.claims, moved.watches, moved.invitations, moved.merge_requests)
            if after != before:
                counts = dict(zip(("follows", "claims", "watches", "invitations", "merge_requests"),
                                  (a - b for a, b in zip(after, before, strict=True)), strict=True))
                s.add(Audit(actor=actor, action="identity.accounts_moved", author_id=old,
                            detail=json.dumps({"survivor": new, **counts}, sort_keys=True)))
    if moved:
        from accounts.service import refresh_author

        for new in sorted(set(leads.values())):
            refresh_author(store, db, new)  # the follower count and the claim status shown on the profile
    return moved


def follow_merges_from_settings(db: Graph) -> Moved | None:
    """``follow_merges`` on the account store the command-line tools use (None: there is no store)."""
    from accounts.feed import store_from_settings

    store = store_from_settings()
    if store is None:
        return None
    try:
        return follow_merges(store, db, actor="cli")
    finally:
        store.close()


def _move_follows(s: OrmSession, old: str, new: str, moved: Moved) -> None:
    moved.follows += _move_per_account(s, Follow, old, new)
    _move_per_account(s, FollowSetting, old, new)
    moved.watches += _move_per_account(s, ClaimWatch, old, new)


def _move_per_account(s: OrmSession, model: type[PerAccount], old: str, new: str) -> int:
    """Move ``model``'s rows from ``old`` to ``new``; an account that has one on ``new`` already keeps that one."""
    have = set(s.scalars(select(model.account_id).where(model.author_id == new)))
    count = 0
    for row in s.scalars(select(model).where(model.author_id == old)):
        if row.account_id in have:
            s.delete(row)  # one follow, not two
        else:
            row.author_id = new
            have.add(row.account_id)
        count += 1
    s.flush()
    return count


def _move_claims(s: OrmSession, old: str, new: str, moved: Moved, actor: str) -> None:
    coming = list(s.scalars(select(Claim).where(Claim.author_id == old, Claim.status.in_(ACTIVE))))
    if not coming:
        return
    now = utcnow()
    for claim in coming:
        claim.author_id = new
        moved.claims += 1
        s.add(Audit(actor=actor, action="claim.moved", account_id=claim.account_id, author_id=new,
                    claim_id=claim.id, detail=f"{old} was merged into {new}"))
    s.flush()
    open_claims = list(s.scalars(select(Claim).where(Claim.author_id == new, Claim.status.in_(ACTIVE))
                                 .order_by(Claim.id)))
    kept: dict[int, Claim] = {}
    for claim in sorted(open_claims, key=lambda c: (RANK[c.status], c.id)):
        if claim.account_id in kept:  # the same account claimed both: keep the stronger claim
            claim.status, claim.decided_at = "withdrawn", now
            claim.reason = f"{old} was merged into {new}, where this account's claim {kept[claim.account_id].id} stands"
            s.add(Audit(actor=actor, action="claim.withdrawn", account_id=claim.account_id, author_id=new,
                        claim_id=claim.id, detail=claim.reason))
        else:
            kept[claim.account_id] = claim
    if len(kept) > 1:  # two accounts now claim one person: an admin decides, as for a second claim
        for claim in kept.values():
            if claim.status != "disputed":
                claim.status = "disputed"
                s.add(Audit(actor=actor, action="claim.disputed", account_id=claim.account_id, author_id=new,
                            claim_id=claim.id, detail=f"{old} was merged into {new}: {len(kept)} accounts claim it"))


def _move_rest(s: OrmSession, old: str, new: str, moved: Moved, deciding: int | None) -> None:
    for inv in s.scalars(select(Invitation).where(Invitation.status == "pending", Invitation.to_author_id == old)):
        inv.to_author_id = new
        moved.invitations += 1
    for inv in s.scalars(select(Invitation).where(Invitation.status == "pending", Invitation.from_author_id == old)):
        inv.from_author_id = new
        moved.invitations += 1
    now = utcnow()
    for req in s.scalars(select(MergeRequest).where(MergeRequest.status == "pending",
                                                    (MergeRequest.author_id == old) | (MergeRequest.source_id == old),
                                                    MergeRequest.id != (deciding or 0))):
        if req.author_id == old:
            req.author_id = new
        if req.source_id == old:
            req.source_id = new
        if req.author_id == req.source_id:  # the merge it asked for has been made
            req.status, req.decided_at = "approved", now
            req.reason = f"{old} was merged into {new}"
        moved.merge_requests += 1
