"""The people planned for a ``bench.synth`` corpus, scored against the generator's own authors (no Neo4j).

``python -m bench.synth_identity [--papers 100000] [--seed 1] [--set NAME=VALUE ...]``

The McMaster benchmark (``bench.identity``) has real names and real evidence but 13,626 works; the synthetic
corpus has the size of a big load, real common names (many people share a full name) and a generator that
knows who is who: every listed author is an author number. Here the corpus is generated again with the
numbers kept (the ``tally`` hook of ``bench.synth.Corpus`` sees each paper's authors in listed order), its
people are planned in one process as a load into an empty graph plans them (``bench.plan_check.planned``),
and B-cubed precision and recall are computed against the numbers, for everyone and for authors with >= 5
papers, as ``bench.identity`` does.

Reading: the synthetic evidence is partly noise by construction. Titles, venues and abstracts are drawn
at random for each paper, whoever wrote it; only co-authors (the lead's group), institutions (one per
position of a career), ORCIDs (from 2012) and the primary category (from the lead) follow the person. A rule
that trusts title words or venues is tested here against chance alone, which is what it would meet among
namesakes of one field in a large real load. ``--set identity.NAME=VALUE`` (or ``people.NAME``) changes a
constant of ``loaders.identity`` or ``loaders.people`` for the run, to compare rules side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from bench import synth
from bench.identity import bcubed, worst_cluster

Seat = tuple[str, int]


class _Listed:
    """Stands in for the corpus' tally: the author numbers of every paper, in listed order."""

    def __init__(self) -> None:
        self.papers: list[tuple[int, ...]] = []

    def update(self, ids: list[int]) -> None:
        self.papers.append(tuple(ids))


def score(papers: int, seed: int) -> dict[str, object]:
    """Generate, parse, plan and score: the figures of one corpus."""
    from bench.plan_check import planned
    from loaders import works as plain

    listed = _Listed()
    works = [plain.parse(json.loads(line)) for line in synth.Corpus(papers, seed, tally=listed).lines()]  # type: ignore[arg-type]
    plan, total, decide = planned(works)
    truth: dict[Seat, str] = {}
    predicted: dict[Seat, str] = {}
    skipped = 0
    for w, (work, ids) in enumerate(zip(works, listed.papers, strict=True)):
        if len(work.authors) != len(ids):  # an author the parser left out: positions would not line up
            skipped += 1
            continue
        people = plan.person.get(w, ())
        for a, (author, number) in enumerate(zip(work.authors, ids, strict=True)):
            seat = (str(w), a + 1)
            truth[seat] = str(number)
            predicted[seat] = (people[a] if a < len(people) else None) or author.id
    count: Counter[str] = Counter(truth.values())
    prolific = [k for k, t in truth.items() if count[t] >= 5]
    everyone, five = bcubed(truth, predicted), bcubed(truth, predicted, prolific)
    worst, true_people, size = worst_cluster(truth, predicted)
    return {"papers": papers, "seed": seed, "authorships": everyone.items, "true_people": len(count),
            "people": len(set(predicted.values())), "skipped_papers": skipped,
            "precision": everyone.precision, "recall": everyone.recall, "f1": everyone.f1,
            "five": (five.precision, five.recall, five.f1), "worst": (worst, true_people, size),
            "plan_cpu": total, "decide_cpu": decide}


def _set(assignment: str) -> None:
    import loaders.identity as identity
    import loaders.people as people

    name, _, value = assignment.partition("=")
    module_name, _, constant = name.rpartition(".")
    module = {"identity": identity, "people": people}.get(module_name or "identity")
    if module is None or not hasattr(module, constant):
        raise SystemExit(f"--set {assignment}: no constant {constant} in loaders.{module_name or 'identity'}")
    setattr(module, constant, type(getattr(module, constant))(json.loads(value)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a constant of loaders.identity (or people.NAME of loaders.people) for this run")
    args = parser.parse_args(argv)
    for assignment in args.set:
        _set(assignment)
    r = score(args.papers, args.seed)
    p5, r5, f5 = r["five"]  # type: ignore[misc]
    worst, true_people, size = r["worst"]  # type: ignore[misc]
    print(f"| synth {args.papers:,} seed {args.seed}{' ' + ' '.join(args.set) if args.set else ''} | "
          f"{r['authorships']:,} | {r['true_people']:,} | {r['people']:,} | {r['precision']:.3f} | "
          f"{r['recall']:.3f} | {r['f1']:.3f} | {p5:.3f} / {r5:.3f} / {f5:.3f} | `{worst}`: {true_people} people, "
          f"{size} authorships | {r['decide_cpu']:.1f} s |")
    if r["skipped_papers"]:
        print(f"({r['skipped_papers']:,} papers left out: the parser kept fewer authors than were listed)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
