"""A load killed with SIGKILL at many moments and started again ends with the same graph as one clean run.

The moments are exact, not timed: the loader runs as ``python -m loaders`` in a process of its own,
through a launcher that counts the write transactions it opens (``Graph.write_tx``, the seam every
batch and every derivation step goes through) and kills its own process at the chosen one, either
inside it (the writes done, the commit not sent: Neo4j rolls them back) or right after its commit.
One clean run lists the transactions of a load, batch writes first, then the derivation steps; the
kill moments are spread over that list. Between kills nothing is cleaned up: each restart has to
finish what the killed run left, and the last one runs to the end.

The file is a slice of a real one (the first records of Paperscape 1991): what is checked is how a
restart finishes a killed load, which needs enough batches to kill at the first, a middle and the last
one, not a whole year (test_loaders.py loads the 1991 and 1992 files whole). The clean run is made once
for the module and serves both tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.db import Graph, GraphConfig
from loaders import load_files
from tests.conftest import ROOT, shared_file
from tests.loader_helpers import checksum, count, graph_state, lines

SOURCE = "paperscape"
FILE = ("paperscape", "pscp-1991.csv.gz")
# The first 60 records in batches of 6: 10 batches, then the derivation (papers, co-authors, authors: one step
# each at this size). Each run is a fresh interpreter; fewer records make every run, clean or killed, cheaper.
RECORDS = 60
BATCH = 6

# Runs ``python -m loaders ARGS``; with KILL_AT=<n>:<inside|after> it SIGKILLs itself at the n-th
# write transaction, and with TX_LOG=<file> it writes one line per transaction: its phase, from the
# module that opened it (loaders.writer: a batch; loaders.derive: a derivation step).
LAUNCHER = r"""
import json, os, signal, sys
from graph import db as graph_db

where, when = (os.environ.get("KILL_AT") or "0:after").split(":")
target, seen = int(where), [0]
log = open(os.environ["TX_LOG"], "a") if os.environ.get("TX_LOG") else None
write_tx = graph_db.Graph.write_tx

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def counted(self, work, *args):
    seen[0] += 1
    if log:
        log.write(json.dumps(sys._getframe(1).f_globals.get("__name__", "?")) + "\n")
        log.flush()
    if seen[0] != target:
        return write_tx(self, work, *args)
    if when == "inside":
        def dying(tx, *a):
            work(tx, *a)
            die()
        return write_tx(self, dying, *args)
    result = write_tx(self, work, *args)
    die()

