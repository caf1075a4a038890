"""``python -m loaders harvest ...``: fetch from OpenAlex, arXiv and ORCID into the graph.

Exit status: 0 done, 1 bad arguments or a source refused, 2 Neo4j cannot be
reached, 75 a daily budget is spent (the checkpoint is saved: ``resume`` later),
130 interrupted (``resume`` finishes it).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from graph.errors import GraphError
from graph.server import ServerError
from loaders.harvest.arxiv import oai_set
from loaders.harvest.http import BudgetSpent, HarvestError
from loaders.harvest.jobs import Job, JobStore, Stage, job_id
from loaders.harvest.openalex import short
from loaders.harvest.orcid import normal_orcid
from loaders.harvest.run import Clients, HarvestSummary, estimate, prepare_update, run_job
from loaders.harvest.settings import Settings
from loaders.model import BadRecord, normal_arxiv_id, normal_doi

EX_TEMPFAIL = 75
SOURCES = ("openalex", "arxiv", "orcid")


def _sources(text: str) -> list[str]:
    names = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in names if s not in SOURCES]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"unknown source {', '.join(bad) or text!r}; use {','.join(SOURCES)}")
    return names


def _since(text: str) -> str:
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    raise argparse.ArgumentTypeError(f"--since {text!r}: expected YYYY or YYYY-MM-DD")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=_sources, default=["openalex"], metavar="LIST",
                        help="sources to use, comma-separated: openalex,arxiv,orcid (default openalex)")
    common.add_argument("--since", type=_since, metavar="DATE", help="works published from YYYY or YYYY-MM-DD")
    common.add_argument("--max-works", type=_positive, metavar="N", help="stop after N works")
    common.add_argument("--expand", choices=["coauthors"], help="also the works of the co-authors (to a bound)")
    common.add_argument("--expand-limit", type=_positive, default=25, metavar="N",
                        help="--expand coauthors: the N most frequent co-authors (default 25)")
    common.add_argument("--dry-run", action="store_true", help="say how many works, calls and dollars; fetch no page")
    common.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    top = argparse.ArgumentParser(prog="python -m loaders harvest",
                                  description="Harvest works from OpenAlex, arXiv and ORCID into the graph.")
    sub = top.add_subparsers(dest="command", required=True)
    author = sub.add_parser("author", parents=[common], help="a researcher's works")
    who = author.add_mutually_exclusive_group(required=True)
    who.add_argument("--name", help="search OpenAlex authors by name (shows candidates; --pick chooses)")
    who.add_argument("--orcid", help="an ORCID iD")
    who.add_argument("--openalex", nargs="+", metavar="A...", help="OpenAlex author ids (several: one person split)")
    author.add_argument("--pick", type=_positive, action="append", metavar="N",
                        help="with --name: take candidate N (repeat for a person OpenAlex split)")
    inst = sub.add_parser("institution", parents=[common], help="an institution's works")
    which = inst.add_mutually_exclusive_group(required=True)
    which.add_argument("--ror", help="a ROR id (e.g. 02fa3aq29)")
    which.add_argument("--openalex", metavar="I...", help="an OpenAlex institution id")
    topic = sub.add_parser("topic", parents=[common], help="a topic's or an arXiv category's works")
    what = topic.add_mutually_exclusive_group(required=True)
    what.add_argument("--openalex", metavar="T...", help="an OpenAlex topic id")
    what.add_argument("--arxiv-category", metavar="CAT", help="an arXiv category (cs.LG), through OAI-PMH")
    ids = sub.add_parser("ids", parents=[common], help="the works a file of DOIs and arXiv ids names")
    ids.add_argument("file", type=Path, metavar="FILE", help="one DOI or arXiv id a line ('#' comments)")
    update = sub.add_parser("update", help="refresh every finished scope with what changed since its last run")
    update.add_argument("--no-progress", dest="progress", action="store_false")
    sub.add_parser("status", help="list the harvested scopes and where each stands")
    resume = sub.add_parser("resume", help="finish a stopped job")
    resume.add_argument("job", help="the job name (see status)")
    resume.add_argument("--no-progress", dest="progress", action="store_false")
    return top


def _ask(candidates: list[dict[str, Any]], picks: list[int] | None) -> list[dict[str, Any]]:
    lines = []
    for number, item in enumerate(candidates, 1):
        places = item.get("last_known_institutions") or []
        place = places[0].get("display_name") if places and isinstance(places[0], dict) else ""
        lines.append(f"  {number}. {item.get('display_name')} ({short(str(item.get('id')))}), "
                     f"{item.get('works_count', '?')} works, {item.get('cited_by_count', '?')} citations"
                     f"{', ' + place if place else ''}")
    print("candidates:\n" + "\n".join(lines), file=sys.stderr)
    if not picks:
        if not sys.stdin.isatty():
            raise HarvestError("several authors match: choose with --pick N (repeat it for one person OpenAlex "
                               "split in several ids)")
        answer = input("pick (numbers separated by spaces): ")
        try:
            picks = [int(x) for x in answer.split()]
        except ValueError:
            raise HarvestError(f"{answer!r} is not a list of numbers") from None
    bad = [p for p in picks if not 1 <= p <= len(candidates)]
    if bad or not picks:
        raise HarvestError(f"--pick {bad or picks}: choose between 1 and {len(candidates)}")
    return [candidates[p - 1] for p in picks]


def _arxiv_query(name: str) -> str:
    """arXiv's author search form: ``Mario Geiger`` -> ``au:Geiger_M``."""
    parts = name.replace(",", " ").split()
    return f"au:{parts[-1]}_{parts[0][0]}" if len(parts) > 1 else f"au:{parts[0]}"


