"""The identity tests' checked clustering: ``identity.assign`` (the specification) and, where the library is built,
``loaders.native`` on the same block must find the same people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from loaders import native
from loaders.identity import Mention, assign


def native_groups(ms: Sequence[Mention], rare: bool = False,
                  common: frozenset[str] = frozenset()) -> set[frozenset[int]]:
    """The people ``loaders.native`` finds among ``ms`` (no known people), as sets of mention refs."""
    by_id: dict[str, set[int]] = defaultdict(set)
    blocks = frozenset(m.block for m in ms)
    for ref, person in native.people(ms, blocks if rare else frozenset(), common).items():
        by_id[person].add(ref)
    return {frozenset(refs) for refs in by_id.values()}


def assign_both(ms: Sequence[Mention], rare: bool = False,
                common: frozenset[str] = frozenset()) -> list[tuple[str | None, list[Mention]]]:
    """``assign(ms)`` for one block without known people, after checking that the native clustering agrees."""
    result = assign(ms, rare=rare, common=common)
    if native.available() and len({m.block for m in ms}) == 1:
        expected = {frozenset(m.ref for m in members) for _, members in result}
        assert native_groups(ms, rare, common) == expected, "loaders.native disagrees with identity.assign"
    return result


@contextmanager
def python_clustering() -> Iterator[None]:
    """Inside: the identity clustering in Python (``PEERGRAPH_NATIVE=0``), the reference the library must meet."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PEERGRAPH_NATIVE", "0")
        yield


def choose_library(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """The rest of the test clusters in Python (``library`` "python") or with the library ("native", skipped
    where it is not built)."""
    if library == "python":
        monkeypatch.setenv("PEERGRAPH_NATIVE", "0")
    elif not native.available():
        pytest.skip("the native library is not built (no cargo)")
