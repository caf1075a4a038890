"""Works of one batch -> the parameter rows of the batch's UNWIND queries (pure, no database).

Paper identity is settled before this step (``assign_ids``): every Work comes
with the id of the Paper it writes to, and cited works with the ids they resolve to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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


def assign_ids(works: Sequence[Work], found: KeyMap) -> tuple[list[str], KeyMap]:
    """The Paper id each work writes to, and the batch's identifier -> id map.

    An identifier already in the graph wins (arXiv id, then DOI, then OpenAlex id);
    otherwise an earlier work of the same batch that shares an identifier; else the
    work's own id rule. ``found`` maps (kind, value) to ids already in the graph.
    """
    batch: KeyMap = {}
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
    authors: dict[str, Row] = {}
    institutions: dict[str, Row] = {}
    topics: dict[str, Row] = {}
    part_of: set[tuple[str, str]] = set()
    authored: dict[tuple[str, str], Row] = {}
    for work, paper_id in zip(works, ids, strict=True):
        rows.papers.append(paper_row(work, paper_id))
        if work.openalex_id:
            rows.openalex_papers.append({"id": paper_id, "openalex_id": work.openalex_id})
        for position, author in enumerate(work.authors, start=1):
            row = authors.get(author.id)
            if row is None:
                row = authors[author.id] = {"id": author.id, "name": author.name, "variants": [], "orcid": None}
            row["name"] = better_name(row["name"], author.name)
            if author.raw_name not in row["variants"]:
                row["variants"].append(author.raw_name)
            row["orcid"] = row["orcid"] or author.orcid
            for inst in author.institutions:
                institutions.setdefault(inst.id, {"id": inst.id, "name": inst.name, "ror": inst.ror,
                                                  "country": inst.country, "type": inst.type})
            # Two records of one paper in a batch: one row per (author, paper), the later position wins.
            edge = authored.setdefault((author.id, paper_id), {"author": author.id, "paper": paper_id,
                                                                "position": position, "institutions": []})
            edge["position"] = position
            edge["institutions"] = list(dict.fromkeys(edge["institutions"] + [i.id for i in author.institutions]))
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
            target = found.get(key) or batch.get(key)
            if target is None:
                rows.pending.append({"source": paper_id, "work": ref})
            elif target != paper_id:
                rows.cites.append({"source": paper_id, "target": target, "arxiv_id": None})
    rows.authored = list(authored.values())
    rows.authors = list(authors.values())
    rows.institutions = list(institutions.values())
    rows.topics = list(topics.values())
    rows.part_of = [{"child": c, "parent": p} for c, p in sorted(part_of)]
    return rows
