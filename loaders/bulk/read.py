"""The read phase: each file parsed once, in a forked child process; the batches noted in the load's people
plan and spilled; once the people are decided (``loaders.bulk.plan``), the spills applied to the in-memory graph."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders import Format, _Budget, _parsed_batches, _Progress
from loaders.bulk.bylines import Bylines
from loaders.bulk.common import BulkError, BulkSummary
from loaders.bulk.graph import _Graph
from loaders.columns import ColumnPlan, PeoplePlan, person_plan
from loaders.model import Authorship, Institution, Topic, Work
from loaders.reader import Source
from loaders.rejects import RejectLog
from loaders.rows import KeyMap
from loaders.writer import plan_add


def _plan() -> PeoplePlan:
    """The bulk load's plan (the graph is empty); a column plan notes the authorships for the rows phase too."""
    plan = person_plan(True)
    if isinstance(plan, ColumnPlan):
        plan.bylines = Bylines()
    return plan


@dataclass
class _Pass:
    """The state of the two passes: the picture of the graph, the summary, the plan and the spilled batches
    (none when the plan notes the authorships as columns: ``loaders.bulk.bylines``)."""

    graph: _Graph
    summary: BulkSummary
    batch_size: int
    folder: Path
    plan: PeoplePlan = field(default_factory=lambda: _plan())  # (looked up at each call: tests replace it)
    keys: KeyMap = field(default_factory=dict)   # the identifiers of the load's works so far (plan_add)
    spills: list[Path] = field(default_factory=list)
    # Per spilled batch, in order: the numbers of the Papers its works write to (``_Graph.apply_papers``).
    papers: list[array[int]] = field(default_factory=list)

    @property
    def bylines(self) -> Bylines | None:
        """The authorships as columns, when the plan notes them (then nothing is spilled)."""
        found = self.plan.bylines if isinstance(self.plan, ColumnPlan) else None
        return found if isinstance(found, Bylines) else None


def _plan_file(fmt: Format, path: Path, log: RejectLog, state: _Pass, bar: _Progress) -> None:
    """The first and only parse of one file: in a child process, rejects logged and counted here as the
    transactional loader does; each batch noted in the load's people plan, its papers, topics and citations
    applied to the in-memory graph (the parent has time while the child parses), and the batch spilled to
    disk as the child sent it, for ``_apply_file`` once the people are decided (parsing twice cost more than
    the spill); not when the plan notes the authorships as columns (``loaders.bulk.bylines``), which need no
    second reading. Written and merged are counted as the transactional loader counts them."""
    reader = Source(path)
    position = 0
    seen: set[str] = set()
    graph, summary = state.graph, state.summary
    spill = state.folder / f"works-{len(state.spills)}.spill"
    out = None
    if state.bylines is None:  # else the plan notes the authorships: nothing to read back
        state.spills.append(spill)
        out = open(spill, "wb")  # noqa: SIM115 - closed below
    try:
        for batch, data, now in _parsed_in_child(fmt, reader, path, log, state.summary, state.batch_size,
                                                 numbered=state.bylines is not None):
            plan_add(None, state.plan, batch, state.keys)
            ids, new_papers = graph.apply_papers(batch)
            state.papers.append(array("i", [graph.paper_no[i] for i in ids]))
            summary.without_authors += sum(1 for work in batch if not work.authors)
            summary.count_batch(ids, new_papers, seen)
            if out is not None:
                out.write(len(data).to_bytes(8, "little"))
                out.write(data)
            bar.advance(now - position)
            position = now
    finally:
        if out is not None:
            out.close()
        reader.close()
    bar.advance(reader.size - position)


def _apply_file(spill: Path, state: _Pass, batches: Iterator[array[int]]) -> None:
    """One file's spilled batches, with their people (``state.plan``, decided), applied to the in-memory
    graph: the authorships of the papers ``_plan_file`` applied (``batches``: their numbers, in order)."""
    graph = state.graph
    paper_ids = graph.paper_ids
    with open(spill, "rb") as src:
        while size := int.from_bytes(src.read(8), "little"):
            graph.apply_spilled(pickle.loads(src.read(size))[1], [paper_ids[n] for n in next(batches)])
    spill.unlink()


# -- parsing in a child process ----------------------------------------------------------------------------------
# Works cross the pipe as plain tuples (pickling dataclasses cost more than parsing saved); the parent
# rebuilds them exactly, sharing one object per distinct institution and topic as the parsers do.
_CHILD_QUEUE = 4   # batches parsed ahead


