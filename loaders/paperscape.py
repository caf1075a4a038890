"""Paperscape's arXiv CSV rows -> Work (with arXiv-to-arXiv citations).

``arxiv-id;categories;num-found-refs;num-total-refs;refs;authors;title`` with
``#`` comment lines. The title is the last field and may itself hold ``;``.
"""

from __future__ import annotations

from loaders.model import Authorship, BadRecord, Work, normal_arxiv_id
from loaders.names import fold, parse_name
from loaders.topics import categories, category_topics


def parse(line: str) -> Work:
    """One data line (comments are skipped by the reader) as a Work."""
    fields = line.rstrip("\r\n").split(";", 6)
    if len(fields) < 7:
        raise BadRecord(f"{len(fields)} fields, expected 7 separated by ';'")
    raw_id, raw_categories, found, total, refs, raw_authors, title = fields
    arxiv_id = normal_arxiv_id(raw_id.strip())
    if arxiv_id is None:
        raise BadRecord("missing arxiv-id")
    if not title.strip():
        raise BadRecord("missing title")
    for name, value in (("num-found-refs", found), ("num-total-refs", total)):
        if value.strip() and not (value.strip().isascii() and value.strip().isdigit()):
            raise BadRecord(f"{name} is {value!r}, expected an integer")
    codes = categories(raw_categories.replace(",", " "))
    seen: dict[tuple[str, str], Authorship] = {}  # two spellings of one key may be two people
    raw_names = [a for a in raw_authors.split(",") if a.strip()]
    for raw in raw_names:
        parsed = parse_name(raw)
        if parsed:
            seen.setdefault((parsed.key, fold(parsed.display)), Authorship(parsed.key, parsed.display, parsed.raw))
    # No authors (4 papers in 1991-1996, e.g. astro-ph/9612068): a paper all the same, with its citations.
    cited = []
    for ref in refs.split(","):
        ref_id = normal_arxiv_id(ref.strip()) if ref.strip() else None
        if ref_id and ref_id != arxiv_id and ref_id not in cited:
            cited.append(ref_id)
    year = _year_of(arxiv_id)
    return Work(source="paperscape", title=" ".join(title.split()), arxiv_id=arxiv_id, year=year,
                categories=codes, authors=list(seen.values()), author_count=len(raw_names),
                topics=category_topics(codes), cites_arxiv=cited)


def _year_of(arxiv_id: str) -> int:
    """The submission year from the id: ``hep-th/9108001`` -> 1991, ``0704.0001`` -> 2007."""
    digits = arxiv_id.rsplit("/", 1)[-1]
    yy = int(digits[:2])
    return (1900 if yy >= 91 else 2000) + yy
