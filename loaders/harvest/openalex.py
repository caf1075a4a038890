"""OpenAlex: entity lookups (a 301 names the surviving id of a merged one), searches, counts and cursor pages.

A thin client on the shared Fetcher, not pyalex: pyalex parses every page into
its own objects, follows redirects silently and retries inside urllib3, so the
raw page (kept in the cache), the merged id and the budget headers are lost.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests

from loaders.harvest.http import BadPage, Fetcher, json_object
from loaders.harvest.settings import Settings

# Only what loaders/openalex.py reads: fewer bytes per page, the same cost per call.
WORK_FIELDS = ("id,doi,title,display_name,publication_year,publication_date,ids,type,primary_location,"
               "authorships,topics,cited_by_count,referenced_works,abstract_inverted_index,"
               "is_authors_truncated,updated_date")
PER_PAGE = 200
# A list call's price (USD) when the answer carries no X-RateLimit-Cost-USD (OpenAlex's published list cost).
LIST_COST_USD = 0.0001
KINDS = ("authors", "institutions", "topics", "works")


@dataclass(frozen=True)
class Page:
    """One cursor page: its raw bytes (cached as they are), its works, the next cursor, the total."""

    body: bytes
    results: list[dict[str, Any]]
    next_cursor: str | None
    count: int | None


def parse_page(response: requests.Response) -> Page:
    """A list answer as a Page; BadPage when it came back cut short or without ``results``."""
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise BadPage(f"not complete JSON ({len(response.content):,} bytes): {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise BadPage("no results list")
    meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
    count = meta.get("count") if isinstance(meta.get("count"), int) else None
    cursor = meta.get("next_cursor") if isinstance(meta.get("next_cursor"), str) else None
    return Page(response.content, data["results"], cursor, count)


def short(value: str) -> str:
    """``https://openalex.org/A123`` or ``/authors/A123`` -> ``A123``."""
    return value.rstrip("/").rsplit("/", 1)[-1]


class OpenAlex:
    """The OpenAlex REST API at ``settings.openalex_url``."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.base = settings.openalex_url
        self.api_key = settings.api_key
        self.mailto = settings.mailto
        self.fetcher = fetcher or Fetcher("OpenAlex", max_wait=settings.max_wait)

    def _params(self, **params: Any) -> dict[str, Any]:
        if self.api_key:
            params["api_key"] = self.api_key
        if self.mailto:
            params["mailto"] = self.mailto
        return params

    def entity(self, kind: str, ident: str) -> tuple[dict[str, Any], str]:
        """The entity and its surviving short id (another id when OpenAlex merged ``ident`` into it)."""
        if kind not in KINDS:
            raise ValueError(f"unknown OpenAlex entity kind {kind!r}")
        url = f"{self.base}/{kind}/{ident}"
        first = self.fetcher.get(url, self._params(), parse=lambda r: r, redirects=False)
        if 300 <= first.status_code < 400 and first.headers.get("Location"):
            url = urljoin(url, first.headers["Location"])
            record = self.fetcher.get(url, self._params(), parse=json_object)
        else:
            record = json_object(first)
        return record, short(str(record.get("id") or ident))

    def search(self, kind: str, text: str, limit: int = 10) -> list[dict[str, Any]]:
        """Candidates for a name (authors, institutions, topics), best first."""
        params = self._params(search=text, per_page=limit)
        return self.fetcher.get(f"{self.base}/{kind}", params, parse=parse_page).results

    def count(self, filters: str) -> tuple[int, float]:
        """How many works match, and the price of one list call (a probe of one id)."""
        params = self._params(filter=filters, per_page=1, select="id")
        page = self.fetcher.get(f"{self.base}/works", params, parse=parse_page)
        try:
            cost = float(self.fetcher.last_headers.get("X-RateLimit-Cost-USD", LIST_COST_USD))
        except ValueError:
            cost = LIST_COST_USD
        return page.count or 0, cost

    def page(self, filters: str, cursor: str, per_page: int = PER_PAGE) -> Page:
        """One cursor page of works (``cursor`` ``*`` starts the walk)."""
        params = self._params(filter=filters, per_page=per_page, cursor=cursor, select=WORK_FIELDS)
        return self.fetcher.get(f"{self.base}/works", params, parse=parse_page)


def calls_for(works: int, per_page: int = PER_PAGE) -> int:
    """List calls a cursor walk over ``works`` makes (the last, empty page included when pages are full)."""
    return max(1, math.ceil(works / per_page) + (1 if works and works % per_page == 0 else 0))