class _Collected:
    """Stands in for the RejectLog and the summary in the child: what the parent must write and count."""

    def __init__(self) -> None:
        self.rejects: list[tuple[Path, int, str, str | None]] = []
        self.read = 0
        self.rejected = 0

    def write(self, file: Path, line: int, reason: str, record: str | None = None) -> None:
        self.rejects.append((file, line, reason, record))

    def take(self) -> tuple[list[tuple[Path, int, str, str | None]], int, int]:
        out = (self.rejects, self.read, self.rejected)
        self.rejects, self.read, self.rejected = [], 0, 0
        return out


def _topic_tuple(topic: Topic | None) -> tuple[Any, ...] | None:
    if topic is None:
        return None
    return (topic.id, topic.name, topic.scheme, topic.level, _topic_tuple(topic.parent))


class _Encoder:
    """Works as plain tuples (``_Decoder`` rebuilds them). The parsers share one frozen Authorship or Topic
    between the records that list it alike (``loaders.works``' caches): each is encoded once, and the batch's
    pickle then holds one copy of it.

    ``numbered``: each Authorship is sent once for the whole file, in the first batch that lists it, and by its
    number after that (the parent keeps it: ``_Decoder``), so that neither side handles it again (a million
    papers list 7.3 million authorships, about a quarter of them distinct). Not for the spill path, whose
    batches are read back one by one (``_apply_file``)."""

    LIMIT = 1 << 18  # objects remembered (with the object itself, so that its id() is not reused meanwhile)
    NUMBERED = 1 << 20  # authorships numbered before both sides start again from 0

    def __init__(self, numbered: bool = False) -> None:
        self.seen: dict[int, tuple[object, tuple[Any, ...]]] = {}
        self.numbered = numbered
        self.numbers: dict[int, tuple[Authorship, int]] = {}

    def _author(self, a: Authorship) -> tuple[Any, ...]:
        found = self.seen.get(id(a))
        if found is None:
            if len(self.seen) >= self.LIMIT:
                self.seen.clear()
            found = self.seen[id(a)] = (a, (a.id, a.name, a.raw_name, a.orcid, tuple(
                (i.id, i.name, i.ror, i.country, i.type) for i in a.institutions)))
        return found[1]

    def _topic(self, t: Topic) -> tuple[Any, ...]:
        found = self.seen.get(id(t))
        if found is None:
            if len(self.seen) >= self.LIMIT:
                self.seen.clear()
            encoded = _topic_tuple(t)
            assert encoded is not None
            found = self.seen[id(t)] = (t, encoded)
        return found[1]

    def works(self, works: list[Work]) -> Any:
        """The batch's works as tuples; when ``numbered``, (start again, the authorships new in this batch in
        the order of their numbers, the works with their authorships' numbers)."""
        if not self.numbered:
            return self._works(works, self._author)
        numbers = self.numbers
        restart = len(numbers) >= self.NUMBERED
        if restart:
            numbers.clear()
        new: list[tuple[Any, ...]] = []

        def number(a: Authorship) -> int:
            found = numbers.get(id(a))
            if found is None:
                found = numbers[id(a)] = (a, len(numbers))
                new.append((a.id, a.name, a.raw_name, a.orcid, tuple(
                    (i.id, i.name, i.ror, i.country, i.type) for i in a.institutions)))
            return found[1]

        rows = self._works(works, number)
        return restart, new, rows

    def _works(self, works: list[Work], author: Any) -> list[tuple[Any, ...]]:
        topic = self._topic
        return [(w.source, w.title, w.arxiv_id, w.doi, w.openalex_id, w.abstract, w.year, w.date, w.venue, w.type,
                 w.code_url, w.has_code, w.source_cited_by_count, w.categories, [author(a) for a in w.authors],
                 w.author_count, w.authors_complete, [(topic(t), score) for t, score in w.topics],
                 w.cites_arxiv, w.cites_openalex) for w in works]


