"""The plain publication list (one JSON object a line) -> Work.

Fields: ``title``, ``authors`` (names, or objects with ``name``, ``orcid``,
``institution``), ``date`` or ``year``, ``categories`` or ``topics``, and the
optional ``venue``, ``type``, ``doi``, ``arxiv_id``, ``abstract``, ``code_url``,
``has_code``, ``cited_by_count``, ``authors_complete``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from loaders.model import (
    Authorship,
    BadRecord,
    Institution,
    Topic,
    Work,
    abstract_text,
    check_date,
    check_year,
    int_field,
    normal_arxiv_id,
    normal_doi,
    text_field,
)
from loaders.names import fold, parse_name
from loaders.topics import categories, category_topic, category_topics, is_category


def parse(record: Any, owner: str | None = None) -> Work:
    """One plain-list record as a Work.

    ``owner`` names the person whose publication list this is: they are an author
    of every record, so where the list was cut ("et al.", ``authors_complete``
    false) before their name they are added after the listed authors; a
    complete author list without them is rejected.
    """
    if not isinstance(record, dict):
        raise BadRecord(f"record is {type(record).__name__}, expected a JSON object")
    title = text_field(record, "title", required=True)
    day, year = check_date(record.get("date"))
    given_year = check_year(record.get("year"))
    if given_year is not None and year is not None and given_year != year:
        raise BadRecord(f"year {given_year} disagrees with date {record.get('date')!r}")
    year = year or given_year
    # The title (with a DOI or arXiv id when given) is the identity; no authors still makes a paper.
    raw_authors = record.get("authors")
    if raw_authors is None:
        if "authorships" in record:
            # An OpenAlex work: taken as a list entry it would be a paper without its authors.
            raise BadRecord("an OpenAlex work (it has 'authorships', not 'authors'): load it with "
                            "`python -m loaders openalex`")
        raw_authors = []
    if not isinstance(raw_authors, list):
        raise BadRecord(f"authors is {type(raw_authors).__name__}, expected a list")
    authors = _authors(raw_authors)
    complete = record.get("authors_complete", True)
    has_code = record.get("has_code")
    for name, value in (("authors_complete", complete), ("has_code", has_code)):
        if value is not None and not isinstance(value, bool):
            raise BadRecord(f"{name} is {value!r}, expected true or false")
    if owner:
        _add_owner(authors, owner, complete is False or not raw_authors)
    codes = categories(record.get("categories"))
    topics = category_topics(codes) + _topics(record.get("topics"), codes)
    code_url = text_field(record, "code_url")
    return Work(
        source="works", title=title, arxiv_id=normal_arxiv_id(record.get("arxiv_id")),
        doi=normal_doi(record.get("doi")), abstract=abstract_text(record.get("abstract")), year=year, date=day,
        venue=text_field(record, "venue"), type=text_field(record, "type"), code_url=code_url,
        has_code=has_code if has_code is not None else (True if code_url else None),
        source_cited_by_count=int_field(record, "cited_by_count"), categories=codes,
        authors=authors, author_count=len(raw_authors), authors_complete=complete is not False,
        topics=topics,
    )


def _add_owner(authors: list[Authorship], owner: str, cut: bool) -> None:
    name = parse_name(owner)
    if name is None:
        raise ValueError(f"the list owner {owner!r} is not a name")
    if any(a.id == name.key for a in authors):
        return
    if not cut:
        raise BadRecord(f"the list's owner {owner!r} is not among its complete author list")
    authors.append(Authorship(name.key, name.display, name.raw))


_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.ASCII)
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_INSTITUTION_FIELDS = ("id", "ror", "country", "type")


def _institution(value: Any) -> Institution | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _named_institution(value)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        # The same institution object repeats on every paper of its people: parse each distinct one once.
        return _institution_object(value["name"], *(value.get(k) if isinstance(value.get(k), str) else None
                                                     for k in _INSTITUTION_FIELDS))
    raise BadRecord("an author's institution is neither a name nor an object with a name")


@functools.lru_cache(maxsize=1 << 14)
def _named_institution(name: str) -> Institution | None:
    key = _NOT_KEY.sub("-", fold(name)).strip("-")
    return Institution(f"name:{key}", name.strip()) if key else None


@functools.lru_cache(maxsize=1 << 14)
def _institution_object(name: str, ident: str | None, ror: str | None, country: str | None,
                        kind: str | None) -> Institution | None:
    inst = _named_institution(name)
    ror = ror.rsplit("/", 1)[-1] if ror else None
    ident = ident or (f"ror:{ror}" if ror else inst.id if inst else None)
    if ident is None:
        return None
    return Institution(ident, name.strip(), ror, country, kind)


def _authors(items: list[Any]) -> list[Authorship]:
    seen: dict[str, Authorship] = {}
    for item in items:
        if isinstance(item, str):
            name = parse_name(item)
            if name:  # two spellings of one key may be two people (loaders.people tells)
                seen.setdefault(f"{name.key}|{fold(name.display)}", Authorship(name.key, name.display, name.raw))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise BadRecord("an author is neither a name nor an object with a name")
        name = parse_name(item["name"])
        orcid = item.get("orcid")
        if orcid is not None and not isinstance(orcid, str):
            raise BadRecord("an author's orcid is not a string")
        orcid = orcid.strip().rsplit("/", 1)[-1] if orcid and orcid.strip() else None
        if orcid and not _ORCID.fullmatch(orcid):
            raise BadRecord(f"malformed ORCID {orcid!r}")
        raw_id = item.get("id") if isinstance(item.get("id"), str) else None
        if raw_id and raw_id.startswith(("openalex:", "https://openalex.org/A")):
            ident = "openalex:" + raw_id.rsplit("/", 1)[-1].removeprefix("openalex:")
        elif orcid:
            ident = f"orcid:{orcid}"
        elif name:
            ident = name.key
        else:
            continue
        slot = f"{ident}|{fold(name.display)}" if name and ident == name.key else ident
        raw_inst = item.get("institutions", item.get("institution"))
        insts = raw_inst if isinstance(raw_inst, list) else [raw_inst]
        institutions = tuple(i for i in (_institution(x) for x in insts) if i)
        display = name.display if name else item["name"].strip()
        if slot in seen:  # listed twice: one authorship, the institutions of both
            first = seen[slot]
            merged = first.institutions + tuple(i for i in institutions if i not in first.institutions)
            seen[slot] = Authorship(first.id, first.name, first.raw_name, first.orcid or orcid, merged)
        else:
            seen[slot] = Authorship(ident, display, item["name"].strip(), orcid, institutions)
    return list(seen.values())


def _topics(value: Any, codes: list[str]) -> list[tuple[Topic, float]]:
    """``topics``: arXiv codes (not already in ``categories``) or OpenAlex topic ids; other names are skipped."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord("topics is not a list")
    found = []
    for item in value:
        label = item.get("id") if isinstance(item, dict) else item
        if not isinstance(label, str):
            raise BadRecord("a topic is neither a string nor an object with an id")
        label = label.strip()
        if re.fullmatch(r"(https://openalex\.org/|openalex:)?T\d+", label, re.ASCII):
            name = item.get("name") or item.get("display_name") if isinstance(item, dict) else None
            ident = "openalex:" + re.sub(r"^(https://openalex\.org/|openalex:)", "", label)
            found.append((Topic(ident, str(name or ident), "openalex", "topic"), 1.0))
        elif is_category(label) and label not in codes:
            found.append((category_topic(label), 0.5))
    return found
