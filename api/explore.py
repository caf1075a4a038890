"""Neighbourhood slices and collaborator paths.

``GET /api/authors/<id>/neighbourhood``   the slice around a researcher (Cytoscape elements)
``GET /api/neighbourhood?id=``            the slice around any node (paper, topic, institution, author)
``GET /api/neighbourhood/expand?id=&key=`` one node's neighbours by relationship type and direction
``GET /api/neighbourhood/counts?id=``     how many neighbours a node has per expansion
``GET /api/paths?from=&to=``              shortest collaborator paths with the joint papers on each hop
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, jsonify

from api import NOT_BLANK, ApiError, bp, int_arg, str_arg
from api.openapi import error_responses
from graph import neighbourhood as nb
from graph import paths as gp
from graph.errors import NotFound
from graph.ext import get_db
from views.elements import edge_element, node_element, resize
from views.params import CAPS_PATTERN, TYPES_PATTERN, parse_caps, parse_types

MAX_ARG = 500  # str_arg's limit
_ID = {"type": "string", "minLength": 1, "maxLength": MAX_ARG, "pattern": NOT_BLANK}


def _types() -> list[str]:
    try:
        return parse_types(str_arg("types"))
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def _caps() -> dict[str, int]:
    try:
        return parse_caps(str_arg("caps"))
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def slice_json(sl: nb.Slice, *, depth: int | None = None, limit: int | None = None) -> dict[str, Any]:
    """A slice as ``{centre, nodes, edges, omitted, totals, more, edges_omitted}`` in Cytoscape's element shape."""
    nodes = resize([node_element(n, centre=n.id == sl.centre) for n in sl.nodes])
    ids = {n.id for n in sl.nodes}
    edges = [edge_element(e) for e in sl.edges if e.source in ids and e.target in ids]
    body: dict[str, Any] = {"centre": sl.centre}
    if depth is not None:
        body["depth"] = depth
    if limit is not None:
        body["limit"] = limit
    body.update(nodes=nodes, edges=edges, omitted=sl.omitted, totals=sl.totals,
                more=[{**asdict(m), "omitted": m.omitted} for m in sl.more if m.omitted],
                edges_omitted=sl.edges_omitted, unexpanded=sl.unexpanded)
    return body


def _years() -> tuple[int, int] | None:
    """``year_from``/``year_to`` (either may be left out), or a 400 saying what was wrong."""
    found = [int_arg(name, -1, minimum=nb.MIN_YEAR, maximum=nb.MAX_YEAR) for name in ("year_from", "year_to")]
    try:
        return nb.clean_years((found[0] if found[0] >= 0 else None, found[1] if found[1] >= 0 else None))
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def _slice(node_id: str, *, author_only: bool) -> Response:
    depth = int_arg("depth", 1, minimum=1, maximum=2)
    limit = int_arg("limit", nb.DEFAULT_LIMIT, minimum=10, maximum=nb.MAX_LIMIT)
    types, caps, years = _types(), _caps(), _years()
    try:
        sl = nb.neighbourhood(get_db(), node_id, depth=depth, types=types, caps=caps, limit=limit, years=years)
    except NotFound:
        raise NotFound(f"no {'author' if author_only else 'node'} has the id {node_id!r}") from None
    if author_only and sl.nodes[0].type != "author":
        raise NotFound(f"no author has the id {node_id!r}")
    return jsonify(slice_json(sl, depth=depth, limit=limit))


@bp.get("/authors/<path:author_id>/neighbourhood")
def author_neighbourhood(author_id: str) -> Response:
    return _slice(author_id, author_only=True)


@bp.get("/neighbourhood")
def neighbourhood() -> Response:
    node_id = str_arg("id", required=True)
    assert node_id is not None
    return _slice(node_id, author_only=False)


@bp.get("/neighbourhood/expand")
def expand() -> Response:
    node_id = str_arg("id", required=True)
    key = str_arg("key", required=True, choices=sorted(nb.EXPANSION_KEYS))
    limit = int_arg("limit", nb.DEFAULT_CAPS["paper"], minimum=1, maximum=nb.MAX_EXPAND)
    assert node_id is not None and key is not None
    db = get_db()
    node = nb.node_info(db, node_id)
    try:
        nb.expansion(key, node.type)
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None
    return jsonify(slice_json(nb.expand(db, node_id, key, limit=limit, years=_years()), limit=limit))


