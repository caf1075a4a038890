"""The CSV phase: the derived data (``loaders.derive``'s rules, in numpy) and every file for the importer."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any

import numpy as np

from loaders import derive
from loaders.bulk.common import _DELIMITERS, _PAIRS_IN_MEMORY, BulkError
from loaders.bulk.graph import _Graph, _spilled, merge_paper
from loaders.bulk.metrics import (
    AUTHOR_HEADER,
    PAPER_HEADER,
    PaperMetrics,
    author_fields,
    paper_fields,
    paper_metrics,
    top_subfields,
)
from loaders.bulk.reduce import _reduce, _TopCoauthors, _year_codes


# -- CSV ----------------------------------------------------------------------------------------------------
def _text(value: str | None) -> str:
    """One CSV field: quoted always (so "" stays an empty string), empty when null."""
    if value is None:
        return ""
    return '"' + value.replace('"', '""') + '"'


def _number(value: int | float | None) -> str:
    return "" if value is None else repr(value)


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


class _Lists:
    """Arrays as CSV fields, joined by a delimiter no element contains (an empty list: null, set later)."""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter

    def __call__(self, values: Sequence[str] | None) -> str:
        if not values:
            return ""
        return _text(self.delimiter.join(values))


def _digits(values: np.ndarray) -> int:
    return max(1, len(str(int(values.max())))) if len(values) else 1


def write_int_rows(out: IO[bytes], columns: Sequence[np.ndarray], *, chunk: int = 1 << 20) -> None:
    """Rows of non-negative integers as CSV, fast: fixed-width zero-padded digits (the importer reads 007 as 7)."""
    if not columns or len(columns[0]) == 0:
        return
    widths = [_digits(c) for c in columns]
    line = sum(widths) + len(columns)
    total = len(columns[0])
    for start in range(0, total, chunk):
        stop = min(total, start + chunk)
        buf = np.empty((stop - start, line), dtype=np.uint8)
        offset = 0
        for column, width in zip(columns, widths, strict=True):
            value = column[start:stop].astype(np.int64)
            for digit in range(width - 1, -1, -1):
                buf[:, offset + digit] = value % 10 + 48
                value //= 10
            offset += width
            buf[:, offset] = 44  # ,
            offset += 1
        buf[:, line - 1] = 10  # the last comma becomes the newline
        out.write(buf.tobytes())


class _Files:
    """The import's CSV files: one header file and one data file per group, with the importer's arguments."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nodes: list[tuple[str, list[Path]]] = []
        self.relationships: list[tuple[str, list[Path]]] = []

    def open(self, kind: str, name: str, header: str, *, node: bool) -> IO[bytes]:
        return open(self.reserve(kind, name, header, node=node), "wb")  # noqa: SIM115 - the caller closes it

    def reserve(self, kind: str, name: str, header: str, *, node: bool) -> Path:
        """The data file's path, named and listed (and its header written) now, to be written later."""
        stem = f"{len(self.nodes) + len(self.relationships):02d}-{name}"
        head = self.folder / f"{stem}-header.csv"
        data = self.folder / f"{stem}.csv"
        head.write_text(header + "\n", encoding="utf-8")
        (self.nodes if node else self.relationships).append((kind, [head, data]))
        return data

    @property
    def size(self) -> int:
        return sum(f.stat().st_size for _, files in self.nodes + self.relationships for f in files)


def _write_spans(dated_path: Path, undated_path: Path,
                 parts: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]) -> int:
    """(start, end, works, first, last) rows, dated ones and undated ones (no year properties) apart."""
    total = 0
    with open(dated_path, "wb") as dated, open(undated_path, "wb") as undated:
        for start, end, works, first, last in parts:
            has = first >= 0
            write_int_rows(dated, [start[has], end[has], works[has], first[has], last[has]])
            write_int_rows(undated, [start[~has], end[~has], works[~has]])
            total += len(start)
    return total


# The files that need no author (papers, topics, citations ...) are written by a forked child during the rows
# phase from this many papers on (below, forking costs more than it saves).
PARALLEL_MIN_PAPERS = 20_000

