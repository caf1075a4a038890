"""AI share, novelty and CD: pure functions, Mario Geiger's profile, and Paperscape 1991-93 against plain Python.

Expected values are computed here from the files themselves (the seed list's categories; Paperscape's
CSV lines read with ``split(";")``), by a direct transcription of the published definitions: every
pair of references expanded, numpy's percentile, networkx for the citation graph.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from itertools import combinations
from urllib.parse import quote

import networkx as nx
import numpy as np
import pytest

from graph import metrics as m
from graph.db import Graph
from loaders import load_files
from loaders.metrics import derive_metrics
from tests.conftest import ROOT, shared_file
from tests.loader_helpers import rows

AI = {"cs.AI", "cs.LG", "stat.ML", "cs.CL", "cs.CV", "cs.RO", "cs.MA"}


# -- pure functions --------------------------------------------------------------------------------

def test_class_pairs_count_every_pair_of_references_once() -> None:
    refs = ["a", "b", "a", "c", "a"]
    expected = Counter(tuple(sorted(p)) for p in combinations(refs, 2))
    assert m.class_pairs(refs) == expected
    assert sum(m.class_pairs(refs).values()) == 10


@pytest.mark.parametrize("q", [0, 10, 37.5, 50, 100])
def test_weighted_percentile_is_numpys_linear_percentile(q: float) -> None:
    values = {0.2: 3, 1.5: 1, 0.9: 4, 7.0: 2}
    expanded = [v for v, n in values.items() for _ in range(n)]
    assert m.weighted_percentile(values, q) == pytest.approx(float(np.percentile(expanded, q)))


def test_primary_subfield_is_unknown_when_top_topics_tie_across_subfields() -> None:
    assert m.primary_subfield(["openalex:subfields/1702"]) == m.AI_SUBFIELD
    assert m.primary_subfield(["openalex:subfields/1702", "openalex:subfields/1702"]) == m.AI_SUBFIELD
    assert m.primary_subfield(["openalex:subfields/1702", "openalex:subfields/2739"]) is None
    assert m.primary_subfield(["openalex:subfields/1702", None]) is None
    assert m.primary_subfield([]) is None


def test_ai_work_judges_by_category_or_primary_subfield() -> None:
    assert m.ai_work(["physics.comp-ph", "cs.LG"], []) is True  # a cross-list counts
    assert m.ai_work(["hep-th"], []) is False
    assert m.ai_work([], ["openalex:subfields/1702"]) is True
    assert m.ai_work([], ["openalex:subfields/2739"]) is False
    assert m.ai_work([], ["openalex:subfields/1702", "openalex:subfields/2739"]) is None  # tie: cannot judge
    assert m.ai_work([], []) is None


def test_a_paper_citing_no_known_classes_is_not_eligible() -> None:
    years = {"p": 2000, **{f"r{i}": 1999 for i in range(6)}}
    classes: dict[str, str | None] = {f"r{i}": None for i in range(6)}
    assert m.novelty(years, classes, {"p": [f"r{i}" for i in range(6)]}) == {}


# -- Mario Geiger on the bundled sample -------------------------------------------------------------

@pytest.fixture(scope="module")
def geiger(app, sample_db) -> dict:
    client = app.test_client()
    hits = client.get("/api/search?q=Mario%20Geiger&type=author").get_json()["results"]
    assert hits and hits[0]["label"] == "Mario Geiger"
    answer = client.get(f"/api/authors/{quote(hits[0]['id'], safe='')}")
    assert answer.status_code == 200
    return answer.get_json()


def test_geiger_ai_share_follows_from_the_seed_categories(geiger: dict) -> None:
    with (ROOT / "data" / "sample" / "geiger-works.jsonl").open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    judged = [r for r in records if r.get("categories")]
    ai = [r for r in judged if AI & set(r["categories"])]
    share = geiger["ai_share"]
    assert share["version"] == "ai-share-v1"
    assert share["works_considered"] == len(judged) == 29
    assert share["ai_works"] == len(ai)
    assert share["value"] == pytest.approx(len(ai) / len(judged))
    assert share["reason"] is None


def test_geiger_novelty_says_why_it_is_missing(geiger: dict) -> None:
    # The seed list has no references: no work is eligible.
    novelty = geiger["novelty"]
    assert novelty == {"value": None, "eligible_works": 0, "novel_works": 0, "version": "novelty-v1",
                       "reason": novelty["reason"]}
    assert "not enough data" in novelty["reason"] and "at least 3" in novelty["reason"]


def test_openalex_ai_share_matches_the_records_primary_topics(sample_db: Graph) -> None:
    """OpenAlex works of the sample: AI work exactly when the record's primary topic is under subfield 1702."""
    expected = {}
    with gzip.open(ROOT / "data" / "sample" / "openalexpro-works.raw.jsonl.gz", "rt") as f:
        for line in f:
            record = json.loads(line)
            topics = record.get("topics") or []
            # No title: rejected. A work without authorships is a paper all the same and is counted.
            if not topics or not (record.get("title") or record.get("display_name") or "").strip():
                continue
            top = max(t["score"] for t in topics)
            subfields = {t["subfield"]["id"].rsplit("/", 1)[-1] for t in topics if t["score"] == top}
            if len(subfields) == 1:  # a tie across subfields cannot be told apart in the graph
                expected[record["id"].rsplit("/", 1)[-1]] = subfields == {"1702"}
    got = {r["oa"]: r["ai"] for r in rows(sample_db, "MATCH (p:Paper) WHERE p.openalex_id IS NOT NULL "
                                                      "AND size(coalesce(p.categories, [])) = 0 "
                                                      "RETURN p.openalex_id AS oa, p.ai_work AS ai")}
    assert sum(expected.values()) > 10
    assert {k: got.get(k) for k in expected} == expected
    assert all(v is None for k, v in got.items() if k not in expected)