def build_job(args: argparse.Namespace, clients: Clients) -> Job:
    """The job a command names (entities resolved; a merged id recorded with its survivor)."""
    api = clients.openalex
    sources = args.source
    merged: dict[str, str] = {}
    stages: list[Stage] = []

    def resolve(kind: str, ident: str) -> tuple[dict[str, Any], str]:
        record, survivor = api.entity(kind, ident)
        wanted = short(ident)
        if kind == "authors" and re.fullmatch(r"A\d+", wanted) and survivor != wanted:
            merged[wanted] = survivor  # institutions and topics: the survivor is used, no node is merged
        return record, survivor

    if args.command == "author":
        if args.name:
            people = _ask(api.search("authors", args.name), args.pick)
            ids = [short(str(p["id"])) for p in people]
            names = [str(p.get("display_name")) for p in people]
        elif args.orcid:
            orcid = normal_orcid(args.orcid)
            record, survivor = resolve("authors", f"orcid:{orcid}")
            ids, names = [survivor], [str(record.get("display_name") or orcid)]
            if "orcid" in sources:
                stages.append(Stage("orcid", {"orcid": orcid}))
        else:
            ids, names = [], []
            for ident in args.openalex:
                record, survivor = resolve("authors", ident)
                if survivor not in ids:
                    ids.append(survivor)
                    names.append(str(record.get("display_name") or survivor))
        ident = job_id("author", *ids)
        label = " / ".join(dict.fromkeys(names))
        if "openalex" in sources:
            stages.insert(0, Stage("openalex", {"filter": _with_since("authorships.author.id:" + "|".join(ids),
                                                                       args.since), "authors": ids}))
        if "arxiv" in sources:
            stages.append(Stage("arxiv-search", {"query": _arxiv_query(names[0])}))
    elif args.command == "institution":
        record, survivor = resolve("institutions", f"ror:{args.ror}" if args.ror else args.openalex)
        ident, label = job_id("institution", survivor), str(record.get("display_name") or survivor)
        stages.append(Stage("openalex", {"filter": _with_since(f"authorships.institutions.id:{survivor}",
                                                               args.since)}))
    elif args.command == "topic" and args.openalex:
        record, survivor = resolve("topics", args.openalex)
        ident, label = job_id("topic", survivor), str(record.get("display_name") or survivor)
        stages.append(Stage("openalex", {"filter": _with_since(f"topics.id:{survivor}", args.since)}))
    elif args.command == "topic":
        category = args.arxiv_category
        if not re.fullmatch(r"[a-z-]+(\.[A-Za-z-]+)?", category):
            raise HarvestError(f"--arxiv-category {category!r} is not an arXiv category (e.g. cs.LG)")
        ident, label = job_id("arxiv", category), f"arXiv {category}"
        stages.append(Stage("arxiv-oai", {"set": oai_set(category), "category": category}))
    else:
        dois = _read_ids(args.file)
        digest = hashlib.sha256("\n".join(dois).encode()).hexdigest()[:10]
        ident, label = job_id("ids", args.file.stem, digest), f"{len(dois)} ids from {args.file.name}"
        for start in range(0, len(dois), 50):
            stages.append(Stage("openalex", {"filter": "doi:" + "|".join(dois[start:start + 50])}))
    if not stages:
        raise HarvestError(f"--source {','.join(sources)} gives nothing to fetch for this scope")
    return Job(ident, {"command": args.command}, label, stages, max_works=args.max_works, since=args.since,
               expand=args.expand, expand_limit=args.expand_limit, merged=merged)


