"""The rows phase: each batch's ``loaders.rows`` rows applied to an in-memory picture of the graph.

The picture follows the merge rules of ``cypher/load/*.cypher`` (identity looked up before
each batch, a value never overwritten with null, first identifiers kept, lists unioned in
order ...). Paper rows are spilled to disk and folded in a second pass (``merge_paper``).
"""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from graph.metrics import AI_CATEGORIES
from loaders.bulk.common import _KINDS, _Column
from loaders.columns import PeoplePlan
from loaders.model import Work
from loaders.people import Book, batch_blocks, byline_block, resolve
from loaders.rows import BatchRows, KeyMap, Row, assign_ids, better_name, lookup_rows, paper_rows


# -- the in-memory picture of the graph, batch by batch ------------------------------------------------------
class _Graph:
    """What the transactional loader's queries would leave in Neo4j, kept as indexes, arrays and a spill file."""

    def __init__(self, spill: IO[bytes]) -> None:
        self.spill = spill
        # Papers: id <-> number; per identifier kind, value -> number of the Paper that a look-up finds
        # (load/resolve_papers returns the smallest id of the Papers carrying that value).
        self.paper_ids: list[str] = []
        self.paper_no: dict[str, int] = {}
        self.by_key: dict[str, dict[str, int]] = {kind: {} for kind in _KINDS}
        self.key_flags = _Column("B", 0)       # bit i: the Paper carries _KINDS[i] already
        self.records = _Column("I", 0)         # paper rows written to the Paper
        self.year = _Column("h", -1)           # -1: no year
        self.author_count = _Column("i", 0)
        self.source_cited = _Column("q", -1)   # -1: no count from the source
        # What the metrics read of a paper's merged categories: the first (its class) and whether any is AI.
        self.first_category = _Column("i", -1)   # -1: no categories
        self.ai_category = _Column("B", 0)
        self.category_names: list[str] = []
        self.category_no: dict[str, int] = {}
        self.columns = (self.key_flags, self.records, self.year, self.author_count, self.source_cited,
                        self.first_category, self.ai_category)
        self.stubs: dict[int, str] = {}             # Papers created by a CITES (arxiv_id), filled in later or not
        self.categories: set[str] = set()
        # Authors, institutions, topics.
        self.author_ids: list[str] = []
        self.author_no: dict[str, int] = {}
        self.author_name: list[str] = []
        self.author_variants: list[list[str]] = []
        self.author_orcid: list[str | None] = []
        self.author_block: list[str | None] = []
        # The people known so far, as load/identity_people would read them from the graph.
        self.book = Book()
        self.plan: PeoplePlan | None = None
        self.first = 0  # ordinal of the next batch's first work in the load
        # (source, byline) of each AUTHORED row, interned: authored["label"] holds the number.
        self.labels: list[tuple[str, str]] = []
        self.label_no: dict[tuple[str, str], int] = {}
        self.inst_ids: list[str] = []
        self.inst_no: dict[str, int] = {}
        self.inst_props: list[list[str | None]] = []
        self.topic_ids: list[str] = []
        self.topic_no: dict[str, int] = {}
        self.topic_props: list[tuple[str, str, str]] = []
        self.part_of: set[tuple[int, int]] = set()
        # Institution lists of authorships, interned: number -> tuple of institution numbers (0 is ()).
        self.inst_sets: list[tuple[int, ...]] = [()]
        self.inst_set_no: dict[tuple[int, ...], int] = {(): 0}
        # Edges, in write order.
        self.authored = {name: array("i") for name in ("author", "paper", "position", "insts", "label")}
        self.about: dict[str, array[Any]] = {"paper": array("i"), "topic": array("i"), "score": array("d")}
        self.cites = {"source": array("i"), "target": array("i")}
        self.pending: dict[str, dict[int, None]] = {}

    # -- identity ----------------------------------------------------------------------------------------
    def found(self, works: Sequence[Work]) -> KeyMap:
        """What load/resolve_papers would return for the batch: (kind, value) -> id of a Paper carrying it."""
        found: KeyMap = {}
        for row in lookup_rows(works):
            number = self.by_key[row["kind"]].get(row["value"])
            if number is not None:
                found[(row["kind"], row["value"])] = self.paper_ids[number]
        return found

    def _new_paper(self, paper_id: str) -> int:
        number = len(self.paper_ids)
        self.paper_ids.append(paper_id)
        self.paper_no[paper_id] = number
        for column in self.columns:
            column.append()
        return number

    def _carry(self, number: int, kind: int, value: str | None) -> None:
        """The Paper gets identifier ``value`` of kind ``kind`` unless it has one (first one kept)."""
        if value is None or self.key_flags.data[number] & (1 << kind):
            return
        self.key_flags.data[number] |= 1 << kind
        index = self.by_key[_KINDS[kind]]
        other = index.get(value)
        if other is None or self.paper_ids[number] < self.paper_ids[other]:
            index[value] = number

    # -- one batch, in the order of loaders.writer._STEPS -----------------------------------------------------
    def apply(self, works: Sequence[Work]) -> tuple[list[str], int]:
        """Apply one batch; the Paper id of each work and how many new Papers (not stubs) it created."""
        ids, new_papers = self.apply_papers(works)
        self.apply_people(works, ids)
        return ids, new_papers

    def apply_papers(self, works: Sequence[Work]) -> tuple[list[str], int]:
        """The part of ``apply`` that needs no people (papers, topics, ABOUT, CITES, pending citations): the
        read phase does it while the parsing child works, the rows phase ``apply_people`` with the same ids.
        Each numbering (papers, topics) is the same as ``apply``'s, and each edge array gets its rows in the
        same order, because the two parts share none."""
        found = self.found(works)
        ids, batch = assign_ids(works, found)
        rows = BatchRows()
        paper_rows(works, ids, found, batch, rows)
        new_papers = self._papers(rows.papers)
        self._topics(rows.topics, rows.part_of)
        about, paper_no, topic_no = self.about, self.paper_no, self.topic_no
        for row in rows.about:
            about["paper"].append(paper_no[row["paper"]])
            about["topic"].append(topic_no[row["topic"]])
            about["score"].append(float(row["score"]))
        self._cites(rows.cites, rows.pending, rows.openalex_papers)
        return ids, new_papers

    def apply_people(self, works: Sequence[Work], ids: Sequence[str]) -> None:
        """The authorships of a batch whose papers ``apply_papers`` gave ``ids``: authors, institutions,
        AUTHORED, with the load's people (``plan``, decided) or the people seen so far."""
        if self.plan is not None:  # the load's people, decided before the first batch (loaders.plan_people)
            people = self.plan.apply(works, self.first)
            self.first += len(works)
        else:
            people = resolve(works, ids, self.book.people(batch_blocks(works)))
            self.book.add(people, ids)
        self._authorships(((work.source, [(a.id, a.name, a.raw_name, a.orcid, a.block, [
            (i.id, i.name, i.ror, i.country, i.type) for i in a.institutions]) for a in work.authors])
            for work in people), ids)

    def apply_spilled(self, works: Sequence[tuple[Any, ...]], ids: Sequence[str]) -> None:
        """``apply_people`` of a spilled batch with the load's people: the works as the parsing child encoded
        them (``loaders.bulk.read._Encoder``: the source at 0, the authorships at 14), read where they lie
        instead of rebuilt as Work and Authorship objects and copied with their people (``Plan.apply``): each
        authorship's id is its person's, or its own, and its block is its own (``people.block_of``)."""
        assert self.plan is not None, "the people are decided before a spilled batch is applied"
        person, first = self.plan.person, self.first
        self.first += len(works)

        def authorships() -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
            for w, row in enumerate(works):
                people = person.get(first + w, ())
                yield row[0], [(people[a] if a < len(people) and people[a] else ident, name, raw, orcid,
                                byline_block(ident, name), insts)
                               for a, (ident, name, raw, orcid, insts) in enumerate(row[14])]

        self._authorships(authorships(), ids)

    def _papers(self, rows: list[Row]) -> int:
        created = 0
        spilled = []
        flags, records, years = self.key_flags.data, self.records.data, self.year.data
        counts, cited = self.author_count.data, self.source_cited.data
        for row in rows:
            number = self.paper_no.get(row["id"])
            if number is None:
                number = self._new_paper(row["id"])
                created += 1
            if flags[number] != 7:
                for kind, name in enumerate(_KINDS):
                    self._carry(number, kind, row[name])
            records[number] += 1
            if row["year"] is not None:
                years[number] = row["year"]
            if row["author_count"] > counts[number]:
                counts[number] = row["author_count"]
            if row["source_cited_by_count"] is not None and row["source_cited_by_count"] > cited[number]:
                cited[number] = row["source_cited_by_count"]
            if row["categories"]:
                self._categories(number, row["categories"])
            spilled.append((number, row))
        pickle.dump(spilled, self.spill, protocol=pickle.HIGHEST_PROTOCOL)
        return created

    def _categories(self, number: int, categories: list[str]) -> None:
        self.categories.update(categories)
        if self.first_category.data[number] < 0:  # lists are unioned in order: the first one stays first
            name = categories[0]
            index = self.category_no.get(name)
            if index is None:
                index = self.category_no[name] = len(self.category_names)
                self.category_names.append(name)
            self.first_category.data[number] = index
        if not self.ai_category.data[number] and not AI_CATEGORIES.isdisjoint(categories):
            self.ai_category.data[number] = 1

    def _authorships(self, works: Iterable[tuple[str, list[tuple[Any, ...]]]], ids: Sequence[str]) -> None:
        """``loaders.rows.people_rows`` of the batch merged into the graph as load/authors, load/institutions
        and load/authored merge them, authorship by authorship, with no row built (the bulk path's hottest
        loop). The same result: the name kept is the best of all (``better_name`` picks one whatever the
        order), variants and first-seen numbers follow the authorships' order, an ORCID is the first given;
        the block and an institution's values come from the batch's first authorship of that author or
        institution, as the batch's single row carries them; one AUTHORED per (author, paper) in the batch, its
        position the last, its institutions unioned in order, its source and byline the first.

        ``works``: per work, its source and its authorships as (id, name, byline, ORCID, block, institutions),
        each institution (id, name, ROR, country, type).
        """
        author_no, author_ids, names = self.author_no, self.author_ids, self.author_name
        variants, orcids, blocks = self.author_variants, self.author_orcid, self.author_block
        inst_no = self.inst_no
        out = self.authored
        out_author, out_paper, out_position, out_insts, out_label = (
            out["author"], out["paper"], out["position"], out["insts"], out["label"])
        label_no, paper_no = self.label_no, self.paper_no
        batch_authors: set[int] = set()
        batch_insts: set[str] = set()
        edges: dict[tuple[int, int], int] = {}
        for (source, authors), paper_id in zip(works, ids, strict=True):
            paper = paper_no[paper_id]
            for position, (ident, name, raw, orcid, block, institutions) in enumerate(authors, start=1):
                number = author_no.get(ident)
                if number is None:
                    number = author_no[ident] = len(author_ids)
                    author_ids.append(ident)
                    names.append(name)
                    variants.append([raw])
                    orcids.append(orcid)
                    blocks.append(block)
                    batch_authors.add(number)
                else:
                    if name != names[number]:  # (better_name keeps an equal name: no call for most)
                        names[number] = better_name(names[number], name)
                    known = variants[number]
                    if raw not in known:
                        known.append(raw)
                    orcids[number] = orcids[number] or orcid
                    if number not in batch_authors:
                        batch_authors.add(number)
                        blocks[number] = blocks[number] or block
                insts: tuple[int, ...] = ()
                if institutions:
                    for inst in institutions:
                        if inst[0] not in batch_insts:
                            batch_insts.add(inst[0])
                            self._institution(inst[0], list(inst[1:]))
                    insts = tuple(dict.fromkeys(inst_no[inst[0]] for inst in institutions))
                key = (number, paper)
                edge = edges.get(key)
                if edge is None:
                    edges[key] = len(out_author)
                    out_author.append(number)
                    out_paper.append(paper)
                    out_position.append(position)
                    out_insts.append(self.inst_set(insts) if insts else 0)  # 0: no institutions
                    label = (source, raw)
                    found = label_no.get(label)
                    if found is None:
                        found = label_no[label] = len(self.labels)
                        self.labels.append(label)
                    out_label.append(found)
                else:
                    out_position[edge] = position
                    if insts:
                        old = self.inst_sets[out_insts[edge]]
                        out_insts[edge] = self.inst_set(tuple(dict.fromkeys(old + insts)))

    def _institution(self, inst_id: str, values: list[str | None]) -> None:
        number = self.inst_no.get(inst_id)
        if number is None:
            self.inst_no[inst_id] = len(self.inst_ids)
            self.inst_ids.append(inst_id)
            self.inst_props.append(values)
        else:  # load/institutions: a given value replaces, null keeps
            props = self.inst_props[number]
            for i, value in enumerate(values):
                if value is not None:
                    props[i] = value

    def _topics(self, rows: list[Row], part_of: list[Row]) -> None:
        for row in rows:
            props = (row["name"], row["scheme"], row["level"])
            number = self.topic_no.get(row["id"])
            if number is None:
                self.topic_no[row["id"]] = len(self.topic_ids)
                self.topic_ids.append(row["id"])
                self.topic_props.append(props)
            else:
                self.topic_props[number] = props
        for row in part_of:
            self.part_of.add((self.topic_no[row["child"]], self.topic_no[row["parent"]]))

    def inst_set(self, institutions: tuple[int, ...]) -> int:
        number = self.inst_set_no.get(institutions)
        if number is None:
            number = self.inst_set_no[institutions] = len(self.inst_sets)
            self.inst_sets.append(institutions)
        return number

    def _cites(self, cites: list[Row], pending: list[Row], openalex_papers: list[Row]) -> None:
        for row in cites:
            target = self.paper_no.get(row["target"])
            if target is None:  # load/cites: a stub Paper with the cited arXiv id
                target = self._new_paper(row["target"])
                self.stubs[target] = row["arxiv_id"]
                self._carry(target, 0, row["arxiv_id"])
            self.cites["source"].append(self.paper_no[row["source"]])
            self.cites["target"].append(target)
        for row in pending:
            self.pending.setdefault(row["work"], {})[self.paper_no[row["source"]]] = None
        for row in openalex_papers:  # load/pending_resolve
            sources = self.pending.pop(row["openalex_id"], None)
            if sources:
                target = self.paper_no[row["id"]]
                for source in sources:
                    if source != target:
                        self.cites["source"].append(source)
                        self.cites["target"].append(target)