@bp.get("/neighbourhood/counts")
def counts() -> Response:
    node_id = str_arg("id", required=True)
    assert node_id is not None
    db = get_db()
    node = nb.node_info(db, node_id)
    labels = {x.key: x.label for x in nb.expansions_for(node.type)}
    found = nb.expansion_counts(db, node_id)
    return jsonify({"id": node_id, "type": node.type,
                    "counts": [{"key": key, "label": labels[key], "count": n} for key, n in found.items()]})


def path_json(answer: gp.PathAnswer, *, k: int) -> dict[str, Any]:
    return {
        "from": asdict(answer.source), "to": asdict(answer.target), "k": k, "max_hops": answer.max_hops,
        "shortest": answer.shortest, "found": answer.found, "reason": answer.reason,
        "paths": [{"length": p.length, "people": [asdict(x) for x in p.people],
                   "hops": [{"from": h.source.id, "to": h.target.id, "works": h.works,
                             "papers": [asdict(x) for x in h.papers], "more_papers": h.more_papers}
                            for h in p.hops]}
                  for p in answer.paths],
    }


@bp.get("/paths")
def paths() -> Response:
    source = str_arg("from", required=True)
    target = str_arg("to", required=True)
    k = int_arg("k", 3, minimum=1, maximum=gp.MAX_K)
    max_hops = int_arg("max_hops", gp.MAX_HOPS, minimum=1, maximum=gp.MAX_HOPS)
    assert source is not None and target is not None
    if source == target:
        raise ApiError(400, "bad_parameter", "'from' and 'to' must be two different researchers")
    answer = gp.collaborator_paths(get_db(), source, target, k=k, max_hops=max_hops)
    return jsonify(path_json(answer, k=k))


# -- OpenAPI -------------------------------------------------------------------------------------------
def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _q(name: str, description: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


SLICE_PARAMS = [
    _q("depth", "1: the node's neighbours; 2: also the neighbourhoods of the researchers among them",
       {"type": "integer", "minimum": 1, "maximum": 2, "default": 1}),
    _q("types", "Neighbour types to include, comma-separated",
       {"type": "string", "default": "author,paper,topic,institution",
        "maxLength": MAX_ARG, "pattern": TYPES_PATTERN}),
    _q("caps", "Neighbours per node and type, e.g. paper:25,author:25,topic:15,institution:10 (0..100)",
       {"type": "string", "maxLength": MAX_ARG, "pattern": CAPS_PATTERN}),
    _q("limit", "At most this many elements (nodes + edges) in all; nodes take up to 40 %",
       {"type": "integer", "minimum": 10, "maximum": nb.MAX_LIMIT, "default": nb.DEFAULT_LIMIT}),
]
YEAR_PARAMS = [
    _q("year_from", "Only researchers' works from this year on (papers, co-authors and joint works, topics, "
       "affiliations)", {"type": "integer", "minimum": nb.MIN_YEAR, "maximum": nb.MAX_YEAR}),
    _q("year_to", "Only researchers' works up to this year (inclusive; not before year_from)",
       {"type": "integer", "minimum": nb.MIN_YEAR, "maximum": nb.MAX_YEAR}),
]
SLICE_PARAMS += YEAR_PARAMS
SLICE_RESPONSE = {"200": _json({"$ref": "#/components/schemas/Slice"}, "The slice, in Cytoscape's element shape"),
                  **error_responses(400, 404, 503)}

PATHS = {
    "/api/authors/{id}/neighbourhood": {"get": {
        "summary": "The graph around a researcher: papers, co-authors, topics, institutions (capped, ranked)",
        "operationId": "authorNeighbourhood",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "Author id, e.g. openalex:A5023888391 or name:geiger_m"}, *SLICE_PARAMS],
        "responses": SLICE_RESPONSE}},
    "/api/neighbourhood": {"get": {
        "summary": "The graph around any node (author, paper, topic or institution)",
        "operationId": "neighbourhood",
        "parameters": [_q("id", "Node id", _ID, required=True), *SLICE_PARAMS],
        "responses": SLICE_RESPONSE}},
    "/api/neighbourhood/expand": {"get": {
        "summary": "One node's neighbours by relationship type and direction",
        "operationId": "expandNode",
        "parameters": [_q("id", "Node id", _ID, required=True),
                       _q("key", "Relationship type and direction", {"type": "string",
                                                                    "enum": sorted(nb.EXPANSION_KEYS)},
                          required=True),
                       _q("limit", "At most this many neighbours", {"type": "integer", "minimum": 1,
                                                                   "maximum": nb.MAX_EXPAND, "default": 25}),
                       *YEAR_PARAMS],
        "responses": SLICE_RESPONSE}},
    "/api/neighbourhood/counts": {"get": {
        "summary": "How many neighbours a node has per relationship type and direction",
        "operationId": "expansionCounts",
        "parameters": [_q("id", "Node id", _ID, required=True)],
        "responses": {"200": _json({"type": "object", "properties": {
            "id": {"type": "string"}, "type": {"type": "string"},
            "counts": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}}}},
            "Counts per expansion"), **error_responses(400, 404, 503)}}},
    "/api/paths": {"get": {
        "summary": "Shortest collaborator paths between two researchers, with the joint papers on each hop",
        "operationId": "collaboratorPaths",
        "parameters": [_q("from", "Author id", _ID, required=True),
                       _q("to", "Author id (another one than from: the same twice is a 400)", _ID, required=True),
                       _q("k", "Paths to return", {"type": "integer", "minimum": 1, "maximum": gp.MAX_K,
                                                   "default": 3}),
                       _q("max_hops", "Longest path accepted", {"type": "integer", "minimum": 1,
                                                                "maximum": gp.MAX_HOPS, "default": gp.MAX_HOPS})],
        "responses": {"200": _json({"$ref": "#/components/schemas/PathAnswer"},
                                   "The paths (empty, with a reason, when there is none within max_hops)"),
                      **error_responses(400, 404, 503)}}},
}

