"""OpenAlex Work records (snapshot lines, API responses, the older ``host_venue`` schema) -> Work.

``concepts`` are ignored: OpenAlex deprecated them in favour of ``topics``.
``referenced_works`` become CITES between works in the graph (see docs/loading.md).
"""

from __future__ import annotations

import re
from typing import Any

from loaders.model import (
    Authorship,
    BadRecord,
    Institution,
    Topic,
    Work,
    check_date,
    check_year,
    int_field,
    normal_arxiv_id,
    normal_doi,
    text_field,
)
from loaders.names import parse_name

_PREFIX = "https://openalex.org/"
_SHORT_ID = re.compile(r"^([A-Z]\d+|(subfields|fields|domains)/\d+)$", re.ASCII)


def short_id(value: Any, what: str = "id") -> str:
    """``https://openalex.org/W123`` -> ``W123`` (also bare ids); BadRecord when malformed."""
    if not isinstance(value, str) or not value.strip():
        raise BadRecord(f"missing {what}" if value is None else f"{what} is {value!r}, expected an OpenAlex id")
    text = value.strip()
    text = text[len(_PREFIX):] if text.startswith(_PREFIX) else text
    if not _SHORT_ID.match(text):
        raise BadRecord(f"malformed OpenAlex {what} {value!r}")
    return text


def parse(record: Any) -> Work:
    """One OpenAlex work as a Work (BadRecord when it cannot be loaded)."""
    if not isinstance(record, dict):
        raise BadRecord(f"record is {type(record).__name__}, expected a JSON object")
    work_id = short_id(record.get("id"))
    if not work_id.startswith("W"):
        raise BadRecord(f"{work_id} is not an OpenAlex work id")
    title = text_field(record, "title") or text_field(record, "display_name")
    if title is None:
        raise BadRecord("missing title")
    day, year = check_date(record.get("publication_date"))
    year = check_year(record.get("publication_year"), "publication_year") or year
    ids: dict[str, Any] = record["ids"] if isinstance(record.get("ids"), dict) else {}
    authorships = record.get("authorships")
    if authorships is None:
        authorships = []  # a paper without authors is a paper all the same (22 of the openalexPro works)
    if not isinstance(authorships, list):
        raise BadRecord(f"authorships is {type(authorships).__name__}, expected a list")
    authors = _authors(authorships)
    refs = record.get("referenced_works") or []
    if not isinstance(refs, list):
        raise BadRecord("referenced_works is not a list")
    return Work(
        source="openalex", title=title, openalex_id=work_id,
        doi=normal_doi(record.get("doi") or ids.get("doi")),
        arxiv_id=_arxiv_id(record), abstract=abstract_from_index(record.get("abstract_inverted_index")),
        year=year, date=day, venue=_venue(record), type=text_field(record, "type"),
        source_cited_by_count=int_field(record, "cited_by_count"),
        authors=authors, author_count=len(authorships),
        # The list endpoint cuts authorships at 100; the flag says so when the record has it.
        authors_complete=not record.get("is_authors_truncated", False),
        topics=_topics(record.get("topics")), cites_openalex=[short_id(r, "referenced work") for r in refs],
    )


def abstract_from_index(index: Any) -> str | None:
    """The abstract text from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not index:
        return None
    if not isinstance(index, dict):
        raise BadRecord("abstract_inverted_index is not an object")
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            raise BadRecord("abstract_inverted_index has a non-list entry")
        for position in positions:
            if isinstance(position, int):
                words[position] = word
    return " ".join(words[p] for p in sorted(words)).strip() or None


def _arxiv_id(record: dict[str, Any]) -> str | None:
    ids = record.get("ids")
    if isinstance(ids, dict) and isinstance(ids.get("arxiv"), str):
        try:
            return normal_arxiv_id(ids["arxiv"])
        except BadRecord:
            return None
    return None


def _venue(record: dict[str, Any]) -> str | None:
    for key in ("primary_location", "host_venue"):
        place = record.get(key)
        if isinstance(place, dict):
            source = place.get("source") if key == "primary_location" else place
            if isinstance(source, dict) and isinstance(source.get("display_name"), str):
                return source["display_name"].strip() or None
    return None


def _institution(raw: Any) -> Institution | None:
    if not isinstance(raw, dict):
        return None
    name = raw.get("display_name") if isinstance(raw.get("display_name"), str) else None
    ror = raw.get("ror") if isinstance(raw.get("ror"), str) and raw.get("ror") else None
    ror = ror.rsplit("/", 1)[-1] if ror else None
    if isinstance(raw.get("id"), str) and raw["id"]:
        ident = "openalex:" + short_id(raw["id"], "institution id")
    elif ror:
        ident = f"ror:{ror}"
    else:
        return None
    country = raw.get("country_code") if isinstance(raw.get("country_code"), str) else None
    kind = raw.get("type") if isinstance(raw.get("type"), str) else None
    return Institution(ident, name, ror, country, kind)


def _authors(authorships: list[Any]) -> list[Authorship]:
    """One authorship per author id, first position kept (a few works list an author twice)."""
    seen: dict[str, Authorship] = {}
    for item in authorships:
        if not isinstance(item, dict):
            raise BadRecord("an authorship is not an object")
        author = item.get("author") or {}
        if not isinstance(author, dict):
            raise BadRecord("authorship.author is not an object")
        display = author.get("display_name") or item.get("raw_author_name")
        if display is not None and not isinstance(display, str):
            raise BadRecord("author display_name is not a string")
        orcid = author.get("orcid")
        orcid = orcid.rsplit("/", 1)[-1] if isinstance(orcid, str) and orcid else None
        if author.get("id"):
            ident = "openalex:" + short_id(author["id"], "author id")
        elif orcid:
            ident = f"orcid:{orcid}"
        elif display and (name := parse_name(display)):
            ident = name.key
        else:
            continue
        institutions = tuple(i for i in (_institution(x) for x in item.get("institutions") or []) if i)
        raw_name = item.get("raw_author_name") if isinstance(item.get("raw_author_name"), str) else display
        if ident in seen:  # listed twice: one authorship, the institutions of both
            first = seen[ident]
            merged = first.institutions + tuple(i for i in institutions if i not in first.institutions)
            seen[ident] = Authorship(first.id, first.name, first.raw_name, first.orcid or orcid, merged)
        else:
            seen[ident] = Authorship(ident, (display or ident).strip(), (raw_name or display or ident).strip(),
                                     orcid, institutions)
    return list(seen.values())


def _topics(raw: Any) -> list[tuple[Topic, float]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BadRecord("topics is not a list")
    found = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        parent = None
        for level in ("domain", "field", "subfield"):
            node = item.get(level)
            if isinstance(node, dict) and node.get("id"):
                parent = Topic("openalex:" + short_id(node["id"], level), str(node.get("display_name") or node["id"]),
                               "openalex", level, parent)
        topic = Topic("openalex:" + short_id(item["id"], "topic id"), str(item.get("display_name") or item["id"]),
                      "openalex", "topic", parent)
        score = item.get("score")
        found.append((topic, float(score) if isinstance(score, (int, float)) else 1.0))
    return found