graph_db.Graph.write_tx = counted
from loaders.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def _run(config: GraphConfig, data: Path, tmp: Path, name: str, kill_at: str | None = None,
         tx_log: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env |= {"NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
            "NEO4J_DATABASE": config.database or "neo4j", "KILL_AT": kill_at or "", "TX_LOG": str(tx_log or "")}
    return subprocess.run([sys.executable, "-c", LAUNCHER, SOURCE, str(data), "--batch-size",
                           str(BATCH), "--rejects", str(tmp / f"{name}.rejects.jsonl"), "--no-progress"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _counts(db: Graph) -> dict[str, int]:
    labels = db.read_tx(lambda tx: {r["k"]: r["n"] for r in tx.run(
        "MATCH (n) UNWIND labels(n) AS k RETURN k, count(*) AS n")})
    types = db.read_tx(lambda tx: {r["k"]: r["n"] for r in tx.run(
        "MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS n")})
    return {**{f":{k}": v for k, v in labels.items()}, **{f"[{k}]": v for k, v in types.items()}}


def kill_moments(phases: list[str]) -> list[str]:
    """Nine ``n:inside|after`` moments covering every phase of a load whose transactions had these phases.

    Each kind of moment once: a batch rolled back (the first, with nothing before it; a middle one, with
    batches committed before it; the last), a batch committed (the first, a middle one, the last: every
    batch written, no derivation yet), and the derivation's first step rolled back and committed and its
    last step rolled back. (Twelve moments once repeated "mid-batch" and "between batches" at more places.)
    """
    batches = [i for i, p in enumerate(phases, start=1) if p == "loaders.writer"]
    derive = [i for i, p in enumerate(phases, start=1) if p == "loaders.derive"]
    assert len(batches) >= 5 and len(derive) >= 2, phases
    first, last = batches[0], batches[-1]
    middle = batches[len(batches) // 2]
    moments = [
        f"{first}:inside",                          # the very first batch, rolled back
        f"{first}:after",                           # the first batch committed, nothing else
        f"{middle}:inside",                         # half way, mid-batch
        f"{middle + 1}:after",                      # half way, between batches
        f"{last}:inside",                           # the last batch, rolled back
        f"{last}:after",                            # every batch written, no derivation yet
        f"{derive[0]}:inside",                      # the derivation's first step, rolled back
        f"{derive[0]}:after",                       # its first step done, the rest left marked
        f"{derive[-1]}:inside",                     # its last step, rolled back
    ]
    assert len(set(moments)) == len(moments) and middle + 1 < last
    return moments


@dataclass(frozen=True)
class CleanRun:
    """One uninterrupted load of the slice: its transactions' phases and the graph it left."""

    data: Path
    phases: list[str]
    counts: dict[str, int]
    checksum: str


@pytest.fixture(scope="module")
def clean_run(module_db: Graph, neo4j_config: GraphConfig, tmp_path_factory: pytest.TempPathFactory) -> CleanRun:
    tmp = tmp_path_factory.mktemp("interrupted")
    data = tmp / "pscp-1991-first.csv"
    source = list(lines(shared_file(*FILE)))
    records = [line for line in source if line.strip() and not line.startswith("#")]
    data.write_text("".join([line for line in source if line.startswith("#")] + records[:RECORDS]), encoding="utf-8")
    tx_log = tmp / "transactions.jsonl"
    run = _run(neo4j_config, data, tmp, "clean", tx_log=tx_log)
    assert run.returncode == 0, run.stderr
    # The clean run loaded the slice: every record is a titled paper, or a reject.
    rejects = tmp / "clean.rejects.jsonl"
    rejected = len(rejects.read_text().splitlines()) if rejects.exists() else 0
    assert count(module_db, "MATCH (p:Paper) WHERE p.title IS NOT NULL RETURN count(p)") == RECORDS - rejected
    assert RECORDS - rejected > 50
    return CleanRun(data, [json.loads(line) for line in tx_log.read_text().splitlines()], _counts(module_db),
                    checksum(module_db))


def test_killed_at_every_phase_finishes_like_one_clean_run(clean_run: CleanRun, db: Graph,
                                                            neo4j_config: GraphConfig, tmp_path: Path) -> None:
    moments = kill_moments(clean_run.phases)
    for i, moment in enumerate(moments):
        killed = _run(neo4j_config, clean_run.data, tmp_path, f"kill{i}", kill_at=moment)
        assert killed.returncode == -signal.SIGKILL, (moment, killed.returncode, killed.stderr[-2000:])
        if i == 0:
            assert count(db, "MATCH (p:Paper) RETURN count(p)") == 0, "the killed first batch left nothing behind"
    # Marks of the unfinished derivation remain (the last kill was inside its last step) ...
    assert count(db, "MATCH (n:Stale) RETURN count(n)") > 0
    done = _run(neo4j_config, clean_run.data, tmp_path, "final")
    assert done.returncode == 0, done.stderr
    assert "paperscape: read" in done.stdout
    # ... and the finished graph is the clean run's, node for node and relationship for relationship.
    assert count(db, "MATCH (n:Stale) RETURN count(n)") == 0
    assert _counts(db) == clean_run.counts
    nodes, rels = graph_state(db)
    assert checksum(db) == clean_run.checksum, (len(nodes), len(rels))


def test_killed_during_derivation_any_later_load_finishes_it(clean_run: CleanRun, db: Graph,
                                                               neo4j_config: GraphConfig, tmp_path: Path) -> None:
    """Killed inside the derivation's first step; a load of another file brings the derived data in step."""
    first_derive = clean_run.phases.index("loaders.derive") + 1
    killed = _run(neo4j_config, clean_run.data, tmp_path, "killed", kill_at=f"{first_derive}:inside")
    assert killed.returncode == -signal.SIGKILL
    assert count(db, "MATCH (n:Stale) RETURN count(n)") > 0
    other = tmp_path / "other.csv"
    other.write_text("hep-th/9999999;hep-th;0;0;;A.Nother;Another paper\n", encoding="utf-8")
    load_files(db, SOURCE, [other], rejects=tmp_path / "other.rejects.jsonl", progress=False)
    assert count(db, "MATCH (n:Stale) RETURN count(n)") == 0
    # The extra paper (one author, no citations) is the only difference from the clean run: take it out.
    db.write_tx(lambda tx: tx.run("MATCH (p:Paper {arxiv_id: 'hep-th/9999999'})<-[:AUTHORED]-(a:Author) "
                                  "DETACH DELETE p, a").consume())
    assert checksum(db) == clean_run.checksum