_PAPER_HEADER = (":ID(Paper),id,title,abstract,year:long,date,doi,arxiv_id,openalex_id,venue,type,code_url,"
                 "has_code:boolean,source_cited_by_count:long,categories:string[],author_count:long,"
                 "authors_complete:boolean,sources:string[],cited_by_count:long," + PAPER_HEADER)
_AUTHOR_HEADER = (":ID(Author),id,name,name_variants:string[],orcid,block,works_count:long,cited_by_count:long,"
                  "h_index:long,top_coauthors:string[],top_coauthor_stats:long[]," + AUTHOR_HEADER)


def _spans_header(start: str, end: str, dated: bool) -> str:
    return f":START_ID({start}),:END_ID({end}),works:long" + (",first_year:long,last_year:long" if dated else "")


# Every file: (name, label or type, header, node?), numbered in this order (the importer's order, the names'
# prefixes), whichever process writes it and whenever.
_FILES = (
    ("papers", "Paper", _PAPER_HEADER, True),
    ("coauthor", "COAUTHOR", _spans_header("Author", "Author", True), False),
    ("coauthor-undated", "COAUTHOR", _spans_header("Author", "Author", False), False),
    ("authors", "Author", _AUTHOR_HEADER, True),
    ("topics", "Topic", ":ID(Topic),id,name,scheme,level", True),
    ("institutions", "Institution", ":ID(Institution),id,name,ror,country,type", True),
    ("pending", "PendingCitation", ":ID(PendingCitation),id", True),
    ("authored", "AUTHORED", ":START_ID(Author),:END_ID(Paper),position:long,source,byline", False),
    ("authored-institutions", "AUTHORED",
     ":START_ID(Author),:END_ID(Paper),position:long,institutions:string[],source,byline", False),
    ("cites", "CITES", ":START_ID(Paper),:END_ID(Paper)", False),
    ("about", "ABOUT", ":START_ID(Paper),:END_ID(Topic),score:double", False),
    ("part-of", "PART_OF", ":START_ID(Topic),:END_ID(Topic)", False),
    ("cites-pending", "CITES_PENDING", ":START_ID(Paper),:END_ID(PendingCitation)", False),
    ("affiliated", "AFFILIATED_WITH", _spans_header("Author", "Institution", True), False),
    ("affiliated-undated", "AFFILIATED_WITH", _spans_header("Author", "Institution", False), False),
)


def _delimiter(elements: Iterable[str]) -> str | None:
    """The first candidate array delimiter that no element contains."""
    candidates = list(_DELIMITERS)
    for element in elements:
        candidates = [d for d in candidates if d not in element]
        if not candidates:
            return None
    return candidates[0]


