"""The naive loader: the benchmark's yardstick, not part of the product.

It loads the plain publication-list format (``works``) the way a first attempt
would: ONE transaction per record, and inside it one statement at a time:
merge the paper, each topic, each author with its AUTHORED edge, each
affiliation, then each co-author pair's COAUTHOR edge, then every author's
derived figures (works, citations, h-index) recomputed from their papers.
Its Cypher is in ``cypher/bench/naive_*.cypher``. It writes the same schema
as the project's loader, so the two can be timed side by side on one corpus.

``python -m bench.naive FILE [--limit N]`` loads into the graph that
``NEO4J_URI`` (or the running local server) names.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.queries import query

# Names of arXiv archives and groups, for the field-level topics.
FIELD_NAMES = {
    "astro-ph": "Astrophysics", "cond-mat": "Condensed Matter", "cs": "Computer Science", "econ": "Economics",
    "eess": "Electrical Engineering and Systems Science", "math": "Mathematics", "nlin": "Nonlinear Sciences",
    "physics": "Physics", "q-bio": "Quantitative Biology", "q-fin": "Quantitative Finance", "stat": "Statistics",
}


@dataclass
class Record:
    """One publication-list line, turned into what the naive loader writes."""

    paper_id: str
    props: dict[str, Any]
    year: int | None
    authors: list[tuple[str, str, str | None, str | None, str | None]]  # id, name, orcid, institution id, name
    topics: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, name, field id, field name


def _fold(text: str) -> str:
    """Lower case, accents removed, runs of anything but letters and digits as one '_'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def name_key(name: str) -> str | None:
    """``<last>_<first initial>`` (``Mario Geiger`` and ``M. Geiger`` -> ``geiger_m``), or None when empty."""
    tokens = name.replace(",", " ").split()
    if not tokens:
        return None
    last, first = _fold(tokens[-1]), _fold(tokens[0]) if len(tokens) > 1 else ""
    if not last:
        return None
    return f"{last}_{first[:1]}" if first else last


def parse(obj: Any) -> Record | None:
    """The record for one parsed JSON line, or None when it cannot be loaded (no title or no authors)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("title"), str) or not obj["title"].strip():
        return None
    year = obj.get("year")
    date = obj.get("date")
    if year is None and isinstance(date, str) and date[:4].isdigit():
        year = int(date[:4])
    arxiv_id, doi = obj.get("arxiv_id"), obj.get("doi")
    doi = doi.lower().removeprefix("https://doi.org/") if isinstance(doi, str) and doi else None
    if arxiv_id:
        paper_id = f"arxiv:{arxiv_id}"
    elif doi:
        paper_id = f"doi:{doi}"
    else:
        digest = hashlib.sha1(f"{' '.join(obj['title'].lower().split())}|{year}".encode()).hexdigest()
        paper_id = f"work:{digest[:16]}"
    authors, seen = [], set()
    for entry in obj.get("authors") or []:
        entry = {"name": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        orcid = entry.get("orcid") or None
        key = name_key(entry["name"])
        author_id = f"orcid:{orcid}" if orcid else (f"name:{key}" if key else None)
        if author_id is None or author_id in seen:  # two people under one key on one paper: listed once
            continue
        seen.add(author_id)
        institution = entry.get("institution")
        institution_id = f"name:{_fold(institution)}" if isinstance(institution, str) and _fold(institution) else None
        authors.append((author_id, entry["name"].strip(), orcid, institution_id,
                        institution if institution_id else None))
    if not authors:
        return None
    categories = [c for c in obj.get("categories") or [] if isinstance(c, str)]
    props = {
        "title": obj["title"].strip(), "abstract": obj.get("abstract"), "year": year, "date": date,
        "doi": doi, "arxiv_id": arxiv_id, "venue": obj.get("venue"), "type": obj.get("type"),
        "cited_by_count": int(obj.get("cited_by_count") or 0), "code_url": obj.get("code_url"),
        "has_code": bool(obj.get("has_code") or obj.get("code_url")), "categories": categories,
        "author_count": len(obj.get("authors") or []), "authors_complete": obj.get("authors_complete", True),
        "sources": ["works"],
    }
    topics = []
    for code in categories:
        archive = code.split(".")[0] if "." in code else "physics"  # hep-th, gr-qc, quant-ph...: physics
        topics.append((f"arxiv:{code}", code, f"arxiv:{archive}", FIELD_NAMES.get(archive, archive)))
    return Record(paper_id, props, year, authors, topics)


def _write(tx: ManagedTransaction, record: Record, max_coauthors: int) -> None:
    """Everything for one record, one statement at a time, in one transaction."""
    created = tx.run(query("bench/naive_paper"), id=record.paper_id, props=record.props).single(strict=True)["created"]
    for position, (topic_id, name, field_id, field_name) in enumerate(record.topics):
        tx.run(query("bench/naive_topic"), paper_id=record.paper_id, id=topic_id, name=name, field_id=field_id,
               field_name=field_name, score=1.0 if position == 0 else 0.5).consume()
    for position, (author_id, name, orcid, institution_id, _) in enumerate(record.authors, start=1):
        tx.run(query("bench/naive_author"), paper_id=record.paper_id, id=author_id, name=name, orcid=orcid,
               position=position, institutions=[institution_id] if institution_id else []).consume()
    if not created:  # a re-run: the counts below already include this paper
        return
    for author_id, _, _, institution_id, institution in record.authors:
        if institution_id:
            tx.run(query("bench/naive_affiliation"), author_id=author_id, id=institution_id, name=institution,
                   year=record.year).consume()
    if len(record.authors) <= max_coauthors:
        for a, b in combinations(sorted(author[0] for author in record.authors), 2):
            tx.run(query("bench/naive_coauthor"), a=a, b=b, year=record.year).consume()
    for author in record.authors:
        tx.run(query("bench/naive_author_stats"), id=author[0]).consume()


@dataclass(frozen=True)
class NaiveSummary:
    read: int
    written: int
    rejected: int
    seconds: float


def read_lines(path: Path, limit: int | None = None) -> Iterator[str]:
    """The lines of a plain or .gz file, streaming; at most ``limit``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            yield line


def load_naive(db: Graph, path: str | Path, *, limit: int | None = None, max_coauthors: int = 100) -> NaiveSummary:
    """Load the first ``limit`` records of ``path`` one record per transaction; what was read, written, rejected."""
    started = time.perf_counter()
    read = written = rejected = 0
    for line in read_lines(Path(path), limit):
        read += 1
        try:
            record = parse(json.loads(line))
        except ValueError:
            record = None
        if record is None:
            rejected += 1
            continue
        db.write_tx(_write, record, max_coauthors)
        written += 1
    return NaiveSummary(read, written, rejected, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    from graph.connect import resolve
    from graph.schema import ensure_schema

    parser = argparse.ArgumentParser(prog="python -m bench.naive", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="load only the first N records")
    args = parser.parse_args(argv)
    config, _ = resolve(start=False)
    with Graph.connect(config) as db:
        ensure_schema(db)
        summary = load_naive(db, args.file, limit=args.limit)
    print(f"naive: read {summary.read:,}, written {summary.written:,}, rejected {summary.rejected:,} "
          f"in {summary.seconds:.1f} s ({summary.written / max(summary.seconds, 1e-9):,.0f} papers/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
