"""ORCID public API: the DOIs and arXiv ids of an iD's works, to seed a person's harvest."""

from __future__ import annotations

import re
from typing import Any

import requests

from loaders.harvest.http import Fetcher, json_object
from loaders.harvest.settings import Settings

ORCID_ID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def normal_orcid(value: str) -> str:
    """``https://orcid.org/0000-...`` or the bare iD, checked (ValueError with the reason)."""
    text = value.strip().rstrip("/").rsplit("/", 1)[-1].upper()
    if not ORCID_ID.match(text):
        raise ValueError(f"{value!r} is not an ORCID iD (expected 0000-0000-0000-0000)")
    return text


def work_ids(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(DOIs, arXiv ids) named in an ORCID v3.0 ``works`` document, each once, in order."""
    dois: list[str] = []
    arxiv: list[str] = []
    for group in data.get("group") or []:
        ids = (group.get("external-ids") or {}).get("external-id") or []
        for ext in ids:
            kind = (ext.get("external-id-type") or "").lower()
            value = (ext.get("external-id-value") or "").strip()
            if not value:
                continue
            if kind == "doi":
                doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I).lower()
                if doi not in dois:
                    dois.append(doi)
            elif kind == "arxiv":
                ident = re.sub(r"^(arxiv:|https?://arxiv\.org/abs/)", "", value, flags=re.I)
                if ident not in arxiv:
                    arxiv.append(ident)
    return dois, arxiv


class Orcid:
    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.url = settings.orcid_url
        self.fetcher = fetcher or Fetcher("ORCID", max_wait=settings.max_wait)
        self.fetcher.session.headers["Accept"] = "application/json"

    def works(self, orcid: str) -> tuple[bytes, list[str], list[str]]:
        """The raw works document and its (DOIs, arXiv ids)."""
        ident = normal_orcid(orcid)
        holder: dict[str, bytes] = {}

        def parse(response: requests.Response) -> dict[str, Any]:
            holder["body"] = response.content
            return json_object(response)

        data = self.fetcher.get(f"{self.url}/{ident}/works", None, parse=parse)
        dois, arxiv = work_ids(data)
        return holder["body"], dois, arxiv