def _with_since(filters: str, since: str | None) -> str:
    return f"{filters},from_publication_date:{since}" if since else filters


def _read_ids(path: Path) -> list[str]:
    """DOIs and arXiv ids (as their DataCite DOI), one a line; a bad line stops with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise HarvestError(f"cannot read {path}: {exc.strerror or exc}") from exc
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            doi = normal_doi(text) if "10." in text else None
            if doi is None:
                doi = f"10.48550/arxiv.{normal_arxiv_id(text.removeprefix('arXiv:'))}".lower()
        except BadRecord as exc:
            raise HarvestError(f"{path}:{number}: {text!r} is neither a DOI nor an arXiv id ({exc})") from None
        if doi not in out:
            out.append(doi)
    if not out:
        raise HarvestError(f"{path} names no DOI or arXiv id")
    return out


class _Bar:
    """tqdm sized from the result count once the first page tells it; only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int | None, text: str) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, unit="works", file=sys.stderr, dynamic_ncols=True, leave=False)
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.n = done
        self.bar.set_description(text[:60])
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run(store: JobStore, jobs: list[Job], clients: Clients, progress: bool) -> int:
    from graph.connect import resolve
    from graph.db import Graph

    started = None
    where = "the local server"
    try:
        config, started = resolve(start=True, quiet=True)
        where = config.uri
        from accounts.feed import watch_from_settings

        watch = watch_from_settings()  # the feed compares what each page's load changed for followed authors
        with Graph.connect(config) as db:
            for job in jobs:
                bar = _Bar(progress)
                try:
                    summary: HarvestSummary = run_job(db, job, store, clients, bar, watch)
                finally:
                    bar.close()
                print(summary.line())
        return 0
    except BudgetSpent as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    except HarvestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (GraphError, ServerError) as exc:
        print(f"error: {exc} (Neo4j at {where})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        names = " ".join(j.id for j in jobs if j.status != "done")
        print(f"interrupted: run `python -m loaders harvest resume {names}` to finish", file=sys.stderr)
        return 130
    finally:
        if started is not None:
            started.stop()


def _status(store: JobStore) -> int:
    jobs = store.all()
    if not jobs:
        print(f"no harvests yet in {store.root}")
        return 0
    for job in jobs:
        works = sum(s.works for s in job.stages)
        totals = ", ".join(f"{k} {v:,}" for k, v in job.totals.items())
        print(f"{job.id}\t{job.status}\t{job.label}\t{works:,} works this run\t"
              f"last refreshed {job.refreshed or 'never'}\t{totals}" + (f"\t{job.message}" if job.message else ""))
    return 0


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    store = JobStore(settings.harvest_dir)
    clients = Clients(settings)
    try:
        if args.command == "status":
            return _status(store)
        if args.command == "resume":
            return _run(store, [store.load(args.job)], clients, args.progress)
        if args.command == "update":
            jobs = [j for j in store.all() if j.status == "done"]
            if not jobs:
                print("nothing to update: no finished harvest yet")
                return 0
            for job in jobs:
                prepare_update(job)
                store.save(job)
            return _run(store, jobs, clients, args.progress)
        job = build_job(args, clients)
        if args.dry_run:
            return _dry_run(job, clients)
        if store.exists(job.id):
            old = store.load(job.id)
            if old.status == "done":
                prepare_update(old)
            job = old  # the same scope again: finish it, or refresh it when it was finished
        store.save(job)
        return _run(store, [job], clients, args.progress)
    except BudgetSpent as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    except (HarvestError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _dry_run(job: Job, clients: Clients) -> int:
    total_works = total_calls = 0
    total_cost = 0.0
    print(f"dry run of {job.id} ({job.label}): nothing is fetched beyond counts")
    for item in estimate(job, clients):
        figures = []
        if item.works is not None:
            figures.append(f"{item.works:,} works")
            total_works += item.works
        if item.calls is not None:
            figures.append(f"{item.calls:,} calls")
            total_calls += item.calls
        if item.cost_usd:
            figures.append(f"${item.cost_usd:.4f}")
            total_cost += item.cost_usd
        print(f"  {item.stage}: {', '.join(figures) or 'unknown until harvested'}")
    headers = clients.openalex.fetcher.last_headers
    left = headers.get("X-RateLimit-Remaining-USD")
    print(f"total: {total_works:,} works, {total_calls:,} calls, about ${total_cost:.4f}"
          + (f" (OpenAlex budget left today: ${left})" if left else "")
          + f"; {clients.calls()} calls made for this estimate")
    return 0
