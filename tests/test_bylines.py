"""The bulk path's rows phase from columns (``loaders.bulk.bylines``) writes the same files as the spilled batches
merged authorship by authorship (issue #9).

The reference is the same load with the same column plan but without ``Bylines`` (``read._plan`` patched):
its rows phase reads the spilled batches back and merges them with ``_Graph.apply_spilled``. Each run is made
to fail if it takes the other way. Every CSV file must be the same, byte for byte: on real files (Paperscape,
OpenAlex with institutions and ORCIDs), on hand-made records built to reach each merge rule, in batches of
1, 3 and 1,000 works, and on a synthetic corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_file
from test_columns import edge_records

from loaders import SOURCES, native
from loaders.bulk import bylines, graph, read, write_csv
from loaders.columns import person_plan
from loaders.model import BadRecord
from loaders.reader import Source

pytestmark = pytest.mark.skipif(not native.available(), reason="the native library is not built (no cargo)")


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("this run was to take the other way")


def csv_files(source: str, files: list[Path], folder: Path, monkeypatch: pytest.MonkeyPatch, *, columns: bool,
              batch_size: int = 5_000) -> dict[str, bytes]:
    """Every CSV file (name -> bytes) of a bulk load of ``files``, its rows phase from columns or not."""
    with monkeypatch.context() as patch:
        if columns:
            patch.setattr(graph._Graph, "apply_spilled", _refuse)
        else:
            patch.setattr(read, "_plan", lambda: person_plan(True))
            patch.setattr(bylines.Bylines, "apply", _refuse)
        _, csv = write_csv(source, files, folder, batch_size=batch_size, progress=False)
    return {f.name: f.read_bytes() for _, group in csv.nodes + csv.relationships for f in group}


def assert_same(source: str, files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                batch_size: int = 5_000) -> dict[str, bytes]:
    spilled = csv_files(source, files, tmp_path / "spilled", monkeypatch, columns=False, batch_size=batch_size)
    columns = csv_files(source, files, tmp_path / "columns", monkeypatch, columns=True, batch_size=batch_size)
    assert sorted(columns) == sorted(spilled)
    different = [name for name in spilled if columns[name] != spilled[name]]
    assert not different, f"these files differ: {different}"
    return columns


def lines(files: dict[str, bytes], kind: str) -> list[str]:
    """The lines of the data file of ``kind`` (its name without the number: ``07-authored.csv``: "authored")."""
    (name,) = [n for n in files if n.split("-", 1)[1] == f"{kind}.csv"]
    return files[name].decode("utf-8").splitlines()


def authorships_in(source: str, path: Path) -> int:
    """The AUTHORED rows a file must give, counted from its records with the project's parser: per paper (its
    first record; a paper is its DOI, arXiv id or OpenAlex id), its bylines, one per OpenAlex id or ORCID listed
    (two name-only bylines of one paper are never one person)."""
    fmt = SOURCES[source]
    seen: set[str] = set()
    count = 0
    reader = Source(path)
    try:
        for item in fmt.items(reader):
            try:
                work = fmt.parse(item.value)
            except (BadRecord, ValueError):
                continue
            keys = [k for k in (work.doi, work.arxiv_id, work.openalex_id) if k]
            if any(k in seen for k in keys):
                continue
            seen.update(keys)
            named = [a for a in work.authors if a.id.startswith("name:")]
            count += len(named) + len({a.id for a in work.authors} - {a.id for a in named})
    finally:
        reader.close()
    return count


@pytest.mark.parametrize(("source", "parts"), [
    ("paperscape", ("paperscape", "pscp-1995.csv.gz")),
    ("openalex", ("openalex", "mcmaster-works.openalex.jsonl.gz")),
])
def test_real_files_give_the_same_files(source: str, parts: tuple[str, str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_file(*parts)
    files = assert_same(source, [path], tmp_path, monkeypatch)
    rows = len(lines(files, "authored")) + len(lines(files, "authored-institutions"))
    assert rows == authorships_in(source, path)


def rule_records() -> list[dict[str, Any]]:
    """Records that reach each of the rows phase's rules, in this order of the load:

    - a paper given twice (by DOI) next to itself, its author with another institution each time (one AUTHORED,
      the later position, both institutions), and again far apart;
    - an OpenAlex id under two bylines (its variants both, its name the fuller);
    - an id first seen as a collaboration (no block) and later, in another batch, as a person's name; another
      that takes a person's name in the same batch (the block waits for the next batch);
    - one id under two names of one length (the first in text order is kept);
    - an institution whose values differ between records (a given value replaces, batch by batch);
    - an ORCID given only on a later record of an id, and another after it (the first given stays).
    """
    odd = {"name": "Odd Institute", "id": "odd-1"}
    odd_ror = {"name": "Odd Institute of Science", "id": "odd-1", "ror": "https://ror.org/05abc1234", "country": "NL"}
    out: list[dict[str, Any]] = [
        {"title": "Twice", "doi": "10.9/twice", "year": 2019,
         "authors": [{"name": "Ada Lovelace", "institution": "Harvard University"}, "Charles Babbage"]},
        {"title": "Twice again", "doi": "10.9/twice", "year": 2019,
         "authors": ["Charles Babbage", {"name": "Ada Lovelace", "institution": "MIT"}]},
        {"title": "Listed twice", "year": 2020,
         "authors": [{"name": "Jian Li", "id": "openalex:A1", "institution": "Peking University"},
                     "Grace Hopper", {"name": "Grace Hopper", "institution": odd}]},
        {"title": "Collaboration first", "year": 2012,
         "authors": [{"name": "The ATLAS Collaboration", "id": "openalex:A9"},
                     {"name": "CMS Collaboration", "id": "openalex:A8"}]},
        {"title": "Named in the same batch", "year": 2013, "authors": [{"name": "Peter Higgs", "id": "openalex:A8"}]},
        {"title": "Same length", "authors": [{"name": "Grace M. Hopper", "id": "openalex:A7", "institution": odd_ror}]},
        {"title": "Same length again", "authors": [{"name": "Grace B. Hopper", "id": "openalex:A7",
                                                     "institution": odd}]},
    ]
    out += edge_records()
    out += [
        {"title": "Named later", "year": 2014, "authors": [{"name": "Fabiola Gianotti", "id": "openalex:A9"},
                                                           {"name": "Peter Higgs", "id": "openalex:A8"}]},
        {"title": "ORCID later", "authors": [{"name": "J. Li", "id": "openalex:A1",
                                              "orcid": "0000-0002-1825-0097", "institution": odd_ror}]},
        {"title": "Another ORCID",
         "authors": [{"name": "Jian Li", "id": "openalex:A1", "orcid": "0000-0001-5109-3700"}]},
        {"title": "Twice, far apart", "doi": "10.9/twice",
         "authors": [{"name": "Ada Lovelace", "institution": odd}, "Grace Hopper"]},
    ]
    return out


@pytest.mark.parametrize("batch_size", [1, 3, 1_000])
def test_each_rule_gives_the_same_files(batch_size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rules.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rule_records()), encoding="utf-8")
    files = assert_same("works", [path], tmp_path, monkeypatch, batch_size=batch_size)
    authors = lines(files, "authors")
    a1 = [line for line in authors if '"openalex:A1"' in line.split(",")[1]]
    assert len(a1) == 1 and '"Jian Li",' in a1[0] and "J. Li" in a1[0]
    assert "0000-0002-1825-0097" in a1[0] and "0000-0001-5109-3700" not in a1[0]
    (a7,) = [line for line in authors if line.split(",")[1] == '"openalex:A7"']
    assert a7.split(",")[2] == '"Grace B. Hopper"'  # one length: the first in text order
    (odd_line,) = [line for line in lines(files, "institutions") if '"odd-1"' in line]
    assert odd_line.split(",")[2] == '"Odd Institute"'  # the name of the last batch that lists it
    # Its ROR: in batches of 1 or 3 records some batch lists it first with the ROR, and the later ones, which
    # give none, do not take it back; in one batch for all, the first record's values only (no ROR).
    assert ("05abc1234" in odd_line) == (batch_size < 1_000)


def test_a_synthetic_corpus_gives_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.synth import records

    path = tmp_path / "synth.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records(4_000, seed=7)), encoding="utf-8")
    assert_same("works", [path], tmp_path, monkeypatch, batch_size=700)


def test_numbered_authorships_start_again_without_changing_a_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The parsing child sends each authorship once and then its number (``read._Encoder``), starting again from 0
    every ``NUMBERED`` authorships; ``ColumnPlan.add`` remembers what each Authorship object gave it, forgetting
    all every ``_SEEN``. Both made small, the same files as the spilled batches, which number nothing."""
    from loaders import columns

    path = shared_file("paperscape", "pscp-1995.csv.gz")
    restarts: list[bool] = []
    decode = read._Decoder.works

    def counted(self: read._Decoder, message: Any) -> Any:
        if isinstance(message, tuple):
            restarts.append(message[0])
        return decode(self, message)

    monkeypatch.setattr(read._Encoder, "NUMBERED", 500)   # forked: the child sees it
    monkeypatch.setattr(columns, "_SEEN", 300)
    monkeypatch.setattr(read._Decoder, "works", counted)
    assert_same("paperscape", [path], tmp_path, monkeypatch, batch_size=200)
    distinct = len({(a.id, a.name, a.raw_name) for w in _parsed(path) for a in w.authors})
    assert sum(restarts) >= distinct // 500 - 1 > 5, (sum(restarts), distinct)


def _parsed(path: Path) -> list[Any]:
    fmt = SOURCES["paperscape"]
    reader = Source(path)
    out = []
    try:
        for item in fmt.items(reader):
            try:
                out.append(fmt.parse(item.value))
            except (BadRecord, ValueError):
                continue
    finally:
        reader.close()
    return out
