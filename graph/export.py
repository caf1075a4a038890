"""Whole co-authorship networks for Gephi, Cytoscape desktop, VOSviewer and spreadsheets.

``python -m graph.export topic|institution|author ID`` or ``python -m graph.export all``, with
``--format graphml|gexf|vosviewer|csv``, ``--min-works`` and ``--max-nodes``.

A network is a set of authors (a scope: an author's co-authors, a topic's or an institution's authors,
or every author) and the COAUTHOR links among them, weighted by joint works. Nodes carry name, works,
citations, main topic and institution. The files are written as the rows arrive from Neo4j, in one read
transaction: only the author ids are held (to find the links among them), so memory grows with the node
bound, not with the file. VOSviewer's clusters come from networkx's Louvain, which needs the whole graph
in memory: that format holds the (bounded) network before it writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from neo4j import Transaction

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query

SCOPES = ("author", "topic", "institution", "all")
FORMATS = ("graphml", "gexf", "vosviewer", "csv")
# One file per format; VOSviewer and CSV are two files each (their parts).
PARTS: dict[str, tuple[str, ...]] = {"graphml": ("graphml",), "gexf": ("gexf",),
                                     "vosviewer": ("map", "network"), "csv": ("nodes", "edges")}
DEFAULT_MAX_NODES = 20_000
MAX_NODES = 500_000
BATCH = 1_000
NODE_ATTRIBUTES = (("name", "string"), ("works", "int"), ("citations", "int"), ("main_topic", "string"),
                   ("institution", "string"))


class ExportError(ValueError):
    """An export that cannot be made as asked (bad scope, format or bound)."""


@dataclass(frozen=True)
class Scope:
    """Which authors a network export holds."""

    kind: str
    id: str | None = None
    min_works: int = 1
    max_nodes: int = DEFAULT_MAX_NODES

    def __post_init__(self) -> None:
        if self.kind not in SCOPES:
            raise ExportError(f"unknown scope {self.kind!r}; one of {', '.join(SCOPES)}")
        if (self.kind == "all") != (self.id is None):
            raise ExportError("the whole graph takes no id" if self.kind == "all"
                              else f"an export of a {self.kind} needs its id")
        if self.min_works < 0:
            raise ExportError(f"min_works must be 0 or more, got {self.min_works}")
        if not 1 <= self.max_nodes <= MAX_NODES:
            raise ExportError(f"max_nodes must be between 1 and {MAX_NODES}, got {self.max_nodes}")

    def filename(self, part: str) -> str:
        """A file name for one part of this export, e.g. ``topic-arxiv_cs.LG-network.gexf``."""
        stem = f"{self.kind}-{_safe(self.id)}" if self.id else "all"
        ext = {"graphml": "graphml", "gexf": "gexf", "map": "txt", "network": "txt"}.get(part, "csv")
        suffix = "" if part in ("graphml", "gexf") else f"-{'vosviewer-' if ext == 'txt' else ''}{part}"
        return f"{stem}-coauthors{suffix}.{ext}"


@dataclass
class Stats:
    """What an export wrote; ``cut`` when more authors matched than the node bound let in."""

    nodes: int = 0
    edges: int = 0
    cut: bool = False


def _safe(text: str | None) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in text or "")[:80]


# -- reading: one read transaction, rows as they come ---------------------------------------------------
class _Reader:
    """The scope's ids, then node rows and edge rows in batches, all in one transaction ``tx``."""

    def __init__(self, tx: Transaction, scope: Scope, stats: Stats) -> None:
        self.tx, self.scope, self.stats = tx, scope, stats
        params: dict[str, Any] = {"min_works": scope.min_works, "limit": scope.max_nodes + 1}
        if scope.id is not None:
            params["id"] = scope.id
        ids = [r["id"] for r in tx.run(query(f"export_scope_{scope.kind}"), params)]
        if not ids and scope.kind != "all" and not self._exists():
            raise NotFound(f"No {scope.kind} with id {scope.id!r}")
        stats.cut = len(ids) > scope.max_nodes
        self.ids = ids[:scope.max_nodes]

    def _exists(self) -> bool:
        return self.tx.run(query("export_exists"), kind=self.scope.kind, id=self.scope.id).single() is not None

    def nodes(self) -> Iterator[dict[str, Any]]:
        count = 0
        for start in range(0, len(self.ids), BATCH):
            for record in self.tx.run(query("export_nodes"), ids=self.ids[start:start + BATCH]):
                count += 1
                yield record.data()
        self.stats.nodes = count

    def edges(self) -> Iterator[tuple[str, str, int]]:
        count = 0
        for start in range(0, len(self.ids), BATCH):
            for record in self.tx.run(query("export_edges"), batch=self.ids[start:start + BATCH], ids=self.ids):
                count += 1
                yield record["source"], record["target"], record["weight"]
        self.stats.edges = count


