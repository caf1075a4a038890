"""What every phase of the bulk path shares: its error, its summary, the identifier kinds, numeric columns."""

from __future__ import annotations

import resource
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from loaders import LoadSummary

# Years are packed into 12 bits next to a pair key: MIN_YEAR..MAX_YEAR fit, 4095 means "no year".
_YEAR_BASE, _NO_YEAR = 999, 4095
# Pair instances (one per joint paper) held in memory at once before they are spilled by range.
_PAIRS_IN_MEMORY = 4_000_000
# Characters tried, in order, as the importer's array delimiter: the first that no list element contains.
_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c", "\ue000", "\ue001")
_KINDS = ("arxiv_id", "doi", "openalex_id")


class BulkError(Exception):
    """The bulk path cannot run here (a database that is not empty, an external server ...)."""


@dataclass
class BulkSummary(LoadSummary):
    """A LoadSummary (same counts, same line) plus what the bulk path wrote and how long each phase took."""

    nodes: int = 0
    relationships: int = 0
    csv_bytes: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    # CPU seconds per phase: (this process, its finished child processes: the parser, the people's workers,
    # the importer). Wall time alone says little on a shared machine; CPU says what a phase costs.
    cpu: dict[str, tuple[float, float]] = field(default_factory=dict)
    # The importer's arguments (nodes, relationships, options): to time the same import again on kept CSV files.
    imported: tuple[list[tuple[str, list[Path]]], list[tuple[str, list[Path]]], list[str]] | None = None

    def line(self) -> str:
        text = super().line()
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())
        return (f"{text}; bulk import: {self.nodes:,} nodes, {self.relationships:,} relationships "
                f"from {self.csv_bytes / 1e6:,.0f} MB of CSV ({phases})")


def _cpu() -> tuple[float, float]:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime, children.ru_utime + children.ru_stime


class _Clock:
    """Wall and CPU time of the phases, one after the other, into a summary's ``phases`` and ``cpu``."""

    def __init__(self, summary: BulkSummary) -> None:
        self.summary = summary
        self.wall, self.used = time.monotonic(), _cpu()

    def done(self, name: str) -> None:
        """The phase ``name`` ends now; the next one starts."""
        wall, used = time.monotonic(), _cpu()
        self.summary.phases[name] = wall - self.wall
        self.summary.cpu[name] = (used[0] - self.used[0], used[1] - self.used[1])
        self.wall, self.used = wall, used


# -- growable numeric columns --------------------------------------------------------------------------------
_NUMPY_TYPES = {"B": np.uint8, "I": np.uint32, "h": np.int16, "i": np.int32, "q": np.int64}


class _Column:
    """One number per paper, appended as papers are numbered (array.array: cheap per-record access)."""

    def __init__(self, typecode: str, fill: int) -> None:
        self.fill = fill
        self.data = array(typecode)

    def append(self) -> None:
        self.data.append(self.fill)

    def view(self, n: int) -> np.ndarray:
        return np.frombuffer(self.data, dtype=_NUMPY_TYPES[self.data.typecode])[:n] if n else \
            np.zeros(0, dtype=_NUMPY_TYPES[self.data.typecode])
