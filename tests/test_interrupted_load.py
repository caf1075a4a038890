"""A load killed with SIGKILL at several moments and started again ends with the same graph as one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph.db import Graph, GraphConfig, run_autocommit
from loaders import load_files
from tests.conftest import ROOT, shared_file
from tests.loader_helpers import checksum, count, graph_state

SOURCE = "paperscape"
FILE = ("paperscape", "pscp-1992.csv.gz")
BATCH = 100


def _start(config: GraphConfig, rejects: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env |= {"NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
            "NEO4J_DATABASE": config.database or "neo4j"}
    return subprocess.Popen([sys.executable, "-m", "loaders", SOURCE, str(shared_file(*FILE)), "--batch-size",
                             str(BATCH), "--rejects", str(rejects), "--no-progress"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(db: Graph, proc: subprocess.Popen[bytes], condition: str, at_least: int) -> int:
    """SIGKILL the loader as soon as ``condition`` counts at least ``at_least``; the count seen."""
    deadline = time.monotonic() + 240
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = count(db, condition)
        if seen >= at_least:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the load finished before it could be killed: make the kill point earlier"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    assert proc.returncode == -signal.SIGKILL
    return seen


def test_killed_loads_finish_like_one_clean_run(db: Graph, neo4j_config: GraphConfig, tmp_path: Path) -> None:
    load_files(db, SOURCE, [shared_file(*FILE)], rejects=tmp_path / "clean.jsonl", batch_size=BATCH,
               progress=False)
    clean_state = graph_state(db)
    clean = checksum(db)
    papers = count(db, "MATCH (p:Paper) WHERE p.title IS NOT NULL RETURN count(p)")
    assert papers > 3000

    run_autocommit(db, "maintenance/delete_all")
    titled = "MATCH (p:Paper) WHERE p.title IS NOT NULL RETURN count(p)"
    # Killed early (a few batches in), then again further on, then left to finish.
    first = _kill_when(db, _start(neo4j_config, tmp_path / "r1.jsonl"), titled, 3 * BATCH)
    assert 0 < first < papers
    assert count(db, "MATCH (n:Stale) RETURN count(n)") > 0, "marks of the unfinished derivation remain"
    second = _kill_when(db, _start(neo4j_config, tmp_path / "r2.jsonl"), titled, papers * 2 // 3)
    assert second < papers
    done = _start(neo4j_config, tmp_path / "r3.jsonl")
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err.decode()
    assert b"paperscape: read" in out
    nodes, rels = graph_state(db)
    assert (len(nodes), len(rels)) == (len(clean_state[0]), len(clean_state[1]))
    assert checksum(db) == clean


def test_killed_during_derivation(db: Graph, neo4j_config: GraphConfig, tmp_path: Path) -> None:
    """Killed once every paper is written, while the derived data is being brought in step."""
    load_files(db, SOURCE, [shared_file(*FILE)], rejects=tmp_path / "clean.jsonl", batch_size=BATCH,
               progress=False)
    clean = checksum(db)
    papers = count(db, "MATCH (p:Paper) RETURN count(p)")
    run_autocommit(db, "maintenance/delete_all")
    proc = _start(neo4j_config, tmp_path / "r1.jsonl")
    _kill_when(db, proc, "MATCH (p:Paper) RETURN count(p)", papers)
    # Any later load finishes the marks left behind, even one of another file.
    other = tmp_path / "other.csv"
    other.write_text("hep-th/9999999;hep-th;0;0;;A.Nother;Another paper\n", encoding="utf-8")
    load_files(db, SOURCE, [other], rejects=tmp_path / "r2.jsonl", progress=False)
    assert count(db, "MATCH (n:Stale) RETURN count(n)") == 0
    load_files(db, SOURCE, [shared_file(*FILE)], rejects=tmp_path / "r3.jsonl", batch_size=BATCH, progress=False)
    assert count(db, "MATCH (p:Paper {arxiv_id: 'hep-th/9999999'}) RETURN count(p)") == 1
    # The extra paper (one author, no citations) is the only difference from the clean run: take it out.
    db.write_tx(lambda tx: tx.run("MATCH (p:Paper {arxiv_id: 'hep-th/9999999'})<-[:AUTHORED]-(a:Author) "
                                  "DETACH DELETE p, a").consume())
    assert checksum(db) == clean
