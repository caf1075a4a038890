"""Helpers for the loader tests: whole-graph fingerprints and plain-Python readers of the real files."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from graph.db import Graph


def graph_state(db: Graph) -> tuple[list[str], list[str]]:
    """Every node (labels + properties) and every relationship (ends + type + properties), as sorted JSON.

    Each side comes back as one collected list: a record per node cost the driver two socket reads and the
    decoding of a message, four times the CPU of the whole list in one (2.1 -> 0.5 s on the sample's 61,000)."""
    nodes = db.read_tx(lambda tx: tx.run("MATCH (n) RETURN collect([labels(n), properties(n)])").single()[0])
    rels = db.read_tx(lambda tx: tx.run("MATCH (a)-[r]->(b) RETURN collect([a.id, type(r), b.id, properties(r)])")
                      .single()[0])
    return (sorted(json.dumps([sorted(labels), props], sort_keys=True, default=str) for labels, props in nodes),
            sorted(json.dumps(rel, sort_keys=True, default=str) for rel in rels))


def checksum(db: Graph) -> str:
    nodes, rels = graph_state(db)
    digest = hashlib.sha256()
    for line in nodes + ["--"] + rels:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def count(db: Graph, cypher: str, **params: Any) -> int:
    return db.read_tx(lambda tx: tx.run(cypher, params).single()[0])


def rows(db: Graph, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return db.read_tx(lambda tx: [r.data() for r in tx.run(cypher, params)])


def lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from fh


def h_index(counts: list[int]) -> int:
    ranked = sorted(counts, reverse=True)
    return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)


def pair_stats(papers: list[tuple[list[str], int | None, int]],
               max_authors: int = 100) -> dict[tuple[str, str], list]:
    """(a, b) with a < b -> [joint works, first year, last year] over (keys, year, author count) papers
    with at most ``max_authors`` authors."""
    pairs: dict[tuple[str, str], list] = {}
    for keys, year, author_count in papers:
        if author_count > max_authors:
            continue
        for a, b in combinations(sorted(set(keys)), 2):
            entry = pairs.setdefault((a, b), [0, year, year])
            entry[0] += 1
            if year is not None:
                entry[1] = year if entry[1] is None else min(entry[1], year)
                entry[2] = year if entry[2] is None else max(entry[2], year)
    return pairs


def top_coauthors(pairs: dict[tuple[str, str], list], min_degree: int,
                  size: int) -> dict[str, tuple[list[str], list[int]]]:
    """Author id -> (top_coauthors, top_coauthor_stats) as the loaders should keep them, from ``pair_stats``:
    for authors with more than ``min_degree`` co-authors, the ``size`` strongest (joint works, then last
    year, a missing one lowest, then id), with [works, first year, last year] each, 0 for a missing year."""
    by_author: dict[str, list[tuple[str, list]]] = {}
    for (a, b), stats in pairs.items():
        by_author.setdefault(a, []).append((b, stats))
        by_author.setdefault(b, []).append((a, stats))
    out = {}
    for author, found in by_author.items():
        if len(found) <= min_degree:
            continue
        best = sorted(found, key=lambda x: (-x[1][0], -(x[1][2] or 0), x[0].encode("utf-16-be")))[:size]
        out[author] = ([b for b, _ in best], [v for _, (w, f, la) in best for v in (w, f or 0, la or 0)])
    return out


# -- the bulk path's CSV files, read as neo4j-admin imports them -------------------------------------------------
# A field is a quoted string ("" inside for a quote; may hold line breaks) or bare text up to the next comma or
# line end; a bare empty field is null (no property), a quoted empty one the empty string.
_FIELD = re.compile(r'(?:"([^"]*(?:""[^"]*)*)"|([^,\n"]*))(,|\n|$)')


def csv_records(text: str) -> Iterator[list[str | None]]:
    """The rows of one CSV file of the importer's format, each field a string or None (bare and empty)."""
    row: list[str | None] = []
    position = 0
    while position < len(text):
        match = _FIELD.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"not the importer's CSV at offset {position}: {text[position:position + 40]!r}")
        quoted, bare, separator = match.groups()
        row.append(quoted.replace('""', '"') if quoted is not None else (bare or None))
        position = match.end()
        if separator != ",":
            yield row
            row = []


