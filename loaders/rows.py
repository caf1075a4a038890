"""Works of one batch -> the parameter rows of the batch's UNWIND queries (pure, no database).

Paper identity is settled before this step (``assign_ids``): every Work comes
with the id of the Paper it writes to, and cited works with the ids they resolve to.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from loaders.model import Topic, Work

Row = dict[str, Any]
KeyMap = dict[tuple[str, str], str]


def lookup_rows(works: Sequence[Work]) -> list[Row]:
    """Rows for ``load/resolve_papers``: every identifier of the batch's works and of the works they cite."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, value: str | None) -> None:
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            rows.append({"kind": kind, "value": value})

    for work in works:
        for kind, value in work.keys:
            add(kind, value)
        for ref in work.cites_arxiv:
            add("arxiv_id", ref)
        for ref in work.cites_openalex:
            add("openalex_id", ref)
    return rows


def assign_ids(works: Sequence[Work], found: KeyMap, batch: KeyMap | None = None) -> tuple[list[str], KeyMap]:
    """The Paper id each work writes to, and the batch's identifier -> id map.

    An identifier already in the graph wins (arXiv id, then DOI, then OpenAlex id);
    otherwise an earlier work of the same batch that shares an identifier; else the
    work's own id rule. ``found`` maps (kind, value) to ids already in the graph;
    ``batch``, when given, holds the earlier works' identifiers and is extended.
    """
    batch = {} if batch is None else batch
    ids = []
    for work in works:
        keys = work.keys
        paper_id = next((found[k] for k in keys if k in found), None)
        paper_id = paper_id or next((batch[k] for k in keys if k in batch), None) or work.default_id
        for key in keys:
            batch.setdefault(key, paper_id)
        ids.append(paper_id)
    return ids, batch


@dataclass
class BatchRows:
    papers: list[Row] = field(default_factory=list)
    authors: list[Row] = field(default_factory=list)
    institutions: list[Row] = field(default_factory=list)
    authored: list[Row] = field(default_factory=list)
    topics: list[Row] = field(default_factory=list)
    part_of: list[Row] = field(default_factory=list)
    about: list[Row] = field(default_factory=list)
    cites: list[Row] = field(default_factory=list)
    pending: list[Row] = field(default_factory=list)
    openalex_papers: list[Row] = field(default_factory=list)


def paper_row(work: Work, paper_id: str) -> Row:
    return {
        "id": paper_id, "title": work.title, "abstract": work.abstract, "year": work.year, "date": work.date,
        "doi": work.doi, "arxiv_id": work.arxiv_id, "openalex_id": work.openalex_id, "venue": work.venue,
        "type": work.type, "code_url": work.code_url, "has_code": work.has_code,
        "source_cited_by_count": work.source_cited_by_count, "categories": list(work.categories),
        "author_count": work.author_count if work.author_count is not None else len(work.authors),
        "authors_complete": work.authors_complete, "source": work.source,
    }


def better_name(current: str | None, candidate: str) -> str:
    """The display name to keep: the longer (full first names beat initials); ties by text order."""
    if current is None or len(candidate) > len(current) or (len(candidate) == len(current) and candidate < current):
        return candidate
    return current


def _topic_chain(topic: Topic) -> Iterable[Topic]:
    node: Topic | None = topic
    while node is not None:
        yield node
        node = node.parent


def build_rows(works: Sequence[Work], ids: Sequence[str], found: KeyMap, batch: KeyMap) -> BatchRows:
    """All rows of one batch; ``found``/``batch`` resolve the cited works."""
    rows = BatchRows()
    paper_rows(works, ids, found, batch, rows)
    people_rows(works, ids, rows)
    return rows


