"""The analyst console: run a query typed by a person, safely, and shape the answer for a table and a graph.

Layers, each enough to stop a write on its own in most cases, together for all:

1. ``graph.guard.check``: a lexical check (one statement, no write, admin,
   file or batch keywords, only allow-listed procedures and built-in functions,
   no look-alike characters outside strings);
2. Neo4j's own verdict: ``EXPLAIN`` the query first and refuse anything whose
   query type is not ``r`` (read-only);
3. the query runs in an explicit transaction opened in READ access mode, with a
   server-side timeout, and is rolled back at the end; nothing is retried;
4. at most ``row_cap + 1`` records are pulled (the driver fetches in pages of
   that size), and the server's per-transaction memory limit (``neo4j.conf``,
   ``db.memory.transaction.max``) applies.

Saved queries are the files in ``cypher/analyst/``; their header comment gives
title, description, parameters with defaults and columns.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import os
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import neo4j
from neo4j import exceptions as nx
from neo4j.graph import Node, Path, Relationship

from graph import guard
from graph.db import Graph, translate
from graph.errors import BadQuery, GraphError, QueryTimeout
from graph.queries import header, names, query

MODES = ("run", "explain", "profile")
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_ROW_CAP = 5000
MAX_GRAPH_NODES = 1500
NODE_TYPES = {"Author": "author", "Paper": "paper", "Topic": "topic", "Institution": "institution"}
_EXPLAIN_PREFIX = "EXPLAIN\n"  # on its own line, so Neo4j's error positions shift by exactly one line


@dataclass(frozen=True)
class Limits:
    """The console's time limit and row cap (the most a request may ask for)."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    row_cap: int = DEFAULT_ROW_CAP

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Limits:
        """From app config keys ``CONSOLE_TIMEOUT``/``CONSOLE_ROW_CAP``, else ``PEERGRAPH_CONSOLE_*``, else defaults."""
        config = config or {}
        env = os.environ if env is None else env
        timeout = config.get("CONSOLE_TIMEOUT") or env.get("PEERGRAPH_CONSOLE_TIMEOUT") or DEFAULT_TIMEOUT_S
        cap = config.get("CONSOLE_ROW_CAP") or env.get("PEERGRAPH_CONSOLE_ROW_CAP") or DEFAULT_ROW_CAP
        return cls(timeout_s=float(timeout), row_cap=int(cap))


@dataclass
class ConsoleResult:
    """What a console query answered, all JSON-safe."""

    columns: list[str]
    rows: list[list[Any]]
    graph: dict[str, list[dict[str, Any]]]
    row_count: int
    truncated: bool
    elapsed_ms: int
    mode: str = "run"
    query_type: str = "r"
    row_cap: int = DEFAULT_ROW_CAP
    plan: dict[str, Any] | None = None
    notifications: list[dict[str, Any]] = field(default_factory=list)
    graph_truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if data["plan"] is None:
            data.pop("plan")
        return data