# -- the paper rows, folded as load/papers merges them ----------------------------------------------------------
def merge_paper(current: dict[str, Any], row: Row) -> dict[str, Any]:
    """The Paper's properties after ``row`` is written onto ``current`` (load/papers.cypher's SET, in Python)."""
    p = current
    old_categories = p.get("categories") or []
    old_sources = p.get("sources") or []
    if row["source_cited_by_count"] is None:
        cited = p.get("source_cited_by_count")
    elif p.get("source_cited_by_count") is None or row["source_cited_by_count"] > p["source_cited_by_count"]:
        cited = row["source_cited_by_count"]
    else:
        cited = p["source_cited_by_count"]

    def later(name: str) -> Any:
        return row[name] if row[name] is not None else p.get(name)

    def earlier(name: str) -> Any:
        return p.get(name) if p.get(name) is not None else row[name]

    return {
        "title": earlier("title") if row["source"] == "paperscape" else later("title"),
        "abstract": later("abstract"), "year": later("year"), "date": later("date"),
        "doi": earlier("doi"), "arxiv_id": earlier("arxiv_id"), "openalex_id": earlier("openalex_id"),
        "venue": later("venue"), "type": later("type"), "code_url": later("code_url"),
        "has_code": bool(p.get("has_code")) or bool(row["has_code"]) or row["code_url"] is not None,
        "source_cited_by_count": cited,
        "categories": old_categories + [c for c in row["categories"] if c not in old_categories],
        "author_count": row["author_count"] if p.get("author_count") is None or row["author_count"] > p[
            "author_count"] else p["author_count"],
        "authors_complete": bool(p.get("authors_complete")) or row["authors_complete"],
        "sources": old_sources + ([] if row["source"] in old_sources else [row["source"]]),
    }


def _spilled(spill: IO[bytes]) -> Iterator[list[tuple[int, Row]]]:
    spill.seek(0)
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return
