"""The bundled sample (``data/sample/``, see its SOURCES.md), loaded in a fixed order.

Mario Geiger's works (the plain list the product started from), arXiv
metadata records (Kaggle snapshot lines with ``authors_parsed``, then arXiv's
own abs records, which merge with them by arXiv id), and OpenAlex works with
institutions and the full topic hierarchy. All CC0 metadata.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from graph.db import Graph
from loaders import LoadSummary, load_files
from loaders.derive import finish

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"

# The seed list is Mario Geiger's own publication list: five of its records cut the author
# list ("et al.") before his name, and he is still an author of them.
OWNERS = {"geiger-works.jsonl": "Mario Geiger"}

# (source, file name), in load order.
SAMPLE_FILES: tuple[tuple[str, str], ...] = (
    ("works", "geiger-works.jsonl"),
    ("arxiv", "arxiv-metadata-oai-snapshot.first200.jsonl"),
    ("arxiv", "arxiv-abs.snapshot.jsonl.gz"),
    ("openalex", "openalexpro-works.raw.jsonl.gz"),
)


def sample_paths() -> list[tuple[str, Path]]:
    """(source, file) of each sample file, in load order."""
    return [(source, SAMPLE_DIR / name) for source, name in SAMPLE_FILES]


def load_sample(db: Graph, progress: bool = True, rejects_dir: Path | None = None,
                files: Sequence[tuple[str, Path]] | None = None) -> list[LoadSummary]:
    """Load every sample file (or ``files``, e.g. cuts of them) into ``db``; one summary per file.

    The OpenAlex file holds one work without a title, which is rejected (its 22
    works without authors are kept). Rejects go to ``rejects_dir``, by default
    ``<data dir>/rejects/``: the summary names the file, so it must outlive the
    load, and the project tree (where the sample lives) stays clean.

    Derived data is brought in step once, after the last file (the last summary counts its authors and
    time): deriving after each file gave the same graph for four times the work (docs/loading.md).
    """
    from graph.server import data_dir

    folder = rejects_dir if rejects_dir is not None else data_dir() / "rejects"
    summaries = []
    for source, path in files if files is not None else sample_paths():
        summaries.append(load_files(db, source, [path], rejects=folder / f"{path.name}.rejects.jsonl",
                                    progress=progress, owner=OWNERS.get(path.name), derive="none"))
    started = time.monotonic()
    _, summaries[-1].derived_authors = finish(db)
    summaries[-1].seconds += time.monotonic() - started
    return summaries
