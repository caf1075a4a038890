"""Why authors with >= 5 papers are split in the initials variant of ``bench.identity`` (no Neo4j).

``python -m bench.initials_errors [--variant initials] [--examples 20]`` plans the whole file at once (as the
loader does), then for every true person with >= 5 papers takes the predicted person holding most of their
authorships (the *main* profile) and counts each initials-only authorship placed elsewhere by the evidence it
has towards that profile: shared co-author blocks, co-authors of co-authors, topics, venue, title words
(``loaders.people.title_words``), whether
its year lies in the profile's span (give or take 2), how many full-named profiles of its block its names fit
(``cands``) and how many besides the main one share a topic with it (the rivals a weaker rule must rule out).
Reading: docs/identity.md "Initials-only bylines".
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import dataclass

from bench.identity import Corpus, build
from loaders import works as plain
from loaders.identity import Mention, compatible
from loaders.people import assign_people, mentions


@dataclass
class Planned:
    """A McMaster rewrite with its people decided as the loader does (the whole file at once, its ``Context``):
    every mention by predicted person and by OpenAlex id."""

    corpus: Corpus
    found: list[Mention]
    person_of: dict[int, str]
    by_person: dict[str, list[Mention]]
    by_truth: dict[str, list[Mention]]


def planned(variant: str) -> Planned:
    corpus = build(variant)
    works = [plain.parse(r) for r in corpus.records]
    found, _refs = mentions(works, [w.default_id for w in works])
    person_of = assign_people(found, {})
    by_person: dict[str, list[Mention]] = defaultdict(list)
    by_truth: dict[str, list[Mention]] = defaultdict(list)
    for m in found:
        by_person[person_of[m.ref]].append(m)
        truth = corpus.truth.get((m.paper, m.position))
        if truth:
            by_truth[truth].append(m)
    return Planned(corpus, found, person_of, by_person, by_truth)


@dataclass
class Profile:
    mentions: list[Mention]

    def union(self, attr: str) -> set[str]:
        out: set[str] = set()
        for m in self.mentions:
            value = getattr(m, attr)
            if isinstance(value, frozenset):
                out |= value
            elif value:
                out.add(value)
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--variant", default="initials")
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args(argv)
    plan = planned(args.variant)
    found, person_of, by_person, by_truth = plan.found, plan.person_of, plan.by_person, plan.by_truth
    block_people: dict[str, set[str]] = defaultdict(set)
    for m in found:
        block_people[m.block].add(person_of[m.ref])
    # Co-authors of co-authors: the blocks each block has written with (over the whole file).
    neighbours: dict[str, set[str]] = defaultdict(set)
    for m in found:
        neighbours[m.block] |= m.coauthors
    tally: Counter[str] = Counter()
    examples: list[str] = []
    for _truth, ms in sorted(by_truth.items()):
        if len({m.paper for m in ms}) < 5:
            continue
        counts = Counter(person_of[m.ref] for m in ms)
        main_id = max(counts, key=lambda p: (counts[p], p))
        main = Profile(by_person[main_id])
        topics, venues, coauthors = main.union("topics"), main.union("venue"), main.union("coauthors")
        years = [m.year for m in main.mentions if m.year]
        words = {w for m in main.mentions for w in m.words}
        cocos = set().union(*(neighbours[b] for b in coauthors)) if coauthors else set()
        for m in ms:
            if person_of[m.ref] == main_id:
                continue
            tally["split"] += 1
            initials = m.given.initials_only
            tally["initials" if initials else "full"] += 1
            if not initials:
                continue
            t = len(m.topics & topics)
            in_span = bool(years) and m.year is not None and min(years) - 2 <= m.year <= max(years) + 2
            coco = len(m.coauthors & cocos)
            shared_words = len(m.words & words)
            rivals = 0
            for other in block_people[m.block]:
                if other == main_id:
                    continue
                prof = by_person[other]
                if any(x.given.full for x in prof) and all(compatible(m.given, x.given) for x in prof) and any(
                        m.topics & x.topics for x in prof):
                    rivals += 1
            alone = len(by_person[person_of[m.ref]]) == 1
            cands = [o for o in block_people[m.block] if any(x.given.full for x in by_person[o])
                     and all(compatible(m.given, x.given) for x in by_person[o])]
            main_is = main_id in cands
            tally[f"cands={min(len(cands), 3)} main={'full' if main_is else 'not'} topics={min(t, 2)}"] += 1
            tally[f"topics>={min(t, 3)}"] += 1
            tally["in span" if in_span else "out of span"] += 1
            tally["coauthors shared" if m.coauthors & coauthors else "no coauthor"] += 1
            tally["co-co>0" if coco else "co-co=0"] += 1
            tally["venue" if m.venue and m.venue in venues else "no venue"] += 1
            tally[f"title words>={min(shared_words, 2)}"] += 1
            tally[f"topic rivals={min(rivals, 3)}"] += 1
            tally["alone" if alone else "in a fragment"] += 1
            main_full = all(compatible(m.given, x.given) for x in main.mentions)
            tally["compatible with main" if main_full else "incompatible with main"] += 1
            if len(examples) < args.examples:
                examples.append(f"{m.block} {m.given.tokens} paper={m.paper} year={m.year} topics={t} "
                                f"span={min(years) if years else '-'}-{max(years) if years else '-'} coco={coco} "
                                f"words={shared_words} rivals={rivals} main={len(main.mentions)} "
                                f"fragment={len(by_person[person_of[m.ref]])}")
    for key, n in sorted(tally.items()):
        print(f"{key:24} {n}")
    print()
    print("\n".join(examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
