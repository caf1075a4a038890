"""The people of a load are the same however the load plans them: one process or every core, parsed once.

``python -m bench.plan_check [--variant names|initials|orcid ...] [--workers N]``

Rewrites the McMaster OpenAlex file as plain publication lists (``bench.identity.build``),
then plans its people twice: as ``Plan.decide`` does in one process (the reference, the
code the identity benchmark measured), and as ``loaders.plan_pass`` does for a load into
an empty graph (records kept for the write, blocks clustered in ``--workers`` processes).
Prints, per variant, the authorships planned, a digest of the person of every authorship
and whether the two agree; exits 1 when they do not. The digest is the same on any
checkout that decides the same people (compare it across commits).
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

from bench.identity import build


def digest(person: dict[int, tuple[str | None, ...]]) -> str:
    return hashlib.sha256(pickle.dumps(sorted(person.items()), protocol=4)).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variant", action="append", choices=("names", "initials", "orcid"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
