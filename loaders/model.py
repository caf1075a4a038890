"""The normalised work every source parser produces, and the identity rules shared by all sources.

Pure code: no database. A parser turns one source record into a ``Work`` or
raises ``BadRecord`` with a reason fit for the rejects file.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from loaders.names import NOT_ALNUM, SPACES, fold

MIN_YEAR, MAX_YEAR = 1000, 2100
_DATACITE_ARXIV = "10.48550/arxiv."


class BadRecord(ValueError):
    """A record that cannot be loaded; the message is the reason written to the rejects file."""


@dataclass(frozen=True)
class Institution:
    id: str
    name: str | None = None
    ror: str | None = None
    country: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Topic:
    """A topic node; ``parent`` is the next level up (category -> field, topic -> subfield ...)."""

    id: str
    name: str
    scheme: str
    level: str
    parent: Topic | None = None


@dataclass(frozen=True)
class Authorship:
    id: str
    name: str
    raw_name: str
    orcid: str | None = None
    institutions: tuple[Institution, ...] = ()
    # The name block (``name:<last>_<first initial>``) once loaders.people has resolved the person.
    block: str | None = None


@dataclass
class Work:
    """One paper as a source describes it, normalised."""

    source: str
    title: str | None
    arxiv_id: str | None = None
    doi: str | None = None
    openalex_id: str | None = None
    abstract: str | None = None
    year: int | None = None
    date: str | None = None
    venue: str | None = None
    type: str | None = None
    code_url: str | None = None
    has_code: bool | None = None
    source_cited_by_count: int | None = None
    categories: list[str] = field(default_factory=list)
    authors: list[Authorship] = field(default_factory=list)
    author_count: int | None = None
    authors_complete: bool = True
    topics: list[tuple[Topic, float]] = field(default_factory=list)
    # Cited works: arXiv ids (Paperscape) and OpenAlex work ids (``W123``).
    cites_arxiv: list[str] = field(default_factory=list)
    cites_openalex: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # arXiv's DataCite DOI names the arXiv paper: the same paper as the arXiv record (DESIGN "Identity").
        if self.arxiv_id is None and self.doi and self.doi.startswith(_DATACITE_ARXIV):
            with contextlib.suppress(BadRecord):
                self.arxiv_id = normal_arxiv_id(self.doi[len(_DATACITE_ARXIV):])

    @property
    def default_id(self) -> str:
        """The id a new Paper gets (arxiv, else doi, else openalex, else a title hash)."""
        if self.arxiv_id:
            return f"arxiv:{self.arxiv_id}"
        if self.doi:
            return f"doi:{self.doi}"
        if self.openalex_id:
            return f"openalex:{self.openalex_id}"
        return "work:" + title_hash(self.title or "", self.year)

    @property
    def keys(self) -> list[tuple[str, str]]:
        """The identifiers another record of the same paper could share."""
        found = [("arxiv_id", self.arxiv_id), ("doi", self.doi), ("openalex_id", self.openalex_id)]
        return [(k, v) for k, v in found if v]


def title_hash(title: str, year: int | None) -> str:
    normal = NOT_ALNUM.sub(" ", fold(title)).strip()
    return hashlib.sha1(f"{normal}|{year if year is not None else ''}".encode()).hexdigest()[:16]


_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# re.ASCII throughout: \d alone also matches other scripts' digits ("١٢٣٤.٥٦٧٨" is no arXiv id).
_DOI = re.compile(r"^10\.\d{3,9}/\S+$", re.ASCII)
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.ASCII)


def normal_orcid(value: str) -> str | None:
    """The ORCID iD in ``value`` (bare or as its URL), None when blank; BadRecord when it is malformed."""
    orcid = value.strip().rsplit("/", 1)[-1] if value.strip() else None
    if orcid and not _ORCID.fullmatch(orcid):
        raise BadRecord(f"malformed ORCID {orcid!r}")
    return orcid


def normal_doi(value: Any) -> str | None:
    """The first DOI in ``value``, lower-case, without ``https://doi.org/`` or ``doi:``; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"doi is {type(value).__name__}, expected a string")
    for part in value.split():
        doi = _DOI_PREFIX.sub("", part.strip().rstrip(",;")).lower()
        if _DOI.match(doi):
            return doi
    return None


_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}$", re.ASCII)
_ARXIV_OLD = re.compile(r"^[a-z][a-z-]*(\.[A-Z]{2})?/\d{7}$", re.ASCII)
_ARXIV_PREFIX = re.compile(r"^(arxiv:|https?://arxiv\.org/abs/)", re.IGNORECASE)
_ARXIV_VERSION = re.compile(r"v\d+$", re.ASCII)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T", re.ASCII)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MONTH = re.compile(r"\d{4}-\d{2}", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)


def normal_arxiv_id(value: Any) -> str | None:
    """An arXiv id without version or ``arXiv:`` prefix; None when absent, BadRecord when malformed."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRecord(f"arXiv id is {type(value).__name__}, expected a string")
    text = _ARXIV_PREFIX.sub("", value.strip())
    text = _ARXIV_VERSION.sub("", text)
    if _ARXIV_NEW.match(text) or _ARXIV_OLD.match(text):
        return text
    raise BadRecord(f"malformed arXiv id {value!r}")


def check_year(value: Any, what: str = "year") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        # isdigit() alone is true for "²", which int() refuses: a ValueError that is no BadRecord.
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value)
        else:
            raise BadRecord(f"{what} is {value!r}, expected an integer")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise BadRecord(f"{what} {value} is out of range {MIN_YEAR}..{MAX_YEAR}")
    return int(value)


def check_date(value: Any) -> tuple[str | None, int | None]:
    """('YYYY-MM-DD' or None, year or None) from 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'; BadRecord otherwise."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        raise BadRecord(f"date is {type(value).__name__}, expected 'YYYY-MM-DD'")
    text = value.strip()[:10] if _TIMESTAMP.match(value.strip()) else value.strip()
    try:
        if _DAY.fullmatch(text):
            day = Date.fromisoformat(text)
            check_year(day.year)
            return day.isoformat(), day.year
        if _MONTH.fullmatch(text):
            Date.fromisoformat(text + "-01")
            return None, check_year(int(text[:4]))
        if _YEAR.fullmatch(text):
            return None, check_year(int(text))
    except ValueError:
        pass
    raise BadRecord(f"bad date {value!r}")


def text_field(record: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    """A string field, whitespace collapsed; None when absent or blank; BadRecord on a wrong type."""
    value = record.get(name)
    if value is None:
        if required:
            raise BadRecord(f"missing {name}")
        return None
    if not isinstance(value, str):
        raise BadRecord(f"{name} is {type(value).__name__}, expected a string")
    value = SPACES.sub(" ", value).strip()
    if not value and required:
        raise BadRecord(f"empty {name}")
    return value or None


def abstract_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"abstract is {type(value).__name__}, expected a string")
    return value.strip() or None


def int_field(record: dict[str, Any], name: str) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRecord(f"{name} is {value!r}, expected a non-negative integer")
    return value


def require_authors(work: Work) -> Work:
    if not work.authors:
        raise BadRecord("empty author list")
    return work