def stream(db: Graph, scope: Scope, fmt: str, part: str | None = None,
           stats: Stats | None = None) -> Iterator[str]:
    """The text of one export file, in chunks as Neo4j sends the rows.

    ``part`` picks the file of a two-file format (VOSviewer ``map``/``network``, CSV ``nodes``/``edges``).
    ExportError for a bad format or part, and NotFound for an unknown id, come with the first chunk.
    """
    writer = _writer(fmt, part)
    with db.reading() as tx:
        reader = _Reader(tx, scope, stats if stats is not None else Stats())
        yield from _chunks(writer(reader))


def write_files(db: Graph, scope: Scope, fmt: str, out: Path) -> tuple[list[Path], Stats]:
    """Write every file of ``fmt`` for ``scope`` into the folder ``out``; the paths and what was written.

    The files of a two-file format come from one transaction, so they agree with each other.
    """
    writers = [(part, _writer(fmt, part)) for part in PARTS.get(fmt, (fmt,))]
    out.mkdir(parents=True, exist_ok=True)
    paths, stats = [], Stats()
    done: list[tuple[Path, Path]] = []
    try:
        with db.reading() as tx:
            reader = _Reader(tx, scope, stats)
            for part, writer in writers:
                path = out / scope.filename(part)
                tmp = path.with_name(path.name + ".partial")
                done.append((tmp, path))
                with open(tmp, "w", encoding="utf-8", newline="") as fh:
                    for chunk in _chunks(writer(reader)):
                        fh.write(chunk)
        for tmp, path in done:
            tmp.replace(path)  # only a whole export takes the final names
            paths.append(path)
    finally:
        for tmp, _ in done:
            tmp.unlink(missing_ok=True)
    return paths, stats


def _chunks(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    buffer: list[str] = []
    held = 0
    for line in lines:
        buffer.append(line)
        held += len(line)
        if held >= size:
            yield "".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield "".join(buffer)


# -- writers: each turns a reader into lines -------------------------------------------------------------
def _writer(fmt: str, part: str | None) -> Callable[[_Reader], Iterator[str]]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    part = part or PARTS[fmt][0]
    if part not in PARTS[fmt]:
        raise ExportError(f"the {fmt} format has the parts {', '.join(PARTS[fmt])}, not {part!r}")
    return {"graphml": graphml, "gexf": gexf, "map": vosviewer_map, "network": vosviewer_network,
            "nodes": csv_nodes, "edges": csv_edges}[part]


def _xml_text(value: Any) -> str:
    # XML 1.0 cannot hold most control characters, even escaped; names from the sources sometimes do.
    text = "".join(c for c in str(value) if c >= " " or c in "\t\n\r")
    return escape(text)


def graphml(reader: _Reader) -> Iterator[str]:
    """GraphML (Gephi, Cytoscape desktop, networkx, igraph): undirected, weight = joint works."""
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for name, kind in NODE_ATTRIBUTES:
        yield f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n'
    yield '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n'
    yield '  <graph id="coauthors" edgedefault="undirected">\n'
    for node in reader.nodes():
        yield f"    <node id={quoteattr(node['id'])}>"
        yield "".join(f'<data key="{name}">{_xml_text(node[name])}</data>'
                      for name, _ in NODE_ATTRIBUTES if node[name] is not None)
        yield "</node>\n"
    if reader.stats.cut:
        yield f"    <!-- bounded at {reader.scope.max_nodes} authors: more matched -->\n"
    for source, target, weight in reader.edges():
        yield (f"    <edge source={quoteattr(source)} target={quoteattr(target)}>"
               f'<data key="weight">{weight}</data></edge>\n')
    yield "  </graph>\n</graphml>\n"


def gexf(reader: _Reader) -> Iterator[str]:
    """GEXF 1.3 (Gephi's own format): undirected, node attributes, weight = joint works."""
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
           '  <meta><creator>peergraph</creator><description>co-authorship network</description></meta>\n'
           '  <graph defaultedgetype="undirected" mode="static">\n'
           '    <attributes class="node" mode="static">\n')
    # The name is the node's label; the rest are attributes.
    columns = [(i, name, kind) for i, (name, kind) in enumerate(NODE_ATTRIBUTES[1:])]
    for i, name, kind in columns:
        yield f'      <attribute id="{i}" title="{name}" type="{"integer" if kind == "int" else kind}"/>\n'
    yield "    </attributes>\n    <nodes>\n"
    for node in reader.nodes():
        values = "".join(f'<attvalue for="{i}" value={quoteattr(_xml_text(node[name]))}/>'
                         for i, name, _ in columns if node[name] is not None)
        yield (f"      <node id={quoteattr(node['id'])} label={quoteattr(_xml_text(node['name']))}>"
               f"<attvalues>{values}</attvalues></node>\n")
    yield "    </nodes>\n"
    if reader.stats.cut:
        yield f"    <!-- bounded at {reader.scope.max_nodes} authors: more matched -->\n"
    yield "    <edges>\n"
    for n, (source, target, weight) in enumerate(reader.edges()):
        yield f'      <edge id="{n}" source={quoteattr(source)} target={quoteattr(target)} weight="{weight}"/>\n'
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def csv_nodes(reader: _Reader) -> Iterator[str]:
    """CSV node list: id, name, works, citations, main_topic, institution (Gephi's and Cytoscape's importers)."""
    yield _csv_line(["id", *(name for name, _ in NODE_ATTRIBUTES)])
    for node in reader.nodes():
        yield _csv_line([node["id"], *(node[name] for name, _ in NODE_ATTRIBUTES)])


