"""Run a harvest job: fetch a page, cache it atomically, load it through the loaders, then checkpoint.

The checkpoint is saved only after a page is in the graph, and a page already
in the cache is loaded from there rather than fetched again, so a job stopped
anywhere and resumed makes the same graph as one that never stopped (loads
are idempotent MERGEs).

Each page's load brings the derived data of what it touched in step (the feed
compares it), but not the whole-graph metrics pass (``loaders.metrics``), which
would read every paper of the graph per page: it runs once when the run ends,
finished or stopped by its budget or a source's error. A run killed outright
leaves the pages' marks, so the resumed run (or any later load) does the pass.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

from graph.db import Graph
from graph.errors import GraphError
from loaders import load_files
from loaders.derive import derive_all
from loaders.harvest.arxiv import ArxivOai, ArxivSearch, XmlPage, in_category, parse_atom, parse_oai
from loaders.harvest.http import BudgetSpent, HarvestError
from loaders.harvest.jobs import Job, JobStore, Stage, now, write_atomic
from loaders.harvest.openalex import OpenAlex, Page, calls_for, parse_page, short
from loaders.harvest.orcid import Orcid
from loaders.harvest.settings import Settings
from loaders.metrics import derive_metrics
from loaders.watch import LoadWatch

Progress = Callable[[int, int | None, str], None]
C = TypeVar("C")
DOI_CHUNK = 50  # DOIs per OpenAlex filter (the API takes up to 100 values joined by '|')


@dataclass
class HarvestSummary:
    """What a run did: works added, updated, unchanged, rejected; calls made."""

    job: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    pages: int = 0
    calls: int = 0

    def line(self) -> str:
        return (f"harvest {self.job}: {self.added:,} works added, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged, {self.rejected:,} rejected; {self.pages:,} pages, "
                f"{self.calls:,} calls")


@dataclass
class Clients:
    """The source clients of one run (built from the settings when first used)."""

    settings: Settings
    _made: dict[str, Any] = field(default_factory=dict)

    def _client(self, key: str, make: Callable[[Settings], C]) -> C:
        # Made once: setdefault(key, Client(...)) would build a client (and its session) on every use.
        if key not in self._made:
            self._made[key] = make(self.settings)
        client: C = self._made[key]
        return client

    @property
    def openalex(self) -> OpenAlex:
        return self._client("openalex", OpenAlex)

    @property
    def oai(self) -> ArxivOai:
        return self._client("oai", ArxivOai)

    @property
    def search(self) -> ArxivSearch:
        return self._client("search", ArxivSearch)

    @property
    def orcid(self) -> Orcid:
        return self._client("orcid", Orcid)

    def calls(self) -> int:
        return sum(client.fetcher.calls for client in self._made.values())


def _response(body: bytes) -> requests.Response:
    """A cached page dressed as a response, so one parser reads fresh and cached pages alike."""
    response = requests.Response()
    response._content = body
    response.status_code = 200
    return response


def openalex_filter(stage: Stage) -> str:
    text = str(stage.params["filter"])
    if stage.params.get("updated_since"):
        text += f",from_updated_date:{stage.params['updated_since']}"
    return text


@dataclass(frozen=True)
class Estimate:
    """A dry run's figures for one stage."""

    stage: str
    works: int | None
    calls: int | None
    cost_usd: float | None


