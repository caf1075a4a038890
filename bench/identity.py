"""The identity benchmark: how well name-only authorships become people, against OpenAlex's author ids.

``python -m bench.identity [--variant all|names|initials|orcid] [--pure] [--write-docs]``

1. The real McMaster OpenAlex file (``shared/data/openalex/mcmaster-works.openalex.jsonl.gz``)
   is rewritten as plain publication lists (``works`` source) without author ids: the
   author's display name, title, year, venue, topics, DOI (a paper's id, not an
   author's). Variants: ``names``; ``initials`` (42 % of given names cut to initials, as
   arXiv bylines are; which ones is fixed by a hash of work and position); ``orcid``
   (names plus institution names and ORCIDs).
2. The list is loaded with ``loaders.load_files`` into an empty throwaway Neo4j (or, with
   ``--pure``, resolved in batches of the same size by ``loaders.people`` with the bulk
   loader's in-memory book: no database, seconds, used to tune the rules; ``--pure --whole``
   decides the whole file at once, as the loader's plan does, and gives the loader's figures).
3. Every authorship is mapped back to its Author node (paper id, position) and B-cubed
   precision, recall and F1 are computed against the OpenAlex author ids: over all
   authorships, over authors with >= 5 papers, and for the old key ``<last>_<initial>``.
   The predicted person merging the most true people is shown.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "openalex" / "mcmaster-works.openalex.jsonl.gz"
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench.identity:begin -->", "<!-- bench.identity:end -->"
VARIANTS = ("names", "initials", "orcid")
INITIALS_SHARE = 0.42
TARGETS = {"names": 0.97, "initials": 0.95, "orcid": 0.985}


@dataclass
class Corpus:
    records: list[dict[str, Any]]
    truth: dict[tuple[str, int], str]  # (paper id, 1-based position) -> OpenAlex author id
    dropped: int  # records whose paper id repeats an earlier one (kept out: their authorships would mix)


def _cut(name: str, key: str) -> str:
    """``name`` with its given names as initials for INITIALS_SHARE of the keys ("Mario Geiger" -> "M. Geiger")."""
    if int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF >= INITIALS_SHARE:
        return name
    parts = name.split()
    if len(parts) < 2:
        return name
    return " ".join([p[0] + "." if p[:1].isalpha() else p for p in parts[:-1]] + parts[-1:])


def openalex_records(path: Path = DATA) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def build(variant: str, path: Path = DATA) -> Corpus:
    """The plain records of ``variant`` and the truth of every authorship."""
    from loaders import works as plain
    from loaders.model import BadRecord

    records, truth, seen, dropped = [], {}, set(), 0
    for work in openalex_records(path):
        authors, ids = [], []
        for n, a in enumerate(work.get("authorships") or []):
            name = (a.get("author") or {}).get("display_name") or a.get("raw_author_name")
            if not name:
                continue
            if variant == "initials":
                name = _cut(name, f"{work['id']}|{n}")
            entry: Any = name
            if variant == "orcid":
                orcid = (a.get("author") or {}).get("orcid")
                entry = {"name": name, "orcid": orcid.rsplit("/", 1)[-1] if orcid else None,
                         "institutions": [i["display_name"] for i in a.get("institutions") or []
                                          if i.get("display_name")]}
            authors.append(entry)
            ids.append((a.get("author") or {}).get("id"))
        venue = ((work.get("primary_location") or {}).get("source") or {}).get("display_name")
        record = {"title": work.get("title"), "year": work.get("publication_year"), "authors": authors,
                  "doi": work.get("doi"), "venue": venue,
                  "topics": [t["id"] for t in work.get("topics") or [] if t.get("id")]}
        try:
            parsed = plain.parse(record)
        except BadRecord:
            continue
        paper = parsed.default_id
        if paper in seen:
            dropped += 1
            continue
        seen.add(paper)
        records.append(record)
        # The parser keeps one authorship per spelling: map its authors back to the OpenAlex ids by byline.
        by_name: dict[str, str | None] = {}
        for entry, ident in zip(authors, ids, strict=True):
            by_name.setdefault(entry if isinstance(entry, str) else entry["name"], ident)
        for position, author in enumerate(parsed.authors, start=1):
            ident = by_name.get(author.raw_name)
            if ident:
                truth[(paper, position)] = ident
    return Corpus(records, truth, dropped)


# -- clusterings ------------------------------------------------------------
def predicted_pure(corpus: Corpus, batch_size: int) -> dict[tuple[str, int], str]:
    """(paper, position) -> person id, resolved in batches by loaders.people with the in-memory book.

    ``batch_size`` 0: the whole file as one batch, which is what the loader's ``Plan`` decides (same figures).
    """
    from loaders import works as plain
    from loaders.people import Book, batch_blocks, resolve

    book, out = Book(), {}
    batch_size = batch_size if batch_size > 0 else max(1, len(corpus.records))
    for start in range(0, len(corpus.records), batch_size):
        works = [plain.parse(r) for r in corpus.records[start:start + batch_size]]
        ids = [w.default_id for w in works]
        resolved = resolve(works, ids, book.people(batch_blocks(works)))
        book.add(resolved, ids)
        for work, paper in zip(resolved, ids, strict=True):
            for position, author in enumerate(work.authors, start=1):
                out[(paper, position)] = author.id
    return out


def predicted_keys(corpus: Corpus) -> dict[tuple[str, int], str]:
    """The old rule: one person per ``<last>_<first initial>`` key."""
    from loaders import works as plain

    out = {}
    for record in corpus.records:
        work = plain.parse(record)
        for position, author in enumerate(work.authors, start=1):
            out[(work.default_id, position)] = author.id
    return out


def predicted_graph(corpus: Corpus, batch_size: int) -> tuple[dict[tuple[str, int], str], float]:
    """Load the corpus with the project's loader into a throwaway Neo4j; (paper, position) -> Author id."""
    from graph.db import Graph, GraphConfig
    from graph.schema import ensure_schema
    from graph.server import USER, LocalServer, Settings
    from loaders import load_files

    with tempfile.TemporaryDirectory(prefix="bench-identity-") as tmp:
        path = Path(tmp) / "works.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in corpus.records), encoding="utf-8")
        server = LocalServer(Path(tmp) / "neo4j", Settings(heap="1g", pagecache="256m", tx_timeout="600s"))
        info = server.start(bolt_port=None, http_port=None, quiet=True)
        try:
            config = GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j")
            with Graph.connect(config) as db:
                ensure_schema(db)
                started = time.monotonic()
                load_files(db, "works", [path], rejects=Path(tmp) / "rejects.jsonl", batch_size=batch_size,
                           progress=False)
                seconds = time.monotonic() - started
                records, _, _ = db.driver.execute_query(
                    "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN p.id AS paper, r.position AS position, "
                    "a.id AS author", database_=config.database)
                return {(r["paper"], r["position"]): r["author"] for r in records}, seconds
        finally:
            server.stop()