def csv_edges(reader: _Reader) -> Iterator[str]:
    """CSV edge list: source, target, weight (joint works), type Undirected (Gephi reads it)."""
    yield _csv_line(["source", "target", "weight", "type"])
    for source, target, weight in reader.edges():
        yield _csv_line([source, target, weight, "Undirected"])


# -- VOSviewer: map + network files (app.vosviewer.com/docs/file-types/map-and-network-file-type) --------
VOS_CLUSTERS = 1000  # the manual: a cluster is an integer between 1 and 1000


def _vos_label(value: Any) -> str:
    # Tab-separated: no tab or line break may stay; a comma or semicolon needs double quotes (the manual).
    text = " ".join(str(value or "").replace('"', "'").split())
    return f'"{text}"' if ("," in text or ";" in text) else text


def _vos_network(reader: _Reader) -> tuple[list[dict[str, Any]], list[tuple[str, str, int]], dict[str, int]]:
    """Nodes, edges and each author's cluster: Louvain needs the whole (bounded) network at once."""
    import networkx as nx

    nodes = list(reader.nodes())
    edges = list(reader.edges())
    graph = nx.Graph()
    graph.add_nodes_from(node["id"] for node in nodes)
    graph.add_weighted_edges_from(edges)
    # Seeded, so that one graph gives one map; largest community first, as VOSviewer numbers them.
    communities = sorted(nx.community.louvain_communities(graph, weight="weight", seed=42),
                         key=lambda c: (-len(c), min(c)))
    cluster = {author: min(n, VOS_CLUSTERS) for n, members in enumerate(communities, start=1) for author in members}
    return nodes, edges, cluster


def vosviewer_map(reader: _Reader) -> Iterator[str]:
    """The map file: one item per author (id 1..n), its label, description, cluster and weights."""
    nodes, edges, cluster = _vos_network(reader)
    number = {author: n for n, author in enumerate(reader.ids, start=1)}
    links = dict.fromkeys(cluster, 0)
    strength = dict.fromkeys(cluster, 0)
    for source, target, weight in edges:
        for end in (source, target):
            links[end] += 1
            strength[end] += weight
    yield "\t".join(["id", "label", "description", "cluster", "weight<Links>", "weight<Total link strength>",
                     "weight<Documents>", "weight<Citations>"]) + "\n"
    for node in nodes:
        about = "; ".join(x for x in (node["institution"], node["main_topic"]) if x)
        description = _vos_label(f"{node['id']}{' — ' + about if about else ''}")
        yield "\t".join([str(number[node["id"]]), _vos_label(node["name"]), description, str(cluster[node["id"]]),
                         str(links[node["id"]]), str(strength[node["id"]]), str(node["works"]),
                         str(node["citations"])]) + "\n"


def vosviewer_network(reader: _Reader) -> Iterator[str]:
    """The network file: no header, one link a line: item id, item id, strength (joint works)."""
    number = {author: n for n, author in enumerate(reader.ids, start=1)}
    for source, target, weight in reader.edges():
        yield f"{number[source]}\t{number[target]}\t{weight}\n"


# -- command line -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.export", description=__doc__.split("\n")[0])
    parser.add_argument("scope", choices=SCOPES, help="whose network: an author's co-authors, a topic's or an "
                                                       "institution's authors, or the whole graph")
    parser.add_argument("id", nargs="?", help="the author, topic or institution id (not for 'all')")
    parser.add_argument("--format", "-f", choices=FORMATS, default="graphml")
    parser.add_argument("--out", "-o", type=Path, default=Path("."), help="folder for the files (default: here)")
    parser.add_argument("--min-works", type=int, default=1, help="only authors with at least this many works")
    parser.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES,
                        help=f"at most this many authors, most works first (default {DEFAULT_MAX_NODES})")
    args = parser.parse_args(argv)

    from graph.connect import resolve
    from graph.errors import GraphError
    from graph.server import ServerError

    try:
        scope = Scope(args.scope, args.id, args.min_works, args.max_nodes)
        config, _ = resolve()
        with Graph.connect(config) as db:
            paths, stats = write_files(db, scope, args.format, args.out)
    except (ExportError, ServerError, GraphError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    cut = f"; bounded at {scope.max_nodes} authors (more matched: raise --max-nodes)" if stats.cut else ""
    print(f"{stats.nodes} authors, {stats.edges} co-authorships{cut}: " + ", ".join(map(str, paths)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
