"""Where the B-cubed precision of prolific people goes in ``bench.identity`` (no Neo4j).

``python -m bench.precision_losses [--variant initials] [--top 25]`` plans the whole file at once (as the
loader does) and, for every predicted person holding authorships of several OpenAlex ids, prints the
precision it costs the true people with >= 5 papers (each authorship's share of foreign authorships in its
person, summed), largest first, with the ids (their last six characters) and the given names behind it. A
person holding one name of one field under several ids (Mohit Bhandari under four) is most likely OpenAlex
splitting one person, not a wrong merge: docs/benchmarks.md "Identity".
"""

from __future__ import annotations

import argparse
from collections import Counter

from bench.initials_errors import planned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variant", default="initials")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    plan = planned(args.variant)
    by_truth = plan.by_truth
    truth_of = {m.ref: t for t, ms in by_truth.items() for m in ms}
    # Only the authorships OpenAlex names a person for count (the ids are the truth).
    by_person = {p: [m for m in ms if m.ref in truth_of] for p, ms in plan.by_person.items()}
    prolific = {t for t, ms in by_truth.items() if len({m.paper for m in ms}) >= 5}
    loss: Counter[str] = Counter()
    for person, ms in by_person.items():
        truths = Counter(truth_of[m.ref] for m in ms)
        if len(truths) > 1:
            loss[person] = sum(n * (len(ms) - n) / len(ms) for t, n in truths.items() if t in prolific)
    for person, lost in loss.most_common(args.top):
        ms = by_person[person]
        names = Counter((truth_of[m.ref][-6:], " ".join(m.given.tokens)) for m in ms)
        print(f"{lost:6.1f} {person} authorships={len(ms)} ids={len({truth_of[m.ref] for m in ms})} "
              f"{dict(names.most_common(6))}")
    print(f"total {sum(loss.values()):.1f} of {sum(len(by_truth[t]) for t in prolific)} authorships of prolific "
          "people")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
