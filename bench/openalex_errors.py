"""Where OpenAlex's own author ids are likely wrong, in the McMaster file (the truth of ``bench.identity``).

``python -m bench.openalex_errors [--top 15]`` prints three checks over the file's authorships:

* one OpenAlex id on bylines whose given names are incompatible (``loaders.identity.compatible``),
  with how many co-authors the two name groups share (none: two co-author worlds);
* one OpenAlex id on several authorships of one paper (two authors of one paper are two people);
* one ORCID on several OpenAlex ids.

Examples and reading: docs/identity.md "Where OpenAlex's ids are likely wrong".
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import dataclass

from bench.identity import DATA, openalex_records
from loaders.identity import byline_given, compatible


@dataclass(frozen=True)
class Byline:
    byline: str
    work: str
    year: int | None
    coauthors: frozenset[str]


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    bylines: dict[str, list[Byline]] = defaultdict(list)
    display: dict[str, str] = {}
    orcids: dict[str, set[str]] = defaultdict(set)
    twice: list[tuple[str, str, list[tuple[int, str]]]] = []
    for work in openalex_records(DATA):
        authorships = work.get("authorships") or []
        ids = [(a.get("author") or {}).get("id") for a in authorships]
        for ident, n in Counter(i for i in ids if i).items():
            if n > 1:
                twice.append((_short(work["id"]), _short(ident),
                              [(p + 1, a.get("raw_author_name") or "") for p, a in enumerate(authorships)
                               if ids[p] == ident]))
        for a, ident in zip(authorships, ids, strict=True):
            author = a.get("author") or {}
            if not ident:
                continue
            display[ident] = author.get("display_name") or ""
            if author.get("orcid"):
                orcids[_short(author["orcid"])].add(_short(ident))
            bylines[ident].append(Byline(a.get("raw_author_name") or "", _short(work["id"]),
                                         work.get("publication_year"),
                                         frozenset(i for i in ids if i and i != ident)))
    clashes = []
    for ident, found in bylines.items():
        groups: dict[str, list[Byline]] = defaultdict(list)
        for b in found:
            given = byline_given(b.byline)
            if "," not in b.byline and given.tokens and len(given.first) > 1:
                groups[given.first].append(b)
        names = sorted(groups)
        for x, first in enumerate(names):
            for second in names[x + 1:]:
                one, two = groups[first], groups[second]
                if compatible(byline_given(one[0].byline), byline_given(two[0].byline)):
                    continue
                shared = frozenset().union(*(b.coauthors for b in one)) & frozenset().union(*(b.coauthors for b in two))
                clashes.append((min(len(one), len(two)), _short(ident), display[ident], one[0].byline, len(one),
                                two[0].byline, len(two), len(shared)))
    clashes.sort(reverse=True)
    print(f"one id, incompatible given names: {len(clashes)} id/name pairs")
    for _, ident, name, a, na, b, nb, shared in clashes[:args.top]:
        print(f"  {ident} ({name}): {a!r} x{na} / {b!r} x{nb}, {shared} shared co-authors")
    print(f"one id on several authorships of one paper: {len(twice)} pairs in {len({t[0] for t in twice})} works")
    for work_id, ident, seats in twice[:args.top]:
        print(f"  {work_id} {ident}: {seats}")
    split = {o: ids for o, ids in orcids.items() if len(ids) > 1}
    print(f"one ORCID on several ids: {len(split)}")
    for orcid, ids in sorted(split.items())[:args.top]:
        print(f"  {orcid}: {sorted(ids)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