def paper_rows(works: Sequence[Work], ids: Sequence[str], found: KeyMap, batch: KeyMap, rows: BatchRows) -> None:
    """The rows of ``build_rows`` that do not depend on the authorships' people: papers, topics, ABOUT, CITES
    and pending citations (into ``rows``). The bulk path builds them before the people are decided."""
    topics: dict[str, Row] = {}
    part_of: set[tuple[str, str]] = set()
    for work, paper_id in zip(works, ids, strict=True):
        rows.papers.append(paper_row(work, paper_id))
        if work.openalex_id:
            rows.openalex_papers.append({"id": paper_id, "openalex_id": work.openalex_id})
        for topic, score in work.topics:
            for node in _topic_chain(topic):
                topics.setdefault(node.id, {"id": node.id, "name": node.name, "scheme": node.scheme,
                                            "level": node.level})
                if node.parent is not None:
                    part_of.add((node.id, node.parent.id))
            rows.about.append({"paper": paper_id, "topic": topic.id, "score": score})
        for ref in work.cites_arxiv:
            key = ("arxiv_id", ref)
            target = found.get(key) or batch.get(key) or f"arxiv:{ref}"
            if target != paper_id:
                rows.cites.append({"source": paper_id, "target": target, "arxiv_id": ref})
        for ref in work.cites_openalex:
            key = ("openalex_id", ref)
            known = found.get(key) or batch.get(key)
            if known is None:
                rows.pending.append({"source": paper_id, "work": ref})
            elif known != paper_id:
                rows.cites.append({"source": paper_id, "target": known, "arxiv_id": None})
    rows.topics = list(topics.values())
    rows.part_of = [{"child": c, "parent": p} for c, p in sorted(part_of)]


def people_rows(works: Sequence[Work], ids: Sequence[str], rows: BatchRows) -> None:
    """The rows of ``build_rows`` that follow the authorships (their people already settled): authors,
    institutions and AUTHORED (into ``rows``)."""
    authors: dict[str, Row] = {}
    institutions: dict[str, Row] = {}
    authored: dict[tuple[str, str], Row] = {}
    for work, paper_id in zip(works, ids, strict=True):
        for position, author in enumerate(work.authors, start=1):
            # A hot loop (every authorship of a load): plain look-ups, no default rows built in vain.
            row = authors.get(author.id)
            if row is None:
                row = authors[author.id] = {"id": author.id, "name": author.name, "variants": [author.raw_name],
                                            "orcid": author.orcid, "block": author.block}
            else:
                row["name"] = better_name(row["name"], author.name)
                if author.raw_name not in row["variants"]:
                    row["variants"].append(author.raw_name)
                row["orcid"] = row["orcid"] or author.orcid
            inst_ids = []
            for inst in author.institutions:
                inst_ids.append(inst.id)
                if inst.id not in institutions:
                    institutions[inst.id] = {"id": inst.id, "name": inst.name, "ror": inst.ror,
                                             "country": inst.country, "type": inst.type}
            # Two records of one paper in a batch: one row per (author, paper), the later position wins.
            key = (author.id, paper_id)
            edge = authored.get(key)
            if edge is None:
                authored[key] = {"author": author.id, "paper": paper_id, "position": position,
                                 "institutions": list(dict.fromkeys(inst_ids)) if inst_ids else [],
                                 "source": work.source, "byline": author.raw_name}
            else:
                edge["position"] = position
                edge["institutions"] = list(dict.fromkeys(edge["institutions"] + inst_ids))
    rows.authored = list(authored.values())
    rows.authors = list(authors.values())
    rows.institutions = list(institutions.values())


# -- COAUTHOR increments, computed from the batch -------------------------------------------------------
def cypher_order(author_id: str) -> str | bytes:
    """The sort key that orders ids as Cypher's ``<`` does (UTF-16 code units, not code points).

    Both agree on every id without a character above U+FFFF, which is all of them in practice
    (name keys are ``[a-z0-9_-]``, ORCID and OpenAlex ids ASCII); the rare others compare as UTF-16.
    """
    return author_id if author_id.isascii() else author_id.encode("utf-16-be")


def _ordered(ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(ids))
    if all(i.isascii() for i in ids):
        return sorted(ids)
    return sorted(ids, key=lambda i: i.encode("utf-16-be"))


Pair = list[Any]  # [joint papers added, first year or None, last year or None]: the increment of one pair


def coauthor_increments(
        papers: Iterable[tuple[Iterable[str], Collection[str], int | None]]) -> dict[tuple[str, str], Pair]:
    """(smaller id, larger id) -> [joint papers, first year, last year], over ``(all authors, new authors,
    year)`` of each paper.

    A pair counts a paper when at least one of the two authorships is new: the other pairs
    of that paper were counted by the load that created their edges. Papers over the
    COAUTHOR limit must be left out by the caller. (A hot loop: plain lists, no objects.)
    """
    pairs: dict[tuple[str, str], Pair] = {}
    get = pairs.get
    for authors, new, year in papers:
        ordered = _ordered(authors)
        if all(x in new for x in ordered):
            keys: Iterable[tuple[str, str]] = combinations(ordered, 2)
        else:
            keys = [key for key in combinations(ordered, 2) if key[0] in new or key[1] in new]
        for key in keys:
            pair = get(key)
            if pair is None:
                pairs[key] = [1, year, year]
                continue
            pair[0] += 1
            if year is not None:
                if pair[1] is None or year < pair[1]:
                    pair[1] = year
                if pair[2] is None or year > pair[2]:
                    pair[2] = year
    return pairs


