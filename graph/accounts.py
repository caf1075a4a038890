"""The graph side of accounts: what a claim is checked against, and the public facts written onto Authors.

Nothing personal crosses this boundary: the parameters are an author id, booleans, a level, counts and a band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from graph.db import Graph
from graph.errors import NotFound

RECENT_YEARS = 5  # "affiliated in the last five years" (issue 12, L2)


@dataclass(frozen=True)
class RecentInstitution:
    id: str
    name: str | None
    ror: str | None
    last_year: int | None


@dataclass(frozen=True)
class ClaimFacts:
    id: str
    name: str
    orcid: str | None
    institutions: list[RecentInstitution]


def claim_facts(db: Graph, author_id: str, *, today: datetime | None = None) -> ClaimFacts:
    """The author's ORCID iD and the institutions of the last five years; NotFound for an unknown id."""
    year = (today or datetime.now(UTC)).year
    row = db.read_one("account_claim_facts", id=author_id, since=year - RECENT_YEARS + 1)
    if row is None:
        raise NotFound(f"No researcher with id {author_id!r}")
    return ClaimFacts(row["id"], row["name"], row["orcid"],
                      [RecentInstitution(**i) for i in row["institutions"]])


def set_public_facts(db: Graph, author_id: str, *, claimed: bool, level: str, followers: int,
                     trust_score: int, trust_band: str) -> bool:
    """Write the public account facts onto the Author; False when there is no such author."""
    rows = db.write_rows("account_public_facts", id=author_id, claimed=claimed, level=level, followers=followers,
                         trust_score=trust_score, trust_band=trust_band)
    return bool(rows)