# -- Paperscape 1991-1993 ---------------------------------------------------------------------------

YEARS = (1991, 1992, 1993)


def _paperscape() -> tuple[dict[str, int], dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    """(year, primary category, cited ids, author strings) of every loadable line, read with split(';')."""
    year, klass, refs, authors = {}, {}, {}, {}
    for y in YEARS:
        with gzip.open(shared_file("paperscape", f"pscp-{y}.csv.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                pid, cats, _, _, cited, names, _title = line.rstrip("\n").split(";", 6)
                if not names.strip():  # rejected by the loader (empty author list): not a paper of the graph
                    continue
                two = int(pid.rsplit("/", 1)[-1][:2])
                year[pid] = (1900 if two >= 91 else 2000) + two
                klass[pid] = "arxiv:" + cats.split(",")[0]
                refs[pid] = list(dict.fromkeys(r for r in cited.split(",") if r and r != pid))
                authors[pid] = [a for a in names.split(",") if a.strip()]
    return year, klass, refs, authors


def _expected_novelty(year: dict[str, int], klass: dict[str, str],
                      refs: dict[str, list[str]]) -> dict[str, tuple[float, tuple[str, str], float]]:
    """Lee, Walsh & Wang as written: every reference pair expanded; (p10, rarest pair, its commonness)."""
    pair_lists = {}
    n_ij: dict[int, Counter] = defaultdict(Counter)
    for pid, cited in refs.items():
        known = [klass[r] for r in cited if r in klass]
        pairs = [tuple(sorted(p)) for p in combinations(known, 2)]
        pair_lists[pid] = (pairs, len(known))
        n_ij[year[pid]].update(pairs)
    n_i: dict[int, Counter] = defaultdict(Counter)
    for t, counts in n_ij.items():
        for (a, b), n in counts.items():
            for c in {a, b}:
                n_i[t][c] += n
    out = {}
    for pid, (pairs, known) in pair_lists.items():
        if known < 5:
            continue
        t = year[pid]
        total = sum(n_ij[t].values())
        values = [(n_ij[t][p] * total / (n_i[t][p[0]] * n_i[t][p[1]]), p) for p in pairs]
        rarest = min(values)
        out[pid] = (float(np.percentile([v for v, _ in values], 10)), rarest[1], rarest[0])
    return out


def _expected_cd(year: dict[str, int], refs: dict[str, list[str]]) -> dict[str, float]:
    g = nx.DiGraph()
    for pid, cited in refs.items():
        g.add_node(pid)
        g.add_edges_from((pid, r) for r in cited)
    out = {}
    for focal in refs:
        predecessors = set(g.successors(focal))
        citers = set(g.predecessors(focal))
        if len(predecessors) < 5 or len(citers) < 5:
            continue
        others = set().union(*(g.predecessors(r) for r in predecessors)) - {focal}
        others = {c for c in others if year.get(c, 0) >= year[focal]}
        n_i, n_j, n_k = len(citers - others), len(citers & others), len(others - citers)
        out[focal] = (n_i - n_j) / (n_i + n_j + n_k)
    return out


@pytest.fixture(scope="module")
def paperscape_db(module_db: Graph, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    files = [shared_file("paperscape", f"pscp-{y}.csv.gz") for y in YEARS]
    load_files(module_db, "paperscape", files, rejects=tmp_path_factory.mktemp("rej") / "r.jsonl", progress=False)
    return module_db


def test_novelty_of_every_paper_matches_the_definition(paperscape_db: Graph) -> None:
    year, klass, refs, _ = _paperscape()
    expected = _expected_novelty(year, klass, refs)
    got = {r["id"].removeprefix("arxiv:"): r for r in rows(
        paperscape_db, "MATCH (p:Paper) WHERE p.novelty_p10 IS NOT NULL RETURN p.id AS id, p.novelty_p10 AS p10, "
                       "p.novel AS novel, p.rarest_pair_a AS a, p.rarest_pair_b AS b, "
                       "p.rarest_pair_commonness AS c, p.novelty_version AS version")}
    assert len(expected) > 400
    assert set(got) == set(expected)
    for pid, (p10, pair, rarest) in expected.items():
        row = got[pid]
        assert row["p10"] == pytest.approx(p10, rel=1e-9), pid
        assert row["novel"] is (p10 < 1), pid
        assert (row["a"], row["b"]) == pair, pid
        assert row["c"] == pytest.approx(rarest, rel=1e-9), pid
        assert row["version"] == "novelty-v1"
    assert 0 < sum(p10 < 1 for p10, _, _ in expected.values()) < len(expected)


def test_cd_index_matches_networkx(paperscape_db: Graph) -> None:
    year, _, refs, _ = _paperscape()
    expected = _expected_cd(year, refs)
    got = {r["id"].removeprefix("arxiv:"): r["cd"] for r in rows(
        paperscape_db, "MATCH (p:Paper) WHERE p.cd_index IS NOT NULL RETURN p.id AS id, p.cd_index AS cd")}
    assert len(expected) > 20  # 33 papers: 1993 is the last loaded year, so few have 5 citing papers
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())
    assert min(expected.values()) < 0 < max(expected.values())


def test_author_novelty_is_the_share_of_their_novel_works(paperscape_db: Graph) -> None:
    year, klass, refs, authors = _paperscape()
    novel = {pid: p10 < 1 for pid, (p10, _, _) in _expected_novelty(year, klass, refs).items()}
    got = rows(paperscape_db, "MATCH (a:Author) WHERE a.novelty_eligible >= 3 "
                              "RETURN a.id AS id, a.novelty AS novelty, a.novelty_eligible AS eligible, "
                              "[(a)-[:AUTHORED]->(p) | p.arxiv_id] AS papers ORDER BY a.novelty_eligible DESC "
                              "LIMIT 50")
    assert len(got) == 50
    for r in got:
        # The papers come from the graph; whether each is eligible and novel comes from the files.
        mine = [novel[p] for p in r["papers"] if p in novel]
        assert r["eligible"] == len(mine)
        assert r["novelty"] == pytest.approx(sum(mine) / len(mine))
    few = rows(paperscape_db, "MATCH (a:Author) WHERE a.novelty_eligible < 3 RETURN a.novelty AS n LIMIT 100")
    assert few and all(r["n"] is None for r in few)


def test_a_second_pass_writes_nothing(paperscape_db: Graph) -> None:
    assert derive_metrics(paperscape_db).skipped, "the load's pass cleared its marks: nothing left to do"
    again = derive_metrics(paperscape_db, force=True)  # from scratch: the stored figures are already these
    assert not again.skipped and again.papers > 4000
    assert again.papers_written == 0 and again.authors_written == 0


def test_work_metrics_name_the_rarest_pair_and_cd(paperscape_db: Graph) -> None:
    from loaders.topics import category_topic

    year, klass, refs, _ = _paperscape()
    novelty = _expected_novelty(year, klass, refs)
    cd = _expected_cd(year, refs)
    both = sorted(set(novelty) & set(cd))
    assert both
    got = m.work_metrics(paperscape_db, [f"arxiv:{p}" for p in both] + ["arxiv:no-such/0000000"])
    assert set(got) == {f"arxiv:{p}" for p in both}
    for pid in both:
        p10, (a, b), rarest = novelty[pid]
        row = got[f"arxiv:{pid}"]
        names = tuple(category_topic(c.removeprefix("arxiv:")).name for c in (a, b))
        assert row.rarest == names and row.rarest_commonness == pytest.approx(rarest)
        assert row.novel is (p10 < 1) and row.cd == pytest.approx(cd[pid])


def test_a_work_line_shows_the_pair_and_cd() -> None:
    from dashboards.metrics_widgets import work_metric_line

    line = work_metric_line(m.WorkMetrics("x", True, 0.4, ("Quantum Physics", "Optics"), 0.25, -0.5))
    assert line is not None
    text = " ".join(part.children for part in line.children)
    assert "novel: rarest cited pair Quantum Physics \u00d7 Optics (commonness 0.25)" in text
    assert "CD -0.50" in text
    assert work_metric_line(None) is None
    assert work_metric_line(m.WorkMetrics("x", None, None, None, None, None)) is None
