"""The plan phase of the bulk path: the load's people decided on every core.

``loaders.people.assign_people`` clusters each block on its own (its known people, its
``taken`` ids, its mentions: nothing crosses blocks), so the blocks can be shared out
between forked processes and the answers put together: the same people as
``Plan.decide`` in one process (tests/test_bulk_plan.py checks it). The clustering
(``loaders.identity``) is the bulk path's biggest cost on a corpus of name-only
bylines; this changes where it runs, not what it decides.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Mapping

from loaders import native
from loaders.columns import ColumnPlan, PeoplePlan
from loaders.identity import Mention
from loaders.native import cores
from loaders.people import Context, assign_people, context

# Below this many mentions forking costs more than it saves (and the test suite's small loads stay in-process).
PARALLEL_MIN_MENTIONS = 20_000
# Groups per worker, handed out heaviest first as workers come free: size squared guesses a block's cost only
# roughly, and with one group per worker the core that drew the dearer blocks worked on alone at the end.
GROUPS_PER_WORKER = 8

_SHARED: list[list[Mention]] = []  # the groups, set before the fork: children read them without pickling
_CONTEXT: list[Context] = []  # the whole load's, likewise (a group alone would see other rare surnames and words)


def _assign(index: int) -> tuple[list[int], list[str]]:
    person_of = assign_people(_SHARED[index], {}, _CONTEXT[0])
    return list(person_of), list(person_of.values())


def groups(found: list[Mention], workers: int) -> list[list[Mention]]:
    """``found`` cut by block into ``workers`` groups of about equal work, heaviest first.

    A block's clustering grows faster than its size (candidate pairs), so blocks are
    weighed by size squared and handed out largest first to the lightest group.
    """
    by_block: dict[str, list[Mention]] = defaultdict(list)
    for m in found:
        by_block[m.block].append(m)
    out: list[list[Mention]] = [[] for _ in range(workers)]
    weight = [0] * workers
    for block in sorted(by_block, key=lambda b: (-len(by_block[b]), b)):
        lightest = weight.index(min(weight))
        out[lightest].extend(by_block[block])
        weight[lightest] += len(by_block[block]) ** 2
    order = sorted(range(workers), key=lambda i: -weight[i])
    return [out[i] for i in order if out[i]]


def decide(plan: PeoplePlan, workers: int | None = None, *, graph_blocks: Mapping[str, Iterable[str]] | None = None,
           graph_people: int = 0) -> None:
    """``plan.decide({}, graph_blocks, graph_people)`` (no known people in the load's blocks), the blocks clustered
    in ``workers`` processes; with the native library, in this one, on the library's threads."""
    if isinstance(plan, ColumnPlan):  # no known people, the native library: its threads, from the columns
        if graph_blocks or graph_people:
            raise ValueError("a ColumnPlan is for a load into an empty graph")
        plan.decide(workers)
        return
    workers = cores() if workers is None else workers
    # The native clustering runs its blocks on every core itself, from one encoding of the mentions: forked
    # workers would each copy the pages of the mentions they read (their reference counts change).
    if workers < 2 or len(plan.found) < PARALLEL_MIN_MENTIONS or native.available():
        plan.decide({}, graph_blocks, graph_people)
        return
    parts = groups(plan.found, workers * GROUPS_PER_WORKER)
    _SHARED[:] = parts
    _CONTEXT[:] = [context(plan.found, {}, graph_blocks, graph_people)]
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(parts))) as pool:
            answers = list(pool.imap_unordered(_assign, range(len(parts))))
    finally:
        _SHARED.clear()
        _CONTEXT.clear()
    plan.settle(pair for refs, idents in answers for pair in zip(refs, idents, strict=True))
