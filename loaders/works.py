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
    normal_orcid,
    text_field,
)
from loaders.names import NOT_ALNUM, fold, parse_name
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


_TOPIC_ID = re.compile(r"(https://openalex\.org/|openalex:)?T\d+", re.ASCII)
_TOPIC_PREFIX = re.compile(r"^(https://openalex\.org/|openalex:)")
_INSTITUTION_FIELDS = ("id", "ror", "country", "type")


def _institution_key(value: Any) -> str | tuple[str | None, ...] | None:
    """An author's institution as given (a name, or an object with a name), in a hashable form."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return (value["name"], *(value.get(k) if isinstance(value.get(k), str) else None for k in _INSTITUTION_FIELDS))
    raise BadRecord("an author's institution is neither a name nor an object with a name")


def _institution(key: str | tuple[str | None, ...] | None) -> Institution | None:
    if key is None:
        return None
    if isinstance(key, str):
        return _named_institution(key)
    return _institution_object(*key)


@functools.lru_cache(maxsize=1 << 14)
def _named_institution(name: str) -> Institution | None:
    key = NOT_ALNUM.sub("-", fold(name)).strip("-")
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


@functools.lru_cache(maxsize=1 << 18)
# A prolific author is listed the same way on thousands of records: each distinct listing is parsed once
# (the parse is pure and an Authorship is frozen, so the records share it).
@functools.lru_cache(maxsize=1 << 16)
def _named_author(text: str) -> tuple[str, Authorship] | None:
    """A name given as a string: (its slot in the record, its authorship), None when it is not a name."""
    name = parse_name(text)
    if not name:
        return None
    return f"{name.key}|{fold(name.display)}", Authorship(name.key, name.display, name.raw)


# Sized for a million-paper dump, whose late years list a million distinct author objects in 200,000 records: a
# cache of 65,536 missed two thirds of them.
@functools.lru_cache(maxsize=1 << 19)
def _object_author(text: str, orcid: str | None, raw_id: str | None,
                   institutions: tuple[str | tuple[str | None, ...] | None, ...]) -> tuple[str, Authorship] | None:
    """An author given as an object (its name, ORCID, id and institutions as ``_author_object`` checked them)."""
    name = parse_name(text)
    if raw_id and raw_id.startswith(("openalex:", "https://openalex.org/A")):
        ident = "openalex:" + raw_id.rsplit("/", 1)[-1].removeprefix("openalex:")
    elif orcid:
        ident = f"orcid:{orcid}"
    elif name:
        ident = name.key
    else:
        return None
    slot = f"{ident}|{fold(name.display)}" if name and ident == name.key else ident
    insts = tuple(i for i in map(_institution, institutions) if i)
    return slot, Authorship(ident, name.display if name else text.strip(), text.strip(), orcid, insts)


def _author_object(item: Any) -> tuple[str, Authorship] | None:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise BadRecord("an author is neither a name nor an object with a name")
    orcid = item.get("orcid")
    if orcid is not None and not isinstance(orcid, str):
        raise BadRecord("an author's orcid is not a string")
    raw_id = item.get("id")
    raw_inst = item.get("institutions", item.get("institution"))
    return _object_author(item["name"], normal_orcid(orcid) if orcid else None,
                          raw_id if isinstance(raw_id, str) else None,
                          tuple(map(_institution_key, raw_inst if isinstance(raw_inst, list) else [raw_inst])))


def _authors(items: list[Any]) -> list[Authorship]:
    seen: dict[str, Authorship] = {}
    for item in items:
        if isinstance(item, str):
            found = _named_author(item)
            if found:  # two spellings of one key may be two people (loaders.people tells)
                seen.setdefault(*found)
            continue
        found = _author_object(item)
        if found is None:
            continue
        slot, author = found
        first = seen.get(slot)
        if first is not None:  # listed twice: one authorship, the institutions of both
            merged = first.institutions + tuple(i for i in author.institutions if i not in first.institutions)
            seen[slot] = Authorship(first.id, first.name, first.raw_name, first.orcid or author.orcid, merged)
        else:
            seen[slot] = author
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
        if _TOPIC_ID.fullmatch(label):
            name = item.get("name") or item.get("display_name") if isinstance(item, dict) else None
            ident = "openalex:" + _TOPIC_PREFIX.sub("", label)
            found.append((Topic(ident, str(name or ident), "openalex", "topic"), 1.0))
        elif is_category(label) and label not in codes:
            found.append((category_topic(label), 0.5))
    return found
