"""The bulk path's people plan decided in several processes gives the people of ``Plan.decide`` in one."""

from __future__ import annotations

import copy
import json

import pytest
from identity_helpers import choose_library, python_clustering

from bench import synth
from loaders import works
from loaders.bulk import plan as bulk_plan
from loaders.people import Plan
from loaders.rows import KeyMap, assign_ids


def _plan(papers: int) -> Plan:
    plan = Plan()
    keys: KeyMap = {}
    records = [works.parse(json.loads(line)) for line in synth.Corpus(papers, 3).lines()]
    for start in range(0, len(records), 500):
        batch = records[start:start + 500]
        ids, _ = assign_ids(batch, {}, keys)
        plan.add(batch, ids)
    return plan


@pytest.mark.parametrize("library", ["native", "python"])
def test_parallel_decide_gives_the_same_people(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """With the native library the blocks are clustered on threads; without it, in forked processes."""
    one = _plan(800)
    assert len(one.blocks()) > 100  # enough blocks to share out
    two = copy.deepcopy(one)
    with python_clustering():
        one.decide({})
    choose_library(monkeypatch, library)
    monkeypatch.setattr(bulk_plan, "PARALLEL_MIN_MENTIONS", 0)
    bulk_plan.decide(two, workers=2)
    assert two.person == one.person
    assert any(len({i for i in row if i}) > 1 for row in one.person.values())
    assert (two.found, two.refs) == ([], [])


def test_groups_keep_each_block_whole_and_balance_the_work() -> None:
    plan = _plan(300)
    parts = bulk_plan.groups(plan.found, 3)
    assert sorted(m.ref for part in parts for m in part) == sorted(m.ref for m in plan.found)
    owners: dict[str, int] = {}
    for index, part in enumerate(parts):
        for m in part:
            assert owners.setdefault(m.block, index) == index
    weights = [sum(n * n for n in _sizes(part)) for part in parts]
    biggest = max(n * n for part in parts for n in _sizes(part))
    assert max(weights) - min(weights) <= biggest


def _sizes(part: list) -> list[int]:
    sizes: dict[str, int] = {}
    for m in part:
        sizes[m.block] = sizes.get(m.block, 0) + 1
    return list(sizes.values())
