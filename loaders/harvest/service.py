"""The harvest as the Add data page uses it: search, start a scope, refresh one, list them.

These run in the worker of a Dash background callback (another process), so
each opens its own Graph from the environment (``NEO4J_URI`` or the local
server) rather than sharing the web process's driver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.connect import resolve
from graph.db import Graph
from loaders.harvest.cli import build_job, parser
from loaders.harvest.jobs import Job, JobStore
from loaders.harvest.openalex import short
from loaders.harvest.run import Clients, HarvestSummary, prepare_update, run_job
from loaders.harvest.settings import Settings

KINDS = {"author": "authors", "institution": "institutions", "topic": "topics"}


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str


@dataclass(frozen=True)
class Scope:
    id: str
    label: str
    status: str
    refreshed: str | None
    works: int
    message: str


def search(kind: str, text: str, limit: int = 8) -> list[Candidate]:
    """OpenAlex's candidates for a researcher, institution or topic name (HarvestError when it fails)."""
    settings = Settings.from_env()
    clients = Clients(settings)
    out = []
    for item in clients.openalex.search(KINDS[kind], text, limit):
        extra = f"{item.get('works_count')} works" if item.get("works_count") is not None else ""
        out.append(Candidate(short(str(item.get("id"))), f"{item.get('display_name')} ({extra})" if extra
                             else str(item.get("display_name"))))
    return out


def scopes() -> list[Scope]:
    """Every harvested scope, most recently refreshed first."""
    jobs = JobStore(Settings.from_env().harvest_dir).all()
    jobs.sort(key=lambda j: j.refreshed or "", reverse=True)
    return [Scope(j.id, j.label, j.status, j.refreshed, sum(s.works for s in j.stages), j.message) for j in jobs]


def _run(job_for: Callable[[Clients, JobStore], Job], progress: Callable[[int, int | None, str], None]
         ) -> HarvestSummary:
    settings = Settings.from_env()
    clients = Clients(settings)
    store = JobStore(settings.harvest_dir)
    job = job_for(clients, store)
    config, started = resolve(start=False)
    from accounts.feed import watch_from_settings

    try:
        with Graph.connect(config) as db:
            return run_job(db, job, store, clients, progress, watch_from_settings())
    finally:
        if started is not None:
            started.stop()


def start(kind: str, ident: str, max_works: int | None,
          progress: Callable[[int, int | None, str], None]) -> HarvestSummary:
    """Harvest one scope (resumed or refreshed when it was harvested before)."""
    def job_for(clients: Clients, store: JobStore) -> Job:
        argv = [kind, "--openalex", ident] + (["--max-works", str(max_works)] if max_works else [])
        job = build_job(parser().parse_args(argv), clients)
        if store.exists(job.id):
            job = store.load(job.id)
            if job.status == "done":
                prepare_update(job)
        store.save(job)
        return job

    return _run(job_for, progress)


def refresh(job_id: str, progress: Callable[[int, int | None, str], None]) -> HarvestSummary:
    """Bring one harvested scope up to date (or finish it when it had stopped)."""
    def job_for(_clients: Clients, store: JobStore) -> Job:
        job = store.load(job_id)
        if job.status == "done":
            prepare_update(job)
        store.save(job)
        return job

    return _run(job_for, progress)