def _typed(value: str, kind: str, delimiter: str) -> Any:
    """A field's value as the importer stores it for the header type ``kind`` (string when none is named)."""
    scalar = {"long": int, "int": int, "double": float, "float": float, "boolean": lambda v: v == "true",
              "string": str}
    if kind.endswith("[]"):
        return [scalar[kind[:-2]](v) for v in value.split(delimiter)]
    return scalar[kind](value)


def csv_state(nodes: list[tuple[str, list[Path]]], relationships: list[tuple[str, list[Path]]],
              delimiter: str) -> tuple[list[str], list[str]]:
    """``graph_state`` of the graph that importing these files gives (header file + data file per label or
    type, as ``loaders.bulk.write_csv`` leaves them), then ``loaders.bulk.finish``'s one change of data: every
    Paper's missing ``categories`` and ``sources`` set to [] (cypher/bulk/empty_paper_lists.cypher)."""
    def parsed(files: list[Path]) -> tuple[list[str], Iterator[list[str | None]]]:
        header, data = (f.read_bytes().decode("utf-8") for f in files)  # as written: "\r\n" in a field stays
        names = [str(n) for n in next(csv_records(header))]
        return names, csv_records(data)

    ids: dict[tuple[str, int], Any] = {}   # (id group, import id) -> the node's id property
    node_lines = []
    for label, files in nodes:
        names, records = parsed(files)
        for record in records:
            props: dict[str, Any] = {}
            key: tuple[str, int] | None = None
            for name, value in zip(names, record, strict=True):
                if name.startswith(":ID("):
                    key = (name[4:-1], int(str(value)))
                elif value is not None:
                    prop, _, kind = name.partition(":")
                    props[prop] = _typed(value, kind or "string", delimiter)
            if label == "Paper":
                props.setdefault("categories", [])
                props.setdefault("sources", [])
            assert key is not None, f"a {label} row without its :ID column"
            ids[key] = props.get("id")
            node_lines.append(json.dumps([[label], props], sort_keys=True, default=str))
    rel_lines = []
    for rel_type, files in relationships:
        names, records = parsed(files)
        for record in records:
            props = {}
            ends: dict[str, Any] = {}
            for name, value in zip(names, record, strict=True):
                if name.startswith((":START_ID(", ":END_ID(")):
                    end, _, group = name[1:-1].partition("(")
                    ends[end] = ids[(group, int(str(value)))]  # the id may be zero-padded (007 is 7)
                elif value is not None:
                    prop, _, kind = name.partition(":")
                    props[prop] = _typed(value, kind or "string", delimiter)
            rel_lines.append(json.dumps([ends["START_ID"], rel_type, ends["END_ID"], props], sort_keys=True,
                                        default=str))
    return sorted(node_lines), sorted(rel_lines)


def state_differences(mine: tuple[list[str], list[str]], theirs: tuple[list[str], list[str]],
                      limit: int = 6) -> list[str]:
    """What differs between two ``graph_state``s, as readable lines: per node id (or relationship) the
    properties whose values differ, then the nodes and relationships that only one side has."""
    found: list[str] = []
    for kind, index in (("node", 0), ("relationship", 1)):
        def keyed(lines: list[str], index: int = index) -> dict[str, dict[str, Any]]:
            out = {}
            for line in lines:
                parsed = json.loads(line)
                key = json.dumps(parsed[0] + [parsed[1].get("id")] if index == 0 else parsed[:3])
                out[key] = parsed[1] if index == 0 else parsed[3]
            return out

        a, b = keyed(mine[index]), keyed(theirs[index])
        for key in sorted(set(a) & set(b)):
            if a[key] != b[key]:
                changed = {p: (a[key].get(p), b[key].get(p)) for p in set(a[key]) | set(b[key])
                           if a[key].get(p) != b[key].get(p)}
                found.append(f"{kind} {key}: {str(changed)[:300]}")
        found += [f"{kind} {key} only in the first" for key in sorted(set(a) - set(b))]
        found += [f"{kind} {key} only in the second" for key in sorted(set(b) - set(a))]
    return found[:limit]
