"""The notebooks in docs/notebooks run from top to bottom against the real test Neo4j (nbclient), so they
cannot rot. The graph is a small publication list written here; the counts the notebook prints are
checked against counts computed from that list."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graph.db import Graph, GraphConfig
from loaders import load_files

NOTEBOOKS = Path(__file__).resolve().parent.parent / "docs" / "notebooks"
PAPERS = [  # (author keys, arXiv categories)
    ("ABC", ["cs.LG"]), ("AB", ["cs.LG"]), ("CD", ["cs.LG"]), ("EF", ["cs.LG"]),
    ("AG", ["math.CO"]), ("H", ["cs.LG"]),
]


def _author(key: str) -> dict[str, str]:
    return {"name": f"Probe {key}. Notebook{key.lower()}", "orcid": f"0000-0002-0000-000{'ABCDEFGH'.index(key)}"}


@pytest.fixture
def notebook_graph(db: Graph, tmp_path: Path) -> Graph:
    works = tmp_path / "works.jsonl"
    works.write_text("".join(json.dumps({"title": f"Notebook probe {n}", "year": 2021, "categories": cats,
                                         "authors": [_author(k) for k in keys]}) + "\n"
                             for n, (keys, cats) in enumerate(PAPERS)))
    load_files(db, "works", [works], rejects=tmp_path / "rejects.jsonl", progress=False)
    return db


def test_the_notebooks_are_committed_with_their_outputs() -> None:
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert found, f"no notebook in {NOTEBOOKS}"
    for path in found:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.outputs for c in code), f"{path.name} has code cells without outputs: run it before committing"
        assert not [o for c in code for o in c.outputs if o.output_type == "error"], f"{path.name} holds an error"


def test_coauthorship_notebook_runs_on_the_graph(notebook_graph: Graph, neo4j_config: GraphConfig,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("NEO4J_URI", neo4j_config.uri), ("NEO4J_USER", neo4j_config.user),
                        ("NEO4J_PASSWORD", neo4j_config.password), ("NEO4J_DATABASE", neo4j_config.database or ""),
                        ("PEERGRAPH_NOTEBOOK_TOPIC", "arxiv:cs.LG")):
        monkeypatch.setenv(name, value)
    nb = nbformat.read(NOTEBOOKS / "coauthorship-network.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # raises on a failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    members = {k for keys, cats in PAPERS if "cs.LG" in cats for k in keys}
    pairs = {frozenset(p) for keys, _ in PAPERS for p in combinations(keys, 2) if set(p) <= members}
    result = re.search(r"RESULT topic=(\S+) authors=(\d+) coauthorships=(\d+) communities=(\d+)", printed)
    assert result, printed
    assert result.groups()[:3] == ("arxiv:cs.LG", str(len(members)), str(len(pairs)))
    # A-B-C-D is one chain, E-F a pair, H alone: three connected parts, so at least three communities.
    assert "3 connected components" in printed
    assert int(result.group(4)) >= 3
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure is missing"
