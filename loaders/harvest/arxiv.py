"""arXiv: OAI-PMH ``ListRecords`` in the ``arXivRaw`` format (categories, dates) and the search API (a person).

Both answer XML; each page is cached as it came and turned into records of the
arXiv snapshot layout that ``loaders/arxiv.py`` reads. Thin clients on the
shared Fetcher rather than sickle or arxiv.py: those hand back parsed records,
not the page, and pace or retry in their own way (arXiv asks for one request
every 3 s, which the Fetcher's ``min_interval`` keeps for both).
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import requests

from loaders.harvest.http import BadPage, Fetcher, HarvestError
from loaders.harvest.settings import Settings

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = "{http://arxiv.org/OAI/arXivRaw/}"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
SEARCH_PAGE = 100


@dataclass(frozen=True)
class XmlPage:
    """One XML page: raw bytes, its records in the snapshot layout, what comes next."""

    body: bytes
    records: list[dict[str, Any]]
    token: str | None = None  # OAI resumptionToken, or the next start of a search
    total: int | None = None
    last_datestamp: str | None = None


def _root(response: requests.Response) -> ET.Element:
    try:
        return ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise BadPage(f"not complete XML ({len(response.content):,} bytes): {exc}") from exc


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


def raw_record(record: ET.Element) -> dict[str, Any] | None:
    """An OAI ``arXivRaw`` record in the snapshot layout (None for a deleted record)."""
    header = record.find(f"{OAI}header")
    if header is not None and header.get("status") == "deleted":
        return None
    raw = record.find(f"{OAI}metadata/{RAW}arXivRaw")
    if raw is None:
        return None
    abstract = raw.find(f"{RAW}abstract")
    versions = [{"version": v.get("version"), "created": _text(v.find(f"{RAW}date"))}
                for v in raw.findall(f"{RAW}version")]
    return {
        "id": _text(raw.find(f"{RAW}id")), "submitter": _text(raw.find(f"{RAW}submitter")),
        "authors": _text(raw.find(f"{RAW}authors")), "title": _text(raw.find(f"{RAW}title")),
        "comments": _text(raw.find(f"{RAW}comments")), "journal-ref": _text(raw.find(f"{RAW}journal-ref")),
        "doi": _text(raw.find(f"{RAW}doi")), "categories": _text(raw.find(f"{RAW}categories")),
        "license": _text(raw.find(f"{RAW}license")),
        "abstract": abstract.text.strip() if abstract is not None and abstract.text else None,
        "versions": versions,
        "update_date": _text(header.find(f"{OAI}datestamp")) if header is not None else None,
    }


def parse_oai(response: requests.Response) -> XmlPage:
    """A ListRecords page (``noRecordsMatch`` is an empty last page; other OAI errors are errors)."""
    root = _root(response)
    error = root.find(f"{OAI}error")
    if error is not None:
        if error.get("code") == "noRecordsMatch":
            return XmlPage(response.content, [])
        raise HarvestError(f"arXiv OAI-PMH error {error.get('code')}: {_text(error)}")
    listing = root.find(f"{OAI}ListRecords")
    if listing is None:
        raise BadPage("no ListRecords element")
    records = []
    stamps = []
    for record in listing.findall(f"{OAI}record"):
        stamp = _text(record.find(f"{OAI}header/{OAI}datestamp"))
        if stamp:
            stamps.append(stamp)
        converted = raw_record(record)
        if converted is not None:
            records.append(converted)
    token_el = listing.find(f"{OAI}resumptionToken")
    token = _text(token_el)
    size = token_el.get("completeListSize") if token_el is not None else None
    return XmlPage(response.content, records, token, int(size) if size and size.isdigit() else None,
                   max(stamps) if stamps else None)


def _rfc2822(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        from datetime import datetime

        return email.utils.format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    except ValueError:
        return None


def atom_record(entry: ET.Element) -> dict[str, Any] | None:
    """A search API entry in the snapshot layout (None for arXiv's 'Error' entry)."""
    link = _text(entry.find(f"{ATOM}id")) or ""
    match = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", link)
    if not match:
        return None
    summary = entry.find(f"{ATOM}summary")
    return {
        "id": match.group(1), "title": _text(entry.find(f"{ATOM}title")),
        "authors": ", ".join(n for n in (_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")) if n),
        "categories": " ".join(c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("term")),
        "abstract": summary.text.strip() if summary is not None and summary.text else None,
        "doi": _text(entry.find(f"{ARXIV}doi")), "journal-ref": _text(entry.find(f"{ARXIV}journal_ref")),
        "comments": _text(entry.find(f"{ARXIV}comment")),
        "versions": [{"version": "v1", "created": _rfc2822(_text(entry.find(f"{ATOM}published")))}],
        "update_date": (_text(entry.find(f"{ATOM}updated")) or "")[:10] or None,
    }


def parse_atom(response: requests.Response) -> XmlPage:
    root = _root(response)
    if root.tag != f"{ATOM}feed":
        raise BadPage("not an Atom feed")
    total = _text(root.find(f"{OPENSEARCH}totalResults"))
    start = _text(root.find(f"{OPENSEARCH}startIndex"))
    records = [r for r in (atom_record(e) for e in root.findall(f"{ATOM}entry")) if r is not None]
    count = int(total) if total and total.isdigit() else None
    following = int(start or 0) + len(records)
    more = bool(records) and count is not None and following < count
    return XmlPage(response.content, records, str(following) if more else None, count)


class ArxivOai:
    """arXiv's OAI-PMH interface at ``settings.arxiv_oai_url``."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.url = settings.arxiv_oai_url
        self.fetcher = fetcher or Fetcher("arXiv OAI-PMH", max_wait=settings.max_wait,
                                          min_interval=settings.arxiv_interval)

    def page(self, *, oai_set: str | None, since: str | None, token: str | None) -> XmlPage:
        """The first page from ``since`` (a datestamp), or the page a resumption token names."""
        if token:
            params: dict[str, str] = {"verb": "ListRecords", "resumptionToken": token}
        else:
            params = {"verb": "ListRecords", "metadataPrefix": "arXivRaw"}
            if oai_set:
                params["set"] = oai_set
            if since:
                params["from"] = since
        return self.fetcher.get(self.url, params, parse=parse_oai)


class ArxivSearch:
    """arXiv's search API at ``settings.arxiv_api_url`` (one call every 3 s)."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.url = settings.arxiv_api_url
        self.fetcher = fetcher or Fetcher("arXiv API", max_wait=settings.max_wait,
                                          min_interval=settings.arxiv_interval)

    def page(self, query: str, start: int, size: int = SEARCH_PAGE) -> XmlPage:
        params = {"search_query": query, "start": start, "max_results": size,
                  "sortBy": "submittedDate", "sortOrder": "ascending"}
        return self.fetcher.get(self.url, params, parse=parse_atom)


def oai_set(category: str) -> str:
    """The OAI set holding an arXiv category: ``cs.LG`` -> ``cs``, ``cond-mat.dis-nn`` -> ``physics:cond-mat``."""
    archive = category.split(".", 1)[0]
    if archive in {"cs", "math", "stat", "q-bio", "q-fin", "econ", "eess"}:
        return archive
    return f"physics:{archive}"


def in_category(record: dict[str, Any], category: str) -> bool:
    codes = (record.get("categories") or "").split()
    return category in codes or (("." not in category) and any(c.split(".")[0] == category for c in codes))
