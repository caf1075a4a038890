"""The bulk path's CSV files are the same whichever process writes the files that need no author.

From ``PARALLEL_MIN_PAPERS`` papers on, a forked child writes the paper side (papers, topics,
pending citations, CITES, ABOUT, PART_OF, CITES_PENDING) while the parent applies the authorships,
and another the institutions, AUTHORED and AFFILIATED_WITH while the parent ranks the co-authors;
below, one process writes everything. No server: ``write_csv`` only (test_bulk.py compares the
files with the transactional loader's graph).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.bulk import BulkError, csvfiles, write_csv

RECORDS = [
    {"title": 'A "quoted", title', "year": 2020, "doi": "10.1234/abc", "categories": "cs.LG stat.ML",
     "authors": ["Ada Lovelace", {"name": "Grace Hopper", "institution": "Harvard University"}],
     "abstract": "Two\nlines", "cited_by_count": 3},
    {"title": "Undated", "authors": ["Charles Babbage", "Ada Lovelace"], "categories": ["hep-ex"]},
    {"title": "The same paper, again", "doi": "https://doi.org/10.1234/ABC", "year": 2021,
     "authors": ["A. Lovelace", "Charles Babbage"], "categories": ["cs.AI"], "venue": "Journal of Tests"},
    {"title": "Nobody's note", "year": 2017, "doi": "10.1234/nobody", "categories": "astro-ph"},
    {"title": "Topics", "year": 2022, "arxiv_id": "2201.00001", "authors": ["Jürgen Müller", "Ada Lovelace"],
     "topics": ["T10017", "cs.CV"]},
]


def _files(folder: Path, records: list[dict[str, object]], parallel_from: int,
           monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], str, tuple[int, int]]:
    """Every CSV file (name -> bytes) of ``records`` in a works file, the delimiter and (nodes, relationships)."""
    monkeypatch.setattr(csvfiles, "PARALLEL_MIN_PAPERS", parallel_from)
    folder.mkdir()
    source = folder / "works.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary, csv = write_csv("works", [source], folder / "csv", rejects=folder / "rejects.jsonl", batch_size=2,
                             progress=False)
    files = {f.name: f.read_bytes() for _, group in csv.nodes + csv.relationships for f in group}
    return files, csv.delimiter, (summary.nodes, summary.relationships)


@pytest.mark.parametrize("institution_with_delimiter", [False, True])
def test_the_paper_side_written_by_a_child_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        institution_with_delimiter: bool) -> None:
    records = [dict(r) for r in RECORDS]
    if institution_with_delimiter:
        # The categories allow the first delimiter, an institution's id does not: the child's paper file (written
        # before the authorships are applied) must be written again with the delimiter the whole load allows.
        records[1]["authors"] = [{"name": "Charles Babbage", "institution": {"name": "Odd", "id": "odd\x1fid"}},
                                 "Ada Lovelace"]
    alone, delimiter, counted = _files(tmp_path / "one", records, 10**9, monkeypatch)
    forked, forked_delimiter, forked_counted = _files(tmp_path / "two", records, 0, monkeypatch)
    assert forked == alone
    assert (forked_delimiter, forked_counted) == (delimiter, counted)
    assert delimiter == ("\x1e" if institution_with_delimiter else "\x1f")
    papers = forked["00-papers.csv"].decode("utf-8")
    assert f'"cs.LG{delimiter}stat.ML{delimiter}cs.AI"' in papers  # the duplicate's categories unioned in order
    # 5 records, one a duplicate by DOI: 4 papers, one line each (the abstract's line break is quoted).
    assert papers.count('"works"') == 4
    assert sorted(alone) == sorted(f"{stem}{end}" for stem in (
        "00-papers", "01-coauthor", "02-coauthor-undated", "03-authors", "04-topics", "05-institutions",
        "06-pending", "07-authored", "08-authored-institutions", "09-cites", "10-about", "11-part-of",
        "12-cites-pending", "13-affiliated", "14-affiliated-undated") for end in (".csv", "-header.csv"))


@pytest.mark.parametrize(("method", "message"), [
    # The paper side's child (papers, topics, CITES ...), written while the parent applies the authorships.
    ("_papers", "00-papers.csv and the other files without authors failed in a child"),
    # The authorships' child (institutions, AUTHORED, AFFILIATED_WITH), written while the parent ranks co-authors.
    ("_authored_edges", "07-authored.csv and the other authorship files failed in a child"),
])
def test_a_failing_child_fails_the_load(method: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capfd: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(csvfiles._Writer, method, broken)
    with pytest.raises(BulkError, match=message):
        _files(tmp_path / "one", RECORDS, 0, monkeypatch)
    assert "disk full (simulated)" in capfd.readouterr().err
