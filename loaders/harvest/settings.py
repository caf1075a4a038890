"""Harvest settings, read from the environment when a harvest starts (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.server import data_dir

OPENALEX_URL = "https://api.openalex.org"
ARXIV_OAI_URL = "https://oaipmh.arxiv.org/oai"
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ORCID_URL = "https://pub.orcid.org/v3.0"


@dataclass(frozen=True)
class Settings:
    """Where each source is and who is asking."""

    openalex_url: str = OPENALEX_URL
    arxiv_oai_url: str = ARXIV_OAI_URL
    arxiv_api_url: str = ARXIV_API_URL
    orcid_url: str = ORCID_URL
    api_key: str | None = None
    mailto: str | None = None
    harvest_dir: Path = Path(".data/harvest")
    # The longest Retry-After a harvest sleeps through; a longer one means the day's budget is spent.
    max_wait: float = 300.0
    # arXiv asks for one request every 3 seconds (API terms of use).
    arxiv_interval: float = 3.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else env
        return cls(
            openalex_url=env.get("PEERGRAPH_OPENALEX_URL", OPENALEX_URL).rstrip("/"),
            arxiv_oai_url=env.get("PEERGRAPH_ARXIV_OAI_URL", ARXIV_OAI_URL),
            arxiv_api_url=env.get("PEERGRAPH_ARXIV_API_URL", ARXIV_API_URL),
            orcid_url=env.get("PEERGRAPH_ORCID_URL", ORCID_URL).rstrip("/"),
            api_key=env.get("OPENALEX_API_KEY") or None,
            mailto=env.get("OPENALEX_MAILTO") or None,
            harvest_dir=Path(env["PEERGRAPH_DATA_DIR"]) / "harvest" if env.get("PEERGRAPH_DATA_DIR")
            else data_dir() / "harvest",
            max_wait=float(env.get("PEERGRAPH_HARVEST_MAX_WAIT", "300")),
            arxiv_interval=float(env.get("PEERGRAPH_ARXIV_INTERVAL", "3")),
        )