@dataclass
class PairRows:
    """The COAUTHOR rows of one batch, by how the writer finds out whether each pair exists.

    Each row is ``{a, b: [...], works: [...], first: [...], last: [...]}``: the author with the
    smaller id and, in parallel lists, the larger ids and the increments, all named by elementId.
    """

    create: list[Row] = field(default_factory=list)  # cannot exist: an author has no COAUTHOR yet
    check: list[Row] = field(default_factory=list)  # one read of a's relationships tells
    merge: list[Row] = field(default_factory=list)  # a MERGE check per pair is cheaper


def coauthor_rows(pairs: dict[tuple[str, str], Pair], degrees: Mapping[str, tuple[int, int]],
                  eids: Mapping[str, str]) -> PairRows:
    """Group the batch's pair increments into rows for ``load/coauthors_*``.

    ``degrees`` maps an Author id to its (outgoing, incoming) COAUTHOR relationships before
    this batch, ``eids`` to its elementId. A pair with an author who has none cannot exist:
    created without a check. Otherwise a MERGE scans the sparser end's relationships for
    every pair, and a read of the smaller-id author's outgoing ones answers all its pairs at
    once: per author, whichever reads fewer relationships. Unknown degrees go to MERGE.
    (Not sorted: one writer takes no competing locks, and record ids do not follow Author ids.)
    """
    groups: dict[str, list[tuple[str, Pair]]] = {}
    for (a, b), pair in pairs.items():
        items = groups.get(a)
        if items is None:
            items = groups[a] = []
        items.append((b, pair))
    out = PairRows()
    unknown = (-1, -1)
    for a, items in groups.items():
        a_out, a_in = degrees.get(a, unknown)
        create: Row | None = None
        rest: list[tuple[str, Pair]] = []
        merge_cost = 0
        for item in items:
            b_out, b_in = degrees.get(item[0], unknown)
            if (a_out == 0 and a_in == 0) or (b_out == 0 and b_in == 0):
                if create is None:
                    create = {"a": eids[a], "b": [], "works": [], "first": [], "last": []}
                    out.create.append(create)
                _append(create, eids[item[0]], item[1])
                continue
            rest.append(item)
            if a_out < 0 or b_out < 0:
                merge_cost = -1
            elif merge_cost >= 0:
                merge_cost += b_in if b_in < a_out else a_out
        if rest:
            row: Row = {"a": eids[a], "b": [], "works": [], "first": [], "last": []}
            for b, pair in rest:
                _append(row, eids[b], pair)
            (out.merge if merge_cost < 0 or merge_cost < a_out else out.check).append(row)
    return out


def _append(row: Row, b: str, pair: Pair) -> None:
    row["b"].append(b)
    row["works"].append(pair[0])
    row["first"].append(pair[1])
    row["last"].append(pair[2])


def chunks(rows: Sequence[Row], size: int, weight: str | None = None) -> Iterable[Sequence[Row]]:
    """``rows`` in slices of about ``size`` rows, or of ``size`` items of the list ``row[weight]``."""
    if weight is None:
        for start in range(0, len(rows), size):
            yield rows[start:start + size]
        return
    start, load = 0, 0
    for n, row in enumerate(rows):
        load += len(row[weight])
        if load >= size:
            yield rows[start:n + 1]
            start, load = n + 1, 0
    if start < len(rows):
        yield rows[start:]


def work_cost(work: Work, max_coauthor_authors: int) -> int:
    """The rows ``work`` adds to its write transaction: what bounds a batch's memory in Neo4j.

    One per paper, authorship, author-institution link, topic (with its broader ones)
    and citation, plus the COAUTHOR increments its authors make: n(n-1)/2 for n authors
    up to ``max_coauthor_authors``, which is what makes a 100-author work cost as much as
    a thousand ordinary ones.
    """
    n = len(work.authors)
    cost = 1 + n + len(work.cites_arxiv) + len(work.cites_openalex)
    for author in work.authors:
        cost += len(author.institutions)
    for topic, _ in work.topics:
        cost += sum(1 for _ in _topic_chain(topic))
    if (work.author_count or n) <= max_coauthor_authors:
        cost += n * (n - 1) // 2
    return cost
