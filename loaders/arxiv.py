"""arXiv metadata records -> Work: the snapshot's layout (Kaggle's ``arxiv-metadata-oai-snapshot.json``) and arXiv's
own "DocMeta" records (what arXiv's search indexes, ``paper_id`` and ``version``: one record per version, of which
the current one loads), bare or wrapped as ``{"docmeta": ...}``."""

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
    normal_orcid,
    text_field,
)
from loaders.names import Name, fold, parse_name, parsed_name, split_authors
from loaders.topics import categories, category_topics


def parse(record: Any) -> Work:
    """One snapshot or DocMeta record as a Work (BadRecord when it cannot be loaded)."""
    if not isinstance(record, dict):
        raise BadRecord(f"record is {type(record).__name__}, expected a JSON object")
    if "id" not in record:
        docmeta = record.get("docmeta", record)
        if isinstance(docmeta, dict) and "paper_id" in docmeta and "version" in docmeta:
            return _docmeta(docmeta)
    arxiv_id = normal_arxiv_id(text_field(record, "id", required=True))
    title = text_field(record, "title", required=True)
    parsed = record.get("authors_parsed")
    if parsed is not None:
        if not (isinstance(parsed, list) and all(isinstance(p, list) and p and all(isinstance(x, str) for x in p)
                                                 for p in parsed)):
            raise BadRecord("authors_parsed is not a list of [last, first, suffix] lists")
        parsed = [parsed_name(*(p + ["", ""])[:3]) for p in parsed]
    authors, complete = _authors(record, parsed)
    return _work(record, arxiv_id, title, authors, complete, categories(record.get("categories")),
                 _first_version_date(record), text_field(record, "journal-ref"))


def _authors(record: dict[str, Any], parsed: list[Name | None] | None) -> tuple[list[Authorship], bool]:
    """The record's authorships, from arXiv's own parse of the names (``parsed``) when it has one, else from the
    ``authors`` string, whose "et al." says whether the list is complete. The arXiv id is the identity: a record
    whose authors are absent or unreadable is still that paper."""
    names, complete = split_authors(text_field(record, "authors") or "")
    found = parsed if parsed is not None else [parse_name(n) for n in names]
    return _authorships([n for n in found if n is not None]), complete


def _work(record: dict[str, Any], arxiv_id: str | None, title: str | None, authors: list[Authorship],
          complete: bool, codes: list[str], dated: tuple[str | None, int | None], venue: str | None) -> Work:
    """The Work of an arXiv record (both layouts), its DOI and abstract read here."""
    day, year = dated
    return Work(
        source="arxiv", title=title, arxiv_id=arxiv_id, doi=normal_doi(record.get("doi")),
        abstract=abstract_text(record.get("abstract")), year=year, date=day, venue=venue, type="preprint",
        categories=codes, authors=authors, author_count=len(authors), authors_complete=complete,
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


def _docmeta(record: dict[str, Any]) -> Work:
    """A DocMeta record: one per version of a paper, of which the current one loads (a superseded version is a
    BadRecord that says so); the date is the first version's, the categories the primary then the cross-lists,
    and the ORCIDs of the paper's owners (``author_owners``) go to the author of the same name key when exactly
    one has it."""
    arxiv_id = normal_arxiv_id(text_field(record, "paper_id", required=True))
    if record.get("is_current") is False:
        # An earlier version may list the authors in another order (1601.00123's v2 adds one second): its
        # bylines would meet the current version's at other positions of the same paper, two people each.
        raise BadRecord(f"version {record.get('version')} of {arxiv_id} is superseded (is_current false): the "
                        "paper loads from its current version's record, which holds the first version's date")
    title = text_field(record, "title", required=True)
    parsed = record.get("authors_parsed")
    if parsed is not None:
        if not (isinstance(parsed, list) and all(isinstance(p, dict) for p in parsed)):
            raise BadRecord("authors_parsed is not a list of objects with last_name and first_name")
        parsed = [parsed_name(_part(p, "last_name"), _part(p, "first_name"), _part(p, "suffix")) for p in parsed]
    authors, complete = _authors(record, parsed)
    submitted = record.get("submitted_date_all")
    if submitted is not None and not (isinstance(submitted, list) and all(isinstance(d, str) for d in submitted)):
        raise BadRecord("submitted_date_all is not a list of dates")
    # The first version's submission; a record without the list is of one version, submitted on submitted_date.
    dated = check_date(submitted[0] if submitted else text_field(record, "submitted_date"))
    return _work(record, arxiv_id, title, _with_orcids(authors, record.get("author_owners")), complete,
                 categories(record.get("abs_categories")) or _classified(record), dated,
                 text_field(record, "journal_ref"))


def _part(person: dict[str, Any], name: str) -> str:
    value = person.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRecord(f"an author's {name} is {type(value).__name__}, expected a string")
    return value or ""


def _classified(record: dict[str, Any]) -> list[str]:
    """The categories of ``primary_classification`` and ``secondary_classification`` (``{"category": {"id"}}``)."""
    primary = record.get("primary_classification")
    secondary = record.get("secondary_classification") or []
    if not isinstance(secondary, list):
        raise BadRecord("secondary_classification is not a list")
    codes = []
    for item in ([primary] if primary is not None else []) + secondary:
        category = item.get("category") if isinstance(item, dict) else None
        code = category.get("id") if isinstance(category, dict) else None
        if not isinstance(code, str):
            raise BadRecord("a classification without a category id")
        codes.append(code)
    return categories(codes)


def _with_orcids(authors: list[Authorship], owners: Any) -> list[Authorship]:
    """The authorships, those of an owner with an ORCID under ``orcid:<ORCID>`` (the loaders' id for a person
    known by ORCID), matched by name key; an owner whose key no author or several authors have is left out."""
    if owners is None:
        return authors
    if not isinstance(owners, list) or not all(isinstance(o, dict) for o in owners):
        raise BadRecord("author_owners is not a list of objects")
    out = list(authors)
    for owner in owners:
        orcid = owner.get("orcid")
        if orcid is None:
            continue
        if not isinstance(orcid, str):
            raise BadRecord("an owner's orcid is not a string")
        orcid = normal_orcid(orcid)
        name = parsed_name(_part(owner, "last_name"), _part(owner, "first_name"))
        same = [i for i, a in enumerate(out) if name is not None and a.id == name.key]
        if orcid and len(same) == 1:
            a = out[same[0]]
            out[same[0]] = Authorship(f"orcid:{orcid}", a.name, a.raw_name, orcid, a.institutions)
    return out
