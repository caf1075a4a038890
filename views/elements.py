"""Cytoscape elements as plain data: built from graph slices, merged, placed, sized and exported.

Pure functions only (no database, no Dash): the explorer and the paths page
call them, and the unit tests call them directly.

Node: ``{"data": {"id", "label", "type", "size", ...}, "classes": "<type>[ centre]", "position": {x, y}}``.
Edge: ``{"data": {"id": "<source>|<TYPE>|<target>", "source", "target", "type", "weight"}, "classes": "<type>"}``.
"Left out" markers are nodes of type ``more`` (class ``more``) joined to their node by a ``MORE`` edge.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from graph.neighbourhood import TYPE_WORDS, Edge, More, Node, Slice
from views import layout as lay

MIN_SIZE, MAX_SIZE, PLAIN_SIZE = 20, 80, 30
SIZE_BY = ("works", "citations")
LABEL_CHARS = {"paper": 42, "author": 28, "topic": 30, "institution": 30}
NODE_FIELDS = ("name", "title", "year", "date", "works_count", "cited_by_count", "h_index", "orcid", "doi",
               "arxiv_id", "venue", "code_url", "has_code", "categories", "scheme", "level", "country", "ror",
               "authors_complete", "author_count")


# -- building ---------------------------------------------------------------------------------------
def short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_element(node: Node, *, centre: bool = False) -> dict[str, Any]:
    """The Cytoscape element of a graph node (size is set later by ``resize``)."""
    data: dict[str, Any] = {"id": node.id, "label": short(node.label, LABEL_CHARS.get(node.type, 30)),
                            "type": node.type, "size": PLAIN_SIZE, "ring": node.ring}
    for key in NODE_FIELDS:
        value = node.props.get(key)
        if value is not None:
            data[key] = value
    if node.props.get("type") is not None:   # a paper's or institution's own type (preprint, education)
        data["subtype"] = node.props["type"]
    if node.parent:
        data["parent_node"] = node.parent
    return {"data": data, "classes": node.type + (" centre" if centre else "")}


def edge_element(edge: Edge) -> dict[str, Any]:
    weight = edge.weight if edge.weight is not None else 1
    return {"data": {"id": edge.id, "source": edge.source, "target": edge.target, "type": edge.type,
                     "weight": weight},
            "classes": edge.type.lower()}


def more_id(node_id: str, key: str) -> str:
    return f"more|{node_id}|{key}"


ALL_KEYS = "*"


def _marker(node_id: str, key: str, count: int, label_type: str | None, extra: dict[str, Any]) -> list[dict[str, Any]]:
    if label_type:
        one, many = TYPE_WORDS.get(label_type, ("node", "nodes"))
        label = f"+{count} more {one if count == 1 else many}"
    else:
        label = f"+{count} more"
    mid = more_id(node_id, key)
    node = {"data": {"id": mid, "label": label, "type": "more", "size": MIN_SIZE, "parent_node": node_id,
                     "key": key, "count": count, **extra},
            "classes": "more"}
    edge = {"data": {"id": f"{node_id}|MORE|{mid}", "source": node_id, "target": mid, "type": "MORE", "weight": 1},
            "classes": "more"}
    return [node, edge]


def more_elements(more: More) -> list[dict[str, Any]]:
    """A '+N more papers' marker node (for one node and expansion) and its edge; nothing when none is left out."""
    if more.omitted <= 0:
        return []
    return _marker(more.node_id, more.key, more.omitted, more.neighbour_type,
                   {"neighbour_type": more.neighbour_type, "shown": more.shown, "total": more.total})


def combined_more_elements(node_id: str, mores: Iterable[More]) -> list[dict[str, Any]]:
    """One '+N more' marker for everything left out around a node that is not the centre (keeps depth 2 legible);
    ``data.keys`` holds the count per expansion."""
    keys = {m.key: m.omitted for m in mores if m.node_id == node_id and m.omitted > 0}
    if not keys:
        return []
    return _marker(node_id, ALL_KEYS, sum(keys.values()), None, {"keys": keys})


def slice_elements(sl: Slice, *, size_by: str = "works", layout: str = "force") -> list[dict[str, Any]]:
    """Elements of a slice, sized, coloured by community, ranked for labels and laid out (``layout``: force
    or rings; positions are data, for a preset layout).

    The centre gets one marker per expansion with something left out; other nodes one combined marker."""
    nodes = [node_element(n, centre=n.id == sl.centre) for n in sl.nodes]
    ids = {n.id for n in sl.nodes}
    edges = [edge_element(e) for e in sl.edges if e.source in ids and e.target in ids]
    markers = [el for m in sl.more if m.node_id == sl.centre for el in more_elements(m)]
    for node_id in dict.fromkeys(m.node_id for m in sl.more if m.node_id != sl.centre and m.node_id in ids):
        markers += combined_more_elements(node_id, sl.more)
    return finish(nodes + markers + edges, sl.centre, size_by=size_by, layout=layout)


def finish(elements: list[dict[str, Any]], centre: str | None, *, size_by: str = "works",
           layout: str = "force") -> list[dict[str, Any]]:
    """The one rule every graph view goes through: sizes, community colours, label ranks, then positions."""
    resize(elements, size_by)
    lay.colour_communities(elements)
    rank(elements, centre)
    return lay.layout(elements, centre, layout)


def rank(elements: list[dict[str, Any]], centre: str | None) -> list[dict[str, Any]]:
    """``data.rank`` on every node: 0 for the centre, then by size (works or citations), then citations;
    markers last. Labels are drawn in this order where they do not collide (the browser's part)."""
    nodes = [e for e in elements if "source" not in e["data"]]

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        d = e["data"]
        return (d["id"] != centre, d.get("type") == "more", -float(d.get("size") or 0),
                -float(d.get("cited_by_count") or 0), str(d.get("label")), d["id"])

    for i, e in enumerate(sorted(nodes, key=key)):
        e["data"]["rank"] = i
    return elements


def result_elements(graph: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A console result's graph (``{nodes, edges}``, labels in full) as a view: labels cut, sized, laid out."""
    nodes = []
    for node in graph.get("nodes", []):
        data = dict(node["data"])
        data["label"] = short(str(data.get("label", data["id"])), LABEL_CHARS.get(data.get("type", ""), 30))
        nodes.append({**node, "data": data})
    edges = [dict(e) for e in graph.get("edges", [])]
    return finish(nodes + edges, None, size_by="citations" if not any(
        n["data"].get("type") == "author" for n in nodes) else "works")


def result_graph(graph: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``result_elements`` split back into ``{nodes, edges}`` (the console API's shape)."""
    elements = result_elements(graph)
    return {"nodes": [e for e in elements if "source" not in e["data"]],
            "edges": [e for e in elements if "source" in e["data"]]}


def path_elements(people: Iterable[tuple[str, str]], hops: Iterable[Edge], ends: Collection[str],
                  steps: Mapping[str, int]) -> list[dict[str, Any]]:
    """A path view: people (``(id, name)``) as author nodes, hops as COAUTHOR edges weighted by joint works,
    one column per distance from the start (``steps``), the two ends marked as centres."""
    nodes = [node_element(Node(i, "author", {"id": i, "name": name}), centre=i in ends) for i, name in people]
    ids = {n["data"]["id"] for n in nodes}
    edges = [edge_element(e) for e in hops if e.source in ids and e.target in ids]
    elements = nodes + edges
    resize(elements)
    for n in nodes:   # the ends stand out: the people in between have no size figure of their own here
        n["data"]["size"] = MAX_SIZE * 0.6 if n["data"]["id"] in ends else PLAIN_SIZE
    lay.colour_communities(elements)
    rank(elements, next(iter(sorted(ends)), None))
    columns: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        columns.setdefault(steps.get(n["data"]["id"], 0), []).append(n)
    for step, column in columns.items():
        for i, n in enumerate(column):
            n["position"] = {"x": 200.0 * step, "y": 110.0 * (i - (len(column) - 1) / 2)}
    return lay.settle(elements)


# -- merging ----------------------------------------------------------------------------------------------
def merge_expansion(elements: list[dict[str, Any]], sl: Slice, node_id: str, key: str, *,
                    size_by: str = "works") -> list[dict[str, Any]]:
    """``elements`` plus an expansion of ``node_id`` by ``key``: every node already in view stays exactly
    where it is, the new ones take the nearest free spots around the node, the old '+N more' marker goes."""
    old_marker = more_id(node_id, key)
    kept = [e for e in elements if e["data"]["id"] != old_marker and e["data"].get("target") != old_marker]
    kept = _drop_from_combined(kept, node_id, key)
    present = {e["data"]["id"] for e in kept}
    origin = position_of(kept, node_id)
    fresh = [node_element(n) for n in sl.nodes if n.id not in present]
    markers = [el for m in sl.more if m.node_id == node_id and m.key == key for el in more_elements(m)]
    newcomers = fresh + [m for m in markers if "source" not in m["data"]]
    ids = present | {e["data"]["id"] for e in newcomers}
    edges = [edge_element(e) for e in sl.edges if e.source in ids and e.target in ids and e.id not in present]
    edges += [m for m in markers if "source" in m["data"]]
    merged = kept + newcomers + edges
    # Sizes first (over the whole view: old nodes can only shrink, as the largest value can only grow),
    # so the newcomers are placed at the size they are drawn.
    resize(merged, size_by)
    lay.colour_communities(merged)
    centre = next((e["data"]["id"] for e in kept if "centre" in e.get("classes", "").split()), None)
    rank(merged, centre)
    newcomers.sort(key=lambda e: e["data"]["rank"])
    lay.place_newcomers(kept, newcomers, origin)
    return merged


def _drop_from_combined(elements: list[dict[str, Any]], node_id: str, key: str) -> list[dict[str, Any]]:
    """The node's combined marker without ``key`` (that count now lives on the expansion's own marker)."""
    mid = more_id(node_id, ALL_KEYS)
    out = []
    for e in elements:
        data = e["data"]
        if data["id"] == mid and key in data.get("keys", {}):
            keys = {k: v for k, v in data["keys"].items() if k != key}
            if not keys:
                continue
            count = sum(keys.values())
            e = {**e, "data": {**data, "keys": keys, "count": count, "label": f"+{count} more"}}
        elif data.get("target") == mid and key in _keys_of(elements, mid) and len(_keys_of(elements, mid)) == 1:
            continue
        out.append(e)
    return out


def _keys_of(elements: list[dict[str, Any]], marker_id: str) -> dict[str, int]:
    for e in elements:
        if e["data"]["id"] == marker_id:
            keys: dict[str, int] = e["data"].get("keys", {})
            return keys
    return {}


def position_of(elements: Iterable[Mapping[str, Any]], node_id: str) -> tuple[float, float]:
    for e in elements:
        if e["data"]["id"] == node_id and "position" in e:
            return float(e["position"]["x"]), float(e["position"]["y"])
    return 0.0, 0.0


# -- sizing -----------------------------------------------------------------------------------------------
def metric(data: Mapping[str, Any], size_by: str) -> float | None:
    """The number a node is sized by: works (researchers) or citations (researchers and papers)."""
    if size_by == "citations":
        value = data.get("cited_by_count")
    else:
        value = data.get("works_count") if data.get("type") == "author" else None
    return float(value) if isinstance(value, int | float) and value >= 0 else None


def resize(elements: list[dict[str, Any]], size_by: str = "works") -> list[dict[str, Any]]:
    """Set ``data.size`` of every graph node to 20..80 by ``size_by`` on a log scale over the view
    (nodes without that number, or a view where it is 0 everywhere, get a plain size; markers stay small).
    Returns ``elements``."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}")
    nodes = [e for e in elements if "source" not in e["data"] and e["data"].get("type") != "more"]
    values = [v for e in nodes if (v := metric(e["data"], size_by)) is not None]
    top = max(values, default=0.0)
    for e in nodes:
        value = metric(e["data"], size_by)
        if value is None or top <= 0:
            e["data"]["size"] = PLAIN_SIZE
        else:
            e["data"]["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.log1p(value) / math.log1p(top), 1)
    return elements


def resize_view(elements: list[dict[str, Any]], size_by: str, centre: str | None) -> list[dict[str, Any]]:
    """``elements`` sized by ``size_by``; nodes that grew into a neighbour step apart, labels re-ranked."""
    resize(elements, size_by)
    rank(elements, centre)
    return lay.settle(elements)


# -- reading a view back ---------------------------------------------------------------------------------
def counts(elements: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Graph nodes per type and edges in a view (markers excluded)."""
    out = {"nodes": 0, "edges": 0}
    for e in elements:
        data = e["data"]
        if "source" in data:
            if data.get("type") != "MORE":
                out["edges"] += 1
        elif data.get("type") != "more":
            out["nodes"] += 1
            out[data["type"]] = out.get(data["type"], 0) + 1
    return out


def left_out(elements: Iterable[Mapping[str, Any]], centre: str | None) -> tuple[list[dict[str, Any]], int, int]:
    """The centre's markers (data dicts), and the count and number of other nodes with something left out."""
    mine, others, nodes = [], 0, set()
    for e in elements:
        data = e["data"]
        if data.get("type") != "more":
            continue
        if data["parent_node"] == centre:
            mine.append(dict(data))
        else:
            others += int(data["count"])
            nodes.add(data["parent_node"])
    return mine, others, len(nodes)


def word_for(count: int, one: str, many: str) -> str:
    """``one`` for a count of 1, ``many`` otherwise (0 included)."""
    return one if count == 1 else many


def banner_text(elements: list[dict[str, Any]], centre: str | None, centre_label: str, *,
                edges_omitted: int = 0) -> str | None:
    """A sentence saying what the view leaves out, or None when it shows everything."""
    mine, others, where = left_out(elements, centre)
    parts = []
    for d in sorted(mine, key=lambda d: -int(d["total"])):
        one, many = TYPE_WORDS.get(d["neighbour_type"], ("node", "nodes"))
        parts.append(f"{d['shown']} of {d['total']} {word_for(int(d['total']), one, many)} (+{d['count']} more)")
    text = []
    if parts:
        text.append(f"Showing {', '.join(parts)} around {centre_label}.")
    if others:
        text.append(f"{others:,} more {word_for(others, 'neighbour', 'neighbours')} of {where} other "
                    f"{word_for(where, 'node', 'nodes')} {word_for(others, 'is', 'are')} left out.")
    if edges_omitted:
        text.append(f"{edges_omitted:,} {word_for(edges_omitted, 'edge', 'edges')} among the shown nodes "
                    f"{word_for(edges_omitted, 'is', 'are')} left out.")
    if not text:
        return None
    return " ".join(text) + " The grey '+N more' nodes load more when tapped."


# -- export -------------------------------------------------------------------------------------------------
def to_json(elements: list[dict[str, Any]]) -> str:
    """The view as Cytoscape.js JSON (``{"elements": {"nodes", "edges"}}``), markers included."""
    nodes = [e for e in elements if "source" not in e["data"]]
    edges = [e for e in elements if "source" in e["data"]]
    return json.dumps({"format_version": "1.0", "generated_by": "peergraph",
                       "elements": {"nodes": nodes, "edges": edges}}, indent=1, ensure_ascii=False)


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _graphml_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _graphml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def to_graphml(elements: list[dict[str, Any]]) -> str:
    """The view as GraphML (for Gephi, yEd, Cytoscape desktop, networkx): every data field a key, plus x/y."""
    nodes = [e for e in elements if "source" not in e["data"]]
    edges = [e for e in elements if "source" in e["data"]]
    ids = {e["data"]["id"] for e in nodes}
    edges = [e for e in edges if e["data"]["source"] in ids and e["data"]["target"] in ids]

    def fields(items: list[dict[str, Any]], skip: set[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for e in items:
            values = dict(e["data"])
            if "position" in e:
                values["x"], values["y"] = e["position"]["x"], e["position"]["y"]
            for k, v in values.items():
                if k not in skip and v is not None:
                    out.setdefault(k, []).append(v)
        return out

    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    node_keys = fields(nodes, {"id"})
    edge_keys = fields(edges, {"id", "source", "target"})
    key_ids: dict[tuple[str, str], str] = {}
    for domain, keys in (("node", node_keys), ("edge", edge_keys)):
        for name, values in sorted(keys.items()):
            kid = f"{domain[0]}_{name}"
            key_ids[(domain, name)] = kid
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": kid, "for": domain, "attr.name": name,
                                                          "attr.type": _graphml_type(values)})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "peergraph", "edgedefault": "directed"})
    for domain, items in (("node", nodes), ("edge", edges)):
        for e in items:
            data = dict(e["data"])
            attrs = {"id": data["id"]}
            if domain == "edge":
                attrs.update(source=data["source"], target=data["target"])
            el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}{domain}", attrs)
            if "position" in e:
                data["x"], data["y"] = e["position"]["x"], e["position"]["y"]
            for name, value in data.items():
                if (domain, name) in key_ids and value is not None:
                    ET.SubElement(el, f"{{{GRAPHML_NS}}}data", {"key": key_ids[(domain, name)]}).text = \
                        _graphml_value(value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