# -- B-cubed ----------------------------------------------------------------
@dataclass
class Scores:
    precision: float
    recall: float
    items: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(truth: dict[tuple[str, int], str], predicted: dict[tuple[str, int], str],
           only: Iterable[tuple[str, int]] | None = None) -> Scores:
    """B-cubed precision and recall over the authorships in ``only`` (default: every one with a truth)."""
    items = [k for k in truth if k in predicted]
    joint: Counter[tuple[str, str]] = Counter((predicted[k], truth[k]) for k in items)
    size_p: Counter[str] = Counter(predicted[k] for k in items)
    size_t: Counter[str] = Counter(truth[k] for k in items)
    chosen = [k for k in (only if only is not None else items) if k in predicted and k in truth]
    if not chosen:
        return Scores(0.0, 0.0, 0)
    p = sum(joint[(predicted[k], truth[k])] / size_p[predicted[k]] for k in chosen) / len(chosen)
    r = sum(joint[(predicted[k], truth[k])] / size_t[truth[k]] for k in chosen) / len(chosen)
    return Scores(p, r, len(chosen))


def worst_cluster(truth: dict[tuple[str, int], str], predicted: dict[tuple[str, int], str]) -> tuple[str, int, int]:
    """The predicted person merging the most true people: (id, true people, authorships)."""
    people: dict[str, set[str]] = defaultdict(set)
    size: Counter[str] = Counter()
    for k, t in truth.items():
        if k in predicted:
            people[predicted[k]].add(t)
            size[predicted[k]] += 1
    ident = max(people, key=lambda i: (len(people[i]), size[i], i))
    return ident, len(people[ident]), size[ident]


