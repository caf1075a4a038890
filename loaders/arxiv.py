"""arXiv metadata snapshot records (Kaggle's ``arxiv-metadata-oai-snapshot.json`` layout) -> Work."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from loaders.model import (
    Authorship,
    BadRecord,
    Work,
    abstract_text,
    check_date,
    normal_arxiv_id,
    normal_doi,
    text_field,
)
from loaders.names import Name, fold, parse_name, parsed_name, split_authors
from loaders.topics import categories, category_topics


def parse(record: Any) -> Work:
    """One snapshot record as a Work (BadRecord when it cannot be loaded)."""
    if not isinstance(record, dict):
        raise BadRecord(f"record is {type(record).__name__}, expected a JSON object")
    arxiv_id = normal_arxiv_id(text_field(record, "id", required=True))
    title = text_field(record, "title", required=True)
    # The arXiv id is the identity: a record whose authors are absent or unreadable is still that paper.
    raw_authors = text_field(record, "authors") or ""
    names, complete = split_authors(raw_authors)
    parsed = record.get("authors_parsed")
    if parsed is not None:
        if not (isinstance(parsed, list) and all(isinstance(p, list) and p and all(isinstance(x, str) for x in p)
                                                 for p in parsed)):
            raise BadRecord("authors_parsed is not a list of [last, first, suffix] lists")
        found = [parsed_name(*(p + ["", ""])[:3]) for p in parsed]
    else:
        found = [parse_name(n) for n in names]
    authors = _authorships([n for n in found if n is not None])
    codes = categories(record.get("categories"))
    day, year = _first_version_date(record)
    return Work(
        source="arxiv", title=title, arxiv_id=arxiv_id, doi=normal_doi(record.get("doi")),
        abstract=abstract_text(record.get("abstract")), year=year, date=day,
        venue=text_field(record, "journal-ref"), type="preprint", categories=codes,
        authors=authors, author_count=len(authors), authors_complete=complete,
        topics=category_topics(codes),
    )


def _authorships(names: list[Name]) -> list[Authorship]:
    """One authorship per distinct spelling, in first-seen order (two names of one key may be two people)."""
    seen: dict[tuple[str, str], Authorship] = {}
    for name in names:
        seen.setdefault((name.key, fold(name.display)), Authorship(id=name.key, name=name.display, raw_name=name.raw))
    return list(seen.values())


def _first_version_date(record: dict[str, Any]) -> tuple[str | None, int | None]:
    """The date of v1 (the submission); ``update_date`` only when there are no versions."""
    versions = record.get("versions")
    if versions:
        if not isinstance(versions, list) or not all(isinstance(v, dict) for v in versions):
            raise BadRecord("versions is not a list of objects")
        created = versions[0].get("created")
        if not isinstance(created, str):
            raise BadRecord("versions[0].created is missing")
        try:
            day = parsedate_to_datetime(created).date().isoformat()
        except (TypeError, ValueError, IndexError) as exc:
            raise BadRecord(f"bad date {created!r} in versions") from exc
        return check_date(day)
    return check_date(record.get("update_date"))
