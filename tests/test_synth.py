"""The benchmark's synthetic corpus (bench.synth) and its naive yardstick loader (bench.naive).

Shape checks run on 20,000 generated papers; the graph checks load a few
generated records and compare with what networkx computes from the same records.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest

from bench import load, naive, pools, synth
from graph.db import Graph

N = 20_000
CATEGORIES = {code for code, _ in pools.ARXIV_CATEGORIES}
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.(\d{5})$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(synth.records(N, seed=1))


def test_the_same_seed_gives_the_same_corpus_and_another_seed_another() -> None:
    first, again, other = (list(synth.lines(400, seed=s)) for s in (7, 7, 8))
    assert first == again
    assert first != other
    assert len(first) == 400


def test_write_streams_a_gzip_file_with_the_same_lines(tmp_path) -> None:
    written = synth.write(tmp_path / "c.jsonl.gz", 500, seed=2)
    with gzip.open(written.path, "rt", encoding="utf-8") as fh:
        assert fh.read().splitlines() == list(synth.lines(500, seed=2))
    assert written.papers == 500 and written.authors > 0
    assert not (tmp_path / "c.jsonl.gz.partial").exists()


def test_orcid_check_digit_follows_iso_7064() -> None:
    # ORCID's documented example: 0000-0002-1825-0097.
    assert synth.orcid_checksum("000000021825009") == "7"
    assert synth.orcid_checksum("000000021694233") == "X"  # 0000-0002-1694-233X


def test_every_record_is_a_valid_publication_list_record(corpus: list[dict]) -> None:
    allowed = {"title", "authors", "date", "year", "categories", "venue", "type", "doi", "arxiv_id", "abstract",
               "has_code", "code_url", "cited_by_count"}
    arxiv_ids, dois = set(), set()
    for rec in corpus:
        assert set(rec) <= allowed and {"title", "authors", "date", "year", "categories"} <= set(rec)
        assert isinstance(rec["title"], str) and rec["title"].strip()
        assert rec["date"][:4] == str(rec["year"]) and 1991 <= rec["year"] <= 2025
        assert 1 <= len(rec["categories"]) <= 5 and len(set(rec["categories"])) == len(rec["categories"])
        assert set(rec["categories"]) <= CATEGORIES
        assert rec.get("arxiv_id") or rec.get("doi"), "every paper has an arXiv id or a DOI"
        if "arxiv_id" in rec:
            yymm = ARXIV_ID.match(rec["arxiv_id"])
            assert yymm and yymm.group(1) == rec["date"][2:4] and yymm.group(2) == rec["date"][5:7]
            arxiv_ids.add(rec["arxiv_id"])
        if "doi" in rec:
            assert DOI.match(rec["doi"])
            dois.add(rec["doi"].lower())
        assert isinstance(rec["has_code"], bool) and (rec["has_code"] == ("code_url" in rec))
        assert isinstance(rec["cited_by_count"], int) and rec["cited_by_count"] >= 0
        for author in rec["authors"]:
            assert set(author) <= {"name", "orcid", "institution"} and author["name"].strip()
            if "orcid" in author:
                assert ORCID.match(author["orcid"]) and rec["year"] >= 2013
                digits = author["orcid"].replace("-", "")
                assert synth.orcid_checksum(digits[:15]) == digits[15]
    assert len(arxiv_ids) == sum("arxiv_id" in r for r in corpus), "arXiv ids are unique"
    assert len(dois) == sum("doi" in r for r in corpus), "DOIs are unique"
    assert 0.8 < len(arxiv_ids) / N < 1 and 0.2 < len(dois) / N < 0.6


def test_papers_come_in_date_order_and_grow_over_the_years(corpus: list[dict]) -> None:
    dates = [r["date"] for r in corpus]
    assert dates == sorted(dates)
    per_year = Counter(r["year"] for r in corpus)
    assert per_year[2025] > 20 * per_year[1991] > 0
    assert all(per_year[y] <= per_year[y + 1] for y in range(1991, 2025))


def test_authors_per_paper_are_heavy_tailed(corpus: list[dict]) -> None:
    sizes = [len(r["authors"]) for r in corpus]
    assert sum(1 <= n <= 8 for n in sizes) / N > 0.75, "most papers have 1-8 authors"
    assert 0.005 < sum(20 <= n <= 100 for n in sizes) / N < 0.05, "some have 20-100"
    big = [n for n in sizes if n >= 300]
    assert 5 <= len(big) <= 100 and max(big) <= 3000, "a few collaboration papers of 300-3,000"
    assert statistics.median(sizes) <= 5


def test_productivity_is_zipf_like_and_the_pool_grows_with_the_corpus() -> None:
    # At the benchmark's size: on small corpora the collaborations' thousands of members weigh more.
    papers_by_person: Counter[int] = Counter()
    corpus = synth.Corpus(100_000, seed=1, tally=papers_by_person)
    for _ in corpus.lines():
        pass
    assert 0.6 <= corpus.n_authors / 100_000 <= 1.0
    counts = sorted(papers_by_person.values(), reverse=True)
    assert counts[0] >= 1000 and counts[2] >= 500, "a few people write very many papers"
    assert counts[0] >= 10 * counts[len(counts) // 100], "... far more than the top percent"
    assert sum(c == 1 for c in counts) / len(counts) > 0.1, "many write one paper"
    # Rank-frequency falls like a power law: the 10th has far more than the 1000th, the 1000th more than the median.
    assert counts[9] > 5 * counts[999] > 5 * statistics.median(counts)


def test_people_repeat_collaborations(corpus: list[dict]) -> None:
    pairs: Counter[tuple[str, str]] = Counter()
    for rec in corpus:
        names = sorted({a["name"] for a in rec["authors"]})
        if len(names) <= 8:
            pairs.update(combinations(names, 2))
    assert sum(c >= 2 for c in pairs.values()) / len(pairs) > 0.1, "pairs write together again"


def test_names_include_non_ascii_and_the_name_key_merges_some_people() -> None:
    from loaders.names import parse_name

    corpus = synth.Corpus(N, seed=1)
    for _ in corpus.lines():
        pass
    full_names = [corpus.profile(k)[0] for k in range(corpus.n_authors)]
    assert sum(not n.isascii() for n in full_names) / len(full_names) > 0.03
    keys = {parse_name(json.loads(f'"{n}"')).key for n in full_names}
    # Real name-keyed data merges some distinct people ("Wang, J."), but most keys stay one person.
    assert 0.6 * len(full_names) < len(keys) < 0.97 * len(full_names)


def test_institutions_are_skewed_and_change_over_a_career(corpus: list[dict]) -> None:
    per_institution: Counter[str] = Counter()
    by_orcid: dict[str, set[str]] = {}
    for rec in corpus:
        for a in rec["authors"]:
            if "institution" in a:
                per_institution[a["institution"]] += 1
                if "orcid" in a:
                    by_orcid.setdefault(a["orcid"], set()).add(a["institution"])
    assert 1000 <= len(per_institution) <= 3000
    top, median = per_institution.most_common(1)[0][1], statistics.median(per_institution.values())
    assert top > 20 * median
    assert sum(len(s) >= 2 for s in by_orcid.values()) / len(by_orcid) > 0.1, "people move"


def test_the_works_loader_rejects_none_of_a_thousand_records(tmp_path) -> None:
    from loaders import works
    from loaders.model import BadRecord

    failures = []
    for n, rec in enumerate(synth.records(1000, seed=3), start=1):
        try:
            work = works.parse(rec)
        except BadRecord as exc:
            failures.append((n, str(exc)))
            continue
        assert work.title and work.authors and work.year == rec["year"]
    assert failures == []


def test_the_project_loader_loads_every_generated_paper(db: Graph, tmp_path) -> None:
    from loaders import load_files

    path = synth.write(tmp_path / "c.jsonl.gz", 120, seed=4).path
    summary = load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", progress=False)
    assert (summary.read, summary.rejected) == (120, 0)
    check = db.read_one("bench/derived_check")
    assert check["papers"] == 120
    assert check["works_count_sum"] == check["authored"] and check["authors_without_works_count"] == 0
    assert check["coauthor"] > 0 and check["affiliated_with"] > 0


# -- the naive loader -------------------------------------------------------------
@pytest.mark.parametrize(("name", "key"), [
    ("Mario Geiger", "geiger_m"), ("M. Geiger", "geiger_m"), ("Christopher V. Rovemura", "rovemura_c"),
    ("Zoë Tran", "tran_z"), ("Jörg Müller", "muller_j"), ("Ştefan Çelik", "celik_s"), ("Madonna", "madonna"),
])
def test_naive_name_key(name: str, key: str) -> None:
    assert naive.name_key(name) == key


def test_naive_parse_rejects_records_without_title_or_authors() -> None:
    assert naive.parse({"title": "", "authors": ["A B"]}) is None
    assert naive.parse({"title": "T", "authors": []}) is None
    assert naive.parse(["not", "an", "object"]) is None
    rec = naive.parse({"title": "T", "year": 2020, "doi": "https://doi.org/10.1/ABC", "authors": ["A B"]})
    assert rec is not None and rec.paper_id == "doi:10.1/abc"


def test_naive_loader_writes_the_graph_its_records_describe(db: Graph, tmp_path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [line for line in synth.lines(400, seed=5) if len(json.loads(line)["authors"]) <= 5][:16]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = [naive.parse(json.loads(line)) for line in lines]

    summary = naive.load_naive(db, path)
    assert (summary.read, summary.written, summary.rejected) == (16, 16, 0)

    # Expected from the records: co-author pairs with joint works, and per author works, citations, h-index.
    expected = nx.Graph()
    papers_of: dict[str, list[int]] = {}
    for rec in records:
        ids = [a[0] for a in rec.authors]
        for author_id in ids:
            papers_of.setdefault(author_id, []).append(rec.props["cited_by_count"])
        for a, b in combinations(ids, 2):
            works = expected.edges[a, b]["works"] + 1 if expected.has_edge(a, b) else 1
            expected.add_edge(a, b, works=works)

    rows = db.driver.execute_query(
        "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.id AS a, b.id AS b, c.works AS works").records
    assert all(r["a"] < r["b"] for r in rows), "stored from the smaller id to the larger"
    assert {(r["a"], r["b"]): r["works"] for r in rows} == {
        tuple(sorted((a, b))): d["works"] for a, b, d in expected.edges(data=True)}

    def h_index(counts: list[int]) -> int:
        ranked = sorted(counts, reverse=True)
        return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)

    authors = db.driver.execute_query(
        "MATCH (a:Author) RETURN a.id AS id, a.works_count AS works, a.cited_by_count AS cited, a.h_index AS h"
    ).records
    assert {r["id"]: (r["works"], r["cited"], r["h"]) for r in authors} == {
        a: (len(c), sum(c), h_index(c)) for a, c in papers_of.items()}

    # A re-run changes nothing.
    naive.load_naive(db, path)
    again = db.driver.execute_query("MATCH ()-[c:COAUTHOR]->() RETURN sum(c.works) AS works").records[0]["works"]
    assert again == sum(d["works"] for _, _, d in expected.edges(data=True))


# -- the benchmark's report ----------------------------------------------------------
def _run(**check) -> load.Run:
    full = {"papers": 10, "authors": 5, "authored": 20, "coauthor": 7, "authors_without_works_count": 0,
            "works_count_sum": 20, "authors_with_h_index": 5, "affiliated_with": 3, "about": 12}
    return load.Run("project", 10, 2.0, 10, 10, 0, 80.0, {**full, **check})


def test_the_benchmark_flags_missing_derived_data() -> None:
    assert load.derived_problems(_run()) == []
    assert load.derived_problems(_run(coauthor=0)) == ["no COAUTHOR relationships"]
    problems = load.derived_problems(_run(authors_without_works_count=2, works_count_sum=15))
    assert len(problems) == 2 and "2 authors without works_count" in problems[0]


def test_write_docs_replaces_only_the_generated_block(tmp_path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nintro\n\n## Load\n\nhow\n\n{load.BEGIN}\nold figures\n{load.END}\n\n## API\n")
    load.write_docs("| new | table |", page)
    load.write_docs("| newer | table |", page)
    text = page.read_text()
    assert "old figures" not in text and "| new |" not in text and text.count("| newer | table |") == 1
    assert text.startswith("# Benchmarks\n\nintro") and text.endswith("## API\n")
    assert load.table({"x": [_run()]}).splitlines()[2] == "| x | 10 | 1 | 2.0 | **5** | 80 MB |"


def test_the_generators_author_numbers_line_up_with_the_listed_authors() -> None:
    # bench.synth_identity scores the planned people against these numbers: one per listed author, in order.
    from bench.synth_identity import _Listed

    listed = _Listed()
    records = [json.loads(line) for line in synth.Corpus(2_000, seed=3, tally=listed).lines()]
    assert len(listed.papers) == len(records)
    names: dict[int, set[str]] = {}
    for record, ids in zip(records, listed.papers, strict=True):
        assert len(record["authors"]) == len(ids) == len(set(ids))
        for author, number in zip(record["authors"], ids, strict=True):
            names.setdefault(number, set()).add(author["name"])
    # One number is one person: listed under its full name or its initialled variant, never a third name.
    assert all(len(spellings) <= 2 for spellings in names.values())
    assert all(len({n.split()[-1] for n in spellings}) == 1 for spellings in names.values())
    assert any(len(spellings) == 2 for spellings in names.values())


def test_synth_identity_counts_the_generators_people() -> None:
    from bench.synth_identity import _Listed, score
    from loaders import works as plain

    listed = _Listed()
    works = [plain.parse(json.loads(line)) for line in synth.Corpus(1_000, seed=5, tally=listed).lines()]
    kept = [ids for work, ids in zip(works, listed.papers, strict=True) if len(work.authors) == len(ids)]
    result = score(1_000, 5)
    assert result["authorships"] == sum(len(ids) for ids in kept)
    assert result["true_people"] == len({number for ids in kept for number in ids})
    assert result["skipped_papers"] == len(works) - len(kept)
    assert 0.5 < result["precision"] <= 1.0 and 0.5 < result["recall"] <= 1.0
