"""The feed: events about followed authors, derived when data is loaded, kept in the account store.

``FeedWatch`` is handed to ``loaders.load_files`` (the one entry point of transactional loads and harvests):
before the first write it snapshots the followed authors only (``graph.feed.snapshot``) and, for accounts
that own a claimed profile, the distance from that profile to each author they follow; after the load and
its derived data it compares and stores the events, one ``FeedItem`` per follower. The event facts are
public; who follows whom stays here, never in Neo4j.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from accounts.merges import follow_merges
from accounts.models import Claim, FeedEvent, FeedItem, Follow, FollowSetting, utcnow
from accounts.store import AccountError, Store, url_for_data_dir
from graph import feed as graph_feed
from graph.db import Graph

log = logging.getLogger(__name__)

MAX_LIMIT = 100


@dataclass(frozen=True)
class Watched:
    """Who is followed, and the (owner's author, followed author) pairs of owners with the accounts behind them."""

    authors: list[str]
    owner_pairs: dict[tuple[str, str], list[int]]


def watched(store: Store) -> Watched:
    with store.tx() as s:
        follows = list(s.execute(select(Follow.account_id, Follow.author_id)))
        owned = list(s.execute(select(Claim.account_id, Claim.author_id).where(Claim.status == "claimed")))
    following: dict[int, set[str]] = defaultdict(set)
    for account_id, author_id in follows:
        following[account_id].add(author_id)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for account_id, own in owned:
        for followed in sorted(following.get(account_id, ())):
            if followed != own:
                pairs[(own, followed)].append(account_id)
    return Watched(sorted({a for _, a in follows}), dict(pairs))


def record(store: Store, changes: list[graph_feed.Change], owner_pairs: dict[tuple[str, str], list[int]]) -> int:
    """Store the events and put each into its followers' feeds; the number of new events (a repeat adds none)."""
    added = 0
    for change in changes:
        with store.tx() as s:
            targets: list[tuple[str, list[int], int | None]]
            if change.type == "new_path":  # about one owner: one event per owning account
                targets = [(f"{change.key}:{a}", [a], a) for a in owner_pairs.get((change.owner or "",
                                                                                    change.author_id), [])]
            else:
                followers = list(s.scalars(select(Follow.account_id).where(Follow.author_id == change.author_id)))
                targets = [(change.key, followers, None)]
            for key, accounts, owner in targets:
                if not accounts or s.scalar(select(FeedEvent.id).where(FeedEvent.key == key)) is not None:
                    continue
                event = FeedEvent(key=key, type=change.type, author_id=change.author_id, date=change.date,
                                  owner_account_id=owner,
                                  evidence=json.dumps({"author_name": change.author_name, **change.evidence}))
                s.add(event)
                s.flush()
                s.add_all(FeedItem(account_id=a, event_id=event.id) for a in accounts)
                added += 1
    return added


class FeedWatch:
    """The loaders' watch (``loaders.watch.LoadWatch``) that writes feed events into ``store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def before(self, db: Graph) -> Callable[[Graph], int]:
        seen = watched(self.store)
        snap = graph_feed.snapshot(db, seen.authors)
        dist = graph_feed.distances(db, list(seen.owner_pairs))

        def after(db_after: Graph) -> int:
            follow_merges(self.store, db_after)  # a load may have merged a followed author into another
            found = graph_feed.changes(snap, graph_feed.snapshot(db_after, seen.authors), distances_before=dist,
                                       distances_after=graph_feed.distances(db_after, list(seen.owner_pairs)))
            added = record(self.store, found, seen.owner_pairs)
            if added:
                log.info("feed: %d new event(s) about %d followed author(s)", added, len(seen.authors))
            return added

        return after


def watch_from_settings() -> FeedWatch | None:
    """The watch for command-line loads and harvests, on ``store_from_settings()`` (none: nothing to watch)."""
    store = store_from_settings()
    return FeedWatch(store) if store is not None else None


def store_from_settings() -> Store | None:
    """The account store of ``PEERGRAPH_ACCOUNTS_URL``, else ``<data dir>/accounts.sqlite3`` when it exists (no
    store yet: nobody follows anybody)."""
    from graph.server import data_dir

    url = os.environ.get("PEERGRAPH_ACCOUNTS_URL", "").strip()
    if not url:
        path = data_dir() / "accounts.sqlite3"
        if not path.exists():
            return None
        url = url_for_data_dir(data_dir())
    store = Store(url)
    store.migrate()
    return store


# -- reading the feed ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    id: int
    type: str
    author: dict[str, str]
    date: str
    evidence: dict[str, Any]
    read: bool


def _muted(s: Any, account_id: int) -> set[str]:
    return set(s.scalars(select(FollowSetting.author_id).where(FollowSetting.account_id == account_id,
                                                               FollowSetting.muted.is_(True))))


def entries(store: Store, account_id: int, *, limit: int = 50, before: int | None = None,
            undigested: bool = False) -> list[Entry]:
    """The account's feed, newest first: events about authors it follows and has not muted. ``before``: an
    entry id (the page after the one that ended there)."""
    with store.tx() as s:
        following = set(s.scalars(select(Follow.author_id).where(Follow.account_id == account_id)))
        shown = following - _muted(s, account_id)
        query = (select(FeedItem).join(FeedItem.event).where(FeedItem.account_id == account_id,
                                                             FeedEvent.author_id.in_(shown))
                 .order_by(FeedItem.id.desc()).limit(limit))
        if before is not None:
            query = query.where(FeedItem.id < before)
        if undigested:
            query = query.where(FeedItem.digested_at.is_(None))
        out = []
        for item in s.scalars(query):
            evidence = json.loads(item.event.evidence or "{}")
            name = evidence.pop("author_name", None) or item.event.author_id
            out.append(Entry(item.id, item.event.type, {"id": item.event.author_id, "name": name},
                             item.event.date or item.event.detected_at.date().isoformat(), evidence,
                             item.read_at is not None))
        return out


def unread(store: Store, account_id: int) -> int:
    return sum(1 for e in entries(store, account_id, limit=10_000) if not e.read)


def mark_read(store: Store, account_id: int, up_to: int | None = None) -> int:
    """Mark the account's entries read (those up to id ``up_to`` when given); how many changed."""
    with store.tx() as s:
        query = select(FeedItem).where(FeedItem.account_id == account_id, FeedItem.read_at.is_(None))
        if up_to is not None:
            query = query.where(FeedItem.id <= up_to)
        items = list(s.scalars(query))
        now = utcnow()
        for item in items:
            item.read_at = now
        return len(items)


def set_muted(store: Store, account_id: int, author_id: str, muted: bool) -> bool:
    """Mute (or unmute) a follow; 409 when the account does not follow the author."""
    with store.tx() as s:
        if s.scalar(select(Follow.id).where(Follow.account_id == account_id, Follow.author_id == author_id)) is None:
            raise AccountError("not_following", f"you do not follow {author_id}: follow first, then mute",
                               status=409)
        row = s.scalar(select(FollowSetting).where(FollowSetting.account_id == account_id,
                                                   FollowSetting.author_id == author_id))
        if row is None:
            s.add(FollowSetting(account_id=account_id, author_id=author_id, muted=muted))
        else:
            row.muted = muted
    return muted


def is_muted(store: Store, account_id: int, author_id: str) -> bool:
    with store.tx() as s:
        return author_id in _muted(s, account_id)


def owns(store: Store, account_id: int, author_id: str) -> bool:
    """Whether the account is the author's verified owner (a granted claim)."""
    with store.tx() as s:
        return s.scalar(select(Claim.id).where(Claim.account_id == account_id, Claim.author_id == author_id,
                                               Claim.status == "claimed")) is not None


def follower_names(store: Store, author_id: str) -> list[dict[str, Any]]:
    """Who follows the author (display names and since when): for the profile's verified owner only."""
    from accounts.models import Account

    with store.tx() as s:
        rows = s.execute(select(Account.name, Follow.created_at).join(Follow, Follow.account_id == Account.id)
                         .where(Follow.author_id == author_id).order_by(Follow.created_at.desc(), Account.id))
        return [{"name": name, "since": at.date().isoformat()} for name, at in rows]


__all__ = ["Entry", "FeedWatch", "entries", "follower_names", "mark_read", "record", "set_muted",
           "unread", "watch_from_settings", "watched"]