def evaluate(variant: str, mode: str, batch_size: int) -> list[str]:
    corpus = build(variant)
    seconds = None
    if mode == "keys":
        predicted = predicted_keys(corpus)
    elif mode.startswith("pure"):
        started = time.monotonic()
        predicted = predicted_pure(corpus, batch_size)
        seconds = time.monotonic() - started
    else:
        predicted, seconds = predicted_graph(corpus, batch_size)
    papers: Counter[str] = Counter(corpus.truth.values())
    prolific = [k for k, t in corpus.truth.items() if papers[t] >= 5]
    everyone, five = bcubed(corpus.truth, predicted), bcubed(corpus.truth, predicted, prolific)
    worst, true_people, size = worst_cluster(corpus.truth, predicted)
    target = TARGETS[variant]
    met = "met" if everyone.precision >= target and everyone.recall >= target else "missed"
    took = f"{seconds:.0f} s" if seconds is not None else "-"
    return [f"| {variant} | {mode} | {everyone.items:,} | {len(set(corpus.truth.values())):,} | "
            f"{everyone.precision:.3f} | {everyone.recall:.3f} | {everyone.f1:.3f} | "
            f"{five.precision:.3f} / {five.recall:.3f} / {five.f1:.3f} | `{worst}`: {true_people} people, "
            f"{size} authorships | ≥ {target} each: {met if mode != 'keys' else 'before'} | {took} |"]


HEADER = ("| variant | clustering | authorships | true people | precision | recall | F1 | "
          "authors ≥ 5 papers P / R / F1 | largest merge | target | time |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")


def write_docs(text: str) -> None:
    page = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    section = f"{BEGIN}\n{text.strip()}\n{END}"
    if BEGIN in page and END in page:
        head, rest = page.split(BEGIN, 1)
        page = head + section + rest.split(END, 1)[1]
    else:
        page = page.rstrip() + "\n\n## Identity (`bench.identity`)\n\n" + section + "\n"
    DOCS.write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variant", choices=("all", *VARIANTS), default="all")
    parser.add_argument("--pure", action="store_true", help="resolve in memory (no Neo4j): the rules only")
    parser.add_argument("--keys", action="store_true", help="also score the old <last>_<initial> keys")
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--whole", action="store_true",
                        help="with --pure: decide the whole file at once, as the loader does (its figures)")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    variants = VARIANTS if args.variant == "all" else (args.variant,)
    lines = [HEADER]
    for variant in variants:
        if args.keys:
            lines += evaluate(variant, "keys", args.batch_size)
        if args.pure:
            lines += evaluate(variant, "pure whole" if args.whole else "pure",
                              0 if args.whole else args.batch_size)
        else:
            lines += evaluate(variant, "loader", args.batch_size)
        print(lines[-1], file=sys.stderr, flush=True)
    command = "python -m bench.identity" + " ".join(
        [""] + [f"--variant {args.variant}"] * (args.variant != "all") + ["--pure"] * args.pure
        + ["--whole"] * args.whole + ["--keys"] * args.keys + ["--write-docs"] * args.write_docs)
    text = "\n".join(lines) + f"\n\nCommand: `{command}` ({time.strftime('%Y-%m-%d', time.gmtime())})."
    print(text)
    if args.write_docs:
        write_docs(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
