"""The trust snapshot: how far the identity and the record of a profile can be trusted, and why.

It is confidence in *who* the profile is and *whether its record holds together*; never research quality,
never a sort order. Version ``trust-1``: seven components, each ``points = round(weight × value)`` with
``value`` in [0, 1] and the weights adding up to 100, then penalties; the score is the sum, shown as it adds.
Penalties never take the score below 0: a penalty takes at most what the components gave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from graph.db import Graph
from graph.errors import NotFound

VERSION = "trust-1"
EVIDENCE_SAMPLE = 10
BANDS = [(80, "Highly trusted"), (60, "Trusted"), (40, "Established"), (20, "Emerging"), (0, "New")]
LEVEL_VALUE = {"L0": 0.0, "L1": 0.4, "L2": 0.8, "L3": 1.0}
WEIGHTS = {"verification": 25, "orcid_consistency": 10, "ror_affiliations": 10, "two_sources": 15,
           "corroboration": 15, "record_length": 15, "account_standing": 10}
PENALTIES = {"orcid_conflict": 15, "burst": 10, "dispute": 10}
CORROBORATING_COAUTHORS = 3  # verified co-authors for the full value
FULL_RECORD_YEARS = 10  # years from first to last work for the full value
BURST_FACTOR, BURST_MINIMUM = 3, 5  # a year with more than max(5, 3 × the median yearly works) is a burst


def band(score: int) -> str:
    return next(name for floor, name in BANDS if score >= floor)


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    weight: int
    value: float
    points: int
    evidence: list[dict[str, Any]]
    how_to_raise: str


@dataclass(frozen=True)
class Penalty:
    key: str
    label: str
    points: int  # zero or negative
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class Trust:
    author_id: str
    score: int
    band: str
    version: str
    data_date: str | None
    level: str
    components: list[Component] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimState:
    """What the account store knows of the author (no personal data): the claim's status and level."""

    status: str = "unclaimed"  # unclaimed, pending, claimed, disputed
    level: str | None = None  # L2 or L3 when claimed
    evidence: list[dict[str, Any]] = field(default_factory=list)


def verification_level(orcid: str | None, claim: ClaimState) -> str:
    """L3/L2 from a granted claim, else L1 when the sources give an ORCID iD, else L0."""
    if claim.status == "claimed" and claim.level in {"L2", "L3"}:
        return claim.level
    return "L1" if orcid else "L0"


def facts(db: Graph, author_id: str) -> dict[str, Any]:
    row = db.read_one("trust_facts", id=author_id, sample=EVIDENCE_SAMPLE)
    if row is None:
        raise NotFound(f"No researcher with id {author_id!r}")
    return row


def compute(f: dict[str, Any], claim: ClaimState) -> Trust:
    """The snapshot from the graph's facts (``trust_facts`` columns) and the claim state. Pure: no I/O."""
    level = verification_level(f["orcid"], claim)
    orcid_link = [{"kind": "orcid", "id": f["orcid"], "url": f"https://orcid.org/{f['orcid']}"}] if f["orcid"] else []
    comps: list[tuple[str, str, float, list[dict[str, Any]], str]] = []
    comps.append(("verification", f"Verification level {level}", LEVEL_VALUE[level],
                  orcid_link + claim.evidence if level in {"L2", "L3"} else orcid_link,
                  "Claim the profile: sign in with ORCID (L3) or use an address at a recent institution (L2)."
                  if level in {"L0", "L1"} else ("Sign in with ORCID to reach L3." if level == "L2" else
                                                 "Highest level reached.")))
    comps.append(("orcid_consistency", "ORCID iD in the sources, no conflict", 1.0 if f["orcid"] else 0.0,
                  orcid_link, "Add your ORCID iD to your works at the publisher or in OpenAlex."
                  if not f["orcid"] else "Keep one ORCID iD on all your works."))
    n_inst = int(f["institutions"])
    comps.append(("ror_affiliations", "Affiliations resolved to ROR",
                  len(f["ror_institutions"]) / n_inst if n_inst else 0.0,
                  [{"kind": "institution", "id": i["id"], "name": i["name"], "ror": i["ror"]}
                   for i in f["ror_institutions"][:EVIDENCE_SAMPLE]],
                  "Use your institution's registered name in bylines so sources resolve it to ROR."))
    works = int(f["works"])
    comps.append(("two_sources", "Works confirmed by two sources", int(f["confirmed"]) / works if works else 0.0,
                  [{"kind": "work", "id": w["id"], "title": w["title"]} for w in f["confirmed_ids"]],
                  "Make sure your works are both on arXiv and in OpenAlex (or another indexed source)."))
    verified = f["verified_coauthors"]
    comps.append(("corroboration", "Co-authors with verified profiles",
                  min(1.0, len(verified) / CORROBORATING_COAUTHORS),
                  [{"kind": "author", "id": c["id"], "name": c["name"], "level": c["level"]} for c in verified],
                  f"Invite co-authors to claim their profiles ({CORROBORATING_COAUTHORS} verified give the full "
                  "value)."))
    years = [int(y) for y in f["years"]]
    span = max(years) - min(years) if years else 0
    comps.append(("record_length", "Length of record", min(1.0, span / FULL_RECORD_YEARS),
                  [{"kind": "years", "first": min(years), "last": max(years)}] if years else [],
                  f"Grows with time: full value after {FULL_RECORD_YEARS} years of published work."))
    standing = {"claimed": 1.0, "pending": 0.3}.get(claim.status, 0.0)
    comps.append(("account_standing", "Account standing", standing,
                  [{"kind": "claim", "status": claim.status}],
                  "Claim the profile; a claim in good standing gives the full value." if standing < 1 else
                  "In good standing."))
    components = [Component(key, label, WEIGHTS[key], round(value, 3), round(WEIGHTS[key] * value), evidence, how)
                  for key, label, value, evidence, how in comps]
    total = sum(c.points for c in components)

    penalties: list[Penalty] = []
    by_year: dict[int, int] = {}
    for y in years:
        by_year[y] = by_year.get(y, 0) + 1
    typical = median(by_year.values()) if by_year else 0
    bursts = [{"kind": "year", "year": y, "works": n, "typical": typical} for y, n in sorted(by_year.items())
              if n > max(BURST_MINIMUM, BURST_FACTOR * typical)]
    raw = [("orcid_conflict", "ORCID conflict", 0, [{"kind": "note", "text": (
               "not checked yet: the graph keeps one ORCID iD per author, not one per authorship")}]),
           ("burst", "Burst of works far above the author's own rate", PENALTIES["burst"] if bursts else 0, bursts),
           ("dispute", "Open dispute over the profile", PENALTIES["dispute"] if claim.status == "disputed" else 0,
            [{"kind": "claim", "status": "disputed"}] if claim.status == "disputed" else [])]
    for key, label, size, evidence in raw:
        taken = min(size, total)
        total -= taken
        penalties.append(Penalty(key, label, -taken, evidence))  # type: ignore[arg-type]
    notes = ["Works confirmed by two sources counts papers with two or more sources (Paper.sources); "
             "per-authorship sources are not in the graph yet.",
             "Split/merge disputes are not recorded yet: only claim disputes count."]
    return Trust(f["id"], total, band(total), VERSION, f["data_date"], level, components, penalties, notes)


def snapshot(db: Graph, author_id: str, claim: ClaimState) -> Trust:
    return compute(facts(db, author_id), claim)
