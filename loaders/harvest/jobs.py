"""Harvest jobs and their cache: ``<data dir>/harvest/<job>/`` holds ``job.json`` (the checkpoint) and raw pages.

Every file is written to a temporary name and renamed into place, so a crash
leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loaders.harvest.http import HarvestError


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` at ``path``, all of it or none (temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def job_id(kind: str, *keys: str) -> str:
    """A stable, file-safe job name: the same scope is the same job (``update`` refreshes it)."""
    text = "-".join([kind, *keys]).lower()
    return re.sub(r"[^a-z0-9._-]+", "_", text)[:120]


@dataclass
class Stage:
    """One stream of pages: an OpenAlex filter, an arXiv OAI set or an arXiv search query."""

    kind: str  # openalex | arxiv-oai | arxiv-search
    params: dict[str, Any]
    cursor: str | None = None  # openalex: next cursor; arxiv-oai: from-datestamp; arxiv-search: next start
    pages: int = 0
    works: int = 0
    total: int | None = None
    done: bool = False


@dataclass
class Job:
    """A harvest scope and where it stands (its checkpoint)."""

    id: str
    scope: dict[str, Any]
    label: str
    stages: list[Stage] = field(default_factory=list)
    max_works: int | None = None
    since: str | None = None
    expand: str | None = None
    expand_limit: int = 25
    status: str = "new"  # new | running | budget | failed | done
    message: str = ""
    created: str = field(default_factory=now)
    refreshed: str | None = None
    merged: dict[str, str] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        data = dict(data)
        data["stages"] = [Stage(**s) for s in data.get("stages", [])]
        return cls(**data)


class JobStore:
    """Jobs and raw pages under one harvest folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, job: str) -> Path:
        return self.root / job

    def checkpoint(self, job: str) -> Path:
        return self.folder(job) / "job.json"

    def exists(self, job: str) -> bool:
        return self.checkpoint(job).is_file()

    def save(self, job: Job) -> None:
        try:
            write_atomic(self.checkpoint(job.id), json.dumps(job.to_json(), indent=1).encode())
        except OSError as exc:
            raise HarvestError(f"cannot save the checkpoint {self.checkpoint(job.id)}: {exc.strerror or exc}") from exc

    def load(self, job: str) -> Job:
        path = self.checkpoint(job)
        try:
            return Job.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            known = ", ".join(j.id for j in self.all()) or "none yet"
            raise HarvestError(f"no harvest job {job!r} in {self.root} (jobs: {known})") from None
        except (OSError, ValueError, TypeError) as exc:
            raise HarvestError(f"the checkpoint {path} cannot be read: {exc}") from exc

    def all(self) -> list[Job]:
        if not self.root.is_dir():
            return []
        jobs = []
        for path in sorted(self.root.glob("*/job.json")):
            try:
                jobs.append(Job.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, TypeError):
                continue
        return jobs

    def page_path(self, job: str, stage: int, page: int, suffix: str) -> Path:
        return self.folder(job) / f"s{stage:02d}-p{page:05d}.{suffix}"

    def write_page(self, path: Path, body: bytes) -> None:
        try:
            write_atomic(path, body)
        except OSError as exc:
            raise HarvestError(f"cannot write the page cache {path}: {exc.strerror or exc}") from exc
