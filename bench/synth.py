"""A synthetic corpus of realistic shape in the plain publication-list format (``works`` loader).

``python -m bench.synth --papers 100000 --seed 1 --out FILE.jsonl.gz``

One JSON object a line: ``title``, ``authors`` (objects with ``name``, for some
an ``orcid`` and an ``institution``), ``date``, ``year``, ``categories``,
``venue``, ``type``, ``doi``, ``arxiv_id``, ``abstract``, ``has_code``,
``code_url``, ``cited_by_count`` (keys without a value are left out).

The shape follows arXiv: papers grow ~14 % a year from 1991 to 2025 and come in
date order (arXiv ids ``YYMM.NNNNN``, unique); authors per paper are heavy-tailed
(most 1-8, some 9-100, a few collaboration papers of 300-3,000 authors);
author productivity is Zipf-like (a few authors with a thousand or more papers),
co-authors mostly come from the lead author's group, so pairs repeat; the pool
of authors grows with the corpus (~0.9 per paper at 100,000 papers); names come from a pool of
real common names (non-ASCII included) plus a composed tail; institutions
(~3,000, skewed) change every few years of a career; 1-5 real arXiv
categories per paper, skewed, the primary one following the lead author's field.

Deterministic for a seed (and a ``GENERATOR_VERSION``); streaming: memory stays
flat whatever the number of papers (per-author facts are derived from a hash of
the author's number, not stored).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import queue
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from bench import pools

# Bump when the output for a given seed changes: the benchmark's corpus cache is keyed on it.
GENERATOR_VERSION = 1

_M64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finaliser: 64 well-mixed bits from an integer (deterministic across runs and platforms)."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _esc(text: str) -> str:
    """``text`` as the inside of a JSON string (UTF-8 kept as is)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _table(weighted: list[tuple[str, float]], size: int) -> list[str]:
    """A lookup table in which each item fills a share of ``size`` slots proportional to its weight (>= 1 slot)."""
    total = sum(w for _, w in weighted)
    slots = [max(1, round(w / total * size)) for _, w in weighted]
    table = [item for (item, _), n in zip(weighted, slots, strict=True) for _ in range(n)]
    # Trim or pad so that indexing with a fixed number of random bits stays uniform.
    while len(table) > size:
        table.pop(len(table) // 2)
    while len(table) < size:
        table.append(weighted[0][0])
    return table


def orcid_checksum(base: str) -> str:
    """The ISO 7064 11,2 check character of the 15 ORCID base digits."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


@dataclass(frozen=True)
class Shape:
    """The knobs of the corpus. The defaults give the arXiv-like shape described in the module doc."""

    first_year: int = 1991
    last_year: int = 2025
    growth: float = 0.13  # papers in year y ~ exp(growth * y)
    # Authors per paper: weights of 1..8 authors; shares of 9-19, 20-100 and collaboration papers.
    small_weights: tuple[int, ...] = (12, 19, 20, 16, 12, 9, 7, 5)
    p_mid: float = 0.12
    p_large: float = 0.025
    p_collaboration: float = 0.0015
    # Who the authors are.
    p_new_lead: float = 0.06  # the first author is a newcomer
    p_new: float = 0.06  # another author is a newcomer
    p_group: float = 0.85  # ... comes from the lead author's group (so pairs repeat)
    group_size: int = 12
    zipf: float = 2.2  # an established author is picked as int(n_authors * u ** zipf): a few very prolific
    p_full_name: float = 0.88  # else an initialled variant ("M. Geiger")
    p_common_surname: float = 0.35  # else a composed one from the long tail
    p_orcid: float = 0.35  # of authors; shown on papers from orcid_from on
    orcid_from: int = 2013
    p_affiliation: float = 0.7  # of authors; their papers name an institution
    institutions: int = 3000
    # Papers.
    p_arxiv: float = 0.92  # else a journal-only paper with a DOI
    p_doi: float = 0.35  # of arXiv papers, a journal version
    p_abstract: float = 0.8
    p_primary_from_lead: float = 0.65
    category_counts: tuple[int, ...] = (45, 30, 15, 7, 3)  # weights of 1..5 categories


SHAPE = Shape()

# Collaborations: (name, members at a time, first year, primary category). Members turn over ~4 % a year.
COLLABORATIONS = [
    ("H1", 400, 1993, "hep-ex"), ("ZEUS", 450, 1993, "hep-ex"), ("CDF", 650, 1995, "hep-ex"),
    ("D0", 600, 1995, "hep-ex"), ("BaBar", 600, 2000, "hep-ex"), ("ATLAS", 2900, 2008, "hep-ex"),
    ("CMS", 2300, 2008, "hep-ex"), ("LHCb", 900, 2009, "hep-ex"), ("ALICE", 1000, 2009, "nucl-ex"),
    ("IceCube", 350, 2010, "astro-ph.HE"), ("LIGO-Virgo", 1500, 2016, "gr-qc"), ("Belle II", 600, 2016, "hep-ex"),
]


class Corpus:
    """One corpus: ``Corpus(papers, seed).lines()`` yields its JSON lines in date order.

    ``tally``, when given, counts the papers of each author number (the true
    people, before any merging by name): for tests and for tuning the shape.
    """

    def __init__(self, papers: int, seed: int = 1, shape: Shape = SHAPE, *, tally: Counter | None = None) -> None:
        if papers < 0:
            raise ValueError("papers must be >= 0")
        self.papers = papers
        self.seed = seed
        self.shape = shape
        self.tally = tally
        self.rng = random.Random(f"peergraph-synth-{GENERATOR_VERSION}-{seed}")
        self.salt = _mix(seed * 0x632BE59BD9B4E019 + GENERATOR_VERSION)
        self.n_authors = 0  # the pool: authors 0 .. n_authors-1 exist
        self._build_pools()
        # Bounded, so memory stays flat; prolific authors stay in it.
        self.profile = lru_cache(maxsize=1 << 16)(self._profile)
        self._collaborations: dict[int, list] = {}
        # How each author is listed (first year, last year, JSON) for a span of years: papers come in date
        # order, so an entry serves until the author moves; cleared when large, so memory stays bounded.
        self.listed: dict[int, tuple[int, int, str]] = {}

    # -- fixed pools ---------------------------------------------------------
    def _build_pools(self) -> None:
        rng, s = random.Random(f"peergraph-synth-pools-{self.seed}"), self.shape
        self.first_names = _table([(_esc(n), w) for n, w in pools.FIRST_NAMES], 4096)
        self.first_initial = {n: _esc(n[0] + ".") for n in self.first_names}
        self.common_last = _table([(_esc(n), w) for n, w in pools.COMMON_LAST_NAMES], 4096)
        composed = sorted({o + m + e for o in pools.SURNAME_ONSETS for m in pools.SURNAME_MIDDLES
                           for e in pools.SURNAME_ENDINGS})
        rng.shuffle(composed)
        self.composed_last = [_esc(n) for n in composed[: 1 << 15]]
        names = sorted({p.format(place) for p in pools.INSTITUTION_PATTERNS for place in pools.PLACES})
        rng.shuffle(names)
        # Zipf-skewed institutions: a few big ones appear on many papers.
        self.institutions = _table([(_esc(n), 1.0 / (i + 8)) for i, n in enumerate(names[: s.institutions])], 1 << 16)
        self.categories = _table(pools.ARXIV_CATEGORIES, 4096)
        by_archive: dict[str, list[tuple[str, int]]] = {}
        for code, weight in pools.ARXIV_CATEGORIES:
            by_archive.setdefault(code.split(".")[0], []).append((code, weight))
        counts = _table([(str(i + 1), w) for i, w in enumerate(s.category_counts)], 1024)
        # For each primary category, 64 ready-made category lists: the primary first, then cross-lists
        # (half from the same archive, half from anywhere, skewed like the primaries).
        self.category_lists: dict[str, list[str]] = {}
        for code, _ in pools.ARXIV_CATEGORIES:
            siblings = [c for c, _ in by_archive[code.split(".")[0]]]
            weights = [w for _, w in by_archive[code.split(".")[0]]]
            lists = []
            for _ in range(64):
                cats = [code]
                for _ in range(int(rng.choice(counts)) - 1):
                    extra = rng.choices(siblings, weights)[0] if rng.random() < 0.5 else rng.choice(self.categories)
                    if extra not in cats:
                        cats.append(extra)
                lists.append('"' + '","'.join(cats) + '"')
            self.category_lists[code] = lists
        self.p_code = {code: 0.25 if code.split(".")[0] in ("cs", "stat", "eess") else 0.02
                       for code, _ in pools.ARXIV_CATEGORIES}
        self.small_counts = [int(x) for x in _table([(str(i + 1), w) for i, w in enumerate(s.small_weights)], 1024)]
        self.venues = [(_esc(v), prefix, kind) for v, prefix, kind in pools.VENUES]
        # Titles: a head from a pattern, then often a context (~1.5 million combinations).
        self.title_heads = []
        for _ in range(1 << 15):
            pattern = rng.choice(pools.TITLE_PATTERNS)
            objects = rng.sample(pools.OBJECTS, 2)
            self.title_heads.append(_esc(pattern.format(m=rng.choice(pools.METHODS), o=objects[0], o2=objects[1],
                                                        c="").strip()))
        self.title_tails = [""] * len(pools.CONTEXTS) + [_esc(" " + c) for c in pools.CONTEXTS]
        # Abstracts: two halves of 1-3 sentences each, from 4,096 of each.
        sentences = []
        for _ in range(1000):
            opener, claim = rng.choice(pools.ABSTRACT_OPENERS), rng.choice(pools.ABSTRACT_CLAIMS)
            sentences.append(f"{opener} {rng.choice(pools.METHODS).lower()} {rng.choice(pools.OBJECTS).lower()} "
                             f"{rng.choice(pools.CONTEXTS)}, {claim}.")
        self.abstract_halves = [_esc(" ".join(rng.sample(sentences, rng.randint(1, 3)))) for _ in range(1 << 13)]
        self.code_words = ["e3nn", "torch", "jax", "graph", "equi", "flow", "lattice", "quant", "bench", "toolkit",
                           "solver", "net", "sim", "lab", "hub", "kit"]

    # -- authors -------------------------------------------------------------
    def _profile(self, k: int) -> tuple[str, str, str, bool, int, int, int]:
        """Facts about author ``k`` derived from a hash of ``k``, so that nothing per author is stored.

        (full name, initialled variant, ``,"orcid":"..."`` or "", has an affiliation,
        years per position, phase of the moves, institution salt)
        """
        s = self.shape
        h = _mix(self.salt ^ (k * 0xD1B54A32D192ED03))
        g = _mix(h)
        first = self.first_names[h & 0xFFF]
        if ((h >> 12) & 0x3FF) < s.p_common_surname * 1024:
            last = self.common_last[(h >> 22) & 0xFFF]
        else:
            last = self.composed_last[((h >> 22) & 0x7FFF) % len(self.composed_last)]
        initial = self.first_initial[first]
        if ((h >> 37) & 0xFF) < 50:  # ~20 % carry a middle initial
            middle = pools.MIDDLE_INITIALS[(h >> 45) % len(pools.MIDDLE_INITIALS)] + "."
            full, variant = f"{first} {middle} {last}", f"{initial} {middle} {last}"
        else:
            full, variant = f"{first} {last}", f"{initial} {last}"
        orcid = ""
        if (g & 0x3FF) < s.p_orcid * 1024:
            # 0000-000{1,2,3,9}-...: unique per author (k times a multiplier prime to 10 permutes mod 10**11).
            body = "000" + "1239"[(g >> 10) & 3] + f"{(k * 7_919_000_003 + (g >> 12)) % 10**11:011d}"
            digits = body + orcid_checksum(body)
            orcid = f',"orcid":"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:16]}"'
        affiliated = ((g >> 50) & 0x3FF) < s.p_affiliation * 1024
        period = 3 + (g >> 60)  # years per position: 3..18
        phase = (g >> 40) & 0x1F
        return full, variant, orcid, affiliated, period, phase, (g >> 20) & 0xFFFFF

    def fragment(self, k: int, year: int) -> tuple[int, int, str]:
        """Author ``k`` as listed on a paper of ``year``: (first year, last year, JSON object) for the
        span of years in which it is listed the same way (one position; before or after ORCID)."""
        full, variant, orcid, affiliated, period, phase, salt = self.profile(k)
        era = (year + phase) // period  # a new position every `period` years
        first, last = era * period - phase, (era + 1) * period - phase - 1
        if year < self.shape.orcid_from:
            orcid, last = "", min(last, self.shape.orcid_from - 1)
        else:
            first = max(first, self.shape.orcid_from)
        mixed = ((salt + era * 0x9E3779B1) * 0x85EBCA6B) >> 12
        # Some positions list the initialled variant ("M. Geiger" beside "Mario Geiger"), as real lists do.
        name = full if (mixed & 0x3FF) < self.shape.p_full_name * 1024 else variant
        if affiliated:
            institution = self.institutions[(mixed >> 10) & 0xFFFF]
            return first, last, f'{{"name":"{name}"{orcid},"institution":"{institution}"}}'
        return first, last, f'{{"name":"{name}"{orcid}}}'

    def _listing(self, k: int, year: int) -> str:
        """Author ``k`` on a paper of ``year``, through the cache of listings (the hot loop inlines this)."""
        f = self.listed.get(k)
        if f is None or f[1] < year:
            f = self.listed[k] = self.fragment(k, year)
        return f[2]

    def _new_authors(self, n: int) -> list[int]:
        first = self.n_authors
        self.n_authors += n
        return list(range(first, first + n))

    def _collaboration(self, year: int) -> tuple[str, list[int], str] | None:
        """(primary category, members, author-list JSON) of a collaboration active in ``year``, or None."""
        active = [i for i, c in enumerate(COLLABORATIONS) if c[2] <= year]
        if not active:
            return None
        c = active[int(self.rng.random() * len(active))]
        _, size, start, primary = COLLABORATIONS[c]
        state = self._collaborations.get(c)
        if state is None:
            state = self._collaborations[c] = [self._new_authors(size), start, ""]
        members, members_year, listed = state
        if members_year != year or not listed:
            turnover = min(size, max(1, size * 4 // 100) * (year - members_year))
            if turnover:  # members leave from the front, newcomers join at the end
                del members[:turnover]
                members.extend(self._new_authors(turnover))
            listed = ",".join([self._listing(k, year) for k in members])
            state[1], state[2] = year, listed
        return primary, members, listed

    # -- papers --------------------------------------------------------------
    def year_counts(self) -> list[tuple[int, int]]:
        """Papers per year: growing exponentially, summing to ``papers``."""
        s = self.shape
        years = range(s.first_year, s.last_year + 1)
        weights = [math.exp(s.growth * (y - s.first_year)) for y in years]
        exact = [self.papers * w / sum(weights) for w in weights]
        counts = [int(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_remainder[: self.papers - sum(counts)]:
            counts[i] += 1
        return list(zip(years, counts, strict=True))

    def lines(self) -> Iterator[str]:
        """The corpus, one JSON text a line (without the newline), in date order."""
        # The hot loop: ~10 us a paper, so everything it touches is a local and a random number is used once.
        s, rnd, tally = self.shape, self.rng.random, self.tally
        p_collab, p_large, p_mid = s.p_collaboration, s.p_collaboration + s.p_large, \
            s.p_collaboration + s.p_large + s.p_mid
        p_new_lead, zipf, group_size = s.p_new_lead, s.zipf, s.group_size
        p_new, p_group = s.p_new, s.p_new + s.p_group
        small_counts, categories, category_lists, p_code = \
            self.small_counts, self.categories, self.category_lists, self.p_code
        title_heads, title_tails, n_tails = self.title_heads, self.title_tails, len(self.title_tails)
        halves, venues, n_venues, code_words = self.abstract_halves, self.venues, len(self.venues), self.code_words
        fragment, salt = self.fragment, self.salt
        paper = 0
        listed = self.listed
        for year, count in self.year_counts():
            jan1 = date(year, 1, 1)
            days = [(jan1 + timedelta(days=d)).isoformat() for d in range(365)]
            yy, month, seq = year % 100, 0, 0
            age_factor = 1 + (s.last_year - year) / 4
            for j in range(count):
                paper += 1
                day = days[j * 365 // count]
                if int(day[5:7]) != month:
                    month, seq = int(day[5:7]), 0
                # Authors: how many, then who.
                r = rnd()
                collaboration = self._collaboration(year) if r < p_collab else None
                if collaboration is not None:
                    primary, ids, authors = collaboration
                    cats = f'"{primary}"'
                else:
                    if r < p_collab:
                        n = 1
                    elif r < p_large:  # 20-100, density ~ n^-2
                        n = int(1.0 / (1 / 20 - (r - p_collab) / (p_large - p_collab) * (1 / 20 - 1 / 101)))
                    elif r < p_mid:  # 9-19, skewed low
                        n = 9 + int(11 * ((r - p_large) / (p_mid - p_large)) ** 1.6)
                    else:
                        n = small_counts[int(rnd() * 1024)]
                    n_pool = self.n_authors
                    r = rnd()
                    if n_pool == 0 or r < p_new_lead:
                        lead = self.n_authors
                        self.n_authors += 1
                    else:
                        lead = int(n_pool * ((r - p_new_lead) / (1 - p_new_lead)) ** zipf)
                    ids = [lead]
                    if n > 1:
                        group = lead - lead % group_size
                        # The lead's group: the block of authors around the lead (partly filled at the pool's end).
                        scale = min(group_size, self.n_authors - group) / (p_group - p_new)
                        need = n - 1
                        while need:
                            r = rnd()
                            if r < p_new:
                                k = self.n_authors
                                self.n_authors += 1
                            elif r < p_group:
                                k = group + int((r - p_new) * scale)
                            else:
                                k = int(self.n_authors * rnd() ** zipf)
                            if k not in ids:
                                ids.append(k)
                                need -= 1
                    parts = []
                    for k in ids:
                        f = listed.get(k)
                        if f is None or f[1] < year:
                            f = listed[k] = fragment(k, year)
                        parts.append(f[2])
                    authors = ",".join(parts)
                    # The primary category follows the lead author's field (a hash of the lead), else anything.
                    r = rnd()
                    if r < s.p_primary_from_lead:
                        primary = categories[((lead * 0x9E3779B1 + salt) >> 7) & 0xFFF]
                    else:
                        primary = categories[int(r * 4096)]
                    cats = category_lists[primary][int(rnd() * 64)]
                if tally is not None:
                    tally.update(ids)
                title = title_heads[int(rnd() * 32768)] + title_tails[int(rnd() * n_tails)]
                line = (f'{{"title":"{title}","authors":[{authors}],"date":"{day}","year":{year},'
                        f'"categories":[{cats}]')
                # Identifiers: most papers are on arXiv, some with a journal DOI; a few are journal-only.
                r = rnd()
                if r < s.p_arxiv:
                    seq += 1
                    arxiv_id = f',"arxiv_id":"{yy:02d}{month:02d}.{seq:05d}"'
                    has_doi = r < s.p_arxiv * s.p_doi
                else:
                    arxiv_id, has_doi = "", True
                if has_doi:
                    venue, prefix, kind = venues[int(rnd() * n_venues)]
                    line += f',"venue":"{venue}","type":"{kind}","doi":"{prefix}.{year}.{paper:07d}"{arxiv_id}'
                else:
                    line += f',"venue":"arXiv","type":"preprint"{arxiv_id}'
                r = rnd()
                if r < s.p_abstract:
                    line += f',"abstract":"{halves[int(r * 8192) & 0x1FFF]} {halves[int(rnd() * 8192)]}"'
                r = rnd()
                if year >= 2012 and r < p_code[primary]:  # code links: mostly recent machine learning
                    word = code_words[int(r * 1024) & 15]
                    line += f',"has_code":true,"code_url":"https://github.com/{word}-lab/{word}-{paper}"'
                else:
                    line += ',"has_code":false'
                # Citations: heavy-tailed; older papers have had longer to collect them.
                r = rnd()
                cited = 0 if r < 0.2 else int((((r - 0.2) / 0.8) ** -0.8 - 1) * age_factor)
                if len(listed) > 1 << 17:  # bounded: memory stays flat on any corpus size
                    listed.clear()
                yield f'{line},"cited_by_count":{cited}}}'


def lines(papers: int, seed: int = 1, shape: Shape = SHAPE) -> Iterator[str]:
    """The corpus as JSON lines (no newline), deterministic for ``seed``."""
    return Corpus(papers, seed, shape).lines()


def records(papers: int, seed: int = 1, shape: Shape = SHAPE) -> Iterator[dict]:
    """The corpus as dicts (parsed from :func:`lines`: slower, for tests and small samples)."""
    for line in lines(papers, seed, shape):
        yield json.loads(line)


@dataclass(frozen=True)
class Written:
    """What :func:`write` wrote."""

    path: Path
    papers: int
    authors: int  # distinct people generated (before any name-based merging by a loader)
    bytes: int
    seconds: float


def write(path: str | Path, papers: int, seed: int = 1, shape: Shape = SHAPE, *, level: int = 1) -> Written:
    """Write the corpus to ``path`` (gzip when it ends in ``.gz``), streaming, atomically (via ``.partial``).

    Compression runs on a second thread (zlib releases the GIL), overlapping the generator.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    started = time.perf_counter()
    corpus = Corpus(papers, seed, shape)
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
    failed: list[BaseException] = []

    def drain() -> None:
        try:
            with open(partial, "wb") as raw:
                out = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0) \
                    if path.suffix == ".gz" else raw
                while (chunk := chunks.get()) is not None:
                    out.write(chunk)
                if out is not raw:
                    out.close()
        except BaseException as exc:  # handed to the producer, which raises it
            failed.append(exc)
            while chunks.get() is not None:
                pass

    writer = threading.Thread(target=drain, name="synth-writer", daemon=True)
    writer.start()
    try:
        batch: list[str] = []
        for line in corpus.lines():
            batch.append(line)
            if len(batch) == 2000:
                batch.append("")
                chunks.put("\n".join(batch).encode())
                batch = []
        if batch:
            batch.append("")
            chunks.put("\n".join(batch).encode())
    finally:
        chunks.put(None)
        writer.join()
    if failed:
        partial.unlink(missing_ok=True)
        raise failed[0]
    partial.replace(path)
    return Written(path, papers, corpus.n_authors, path.stat().st_size, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="how many papers (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the seed: the same seed gives the same file")
    parser.add_argument("--out", type=Path, required=True, help="output file (.jsonl or .jsonl.gz)")
    args = parser.parse_args(argv)
    written = write(args.out, args.papers, args.seed)
    print(f"wrote {written.papers:,} papers by {written.authors:,} authors to {written.path} "
          f"({written.bytes / 1e6:.1f} MB) in {written.seconds:.1f} s "
          f"({written.papers / max(written.seconds, 1e-9):,.0f} papers/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