class _Decoder:
    """Works back from ``_Encoder``'s tuples."""

    def __init__(self) -> None:
        self.institutions: dict[tuple[Any, ...], Institution] = {}
        self.inst_tuples: dict[tuple[Any, ...], tuple[Institution, ...]] = {(): ()}
        self.topics: dict[tuple[Any, ...], Topic] = {}
        self.authors: list[Authorship] = []  # by number (``_Encoder``'s numbered authorships)

    def _institution(self, value: tuple[Any, ...]) -> Institution:
        inst = self.institutions.get(value)
        if inst is None:
            inst = self.institutions[value] = Institution(*value)
        return inst

    def _institutions(self, value: tuple[Any, ...]) -> tuple[Institution, ...]:
        found = self.inst_tuples.get(value)
        if found is None:
            found = self.inst_tuples[value] = tuple(self._institution(x) for x in value)
        return found

    def _topic(self, value: tuple[Any, ...]) -> Topic:
        topic = self.topics.get(value)
        if topic is None:
            parent = self._topic(value[4]) if value[4] is not None else None
            topic = self.topics[value] = Topic(value[0], value[1], value[2], value[3], parent)
        return topic

    def works(self, message: Any) -> list[Work]:
        """The works of one batch as ``_Encoder.works`` gave them."""
        if isinstance(message, tuple):  # numbered: the authorships new in this batch, then the works
            restart, new, rows = message
            if restart:
                self.authors.clear()
            institutions = self._institutions
            self.authors.extend(Authorship(ident, name, raw, orcid, institutions(insts))
                                for ident, name, raw, orcid, insts in new)
            return self._works(rows, self.authors.__getitem__)
        # An authorship the child encoded once arrives as one tuple wherever the batch lists it (pickle keeps
        # shared objects shared): one Authorship for it. By id(): the batch holds its tuples while it is decoded.
        made: dict[int, Authorship] = {}

        def authorship(value: tuple[Any, ...]) -> Authorship:
            found = made.get(id(value))
            if found is None:
                ident, name, raw, orcid, insts = value
                found = made[id(value)] = Authorship(ident, name, raw, orcid, self._institutions(insts))
            return found

        return self._works(message, authorship)

    def _works(self, rows: list[tuple[Any, ...]], authorship: Any) -> list[Work]:
        out = []
        for (source, title, arxiv_id, doi, openalex_id, abstract, year, date, venue, kind, code_url, has_code,
             cited, categories, authors, author_count, complete, topics, cites_arxiv, cites_openalex) in rows:
            out.append(Work(
                source, title, arxiv_id, doi, openalex_id, abstract, year, date, venue, kind, code_url, has_code,
                cited, categories,
                [authorship(a) for a in authors],
                author_count, complete, [(self._topic(t), score) for t, score in topics], cites_arxiv,
                cites_openalex))
        return out


def _child(fmt: Format, reader: Source, path: Path, batch_size: int, out: Any, parent: int,
           numbered: bool) -> None:
    """The child's whole life: parse the file, put (works, rejects, read, rejected, position) per batch, then
    ("done", rejects, read, rejected) or ("error", exception). Gives up when the parent is gone."""
    def put(message: tuple[Any, ...]) -> None:
        # Pickled here, not by the queue's feeder thread: a message that does not pickle fails where it is caught.
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        while True:
            try:
                out.put(data, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(1)

    collected = _Collected()
    encoder = _Encoder(numbered)
    try:
        for batch, now in _parsed_batches(fmt, reader, path, collected, collected,  # type: ignore[arg-type]
                                          _Budget(batch_size, None), 0):
            put(("batch", encoder.works(batch), *collected.take(), now))
        put(("done", *collected.take()))
    except BaseException as exc:  # noqa: BLE001 - everything goes to the parent, which raises it
        try:
            put(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text, as the same kind
            put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _parsed_in_child(fmt: Format, reader: Source, path: Path, log: RejectLog, summary: BulkSummary,
                     batch_size: int, numbered: bool = False) -> Iterator[tuple[list[Work], bytes, int]]:
    """``_parsed_batches`` run in a forked child: the same batches, rejects (written here, in order) and counts;
    each batch with the child's message as it came (``_apply_file`` reads it back). ``numbered``: the child sends
    each authorship once and then its number (``_Encoder``), for a load that spills nothing."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=_CHILD_QUEUE)
    child = context.Process(target=_child, args=(fmt, reader, path, batch_size, channel, os.getpid(), numbered),
                            name="peergraph-parse", daemon=True)
    child.start()
    decoder = _Decoder()
    try:
        while True:
            try:
                data = channel.get(timeout=5.0)
                message = pickle.loads(data)
            except queue.Empty:
                if not child.is_alive():
                    raise BulkError(f"the parsing process for {path} stopped (exit code {child.exitcode})"
                                    ) from None
                continue
            if message[0] == "error":
                raise message[1]
            rejects, read, rejected = message[-4:-1] if message[0] == "batch" else message[1:4]
            for reject in rejects:
                log.write(*reject)
            summary.read += read
            summary.rejected += rejected
            if message[0] == "done":
                return
            yield decoder.works(message[1]), data, message[-1]
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()
