"""The people of a load are the same however the load plans them: one process or every core, parsed once.

``python -m bench.plan_check [--variant names|initials|orcid ...] [--workers N]``

Rewrites the McMaster OpenAlex file as plain publication lists (``bench.identity.build``),
then plans its people twice: as ``Plan.decide`` does in one process (the reference, the
code the identity benchmark measured), and as ``loaders.plan_pass`` does for a load into
an empty graph (records kept for the write, blocks clustered in ``--workers`` processes).
Prints, per variant, the authorships planned, a digest of the person of every authorship
and whether the two agree; exits 1 when they do not. The digest is the same on any
checkout that decides the same people (compare it across commits).

``--save FILE`` / ``--compare FILE`` (a change to the clustering must not change a single decision): plan the
people in one process of the three variants and of ``--synth`` corpora (``bench.synth`` files, e.g. 25,000
papers), pickle the person of every authorship to FILE, or compare with a FILE saved before the change
(byte-identical pickles, or exit 1). Prints the CPU time of each plan and of its clustering alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.identity import build


def digest(person: dict[int, tuple[str | None, ...]]) -> str:
    return hashlib.sha256(pickle.dumps(sorted(person.items()), protocol=4)).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variant", action="append", choices=("names", "initials", "orcid"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", type=Path, help="pickle the people planned in one process to this file")
    parser.add_argument("--compare", type=Path, help="compare the people planned in one process with this file")
    parser.add_argument("--synth", type=Path, action="append", default=[], help="a bench.synth corpus to add")
    args = parser.parse_args(argv)
    if args.save or args.compare:
        return snapshot(args.variant or ["names", "initials", "orcid"], args.synth, args.save, args.compare)
    from loaders import SOURCES, plan_pass
    from loaders.bulk import plan as bulk_plan
    from loaders.people import Plan
    from loaders.rows import KeyMap
    from loaders.writer import plan_add

    fmt = SOURCES["works"]
    bulk_plan.cores = lambda: args.workers  # type: ignore[assignment]  # the workers asked for
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-plan-check-") as tmp:
        for variant in args.variant or ["names", "initials", "orcid"]:
            path = Path(tmp) / f"{variant}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in build(variant).records), encoding="utf-8")
            works = [fmt.parse(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
            started = time.process_time()
            reference = Plan()
            keys: KeyMap = {}
            for start in range(0, len(works), 5_000):
                plan_add(None, reference, works[start:start + 5_000], keys)
            reference.decide({})
            one = time.process_time() - started
            started = time.monotonic()
            planned, _ = plan_pass(fmt, [path], None, keep=len(works))
            wall = time.monotonic() - started
            same = planned.person == reference.person
            failed = failed or not same
            authorships = sum(1 for row in reference.person.values() for person in row if person)
            print(f"{variant}: {authorships:,} authorships planned; people {digest(reference.person)} in one "
                  f"process ({one:.1f} s CPU), {digest(planned.person)} by plan_pass on {args.workers} workers "
                  f"({wall:.1f} s wall, parse included): {'the same' if same else 'DIFFERENT'}")
    return 1 if failed else 0


def planned(works: list) -> tuple[Any, float, float]:
    """The plan of ``works`` made in one process, as ``Plan.decide`` does, with its CPU seconds: (plan, the whole
    plan, of it the decision). bench.cluster_cpu times it the same way."""
    from loaders.people import Plan
    from loaders.rows import KeyMap
    from loaders.writer import plan_add

    started = time.process_time()
    plan = Plan()
    keys: KeyMap = {}
    for start in range(0, len(works), 5_000):
        plan_add(None, plan, works[start:start + 5_000], keys)
    added = time.process_time()
    plan.decide({})
    done = time.process_time()
    return plan, done - started, done - added


def _plan_one(works: list, label: str) -> dict[int, tuple[str | None, ...]]:
    """The people of ``works`` planned in one process, as ``Plan.decide`` does; prints the CPU time."""
    plan, total, decide = planned(works)
    authorships = sum(1 for row in plan.person.values() for person in row if person)
    print(f"{label}: {authorships:,} authorships, people {digest(plan.person)}; plan {total:.2f} s CPU, "
          f"of it decide {decide:.2f} s")
    return plan.person


def snapshot(variants: list[str], synth: list[Path], save: Path | None, compare: Path | None) -> int:
    from loaders import SOURCES, _entries
    from loaders.model import Work
    from loaders.reader import Source

    fmt = SOURCES["works"]
    people: dict[str, bytes] = {}
    for variant in variants:
        works = [fmt.parse(json.loads(json.dumps(r))) for r in build(variant).records]
        people[variant] = pickle.dumps(sorted(_plan_one(works, variant).items()), protocol=4)
    for path in synth:
        works = [e[0] for e in _entries(fmt, Source(path)) if isinstance(e[0], Work)]
        people[path.name] = pickle.dumps(sorted(_plan_one(works, path.name).items()), protocol=4)
    if save:
        save.write_bytes(pickle.dumps(people, protocol=4))
        print(f"saved to {save}")
    if compare:
        before: dict[str, bytes] = pickle.loads(compare.read_bytes())
        differ = [name for name in people if before.get(name) != people[name]]
        print(f"compared with {compare}: " + (f"DIFFERENT: {', '.join(differ)}" if differ else "byte-identical"))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