def estimate(job: Job, clients: Clients) -> list[Estimate]:
    """How many works, calls and dollars each stage would take (one count probe per OpenAlex stage)."""
    out = []
    left = job.max_works
    for stage in job.stages:
        if stage.kind == "openalex":
            count, price = clients.openalex.count(openalex_filter(stage))
            works = min(count, left) if left is not None else count
            if left is not None:
                left = max(0, left - works)
            calls = calls_for(works)
            out.append(Estimate(f"OpenAlex works where {openalex_filter(stage)}", works, calls, calls * price))
        elif stage.kind == "arxiv-search":
            page = clients.search.page(stage.params["query"], 0, size=1)
            hits = min(page.total or 0, left) if left is not None else page.total
            calls = -(-(hits or 0) // 100) or 1
            out.append(Estimate(f"arXiv search {stage.params['query']}", hits, calls, 0.0))
        elif stage.kind == "arxiv-oai":
            out.append(Estimate(f"arXiv OAI-PMH set {stage.params['set']} ({stage.params['category']}) from "
                                f"{stage.cursor or job.since or 'the start'}: the size is known after the first page",
                                None, None, 0.0))
        else:
            out.append(Estimate(f"ORCID works of {stage.params['orcid']}", None, 1, 0.0))
    if job.expand:
        out.append(Estimate(f"then the works of up to {job.expand_limit} co-authors (counted once the first "
                            "stage is in)", None, None, None))
    return out


class _Runner:
    def __init__(self, db: Graph, job: Job, store: JobStore, clients: Clients, progress: Progress | None,
                 watch: LoadWatch | None = None) -> None:
        self.db, self.job, self.store, self.clients, self.watch = db, job, store, clients, watch
        self.progress = progress
        self.summary = HarvestSummary(job.id)
        self.index_path = store.folder(job.id) / "index.json"
        self.index: dict[str, str] = self._read_index()
        self.done_works = sum(s.works for s in job.stages)

    def _read_index(self) -> dict[str, str]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _total(self) -> int | None:
        totals = [s.total for s in self.job.stages]
        if any(t is None for t in totals):
            return None
        total = sum(t for t in totals if t is not None)
        return min(total, self.job.max_works) if self.job.max_works else total

    def _tell(self, text: str) -> None:
        if self.progress:
            self.progress(self.done_works, self._total(), text)

    def _room(self) -> int | None:
        if self.job.max_works is None:
            return None
        return max(0, self.job.max_works - sum(s.works for s in self.job.stages))

    def _load(self, source: str, path: Path, keys: list[tuple[str, str]]) -> None:
        """Load one cached file; count added, updated (changed since this job saw it), unchanged, rejected."""
        if not keys:
            return
        same = sum(1 for key, stamp in keys if self.index.get(key) == stamp)
        result = load_files(self.db, source, [path], progress=False, watch=self.watch, derive="touched")
        existing = result.written + result.merged - result.new_papers
        self.summary.added += result.new_papers
        self.summary.rejected += result.rejected
        self.summary.unchanged += min(same, existing)
        self.summary.updated += max(0, existing - same)
        self.index.update(dict(keys))

    def _checkpoint(self, stage: Stage, works: int) -> None:
        stage.pages += 1
        stage.works += works
        self.done_works += works
        self.summary.pages += 1
        try:
            write_atomic(self.index_path, json.dumps(self.index).encode())
        except OSError as exc:
            raise HarvestError(f"cannot write {self.index_path}: {exc.strerror or exc}") from exc
        self.store.save(self.job)
        self._tell(f"{self.job.label}: {self.done_works:,} works")

    def openalex(self, number: int, stage: Stage) -> None:
        while not stage.done:
            room = self._room()
            if room == 0:
                stage.done = True
                break
            path = self.store.page_path(self.job.id, number, stage.pages + 1, "json")
            if path.is_file():  # fetched before a stop, maybe not loaded: load it, fetch nothing
                page: Page = parse_page(_response(path.read_bytes()))
            else:
                per_page = min(200, room) if room is not None else 200
                page = self.clients.openalex.page(openalex_filter(stage), stage.cursor or "*", per_page)
                self.store.write_page(path, page.body)
            if stage.total is None:
                stage.total = page.count
            results = page.results if room is None else page.results[:room]
            keys = [(short(str(r.get("id"))), str(r.get("updated_date"))) for r in results]
            if len(results) < len(page.results):  # --max-works cut this page: load only the part kept
                path = path.with_suffix(".kept.json")
                write_atomic(path, json.dumps({"results": results}).encode())
            self._load("openalex", path, keys)
            stage.cursor = page.next_cursor
            stage.done = not page.next_cursor or not page.results
            self._checkpoint(stage, len(results))

    def _xml(self, number: int, stage: Stage, fetch: Callable[[], XmlPage], parse: Callable[[requests.Response],
             XmlPage]) -> tuple[XmlPage, bool]:
        path = self.store.page_path(self.job.id, number, stage.pages + 1, "xml")
        if path.is_file():
            return parse(_response(path.read_bytes())), True
        page = fetch()
        self.store.write_page(path, page.body)
        return page, False

    def _load_records(self, number: int, stage: Stage, records: list[dict[str, Any]]) -> int:
        room = self._room()
        if room is not None:
            records = records[:room]
        path = self.store.page_path(self.job.id, number, stage.pages + 1, "jsonl")
        write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
        self._load("arxiv", path, [(f"arxiv:{r.get('id')}", str(r.get("update_date"))) for r in records])
        return len(records)

    def oai(self, number: int, stage: Stage) -> None:
        token: str | None = None
        category = stage.params["category"]
        while not stage.done:
            if self._room() == 0:
                stage.done = True
                break
            fetch = functools.partial(self.clients.oai.page, oai_set=stage.params["set"],
                                      since=stage.cursor or self.job.since, token=token)
            page, cached = self._xml(number, stage, fetch, parse_oai)
            if stage.total is None and page.total is not None:
                stage.total = page.total
            works = self._load_records(number, stage, [r for r in page.records if in_category(r, category)])
            if page.last_datestamp and (stage.cursor is None or page.last_datestamp > stage.cursor):
                stage.cursor = page.last_datestamp
            # The checkpoint keeps the datestamp, not the token: a token from before a stop may have expired,
            # so after a cached page the walk starts again from the datestamp (records re-read, MERGEd again).
            token = None if cached else page.token
            stage.done = page.token is None
            self._checkpoint(stage, works)

    def search(self, number: int, stage: Stage) -> None:
        while not stage.done:
            if self._room() == 0:
                stage.done = True
                break
            start = int(stage.cursor or 0)
            query = stage.params["query"]
            page, _ = self._xml(number, stage, functools.partial(self.clients.search.page, query, start), parse_atom)
            if stage.total is None:
                stage.total = page.total
            works = self._load_records(number, stage, page.records)
            stage.cursor = page.token
            stage.done = page.token is None
            self._checkpoint(stage, works)

    def orcid(self, number: int, stage: Stage) -> None:
        path = self.store.page_path(self.job.id, number, 1, "json")
        from loaders.harvest.orcid import work_ids

        if path.is_file():
            dois, arxiv = work_ids(json.loads(path.read_bytes()))
        else:
            body, dois, arxiv = self.clients.orcid.works(stage.params["orcid"])
            self.store.write_page(path, body)
        dois += [f"10.48550/arxiv.{a}" for a in arxiv]
        known = {s.params.get("filter") for s in self.job.stages}
        for start in range(0, len(dois), DOI_CHUNK):
            filters = "doi:" + "|".join(dois[start:start + DOI_CHUNK])
            if filters not in known:
                self.job.stages.append(Stage("openalex", {"filter": filters}))
        stage.done = True
        stage.total = 0
        self._checkpoint(stage, 0)

    def expand(self) -> None:
        """Add the co-authors' works as one more stage, chosen from the cached pages of the first stage."""
        first = self.job.stages[0]
        own = set(first.params.get("authors", []))
        counts: Counter[str] = Counter()
        for path in sorted(self.store.folder(self.job.id).glob("s00-p*.json")):
            if path.name.endswith(".kept.json"):
                continue
            for work in parse_page(_response(path.read_bytes())).results:
                for item in work.get("authorships") or []:
                    ident = short(str((item.get("author") or {}).get("id") or ""))
                    if ident.startswith("A") and ident not in own:
                        counts[ident] += 1
        chosen = sorted(counts, key=lambda a: (-counts[a], a))[:self.job.expand_limit]
        if chosen:
            self.job.stages.append(Stage("openalex", {"filter": "authorships.author.id:" + "|".join(chosen),
                                                      "expanded": True}))
        self.job.expand = "done"
        self.store.save(self.job)

    def merges(self) -> None:
        for old, new in sorted(self.job.merged.items()):
            self.db.write("harvest/merge_author", old=f"openalex:{old}", new=f"openalex:{new}")
        if self.job.merged:
            derive_all(self.db)

    def run(self) -> HarvestSummary:
        number = 0
        while number < len(self.job.stages):
            stage = self.job.stages[number]
            if not stage.done:
                getattr(self, {"openalex": "openalex", "arxiv-oai": "oai", "arxiv-search": "search",
                               "orcid": "orcid"}[stage.kind])(number, stage)
            if number == 0 and self.job.expand == "coauthors" and stage.kind == "openalex":
                self.expand()
            number += 1
        self.merges()
        derive_metrics(self.db)
        return self.summary


def run_job(db: Graph, job: Job, store: JobStore, clients: Clients, progress: Progress | None = None,
            watch: LoadWatch | None = None) -> HarvestSummary:
    """Run (or resume) ``job`` to its end; BudgetSpent and HarvestError leave the checkpoint saved.
    ``watch`` sees each page's load (the feed: ``loaders.watch``)."""
    runner = _Runner(db, job, store, clients, progress, watch)
    job.status, job.message = "running", ""
    store.save(job)
    try:
        summary = runner.run()
    except BudgetSpent as exc:
        job.status, job.message = "budget", str(exc)
        store.save(job)
        derive_metrics(db)  # the pages loaded so far: their metrics in step, not left for the resumed run
        raise
    except HarvestError as exc:
        job.status, job.message = "failed", str(exc)
        store.save(job)
        derive_metrics(db)
        raise
    except GraphError as exc:
        job.status, job.message = "failed", str(exc)
        store.save(job)
        raise
    finally:
        runner.summary.calls = clients.calls()
        job.totals = {k: job.totals.get(k, 0) + v for k, v in (
            ("added", runner.summary.added), ("updated", runner.summary.updated),
            ("unchanged", runner.summary.unchanged), ("rejected", runner.summary.rejected),
            ("calls", runner.summary.calls))}
    job.status, job.refreshed = "done", now()
    store.save(job)
    summary.calls = clients.calls()
    return summary


def prepare_update(job: Job) -> None:
    """Make a finished job fetch only what changed since it was last refreshed."""
    since = (job.refreshed or job.created)[:10]
    for stage in job.stages:
        if stage.kind == "openalex":
            stage.params["updated_since"] = since
            stage.cursor, stage.done, stage.total = None, False, None
        elif stage.kind == "arxiv-oai":
            stage.done, stage.total = False, None  # the datestamp cursor stays: OAI-PMH is incremental by date
        elif stage.kind == "arxiv-search":
            stage.cursor, stage.done, stage.total = None, False, None
        stage.works = 0
    job.status = "new"