class _Writer:
    """The derived data and every CSV file, from the in-memory graph after the pass."""

    def __init__(self, g: _Graph, files: _Files, max_authors: int) -> None:
        """Once the papers are all applied (the read phase): every file named, nothing written yet."""
        self.g = g
        self.files = files
        self.max_authors = max_authors
        self.n_papers = len(g.paper_ids)
        self.n_authors = 0
        self.nodes = 0
        self.relationships = 0
        self.paths = {name: files.reserve(kind, name, header, node=node) for name, kind, header, node in _FILES}
        self.delimiter = ""
        self.lists = _Lists("")
        self.seconds: dict[str, float] = {}
        self.top: dict[int, tuple[str, str]] = {}   # author rank -> (top_coauthors, top_coauthor_stats) fields
        self.rank = self.by_rank = np.zeros(0, dtype=np.int64)
        # The paper side: what needs no author, known once the papers are.
        self.source, self.target = self.cites()
        self.about_edges = self.about()
        incoming = np.bincount(self.target, minlength=self.n_papers)
        cited = np.maximum(g.source_cited.view(self.n_papers), 0)
        self.cited = np.maximum(cited, incoming).astype(np.int64)
        self.child: BaseProcess | None = None
        self.child_delimiter: str | None = None

    def start(self) -> None:
        """Write the paper side's files in a forked child while this process applies the authorships (a large
        load only). Its lists use the delimiter the categories allow; should the authors' ids, names or
        institutions rule that one out, ``write`` writes the paper side again."""
        self.child_delimiter = _delimiter(self.g.categories)
        if self.n_papers < PARALLEL_MIN_PAPERS or self.child_delimiter is None:
            return
        self.g.spill.flush()  # else both processes would hold, and write, the spill's last buffered rows
        self.child = multiprocessing.get_context("fork").Process(
            target=self._paper_side_child, args=(self.child_delimiter,), name="peergraph-paper-csv", daemon=True)
        self.child.start()

    def stop(self) -> None:
        """The child stopped, if it still runs (the load failed meanwhile)."""
        if self.child is not None and self.child.is_alive():
            self.child.terminate()
            self.child.join()

    def _paper_side_child(self, delimiter: str) -> None:
        """``_paper_side`` in the forked child; it shares the spill's file offset with the parent, which no
        longer reads it. Leaves at once (no clean-up of the parent's inherited objects)."""
        try:
            self._paper_side(delimiter, None)
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)

    def _paper_side(self, delimiter: str, metrics: PaperMetrics | None) -> None:
        """The files that need no author: papers (with their metrics), topics, pending citations, CITES,
        ABOUT, PART_OF, CITES_PENDING."""
        if metrics is None:
            metrics = paper_metrics(self.g, self.n_papers, self.source, self.target,
                                    top_subfields(self.g, *self.about_edges))
        self._papers(_Lists(delimiter), self.cited, metrics)
        self._paper_nodes()
        self._plain_edges(self.source, self.target, *self.about_edges)

    def _paper_counts(self) -> tuple[int, int]:
        g = self.g
        nodes = self.n_papers + len(g.topic_ids) + len(g.pending)
        relationships = (len(self.source) + len(self.about_edges[0]) + len(g.part_of)
                         + sum(len(s) for s in g.pending.values()))
        return nodes, relationships

    def _author_side(self) -> None:
        """What needs the authors, once the authorships are all applied: the delimiter, the authors' ranks."""
        g = self.g
        self.n_authors = len(g.author_ids)
        elements = (set(g.categories) | set(g.inst_ids) | {v for vs in g.author_variants for v in vs}
                    | set(g.author_ids))   # Author.top_coauthors lists ids
        delimiter = _delimiter(elements)
        if delimiter is None:
            raise BulkError("every candidate array delimiter occurs in the data; use the transactional loader")
        self.delimiter = delimiter
        self.lists = _Lists(delimiter)
        # Authors are numbered for the importer by their id's sort order: COAUTHOR goes from the smaller id,
        # smaller as Cypher's < says (UTF-16 code units; the same as Python's order for ASCII ids, which
        # nearly all are: see loaders.rows.cypher_order).
        ids = g.author_ids
        key = ids.__getitem__ if all(i.isascii() for i in ids) else (lambda i: ids[i].encode("utf-16-be"))
        order = sorted(range(self.n_authors), key=key)
        self.by_rank = np.asarray(order, dtype=np.int64)
        self.rank = np.empty(self.n_authors, dtype=np.int64)
        self.rank[self.by_rank] = np.arange(self.n_authors, dtype=np.int64)

    # -- edges --------------------------------------------------------------------------------------------------
    def authored(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """AUTHORED as (author, paper, position, institution set, (source, byline) label): one per pair, as
        load/authored merges them (the first record's source and byline stay)."""
        g = self.g
        author = np.frombuffer(g.authored["author"], dtype=np.int32).astype(np.int64)
        paper = np.frombuffer(g.authored["paper"], dtype=np.int32).astype(np.int64)
        position = np.frombuffer(g.authored["position"], dtype=np.int32).astype(np.int64)
        insts = np.frombuffer(g.authored["insts"], dtype=np.int32).astype(np.int64)
        label = np.frombuffer(g.authored["label"], dtype=np.int32).astype(np.int64)
        repeated = np.flatnonzero(g.records.view(self.n_papers)[paper] > 1)
        if len(repeated):  # papers written by several records: later position wins, institutions unioned
            keep = np.ones(len(author), dtype=bool)
            first: dict[tuple[int, int], int] = {}
            for i in repeated.tolist():
                key = (int(author[i]), int(paper[i]))
                j = first.get(key)
                if j is None:
                    first[key] = i
                    continue
                keep[i] = False
                position[j] = position[i]
                old = g.inst_sets[int(insts[j])]
                insts[j] = g.inst_set(old + tuple(x for x in g.inst_sets[int(insts[i])] if x not in old))
            author, paper, position, insts, label = (author[keep], paper[keep], position[keep], insts[keep],
                                                     label[keep])
        return author, paper, position, insts, label

    def cites(self) -> tuple[np.ndarray, np.ndarray]:
        source = np.frombuffer(self.g.cites["source"], dtype=np.int32).astype(np.int64)
        target = np.frombuffer(self.g.cites["target"], dtype=np.int32).astype(np.int64)
        pairs = np.unique(source * self.n_papers + target) if len(source) else np.zeros(0, dtype=np.int64)
        return pairs // max(1, self.n_papers), pairs % max(1, self.n_papers)

    def about(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """ABOUT as load/about merges it: one per (paper, topic), the highest score any record gave."""
        g = self.g
        about_paper = np.frombuffer(g.about["paper"], dtype=np.int32).astype(np.int64)
        about_topic = np.frombuffer(g.about["topic"], dtype=np.int32).astype(np.int64)
        about_score = np.frombuffer(g.about["score"], dtype=np.float64)
        width = max(1, len(g.topic_ids))
        key = about_paper * width + about_topic
        order = np.lexsort((about_score, key))
        key, about_score = key[order], about_score[order]
        last = np.flatnonzero(np.append(key[1:] != key[:-1], True)) if len(key) else key
        key, about_score = key[last], about_score[last]
        return key // width, key % width, about_score

    def write(self) -> None:
        """Every CSV file (the paper side's unless ``start``'s child wrote them with the right delimiter);
        ``seconds["metrics"]`` is the time the paper and author metrics took in this process."""
        self._author_side()
        author, paper, position, insts, label = self.authored()
        # Institutions, AUTHORED and AFFILIATED_WITH need no co-author ranking: on a large load a forked child
        # writes them on the other core while this process ranks the co-authors and writes the authors.
        side = self._edges_child(author, paper, position, insts, label)
        try:
            started = time.monotonic()
            metrics = paper_metrics(self.g, self.n_papers, self.source, self.target,
                                    top_subfields(self.g, *self.about_edges))
            self.seconds["metrics"] = time.monotonic() - started
            self._coauthor(author, paper)   # before the authors: it ranks the hubs' top co-authors
            started = time.monotonic()
            fields = author_fields(metrics, author, paper, self.n_authors)
            self.seconds["metrics"] += time.monotonic() - started
            self._authors(author, paper, self.cited, fields)
            if side is None:
                self._edges(author, paper, position, insts, label)
            else:
                self._edges_joined(*side)
        finally:
            if side is not None and side[0].is_alive():  # this process failed meanwhile
                side[0].terminate()
                side[0].join()
        written = False
        if self.child is not None:
            self.child.join()
            if self.child.exitcode != 0:
                raise BulkError(f"writing {self.paths['papers'].name} and the other files without authors failed "
                                f"in a child process (exit code {self.child.exitcode}; its error is above)")
            written = self.child_delimiter == self.delimiter
        if not written:
            self._paper_side(self.delimiter, metrics)
        nodes, relationships = self._paper_counts()
        self.nodes += nodes
        self.relationships += relationships

    def _edges(self, author: np.ndarray, paper: np.ndarray, position: np.ndarray, insts: np.ndarray,
               label: np.ndarray) -> None:
        """Institution nodes, AUTHORED and AFFILIATED_WITH."""
        self._institution_nodes()
        self._authored_edges(author, paper, position, insts, label)
        self._affiliated(author, paper, insts)

    def _edges_child(self, author: np.ndarray, paper: np.ndarray, position: np.ndarray, insts: np.ndarray,
                     label: np.ndarray) -> tuple[BaseProcess, Any] | None:
        """``_edges`` started in a forked child (a large load only), which sends back the nodes and
        relationships it wrote; None: the caller writes them itself."""
        if self.n_papers < PARALLEL_MIN_PAPERS:
            return None
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=self._edges_in_child, args=(send, author, paper, position, insts, label),
                                name="peergraph-authored-csv", daemon=True)
        child.start()
        send.close()
        return child, receive

    def _edges_in_child(self, send: Any, *arrays: np.ndarray) -> None:
        """The child's whole life: ``_edges``, its counts sent, then gone at once (as ``_paper_side_child``)."""
        try:
            self.nodes = self.relationships = 0
            self._edges(*arrays)
            send.send((self.nodes, self.relationships))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)

    def _edges_joined(self, child: BaseProcess, receive: Any) -> None:
        """Wait for ``_edges_child``'s child and count what it wrote; BulkError when it failed."""
        try:
            nodes, relationships = receive.recv()
        except EOFError:
            nodes = relationships = -1
        finally:
            receive.close()
        child.join()
        if child.exitcode != 0 or nodes < 0:
            raise BulkError(f"writing {self.paths['authored'].name} and the other authorship files failed in a "
                            f"child process (exit code {child.exitcode}; its error is above)")
        self.nodes += nodes
        self.relationships += relationships

    # -- nodes ---------------------------------------------------------------------------------------------------
    def _papers(self, lists: _Lists, cited: np.ndarray, metrics: PaperMetrics) -> None:
        g = self.g
        records = g.records.view(self.n_papers)
        waiting: dict[int, tuple[int, dict[str, Any]]] = {}
        written = np.zeros(self.n_papers, dtype=bool)
        with open(self.paths["papers"], "wb") as out:
            def emit(number: int, p: dict[str, Any]) -> None:
                out.write(",".join((
                    str(number), _text(g.paper_ids[number]), _text(p.get("title")), _text(p.get("abstract")),
                    _number(p.get("year")), _text(p.get("date")), _text(p.get("doi")), _text(p.get("arxiv_id")),
                    _text(p.get("openalex_id")), _text(p.get("venue")), _text(p.get("type")),
                    _text(p.get("code_url")), _flag(p.get("has_code")), _number(p.get("source_cited_by_count")),
                    lists(p.get("categories")), _number(p.get("author_count")), _flag(p.get("authors_complete")),
                    lists(p.get("sources")), str(int(cited[number])), *paper_fields(metrics, number),
                )).encode("utf-8") + b"\n")
                written[number] = True

            for spilled in _spilled(g.spill):
                for number, row in spilled:
                    start = {"arxiv_id": g.stubs[number], "sources": [], "categories": []} \
                        if number in g.stubs else {}
                    if records[number] == 1:
                        emit(number, merge_paper(start, row))
                        continue
                    seen, current = waiting.get(number, (0, start))
                    current = merge_paper(current, row)
                    if seen + 1 == records[number]:
                        waiting.pop(number, None)
                        emit(number, current)
                    else:
                        waiting[number] = (seen + 1, current)
            for number, arxiv_id in g.stubs.items():
                if not written[number]:  # never loaded: id, arxiv_id, empty lists, its citations
                    emit(number, {"arxiv_id": arxiv_id})

    def _authors(self, author: np.ndarray, paper: np.ndarray, cited: np.ndarray, metrics: list[str]) -> None:
        g, lists = self.g, self.lists
        works = np.bincount(author, minlength=self.n_authors)
        counts = cited[paper]
        total = np.bincount(author, weights=counts, minlength=self.n_authors)
        # h-index: the author's papers by citations, descending; h = how many have count >= their rank.
        order = np.lexsort((-counts, author))
        by_author = author[order]
        starts = np.searchsorted(by_author, np.arange(self.n_authors))
        rank_in = np.arange(len(order)) - starts[by_author] + 1
        h = np.bincount(by_author, weights=(counts[order] >= rank_in), minlength=self.n_authors)
        none = ("", "")
        with open(self.paths["authors"], "wb") as out:
            lines = []
            for number in range(self.n_authors):
                rank = int(self.rank[number])
                lines.append(",".join((
                    str(rank), _text(g.author_ids[number]), _text(g.author_name[number]),
                    lists(g.author_variants[number]), _text(g.author_orcid[number]), _text(g.author_block[number]),
                    str(int(works[number])),
                    str(int(total[number])), str(int(h[number])), *self.top.get(rank, none), metrics[number])))
                if len(lines) >= 50_000:
                    out.write(("\n".join(lines) + "\n").encode("utf-8"))
                    lines.clear()
            if lines:
                out.write(("\n".join(lines) + "\n").encode("utf-8"))
        self.nodes += self.n_authors

    def _paper_nodes(self) -> None:
        g = self.g
        with open(self.paths["topics"], "wb") as out:
            for number, (topic_id, props) in enumerate(zip(g.topic_ids, g.topic_props, strict=True)):
                out.write(",".join([str(number), _text(topic_id), *map(_text, props)]).encode("utf-8") + b"\n")
        with open(self.paths["pending"], "wb") as out:
            for number, work in enumerate(g.pending):
                out.write(f"{number},{_text(work)}\n".encode())

    def _institution_nodes(self) -> None:
        g = self.g
        with open(self.paths["institutions"], "wb") as out:
            for number, (inst_id, inst_props) in enumerate(zip(g.inst_ids, g.inst_props, strict=True)):
                out.write(",".join([str(number), _text(inst_id), *map(_text, inst_props)]).encode("utf-8") + b"\n")
        self.nodes += len(g.inst_ids)

    # -- relationships ---------------------------------------------------------------------------------------------
    def _authored_edges(self, author: np.ndarray, paper: np.ndarray, position: np.ndarray,
                        insts: np.ndarray, label: np.ndarray) -> None:
        g, lists = self.g, self.lists
        start = self.rank[author]
        labels = [f"{_text(source)},{_text(byline)}" for source, byline in g.labels]
        bare = insts == 0  # no institutions: no property, as load/authored stores none
        with open(self.paths["authored"], "wb") as out:
            chosen = np.flatnonzero(bare)
            for offset in range(0, len(chosen), 100_000):
                part = chosen[offset:offset + 100_000]
                out.write("".join(f"{a},{p},{q},{labels[t]}\n" for a, p, q, t in zip(
                    start[part].tolist(), paper[part].tolist(), position[part].tolist(),
                    label[part].tolist(), strict=True)).encode("utf-8"))
        encoded = [lists([g.inst_ids[i] for i in s]) for s in g.inst_sets]
        with open(self.paths["authored-institutions"], "wb") as out:
            chosen = np.flatnonzero(~bare)
            for offset in range(0, len(chosen), 100_000):
                part = chosen[offset:offset + 100_000]
                out.write("".join(f"{a},{p},{q},{encoded[s]},{labels[t]}\n" for a, p, q, s, t in zip(
                    start[part].tolist(), paper[part].tolist(), position[part].tolist(),
                    insts[part].tolist(), label[part].tolist(), strict=True)).encode("utf-8"))
        self.relationships += len(author)

    def _plain_edges(self, source: np.ndarray, target: np.ndarray, about_paper: np.ndarray,
                     about_topic: np.ndarray, about_score: np.ndarray) -> None:
        g = self.g
        with open(self.paths["cites"], "wb") as out:
            write_int_rows(out, [source, target])
        with open(self.paths["about"], "wb") as out:
            for offset in range(0, len(about_paper), 100_000):
                stop = offset + 100_000
                out.write("".join(f"{p},{t},{s!r}\n" for p, t, s in zip(
                    about_paper[offset:stop].tolist(), about_topic[offset:stop].tolist(),
                    about_score[offset:stop].tolist(), strict=True)).encode())
        with open(self.paths["part-of"], "wb") as out:
            out.write("".join(f"{c},{p}\n" for c, p in sorted(g.part_of)).encode())
        with open(self.paths["cites-pending"], "wb") as out:
            for number, sources in enumerate(g.pending.values()):
                out.write("".join(f"{s},{number}\n" for s in sources).encode())

    def _coauthor(self, author: np.ndarray, paper: np.ndarray) -> None:
        """COAUTHOR as loaders.derive computes it: per pair, the joint papers with <= max authors, their years."""
        n = max(1, self.n_authors)
        if n * n >= (1 << 51):
            raise BulkError(f"{self.n_authors:,} authors are too many for the bulk path's pair keys")
        small = self.g.author_count.view(self.n_papers)[paper] <= self.max_authors
        rank, paper = self.rank[author[small]], paper[small]
        order = np.lexsort((rank, paper))
        rank, paper = rank[order], paper[order]
        starts = np.flatnonzero(np.concatenate(([True], paper[1:] != paper[:-1]))) if len(paper) else paper
        sizes = np.diff(np.append(starts, len(paper)))
        codes = _year_codes(self.g.year.view(self.n_papers)[paper[starts]]) if len(starts) else starts
        total = int((sizes * (sizes - 1) // 2).sum())
        parts = max(1, -(-total // _PAIRS_IN_MEMORY))
        width = -(-n // parts)

        def generated() -> Iterator[np.ndarray]:
            for k in np.unique(sizes[sizes >= 2]).tolist():
                chosen = np.flatnonzero(sizes == k)
                upper, lower = np.triu_indices(k, 1)
                step = max(1, _PAIRS_IN_MEMORY // 4 // len(upper))
                for offset in range(0, len(chosen), step):
                    part = chosen[offset:offset + step]
                    matrix = rank[starts[part][:, None] + np.arange(k)]
                    a, b = matrix[:, upper].ravel(), matrix[:, lower].ravel()
                    yield ((a * n + b) << 12) | np.repeat(codes[part], len(upper))

        spans = self._spans(generated(), parts, width * n)
        top = _TopCoauthors(self.n_authors, derive.TOP_COAUTHORS)

        def ranked() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
            for k, w, f, la in spans:
                top.add(k, n, w, f, la)
                yield k // n, k % n, w, f, la

        self.relationships += _write_spans(self.paths["coauthor"], self.paths["coauthor-undated"], ranked())
        owner, other, works, first, last = top.result(derive.TOP_COAUTHORS_MIN_DEGREE)
        ids = self.g.author_ids
        delimiter = self.lists.delimiter
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1]))) if len(owner) else owner
        ends = np.append(starts[1:], len(owner)) if len(owner) else owner
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            names = [ids[i] for i in self.by_rank[other[s:e]].tolist()]
            stats = np.stack([works[s:e], np.maximum(first[s:e], 0), np.maximum(last[s:e], 0)], axis=1)
            self.top[int(owner[s])] = (self.lists(names), delimiter.join(map(str, stats.ravel().tolist())))

    def _spans(self, packed: Iterator[np.ndarray], parts: int, key_width: int
               ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """Reduce packed (key << 12 | year) values, in ``parts`` key ranges spilled to disk when more than one."""
        if parts == 1:
            chunks = list(packed)
            if chunks:
                yield _reduce(np.concatenate(chunks))
            return
        paths = [self.files.folder / f"pairs-{i}.bin" for i in range(parts)]
        handles = [open(p, "wb") for p in paths]  # noqa: SIM115 - closed below
        try:
            for chunk in packed:
                bucket = (chunk >> 12) // key_width
                for i in np.unique(bucket).tolist():
                    chunk[bucket == i].tofile(handles[i])
        finally:
            for handle in handles:
                handle.close()
        for path in paths:
            values = np.fromfile(path, dtype=np.int64)
            path.unlink()
            if len(values):
                yield _reduce(values)

    def _affiliated(self, author: np.ndarray, paper: np.ndarray, insts: np.ndarray) -> None:
        """AFFILIATED_WITH as load/derive_affiliations: per (author, institution) works and first/last year."""
        g = self.g
        sizes = np.asarray([len(s) for s in g.inst_sets], dtype=np.int64)
        flat = np.asarray([i for s in g.inst_sets for i in s], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        counts = sizes[insts]
        edge = np.repeat(np.arange(len(insts)), counts)
        within = np.arange(len(edge)) - np.repeat(np.cumsum(counts) - counts, counts)
        inst = flat[offsets[insts[edge]] + within] if len(edge) else edge
        m = max(1, len(g.inst_ids))
        packed = ((self.rank[author[edge]] * m + inst) << 12) | _year_codes(g.year.view(self.n_papers)[paper[edge]])
        parts = [_reduce(packed)] if len(packed) else []
        self.relationships += _write_spans(self.paths["affiliated"], self.paths["affiliated-undated"],
                                           ((k // m, k % m, w, f, la) for k, w, f, la in parts))
