"""Record parsers (pure, no database) on real records from ../shared/data, and the row builders."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from loaders import arxiv, openalex, paperscape, works
from loaders.model import BadRecord, Work, check_date, normal_doi, title_hash
from loaders.people import resolve
from loaders.reader import Source, openalex_items
from loaders.rows import assign_ids, build_rows, lookup_rows
from tests.conftest import shared_file


def _jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def kaggle() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _jsonl(shared_file("arxiv", "arxiv-metadata-oai-snapshot.first200.jsonl"))}


@pytest.fixture(scope="module")
def abs_records() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _jsonl(shared_file("arxiv", "arxiv-abs.snapshot.jsonl.gz"))}


def test_arxiv_kaggle_record(kaggle: dict[str, dict[str, Any]]) -> None:
    work = arxiv.parse(kaggle["0704.0001"])
    assert work.arxiv_id == "0704.0001" and work.default_id == "arxiv:0704.0001"
    assert work.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert work.doi == "10.1103/physrevd.76.013009"
    assert work.date == "2007-04-02" and work.year == 2007  # v1, not Kaggle's update_date
    assert [a.id for a in work.authors] == ["name:balazs_c", "name:berger_e", "name:nadolsky_p", "name:yuan_c"]
    assert work.authors[0].name == "C. Balázs"
    assert work.categories == ["hep-ph"]
    assert [(t.id, t.parent.id if t.parent else None, s) for t, s in work.topics] == [
        ("arxiv:hep-ph", "arxiv:physics", 1.0)]


def test_arxiv_string_and_parsed_authors_agree(kaggle: dict[str, dict[str, Any]],
                                               abs_records: dict[str, dict[str, Any]]) -> None:
    """The 200 shared records give the same author keys from authors_parsed (Kaggle) and the string (abs)."""
    differ = []
    for arxiv_id, record in kaggle.items():
        from_parsed = [a.id for a in arxiv.parse(record).authors]
        from_string = [a.id for a in arxiv.parse(abs_records[arxiv_id]).authors]
        if from_parsed != from_string:
            differ.append(arxiv_id)
    # 0704.0189's author string differs between the two sources ("J. C." vs "Jean-Camille"), same key.
    assert len(differ) <= 3, differ


def test_arxiv_edge_cases(abs_records: dict[str, dict[str, Any]]) -> None:
    babar = arxiv.parse(abs_records["0704.0020"])
    assert [a.id for a in babar.authors] == ["name:babar_collaboration", "name:aubert_b"]
    assert babar.authors_complete is False
    assert babar.doi == "10.1103/physrevd.76.052005"  # "doi:" prefix stripped
    glued = arxiv.parse(abs_records["0704.0213"])
    assert [a.id for a in glued.authors] == ["name:mulmuley_k", "name:narayanan_h"]
    several = arxiv.parse(abs_records["0704.0221"])
    assert several.doi == abs_records["0704.0221"]["doi"].split()[0].lower()
    sici = arxiv.parse(abs_records["ao-sci/9503001"])
    assert sici.doi is not None and "<" in sici.doi and sici.default_id == "arxiv:ao-sci/9503001"
    huge = arxiv.parse(abs_records["1411.4413"])
    assert huge.author_count is not None and huge.author_count > 2500
    # 21 of its authors share a <last>_<initial> block with another spelling: one authorship per
    # spelling at parse time, and one person each once loaders.people has resolved them.
    assert len({(a.id, a.name) for a in huge.authors}) == len(huge.authors)
    resolved = resolve([huge], [huge.default_id], {})[0]
    assert len({a.id for a in resolved.authors}) == len(huge.authors)


def test_every_arxiv_record_parses(abs_records: dict[str, dict[str, Any]]) -> None:
    for record in abs_records.values():
        work = arxiv.parse(record)
        assert work.title and work.authors and work.year and work.categories


@pytest.mark.parametrize(("change", "reason"), [
    ({"id": None}, "missing id"),
    ({"title": "  "}, "empty title"),
    ({"title": 42}, "title is int"),
    ({"versions": [{"version": "v1", "created": "someday"}]}, "bad date"),
    ({"categories": ["hep-ph", 3]}, "categories is list"),
    ({"id": "not an id"}, "malformed arXiv id"),
])
def test_arxiv_bad_records(kaggle: dict[str, dict[str, Any]], change: dict[str, Any], reason: str) -> None:
    record = {**kaggle["0704.0002"], **change}
    with pytest.raises(BadRecord, match=reason):
        arxiv.parse(record)


@pytest.mark.parametrize("change", [{"authors": "", "authors_parsed": None}, {"authors": None, "authors_parsed": None},
                                    {"authors": "et al", "authors_parsed": None}])
def test_arxiv_record_without_authors_is_a_paper(kaggle: dict[str, dict[str, Any]], change: dict[str, Any]) -> None:
    record = {**kaggle["0704.0002"], **change}
    work = arxiv.parse(record)
    assert (work.arxiv_id, work.title, work.authors) == ("0704.0002", " ".join(record["title"].split()), [])


def test_openalex_full_record() -> None:
    record = _jsonl(shared_file("openalex", "openalexpro-works.raw.jsonl.gz"))[0]
    work = openalex.parse(record)
    assert work.openalex_id == "W2557651091" and work.default_id == "doi:10.1094/cchem-05-16-0138-r"
    assert work.source_cited_by_count == record["cited_by_count"]
    assert work.abstract is not None and work.abstract.startswith("Biodiversity contributes to nutrient production")
    first = record["authorships"][0]
    assert work.authors[0].id == "openalex:" + first["author"]["id"].rsplit("/", 1)[1]
    assert work.authors[0].orcid == first["author"]["orcid"].rsplit("/", 1)[1]
    inst = work.authors[0].institutions[0]
    assert inst.id == "openalex:I4210165284" and inst.ror == "05bpb0y22" and inst.country == "MX"
    topic, score = work.topics[0]
    chain = []
    node = topic
    while node is not None:
        chain.append((node.id, node.level))
        node = node.parent
    assert chain == [("openalex:T10140", "topic"), ("openalex:subfields/2916", "subfield"),
                     ("openalex:fields/29", "field"), ("openalex:domains/4", "domain")]
    assert score == record["topics"][0]["score"]
    assert len(work.cites_openalex) == len(record["referenced_works"])


def test_openalex_old_schema_and_single_document(tmp_path: Path) -> None:
    """The older ``host_venue`` schema, pretty-printed as one document (not JSON lines)."""
    source = Source(shared_file("openalex", "openalex-python-fixtures", "W-api-response.json"))
    items = list(openalex_items(source))
    source.close()
    assert len(items) == 1 and items[0].error is None
    work = openalex.parse(items[0].value)
    assert work.venue == "Physical Review Letters" and work.doi == "10.1103/physrevlett.118.091101"
    assert work.title.startswith("GW170104")
    # An API page with a results list, pretty-printed too.
    records = _jsonl(shared_file("openalex", "openalexpro-works.raw.jsonl.gz"))[:3]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 3}, "results": records}, indent=2), encoding="utf-8")
    source = Source(page)
    assert [i.value["id"] for i in openalex_items(source)] == [r["id"] for r in records]
    source.close()


def test_openalex_mcmaster_quirks() -> None:
    """Repeated authors keep one authorship; a missing title is a reject; 100-author lists are kept whole."""
    seen = {"W4389888837": None, "W2588203234": None}
    missing_title = 0
    with gzip.open(shared_file("openalex", "mcmaster-works.openalex.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            short = record["id"].rsplit("/", 1)[1]
            if record["title"] is None:
                missing_title += 1
                with pytest.raises(BadRecord, match="missing title"):
                    openalex.parse(record)
            elif short in seen:
                seen[short] = record
    assert missing_title == 45
    for record in seen.values():
        assert record is not None
        work = openalex.parse(record)
        distinct = {a["author"]["id"] for a in record["authorships"] if a["author"].get("id")}
        assert len(work.authors) == len(distinct) < len(record["authorships"])
        assert work.author_count == len(record["authorships"])


def test_paperscape_rows() -> None:
    with gzip.open(shared_file("paperscape", "pscp-1994.csv.gz"), "rt", encoding="utf-8") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    by_id = {row.split(";", 1)[0]: row for row in rows}
    work = paperscape.parse(by_id["hep-th/9401030"])
    fields = by_id["hep-th/9401030"].rstrip("\n").split(";", 6)
    assert work.arxiv_id == "hep-th/9401030" and work.year == 1994
    assert work.cites_arxiv == fields[4].split(",")
    assert work.title == fields[6]
    assert [a.id for a in work.authors][0] == "name:hanany_a"
    with_semicolon = paperscape.parse(
        "gr-qc/9504038;gr-qc;0;0;;L.Crane;Clock and Category; IS QUANTUM GRAVITY ALGEBRAIC")
    assert with_semicolon.title == "Clock and Category; IS QUANTUM GRAVITY ALGEBRAIC"
    for bad, reason in [("hep-th/9401030;hep-th;0;0", "fields"), ("hep-th/9401030;hep-th;x;0;;A.B;T", "integer"),
                        (";hep-th;0;0;;A.B;T", "missing")]:
        with pytest.raises(BadRecord, match=reason):
            paperscape.parse(bad)
    # No authors: a paper all the same, with its citations (astro-ph/9612068 in the 1996 file).
    amanda = paperscape.parse("astro-ph/9612068;astro-ph,hep-ex,hep-ph;2;8;astro-ph/9412028,astro-ph/9501073;;"
                              "The Amanda Experiment")
    assert (amanda.authors, amanda.cites_arxiv) == ([], ["astro-ph/9412028", "astro-ph/9501073"])


def test_arxiv_docmeta_records() -> None:
    """DocMeta (arxiv-search's test data): wrapped or bare, the same Work; each malformed part is a reason."""
    wrapped = _jsonl(shared_file("arxiv", "arxiv-search-test-docmeta.jsonl.gz"))
    for record in wrapped:
        meta = record["docmeta"]
        if not meta["is_current"]:  # a superseded version: the paper is its current version's record
            with pytest.raises(BadRecord, match=f"version {meta['version']} of {meta['paper_id']} is superseded"):
                arxiv.parse(record)
            continue
        work, bare = arxiv.parse(record), arxiv.parse(meta)
        assert work == bare
        assert (work.arxiv_id, work.doi, work.venue) == (meta["paper_id"], normal_doi(meta["doi"]),
                                                        meta["journal_ref"])
        assert work.categories == meta["abs_categories"].split()
        assert work.date == meta["submitted_date_all"][0][:10]  # the first version's, whichever version this is
        assert [a.name.split()[-1] for a in work.authors] == [
            p["last_name"].split()[-1] for p in meta["authors_parsed"]][:len(work.authors)]
    meta = next(r["docmeta"] for r in wrapped if r["docmeta"]["paper_id"] == "1607.05107")
    without = {k: v for k, v in meta.items() if k not in ("abs_categories", "submitted_date_all")}
    work = arxiv.parse(without)  # the classifications, and the date of the record's own (only) version
    assert work.categories == ["physics.comp-ph", "physics.chem-ph"] and work.date == "2016-07-18"
    assert [a.orcid for a in work.authors] == [None, "0000-0003-4995-3585"]
    # Two authors of one name key (Xiao-Hai Liu, Xiang Liu: liu_x): an owner's ORCID goes to neither.
    quarks = next(r["docmeta"] for r in wrapped
                  if r["docmeta"]["paper_id"] == "1404.3450" and r["docmeta"]["is_current"])
    owners = [{"orcid": "0000-0002-1825-0097", "last_name": "Liu", "first_name": "Xiang"},
              {"orcid": "https://orcid.org/0000-0001-5109-3700", "last_name": "Ma", "first_name": "Li"}]
    work = arxiv.parse({**quarks, "author_owners": owners})
    assert [a.id for a in work.authors if a.orcid] == ["orcid:0000-0001-5109-3700"]
    assert sum(a.id == "name:liu_x" for a in work.authors) == 2
    for change, reason in [({"paper_id": "12345"}, "malformed arXiv id"), ({"title": ""}, "empty title"),
                           ({"authors_parsed": [["Borck", "Øyvind"]]}, "authors_parsed"),
                           ({"authors_parsed": [{"last_name": 7}]}, "last_name"),
                           ({"author_owners": [{"orcid": "0000-0003", "last_name": "X"}]}, "malformed ORCID"),
                           ({"abs_categories": None, "primary_classification": {"category": {}}}, "category id"),
                           ({"submitted_date_all": "2016-07-18"}, "submitted_date_all")]:
        with pytest.raises(BadRecord, match=reason):
            arxiv.parse({**meta, **change})


def test_works_seed_file() -> None:
    records = _jsonl(shared_file("seeds", "geiger-works.jsonl"))
    parsed = [works.parse(r) for r in records]
    assert all("name:geiger_m" in [a.id for a in w.authors] for w, r in zip(parsed, records, strict=True)
               if "Mario Geiger" in r["authors"])
    assert sum(1 for w in parsed if not w.authors_complete) == sum(1 for r in records if not r["authors_complete"])
    first = parsed[0]
    assert first.default_id == "work:" + title_hash(records[0]["title"], records[0]["year"])
    assert first.has_code is True and first.code_url == "http://github.com/SCAN-NRAD/e3nn_Unet"
    assert first.categories == ["eess.IV"]


def test_works_author_objects() -> None:
    work = works.parse({"title": "T", "year": 2020, "authors": [
        {"name": "Tess Smidt", "orcid": "https://orcid.org/0000-0001-5581-5344", "institution": "MIT"},
        {"name": "Mario Geiger", "institution": {"name": "EPFL", "ror": "https://ror.org/02s376052"}},
        "Mario Geiger"]})
    assert [a.id for a in work.authors] == ["orcid:0000-0001-5581-5344", "name:geiger_m"]
    assert work.authors[0].institutions[0].id == "name:mit"
    assert work.authors[1].institutions[0].id == "ror:02s376052"


@pytest.mark.parametrize(("author", "reason"), [
    (42, "an author is neither a name nor an object with a name"),
    ({"orcid": "0000-0001-5581-5344"}, "an author is neither a name nor an object with a name"),
    ({"name": "Tess Smidt", "orcid": 5581}, "an author's orcid is not a string"),
    ({"name": "Tess Smidt", "orcid": "0000-0001-5581"}, "malformed ORCID '0000-0001-5581'"),
    ({"name": "Tess Smidt", "institution": 7}, "an author's institution is neither a name nor an object"),
    ({"name": "Tess Smidt", "institutions": ["MIT", {"ror": "x"}]}, "an author's institution is neither"),
    # Both wrong: the ORCID is checked first.
    ({"name": "Tess Smidt", "orcid": "bad", "institution": 7}, "malformed ORCID 'bad'"),
])
def test_works_bad_authors_are_rejected_every_time(author: Any, reason: str) -> None:
    """A bad author rejects its record, also after the same name was parsed well (the parses are cached)."""
    good = {"title": "T", "year": 2020, "authors": [{"name": "Tess Smidt", "institution": "MIT"}]}
    for _ in range(2):
        assert works.parse(good).authors[0].institutions[0].id == "name:mit"
        with pytest.raises(BadRecord, match=reason):
            works.parse({"title": "T", "year": 2020, "authors": ["Mario Geiger", author]})


def test_works_an_author_listed_twice_is_one_authorship_with_both_institutions() -> None:
    record = {"title": "T", "year": 2020, "authors": [
        {"name": "Mario Geiger", "institution": "EPFL"}, "Tess Smidt",
        {"name": "Mario Geiger", "institutions": ["MIT", "EPFL"], "orcid": "0000-0001-5581-5344"}]}
    first, second = works.parse(record), works.parse(record)  # the second from the caches
    assert first == second
    assert [a.id for a in first.authors] == ["name:geiger_m", "name:smidt_t", "orcid:0000-0001-5581-5344"]
    record["authors"][2].pop("orcid")  # type: ignore[union-attr]
    merged = works.parse(record).authors
    assert [a.id for a in merged] == ["name:geiger_m", "name:smidt_t"]
    assert [i.id for i in merged[0].institutions] == ["name:epfl", "name:mit"]


def test_works_takes_no_openalex_record_for_an_author_less_paper() -> None:
    # A real OpenAlex work given to the works loader by mistake: rejected with the loader to use, never a paper
    # without its authors. A list entry without authors is still a paper.
    with gzip.open(shared_file("openalex", "openalexpro-works.raw.jsonl.gz"), "rt", encoding="utf-8") as fh:
        record = json.loads(fh.readline())
    assert record.get("authorships") and "authors" not in record
    with pytest.raises(BadRecord, match="loaders openalex"):
        works.parse(record)
    assert works.parse({"title": "Anonymous note", "year": 2001}).authors == []


def test_dates_and_dois() -> None:
    assert check_date("2023-03-01") == ("2023-03-01", 2023)
    assert check_date("2023-03") == (None, 2023)
    for bad in ("2023-02-30", "March 2023", "99-01-01", "0999"):
        with pytest.raises(BadRecord):
            check_date(bad)
    assert normal_doi("https://doi.org/10.1103/PhysRevD.76.052005") == "10.1103/physrevd.76.052005"
    assert normal_doi("doi:10.1103/A 10.1007/B") == "10.1103/a"
    assert normal_doi("not a doi") is None


def test_identity_within_a_batch() -> None:
    """Records sharing a DOI or an arXiv id write to one Paper; the graph's own ids win."""
    a = Work(source="works", title="A", doi="10.1/x")
    b = Work(source="arxiv", title="A", arxiv_id="2101.00001", doi="10.1/x")
    c = Work(source="works", title="C", arxiv_id="2101.00002", cites_arxiv=["2101.00001", "hep-th/9108001"])
    found = {("arxiv_id", "2101.00002"): "doi:10.9/c"}
    assert {"kind": "doi", "value": "10.1/x"} in lookup_rows([a, b, c])
    ids, batch = assign_ids([a, b, c], found)
    assert ids == ["doi:10.1/x", "doi:10.1/x", "doi:10.9/c"]
    rows = build_rows([a, b, c], ids, found, batch)
    assert {(r["source"], r["target"]) for r in rows.cites} == {
        ("doi:10.9/c", "doi:10.1/x"), ("doi:10.9/c", "arxiv:hep-th/9108001")}
