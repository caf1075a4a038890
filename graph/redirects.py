"""Merged-away author ids and where they lead (``(:Author)-[:MERGED_INTO]->(:Author)``, loaders/corrections.py)."""

from __future__ import annotations

from graph.db import Graph


def survivor(db: Graph, author_id: str) -> str | None:
    """The author a merged-away id leads to (following chains of merges); None when it is not merged away."""
    row = db.read_one("author_redirect", id=author_id)
    return str(row["survivor"]) if row else None


def survivors(db: Graph, author_ids: list[str]) -> dict[str, str]:
    """``{merged-away id: survivor}`` for those of ``author_ids`` that are merged away."""
    if not author_ids:
        return {}
    return {str(r["id"]): str(r["survivor"]) for r in db.read("author_redirects", ids=sorted(set(author_ids)))}
