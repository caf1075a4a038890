"""Which e-mail domains belong to an institution: from ROR records (their ``domains`` and link hosts).

A claimant's address matches an institution when its domain *is* one of the institution's domains or a
sub-domain of one (``physics.ucla.edu`` → ``ucla.edu``), compared label by label: ``ucla.edu.evil.org``
and ``notucla.edu`` do not match ``ucla.edu``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Hosts that many unrelated pages live on: a link there says nothing about who owns an address.
_SHARED_HOSTS = {"wikipedia.org", "github.io", "google.com", "wordpress.com", "blogspot.com", "facebook.com",
                 "twitter.com", "linkedin.com", "sites.google.com", "orcid.org", "doi.org"}


def normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host.removeprefix("www.")


def email_domain(email: str) -> str:
    return normalise_host(email.rpartition("@")[2])


def domain_matches(address_domain: str, institution_domain: str) -> bool:
    """True when ``address_domain`` equals ``institution_domain`` or is a sub-domain of it."""
    a = normalise_host(address_domain).split(".")
    d = normalise_host(institution_domain).split(".")
    if len(d) < 2 or not all(d) or not all(a):
        return False  # a bare TLD such as "edu" would admit everyone
    return a[-len(d):] == d


def record_domains(record: dict[str, Any]) -> set[str]:
    """The domains a ROR record (schema v1 or v2) vouches for: ``domains`` and the hosts of its links."""
    out = {normalise_host(d) for d in record.get("domains") or [] if isinstance(d, str) and d.strip()}
    links = record.get("links") or []
    for link in links:
        url = link.get("value") if isinstance(link, dict) else link
        host = normalise_host(urlsplit(url).hostname or "") if isinstance(url, str) else ""
        if host and not any(domain_matches(host, shared) for shared in _SHARED_HOSTS):
            out.add(host)
    return out


def ror_id(value: str) -> str:
    """``https://ror.org/02fa3aq29`` or ``02fa3aq29`` → ``02fa3aq29``."""
    return value.strip().rstrip("/").rpartition("/")[2].lower()


class RorIndex:
    """ROR id → domains, read from a folder of ROR record files (``*.json``, one record or a list each)."""

    def __init__(self, domains: dict[str, set[str]] | None = None) -> None:
        self.domains = domains or {}

    @classmethod
    def from_dir(cls, folder: Path | None) -> RorIndex:
        domains: dict[str, set[str]] = {}
        if folder is None or not folder.is_dir():
            return cls(domains)
        for path in sorted(folder.rglob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for record in data if isinstance(data, list) else [data]:
                if isinstance(record, dict) and record.get("id"):
                    domains.setdefault(ror_id(record["id"]), set()).update(record_domains(record))
        return cls(domains)

    def of(self, ror: str | None) -> set[str]:
        return set(self.domains.get(ror_id(ror), set())) if ror else set()

    def match(self, address_domain: str, rors: Iterable[str | None]) -> list[tuple[str, str]]:
        """The (ROR id, domain) pairs whose domain the address belongs to."""
        return [(ror_id(r), d) for r in rors if r for d in sorted(self.of(r)) if domain_matches(address_domain, d)]
