"""Expected values for the explorer and path tests, computed from the seed file itself (not from the app).

Mario Geiger's 29 works (``shared/data/seeds/geiger-works.jsonl``) are loaded
by the real loader; the expectations below are built from the same records
with networkx: who wrote what, the co-author graph and its joint-work counts.
Only the name -> id mapping comes from the loader (``loaders.names``), because
ids are part of the contract (``name:<last>_<first initial>``).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import networkx as nx

from graph.db import Graph, run_autocommit
from loaders import load_files
from loaders.names import parse_name
from tests.conftest import shared_file

GEIGER = "name:geiger_m"


@dataclass
class Seed:
    records: list[dict] = field(default_factory=list)
    authors: list[list[str]] = field(default_factory=list)     # per record, ids in byline order, distinct
    names: dict[str, set[str]] = field(default_factory=dict)   # id -> raw spellings
    coauthors: nx.Graph = field(default_factory=nx.Graph)      # edge attribute works

    def papers_of(self, author_id: str) -> list[dict]:
        return [r for r, ids in zip(self.records, self.authors, strict=True) if author_id in ids]

    def joint_titles(self, a: str, b: str) -> set[str]:
        return {r["title"] for r, ids in zip(self.records, self.authors, strict=True) if a in ids and b in ids}


def seed_path() -> Path:
    return shared_file("seeds", "geiger-works.jsonl")


def paperscape_path() -> Path:
    """Every arXiv paper of 1991 (320 records): a co-author graph with paths of up to 5 hops."""
    return shared_file("paperscape", "pscp-1991.csv.gz")


def _add(seed: Seed, record: dict, raw_names: list[str]) -> None:
    ids: list[str] = []
    for raw in raw_names:
        name = parse_name(raw)
        if name is not None and name.key not in ids:
            ids.append(name.key)
            seed.names.setdefault(name.key, set()).add(raw)
    seed.records.append(record)
    seed.authors.append(ids)
    seed.coauthors.add_nodes_from(ids)
    for a, b in combinations(ids, 2):
        works = seed.coauthors.get_edge_data(a, b, {"works": 0})["works"]
        seed.coauthors.add_edge(a, b, works=works + 1)


def as_his_list(record: dict) -> dict:
    """The record as the sample loads it: the seed is Mario Geiger's own list, so where its
    author list was cut ("et al.") before his name he is credited after the listed authors."""
    names = list(record["authors"])
    if record.get("authors_complete") is False and "Mario Geiger" not in names:
        names.append("Mario Geiger")
    return {**record, "authors": names}


def person(name: str) -> str:
    """The tests' own key for a person's name, written independently of ``loaders.names``:
    last word + first initial, lower-case, accents stripped."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[\s.]+", text) if w]
    return re.sub(r"[^a-z]", "", words[-1]) + "_" + words[0][0]


def seed_records() -> list[dict]:
    """The seed as the bundled sample loads it: Geiger's own list (see ``as_his_list``)."""
    lines = seed_path().read_text(encoding="utf-8").splitlines()
    return [as_his_list(json.loads(line)) for line in lines if line.strip()]


def read_seed(*, with_1991: bool = False, as_owner_list: bool = False) -> Seed:
    """The seed's records and co-author graph (plus Paperscape's 1991 papers when asked).

    ``as_owner_list``: read it as the bundled sample loads it (``as_his_list``).
    """
    seed = Seed()
    with seed_path().open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if as_owner_list:
                record = as_his_list(record)
            _add(seed, record, record["authors"])
    if with_1991:
        with gzip.open(paperscape_path(), "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                fields = line.rstrip("\n").split(";", 6)
                _add(seed, {"title": " ".join(fields[6].split()), "arxiv_id": fields[0]},
                     [a for a in fields[5].split(",") if a.strip()])
    return seed


def load_seed(db: Graph, tmp: Path, *, with_1991: bool = False) -> None:
    """Empty the graph and load the seed file (and Paperscape 1991) with the project's loader."""
    run_autocommit(db, "maintenance/delete_all")
    summary = load_files(db, "works", [seed_path()], rejects=tmp / "rejects.jsonl", progress=False)
    assert summary.rejected == 0 and summary.written == 29
    if with_1991:
        summary = load_files(db, "paperscape", [paperscape_path()], rejects=tmp / "rejects-1991.jsonl",
                             progress=False)
        assert summary.rejected == 0 and summary.read > 300


def category_counts(records: list[dict]) -> Counter[str]:
    return Counter(f"arxiv:{c}" for r in records for c in dict.fromkeys(r["categories"]))