def run_console(db: Graph, query_text: str, params: dict[str, Any] | None = None, *,
                timeout_s: float = DEFAULT_TIMEOUT_S, row_cap: int = DEFAULT_ROW_CAP,
                mode: str = "run") -> ConsoleResult:
    """Run an analyst's query read-only, time- and row-limited; Refused/BadQuery/QueryTimeout/GraphUnavailable."""
    if mode not in MODES:
        raise BadQuery(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if params is not None and not isinstance(params, dict):
        raise BadQuery("parameters must be a JSON object (name: value)")
    _check_params(params or {})
    checked = guard.check(query_text)
    mode = checked.mode if checked.mode and mode == "run" else mode
    text = checked.text
    started = time.monotonic()
    try:
        with read_transaction(db, timeout_s=timeout_s, row_cap=row_cap) as tx:
            return _run(tx, text, params or {}, mode, timeout_s, row_cap, started)
    except nx.Neo4jError as exc:
        raise _translate(exc, timeout_s, explained=False) from exc
    except (nx.DriverError, OSError) as exc:
        if time.monotonic() - started > timeout_s:
            raise _timeout(timeout_s) from exc
        raise translate(exc, db.where) from exc


_INT64 = (-(1 << 63), (1 << 63) - 1)


def _check_params(value: Any, where: str = "parameters") -> None:
    """Values Bolt can carry: integers within 64 bits, text that is valid Unicode (no lone surrogates)."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise BadQuery(f"{where}: the integer {value} does not fit in 64 bits (Neo4j's integer range)")
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadQuery(f"{where}: a text value is not valid Unicode (a lone surrogate escape)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_params(key, where)
            _check_params(item, f"{where} {key!r}" if where == "parameters" else where)
    elif isinstance(value, list):
        for item in value:
            _check_params(item, where)


@contextmanager
def read_transaction(db: Graph, *, timeout_s: float, row_cap: int = DEFAULT_ROW_CAP) -> Iterator[neo4j.Transaction]:
    """An explicit transaction in READ access mode with a server-side timeout, never committed, never retried.

    Neo4j itself refuses any write in it ("Writing in read access mode not allowed"), whatever the query.
    """
    with db.driver.session(database=db.database, default_access_mode=neo4j.READ_ACCESS,
                           fetch_size=max(1, min(row_cap + 1, 1000)),
                           notifications_min_severity="INFORMATION") as session:
        tx = session.begin_transaction(timeout=timeout_s, metadata={"app": "peergraph-console"})
        try:
            yield tx
        finally:
            tx.close()  # rolled back: the console never commits


def _run(tx: neo4j.Transaction, text: str, params: dict[str, Any], mode: str, timeout_s: float,
         row_cap: int, started: float) -> ConsoleResult:
    try:
        summary = tx.run(_EXPLAIN_PREFIX + text, params).consume()
    except nx.Neo4jError as exc:
        raise _translate(exc, timeout_s, explained=True) from exc
    if summary.query_type != "r":
        kind = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or administers the server"}
        raise guard.Refused(f"Neo4j says this query {kind.get(summary.query_type or '', 'is not read-only')}; "
                            "the console runs read-only queries only")
    if mode == "explain":
        return ConsoleResult(columns=[], rows=[], graph={"nodes": [], "edges": []}, row_count=0, truncated=False,
                             elapsed_ms=_ms(started), mode=mode, row_cap=row_cap,
                             plan=plan_tree(summary.plan), notifications=_notifications(summary, line_shift=1))
    result = tx.run(("PROFILE\n" if mode == "profile" else "") + text, params)
    columns = list(result.keys())
    records: list[neo4j.Record] = []
    for record in result:
        records.append(record)
        if len(records) > row_cap:
            break
        if time.monotonic() - started > timeout_s + 1:
            raise _timeout(timeout_s)
    truncated = len(records) > row_cap
    records = records[:row_cap]
    if mode == "profile":
        # Neo4j has profile figures only for a result read to its end: read on, keep nothing.
        for _ in result:
            if time.monotonic() - started > timeout_s + 1:
                raise _timeout(timeout_s)
    summary = result.consume()
    nodes: dict[str, dict[str, Any]] = {}
    rels: dict[str, Relationship] = {}
    rows = [[_collect(record[c], nodes, rels) for c in columns] for record in records]
    graph, graph_truncated = elements(nodes, rels)
    return ConsoleResult(
        columns=columns, rows=rows, graph=graph, row_count=len(rows), truncated=truncated,
        elapsed_ms=_ms(started), mode=mode, query_type=summary.query_type or "r", row_cap=row_cap,
        plan=plan_tree(summary.profile) if mode == "profile" else None,
        notifications=_notifications(summary, line_shift=1 if mode == "profile" else 0),
        graph_truncated=graph_truncated)


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _timeout(timeout_s: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran past the console's time limit of {timeout_s:g} s and was stopped; "
                        "narrow it (a LIMIT, a more specific MATCH) or raise the limit")


def _translate(exc: nx.Neo4jError, timeout_s: float, *, explained: bool) -> GraphError:
    """Neo4j's error as the project's, with positions relative to the analyst's text."""
    code = exc.code or ""
    if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
        return _timeout(timeout_s)
    if "AccessMode" in code:
        return guard.Refused("the query tried to write, and the console's transaction is read-only")
    if "MemoryPoolOutOfMemoryError" in code:
        return BadQuery("the query needed more memory than one transaction may use (db.memory.transaction.max "
                        "in neo4j.conf); narrow it or aggregate earlier", code=code)
    translated = translate(exc)
    if not isinstance(translated, BadQuery):
        return translated
    message = (exc.message or str(exc)).split("\n")[0]
    where = translated.position
    if where and explained:
        where = (where[0] - 1, where[1])
    message = re.sub(r"\s*\(line \d+, column \d+ \(offset: \d+\)\)", "", message).strip()
    if where:
        message += f" (line {where[0]}, column {where[1]})"
    return BadQuery(message, code=code, position=where)


def _notifications(summary: neo4j.ResultSummary, *, line_shift: int) -> list[dict[str, Any]]:
    out = []
    for status in summary.gql_status_objects:
        if not status.is_notification:
            continue
        pos = status.position
        out.append({"severity": status.raw_severity or "", "code": status.gql_status,
                    "message": status.status_description,
                    "position": [pos.line - line_shift, pos.column] if pos else None})
    return out


# -- values ------------------------------------------------------------------

def json_value(value: Any) -> Any:
    """A driver value as plain JSON (nodes, relationships and paths as objects; temporals as ISO strings)."""
    return _collect(value, {}, {})


def _collect(value: Any, nodes: dict[str, dict[str, Any]], rels: dict[str, Relationship]) -> Any:
    """``value`` as JSON, noting every node and relationship met on the way for the graph view."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"  # JSON has no NaN
    if isinstance(value, Node):
        nodes.setdefault(value.element_id, _node_json(value))
        return nodes[value.element_id]
    if isinstance(value, Relationship):
        rels.setdefault(value.element_id, value)
        for end in (value.start_node, value.end_node):
            if end is not None and end.labels:
                nodes.setdefault(end.element_id, _node_json(end))
        return {"element_id": value.element_id, "type": value.type,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None,
                "properties": {k: json_value(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [_collect(n, nodes, rels) for n in value.nodes],
                "relationships": [_collect(r, nodes, rels) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # dates, times, durations (a Duration is also a tuple)
        return value.iso_format()
    if hasattr(value, "srid"):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, (list, tuple)):
        return [_collect(v, nodes, rels) for v in value]
    if isinstance(value, dict):
        return {str(k): _collect(v, nodes, rels) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _node_json(node: Node) -> dict[str, Any]:
    return {"element_id": node.element_id, "labels": sorted(node.labels),
            "properties": {k: json_value(v) for k, v in node.items()}}


def cell_text(value: Any) -> Any:
    """A JSON value as one table or CSV cell: scalars as they are, nodes and relationships short, the rest JSON."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict) and "labels" in value and "properties" in value:
        return f"(:{':'.join(value['labels'])} {_props_text(value['properties'])})"
    if isinstance(value, dict) and "type" in value and "start" in value and "properties" in value:
        return f"[:{value['type']} {_props_text(value['properties'])}]"
    if isinstance(value, dict) and set(value) == {"nodes", "relationships"}:
        ids = [str(n["properties"].get("id", n["element_id"])) for n in value["nodes"]]
        return f"path of {len(value['relationships'])} hop(s): " + " - ".join(ids)
    return json.dumps(value, ensure_ascii=False, default=str)


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """Rows as CSV: a header of column names, one line per row; nodes short, lists and maps as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v else "false") if isinstance(v, bool) else cell_text(v)
                         for v in row])
    return out.getvalue()


def _props_text(props: dict[str, Any]) -> str:
    keys = [k for k in ("id", "name", "title", "year") if k in props] or list(props)[:3]
    shown = {k: props[k] for k in keys}
    return json.dumps(shown, ensure_ascii=False, default=str) if shown else "{}"


# -- graph elements ------------------------------------------------------------

def elements(nodes: dict[str, dict[str, Any]], rels: dict[str, Relationship],
             max_nodes: int = MAX_GRAPH_NODES) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """Cytoscape ``{nodes, edges}`` for the nodes and relationships of a result (at most ``max_nodes`` nodes)."""
    ids: dict[str, str] = {}
    out_nodes: list[dict[str, Any]] = []
    truncated = False
    for element_id, node in nodes.items():
        if len(out_nodes) >= max_nodes:
            truncated = True
            break
        cy = cyto_node(node)
        ids[element_id] = cy["data"]["id"]
        out_nodes.append(cy)
    edges: dict[str, dict[str, Any]] = {}
    for rel in rels.values():
        start, end = rel.start_node, rel.end_node
        if start is None or end is None:
            continue
        if start.element_id not in ids or end.element_id not in ids:
            if truncated:
                continue
            for missing in (start, end):  # an endpoint the query did not return: drawn plain
                if missing.element_id not in ids:
                    cy = cyto_node(_node_json(missing))
                    ids[missing.element_id] = cy["data"]["id"]
                    out_nodes.append(cy)
        source, target = ids[start.element_id], ids[end.element_id]
        edge_id = f"{source}|{rel.type}|{target}"
        weight = rel.get("works", 1)
        edges[edge_id] = {"data": {"id": edge_id, "source": source, "target": target, "type": rel.type,
                                   "weight": weight if isinstance(weight, (int, float)) else 1},
                          "classes": rel.type.lower()}
    return {"nodes": out_nodes, "edges": list(edges.values())}, truncated


def cyto_node(node: dict[str, Any]) -> dict[str, Any]:
    """One Cytoscape node from a node's JSON: id = the graph id when it has one, type from its label, the label
    in full and the figures it is sized by (views.elements cuts, sizes and places it, as in every graph view)."""
    props = node["properties"]
    kind = next((NODE_TYPES[label] for label in node["labels"] if label in NODE_TYPES), "other")
    graph_id = props.get("id") if isinstance(props.get("id"), str) else node["element_id"]
    label = props.get("name") or props.get("title") or props.get("id") or ":".join(node["labels"]) or "node"
    data: dict[str, Any] = {"id": graph_id, "label": str(label), "type": kind, "labels": node["labels"]}
    for key in ("works_count", "cited_by_count"):
        if isinstance(props.get(key), int | float) and not isinstance(props.get(key), bool):
            data[key] = props[key]
    return {"data": data, "classes": kind}


# -- plans ---------------------------------------------------------------------

def plan_tree(plan: Any) -> dict[str, Any] | None:
    """A plan or profile from the summary as ``{operator, details, estimated_rows, rows, db_hits, children}``."""
    if not plan:
        return None
    plan = dict(plan)
    args = plan.get("args") or plan.get("arguments") or {}
    estimated = args.get("EstimatedRows")
    return {
        "operator": str(plan.get("operatorType", "?")).split("@")[0],
        "details": args.get("Details", ""),
        "estimated_rows": round(estimated) if isinstance(estimated, (int, float)) else None,
        "rows": plan.get("rows"),
        "db_hits": plan.get("dbHits"),
        "identifiers": sorted(plan.get("identifiers", [])),
        "children": [plan_tree(child) for child in plan.get("children", [])],
    }


def plan_lines(tree: dict[str, Any] | None, depth: int = 0) -> list[str]:
    """The plan as indented text lines, root first (the way Neo4j Browser lists it)."""
    if not tree:
        return []
    figures = [f"est. {tree['estimated_rows']:,} rows" if tree.get("estimated_rows") is not None else ""]
    if tree.get("rows") is not None:
        figures.append(f"{tree['rows']:,} rows")
    if tree.get("db_hits") is not None:
        figures.append(f"{tree['db_hits']:,} db hits")
    text = "  " * depth + ("└ " if depth else "") + tree["operator"]
    if tree.get("details"):
        text += f"  {tree['details']}"
    text += "  [" + ", ".join(f for f in figures if f) + "]"
    lines = [text]
    for child in tree.get("children", []):
        lines.extend(plan_lines(child, depth + 1))
    return lines


# -- saved queries ---------------------------------------------------------------

@dataclass(frozen=True)
class SavedParam:
    name: str
    type: str
    default: Any


@dataclass(frozen=True)
class SavedQuery:
    """A file in ``cypher/analyst/`` with what its header says."""

    name: str
    title: str
    description: str
    params: list[SavedParam]
    columns: list[str]
    text: str  # the query without its header

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [asdict(p) for p in self.params], "defaults": self.defaults(),
                "columns": self.columns, "query": self.text}


_PARAM = re.compile(r"^\s*(\w+)\s*\((\w+)\)\s*=\s*(.+?)\s*$")


def parse_header(name: str, head: str, body: str) -> SavedQuery:
    """A SavedQuery from a header (``title:``, ``description:``, ``params:``, ``columns:`` lines)."""
    fields: dict[str, str] = {}
    key = None
    for line in head.splitlines():
        match = re.match(r"^(title|description|params|columns):\s*(.*)$", line)
        if match:
            key = match.group(1)
            fields[key] = match.group(2).strip()
        elif key and line.strip():
            fields[key] += " " + line.strip()
    if not fields.get("title") or not fields.get("description"):
        raise ValueError(f"cypher/{name}.cypher needs a '// title:' and a '// description:' line")
    params = []
    raw = fields.get("params", "").strip()
    if raw and raw.lower() != "none":
        for part in raw.split(";"):
            match = _PARAM.match(part)
            if not match:
                raise ValueError(f"cypher/{name}.cypher: cannot read parameter {part.strip()!r}")
            params.append(SavedParam(match.group(1), match.group(2), json.loads(match.group(3))))
    columns = [c.strip() for c in fields.get("columns", "").split(",") if c.strip()]
    return SavedQuery(name=name, title=fields["title"], description=fields["description"], params=params,
                      columns=columns, text=body.strip() + "\n")


def saved_queries() -> list[SavedQuery]:
    """Every saved query in ``cypher/analyst/``, sorted by title."""
    out = []
    for name in names("analyst"):
        lines = query(name).splitlines()
        first_body = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
        out.append(parse_header(name, header(name), "\n".join(lines[first_body:])))
    return sorted(out, key=lambda q: q.title.lower())


def saved_query(name: str) -> SavedQuery | None:
    """One saved query by its name (``analyst/top_collaborators``) or stem, or None."""
    for saved in saved_queries():
        if name in (saved.name, saved.name.removeprefix("analyst/")):
            return saved
    return None


# -- the schema panel --------------------------------------------------------------

@dataclass(frozen=True)
class SchemaEntry:
    kind: str  # label or type
    name: str
    count: int
    properties: list[tuple[str, int]]


def schema(db: Graph, *, sample: int = 10_000) -> list[SchemaEntry]:
    """Labels and relationship types with their counts, and property keys with counts in a sample of each."""
    counts = {(r["kind"], r["name"]): r["count"] for r in db.read("console_schema_counts")}
    props: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for row in db.read("console_schema_properties", sample=sample):
        props.setdefault((row["kind"], row["name"]), []).append((row["key"], row["count"]))
    keys = sorted(set(counts) | set(props), key=lambda k: (k[0], -counts.get(k, 0), k[1]))
    return [SchemaEntry(kind=k[0], name=k[1], count=counts.get(k, 0),
                        properties=sorted(props.get(k, []), key=lambda p: (-p[1], p[0]))) for k in keys]
