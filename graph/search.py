"""Full-text search over authors, papers, topics and institutions (the ``*_names``/``paper_titles`` indexes).

User text never reaches Lucene as syntax: every Lucene special character is
escaped, and each word becomes ``word OR word*`` (an exact word scores higher
than a prefix), all words required, so "geig" finds "Geiger" while typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graph.db import Graph

TYPES: tuple[str, ...] = ("author", "paper", "topic", "institution")
MAX_LIMIT = 50
# Lucene scores from different indexes are not comparable; people are what users look for most.
_BOOST = {"author": 1.5, "paper": 1.0, "topic": 1.2, "institution": 1.1}
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, what to show, and how well it matched."""

    id: str
    type: str
    label: str
    detail: str | None
    score: float


def escape(text: str) -> str:
    """``text`` with every Lucene special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def lucene_query(text: str) -> str | None:
    """The Lucene query for what a user typed, or None when nothing searchable is left.

    Words are lower-cased (wildcard terms are not analysed; it also turns AND,
    OR, NOT into plain words), escaped, and each must match as a word or as a prefix.
    """
    clauses = []
    for word in _WORD.findall(text.lower())[:12]:
        word = word.strip(".,;")
        if not word:
            continue
        term = escape(word)
        clauses.append(f"+({term}^2 OR {term}*)")
    return " ".join(clauses) or None


def search(db: Graph, text: str, *, type: str | None = None, limit: int = 10) -> list[Hit]:
    """The best ``limit`` matches for ``text`` (of one ``type`` when given), best first."""
    if type is not None and type not in TYPES:
        raise ValueError(f"type must be one of {', '.join(TYPES)}")
    limit = max(1, min(limit, MAX_LIMIT))
    lucene = lucene_query(text)
    if lucene is None:
        return []
    rows = db.read("search_all", q=lucene, types=[type] if type else list(TYPES), limit=limit)
    hits = [_hit(row) for row in rows]
    hits.sort(key=lambda h: (-h.score, h.type, h.label, h.id))
    return hits[:limit]


def _hit(row: dict[str, Any]) -> Hit:
    kind = row["type"]
    score = float(row["score"]) * _BOOST[kind]
    if kind == "author":
        works = row.get("works_count") or 0
        detail = " · ".join([f"{works} work{'s' if works != 1 else ''}", *([row["detail"]] if row["detail"] else [])])
    elif kind == "paper":
        detail = " · ".join(str(x) for x in (row.get("year"), row.get("detail")) if x)
    else:
        detail = str(row["detail"]) if row.get("detail") else ""
    return Hit(id=row["id"], type=kind, label=row["name"], detail=detail or None, score=score)
