"""The graph side of invitations: whether two researchers are within two co-author hops.

Only public author ids cross this boundary; invitations and messages stay in the account store.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.db import Graph

MAX_HOPS = 2  # "co-authors of co-authors"


def within_two_hops(db: Graph, from_ids: Sequence[str], to_ids: Sequence[str]) -> bool:
    """True when some author of ``from_ids`` is a co-author, or a co-author's co-author, of one of ``to_ids``."""
    if not from_ids or not to_ids:
        return False
    return db.read_one("invite_coauthor_near", from_ids=list(from_ids), to_ids=list(to_ids)) is not None
