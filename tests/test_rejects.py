"""Bad input: every bad record is skipped, counted and written to the rejects file; bad files and an
unreachable Neo4j end the CLI with a clear one-line error and a non-zero exit."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.db import Graph, GraphConfig
from loaders import FileError, load_files
from tests.conftest import ROOT, shared_file
from tests.loader_helpers import count

GOOD = {"title": "e3nn: Euclidean Neural Networks", "authors": ["Mario Geiger", "Tess Smidt"],
        "date": "2022-07-18", "categories": ["cs.LG"]}


def _line(record: object) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


# (line bytes, expected reason fragment or None for a good record, "dup" for a merged duplicate)
CASES: list[tuple[bytes, str | None]] = [
    (_line(GOOD), None),
    (b'{"title": "Broken", "authors": ["A. B"\n', "invalid JSON"),
    (_line({"authors": ["A. Author"], "year": 2020}), "missing title"),
    (_line({"title": "Wrong types", "authors": "A. Author", "year": 2020}), "authors is str"),
    (_line({"title": 17, "authors": ["A. Author"]}), "title is int"),
    (_line({"title": "No authors", "authors": [], "year": 2020}), None),  # a paper without authors is kept
    (_line({"title": "Only et al", "authors": ["et al."], "year": 2020}), None),
    (_line({"title": "Bad date", "authors": ["A. Author"], "date": "2021-02-30"}), "bad date"),
    (_line({"title": "Bad year", "authors": ["A. Author"], "year": "last year"}), "year"),
    (_line(["a", "list"]), "expected a JSON object"),
    (_line(GOOD), "dup"),
    ('{"title": "Latin-1 é", "authors": ["A. Author"]}\n'.encode("latin-1"), "not UTF-8"),
    (_line({"title": "Fine too", "authors": [{"name": "Mario Geiger", "orcid": "0000-0002-0000-000X"}],
            "year": 2019}), None),
    (b"\n", "blank"),  # blank lines are not records
]


def test_each_bad_record_is_rejected_with_file_line_and_reason(db: Graph, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERGRAPH_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "list.jsonl"
    path.write_bytes(b"".join(data for data, _ in CASES))
    summary = load_files(db, "works", [path], progress=False)
    rejects_file = tmp_path / "data" / "rejects" / "list.jsonl.rejects.jsonl"  # default: under the data dir
    rejects = [json.loads(line) for line in rejects_file.read_text(encoding="utf-8").splitlines()]
    expected = [(n, reason) for n, (_, reason) in enumerate(CASES, start=1) if reason not in (None, "dup", "blank")]
    assert [(r["line"], r["file"]) for r in rejects] == [(n, str(path)) for n, _ in expected]
    for entry, (_, reason) in zip(rejects, expected, strict=True):
        assert reason in entry["reason"], (entry, reason)
        assert entry["record"]
    records = sum(1 for _, reason in CASES if reason != "blank")
    good = sum(1 for _, reason in CASES if reason is None)
    assert (summary.read, summary.written, summary.merged, summary.rejected) == (
        records, good, 1, len(expected))
    assert summary.read == summary.written + summary.merged + summary.rejected
    assert count(db, "MATCH (p:Paper) RETURN count(p)") == good
    assert summary.without_authors == 2 and "2 without authors" in summary.line()
    assert str(rejects_file) in summary.line()
    # A clean re-run of a fixed file removes the stale rejects file.
    path.write_bytes(_line(GOOD))
    assert load_files(db, "works", [path], progress=False).rejected == 0
    assert not rejects_file.exists()


def test_truncated_gzip_keeps_what_came_before(db: Graph, tmp_path: Path) -> None:
    source = shared_file("seeds", "geiger-works.jsonl").read_bytes()
    whole = gzip.compress(source)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    with gzip.open(path, "rb") as fh:
        readable = b""
        try:
            while chunk := fh.read(1024):
                readable += chunk
        except EOFError:
            pass
    complete_lines = readable.count(b"\n")
    summary = load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", progress=False)
    rejects = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert rejects[-1]["reason"].startswith("truncated or corrupt gzip")
    assert summary.written >= complete_lines - 1 and summary.written + summary.rejected == summary.read
    assert count(db, "MATCH (p:Paper) RETURN count(p)") == summary.written


def test_arxiv_and_paperscape_bad_records(db: Graph, tmp_path: Path) -> None:
    first = json.loads(shared_file("arxiv", "arxiv-metadata-oai-snapshot.first200.jsonl").read_text().splitlines()[0])
    path = tmp_path / "arxiv.jsonl"
    path.write_bytes(_line(first) + _line({**first, "id": None}) + _line({**first, "id": "0704.0002",
                                                                        "categories": 5}) + _line(first))
    summary = load_files(db, "arxiv", [path], rejects=tmp_path / "r.jsonl", progress=False)
    assert (summary.read, summary.written, summary.merged, summary.rejected) == (4, 1, 1, 2)
    scape = tmp_path / "pscp.csv"
    scape.write_text("# comment\nhep-th/9108001;hep-th;0;0;;J.H.Horne;Exact Black String\nhep-th/9108002;hep-th\n"
                     "hep-th/9108003;hep-th;0;0;;;No authors\n", encoding="utf-8")
    summary = load_files(db, "paperscape", [scape], rejects=tmp_path / "r2.jsonl", progress=False)
    lines = [json.loads(x)["line"] for x in (tmp_path / "r2.jsonl").read_text().splitlines()]
    # The row without authors is a paper (written), not a reject: only the short row on line 3 is.
    assert (summary.read, summary.written, summary.without_authors, summary.rejected, lines) == (3, 2, 1, 1, [3])


def test_unreadable_files_are_errors_before_any_write(db: Graph, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(_line(GOOD))
    with pytest.raises(FileError, match="missing.jsonl"):
        load_files(db, "works", [good, tmp_path / "missing.jsonl"], progress=False)
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(b"plain text, not gzip\n")
    with pytest.raises(FileError, match="not a gzip file"):
        load_files(db, "works", [fake], progress=False)
    with pytest.raises(FileError, match="directory"):
        load_files(db, "works", [tmp_path], progress=False)
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(json.dumps(GOOD).encode("utf-16"))
    with pytest.raises(FileError, match="UTF-16"):
        load_files(db, "works", [utf16], progress=False)
    assert count(db, "MATCH (n) RETURN count(n)") == 0


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")} | env
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=300)


def _env(config: GraphConfig) -> dict[str, str]:
    return {"NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
            "NEO4J_DATABASE": config.database or "neo4j"}


def test_cli_loads_and_prints_one_summary_line(db: Graph, neo4j_config: GraphConfig, tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_bytes(b"".join(data for data, _ in CASES))
    done = _cli(["works", str(path), "--rejects", str(tmp_path / "bad.jsonl"), "--no-progress"], _env(neo4j_config))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "works: read 13 records" in done.stdout and "rejected" in done.stdout
    rejected = sum(1 for _, reason in CASES if reason not in (None, "dup", "blank"))
    assert len((tmp_path / "bad.jsonl").read_text().splitlines()) == rejected == 8


def test_cli_missing_file(db: Graph, neo4j_config: GraphConfig, tmp_path: Path) -> None:
    done = _cli(["arxiv", str(tmp_path / "nope.jsonl.gz")], _env(neo4j_config))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"error: cannot read {tmp_path / 'nope.jsonl.gz'}: "
                                                "No such file or directory"]
    assert "Traceback" not in done.stderr


def test_cli_unreachable_neo4j(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_bytes(_line(GOOD))
    done = _cli(["works", str(path), "--no-progress"], {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "127.0.0.1:9" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_cli_default_rejects_file_is_under_the_data_dir(db: Graph, neo4j_config: GraphConfig, tmp_path: Path) -> None:
    """Without --rejects: <data dir>/rejects/FILE.rejects.jsonl, named in the summary; nothing next to the input."""
    inputs, data = tmp_path / "shared-data", tmp_path / "data"
    inputs.mkdir()
    path = inputs / "list.jsonl"
    path.write_bytes(b"".join(data for data, _ in CASES))
    done = _cli(["works", str(path), "--no-progress"], _env(neo4j_config) | {"PEERGRAPH_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    expected = data / "rejects" / "list.jsonl.rejects.jsonl"
    assert f"(rejects: {expected})" in done.stdout
    rejected = sum(1 for _, reason in CASES if reason not in (None, "dup", "blank"))
    assert len(expected.read_text(encoding="utf-8").splitlines()) == rejected
    assert sorted(p.name for p in inputs.iterdir()) == ["list.jsonl"]


def test_two_inputs_of_one_name_get_two_rejects_files(db: Graph, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERGRAPH_DATA_DIR", str(tmp_path / "data"))
    paths = []
    for folder, bad in (("a", 1), ("b", 2)):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "list.jsonl"
        path.write_bytes(_line(GOOD) + b"{broken\n" * bad)
        paths.append(path)
    summary = load_files(db, "works", paths, progress=False)
    folder = tmp_path / "data" / "rejects"
    first, second = folder / "list.jsonl.rejects.jsonl", folder / "list.jsonl-2.rejects.jsonl"
    assert summary.rejects_files == [str(first), str(second)]
    assert [len(p.read_text(encoding="utf-8").splitlines()) for p in (first, second)] == [1, 2]
    assert summary.rejected == 3