_ELEMENT = {"type": "object", "required": ["data"], "properties": {
    "data": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "label": {"type": "string"}, "type": {"type": "string"},
        "size": {"type": "number"}, "source": {"type": "string"}, "target": {"type": "string"},
        "weight": {"type": "number"}}},
    "classes": {"type": "string"}}}
_PERSON = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}

SCHEMAS = {
    "Element": _ELEMENT,
    "Slice": {"type": "object", "required": ["centre", "nodes", "edges", "omitted"], "properties": {
        "centre": {"type": "string"}, "depth": {"type": "integer"}, "limit": {"type": "integer"},
        "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Element"}},
        "edges": {"type": "array", "items": {"$ref": "#/components/schemas/Element"}},
        "omitted": {"type": "object", "additionalProperties": {"type": "integer"},
                    "description": "Neighbours of the centre left out, per type"},
        "totals": {"type": "object", "additionalProperties": {"type": "integer"}},
        "more": {"type": "array", "items": {"type": "object", "properties": {
            "node_id": {"type": "string"}, "key": {"type": "string"}, "neighbour_type": {"type": "string"},
            "shown": {"type": "integer"}, "total": {"type": "integer"}, "omitted": {"type": "integer"}}}},
        "edges_omitted": {"type": "integer"},
        "unexpanded": {"type": "array", "items": {"type": "string"},
                       "description": "Depth 2: researchers of the first ring whose own neighbourhoods did not fit"}}},
    "PathAnswer": {"type": "object", "required": ["from", "to", "paths"], "properties": {
        "from": _PERSON, "to": _PERSON, "k": {"type": "integer"}, "max_hops": {"type": "integer"},
        "shortest": {"type": ["integer", "null"]}, "found": {"type": "integer"},
        "reason": {"type": ["string", "null"]},
        "paths": {"type": "array", "items": {"type": "object", "properties": {
            "length": {"type": "integer"}, "people": {"type": "array", "items": _PERSON},
            "hops": {"type": "array", "items": {"type": "object", "properties": {
                "from": {"type": "string"}, "to": {"type": "string"}, "works": {"type": "integer"},
                "more_papers": {"type": "integer"},
                "papers": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"},
                    "year": {"type": ["integer", "null"]}}}}}}}}}}}},
}

