"""The bulk path's phase clock: wall and CPU time per phase, the CPU of finished child processes apart."""

from __future__ import annotations

import multiprocessing
import time

from loaders.bulk.common import BulkSummary, _Clock


def _spin(seconds: float) -> None:
    """Busy for ``seconds`` of this process's CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_clock_keeps_wall_and_cpu_of_each_phase_and_of_its_children() -> None:
    summary = BulkSummary("works")
    clock = _Clock(summary)
    _spin(0.2)
    clock.done("mine")
    child = multiprocessing.get_context("fork").Process(target=_spin, args=(0.2,))
    child.start()
    child.join()
    clock.done("child")
    time.sleep(0.1)
    clock.done("idle")

    assert list(summary.phases) == list(summary.cpu) == ["mine", "child", "idle"]
    mine, children = summary.cpu["mine"]
    assert mine >= 0.2 and children == 0
    assert summary.phases["mine"] >= 0.2
    assert summary.cpu["child"][1] >= 0.2 and summary.cpu["child"][0] < 0.2
    assert summary.phases["idle"] >= 0.1 and sum(summary.cpu["idle"]) < 0.05
