"""CPU of planning a load's people, and which authorships a change of the clustering moves.

``python -m bench.cluster_cpu [--synth FILE ...] [--variant initials ...] [--repeat 3] [--save P] [--compare P]``

For each ``bench.synth`` corpus and McMaster rewrite (``bench.identity.build``) the works are
parsed first (not timed); then ``Plan`` adds them and decides their people in one process,
``--repeat`` times, and the median ``time.process_time()`` of the whole plan and of ``decide``
alone is printed. ``--save`` pickles the people (every authorship's cluster); ``--compare``
counts the authorships whose cluster (the set of authorships it shares a person with) is not
the same as in a file saved by another checkout: ids may differ, the grouping is what counts.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
from collections import defaultdict
from pathlib import Path

Seat = tuple[int, int]


def _works(name: str) -> list:
    from loaders import SOURCES, _entries
    from loaders.model import Work
    from loaders.reader import Source

    fmt = SOURCES["works"]
    if name in ("names", "initials", "orcid"):
        from bench.identity import build

        return [fmt.parse(json.loads(json.dumps(r))) for r in build(name).records]
    return [e[0] for e in _entries(fmt, Source(Path(name))) if isinstance(e[0], Work)]


def _plan(works: list) -> tuple[float, float, dict[Seat, str]]:
    from bench.plan_check import planned

    plan, total, decide = planned(works)
    people = {(w, a): p for w, row in plan.person.items() for a, p in enumerate(row) if p}
    return total, decide, people


def moved(before: dict[Seat, str], after: dict[Seat, str]) -> int:
    """Authorships (of both plans) whose fellow authorships under one person differ between the plans."""
    def groups(people: dict[Seat, str]) -> dict[Seat, frozenset[Seat]]:
        by_person: dict[str, set[Seat]] = defaultdict(set)
        for seat, person in people.items():
            by_person[person].add(seat)
        frozen = {p: frozenset(s) for p, s in by_person.items()}
        return {seat: frozen[person] for seat, person in people.items()}

    a, b = groups(before), groups(after)
    return sum(1 for seat in a.keys() | b.keys() if a.get(seat) != b.get(seat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--synth", type=Path, action="append", default=[], help="a bench.synth corpus")
    parser.add_argument("--variant", action="append", default=[], choices=("names", "initials", "orcid"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", type=Path, help="pickle every authorship's person to this file")
    parser.add_argument("--compare", type=Path, help="count the authorships moved against this file")
    args = parser.parse_args(argv)
    saved: dict[str, dict[Seat, str]] = {}
    before = pickle.loads(args.compare.read_bytes()) if args.compare else {}
    for name in [str(p) for p in args.synth] + args.variant:
        works = _works(name)
        runs = []
        for _ in range(args.repeat):
            runs.append(_plan(works))
            print(f"  {Path(name).name}: decide {runs[-1][1]:.1f} s CPU", file=sys.stderr, flush=True)
        people = runs[-1][2]
        saved[name] = people
        label = Path(name).name
        line = (f"{label}: {len(people):,} authorships, {len(set(people.values())):,} people; plan "
                f"{statistics.median(r[0] for r in runs):.1f} s CPU, decide "
                f"{statistics.median(r[1] for r in runs):.1f} s (median of {args.repeat}: "
                f"{', '.join(f'{r[1]:.1f}' for r in runs)})")
        if name in before:
            line += f"; {moved(before[name], people):,} authorships moved against {args.compare}"
        print(line, flush=True)
    if args.save:
        args.save.write_bytes(pickle.dumps(saved, protocol=4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
