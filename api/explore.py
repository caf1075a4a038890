"""Neighbourhood slices and collaborator paths.

``GET /api/authors/<id>/neighbourhood``   the slice around a researcher (Cytoscape elements)
``GET /api/neighbourhood?id=``            the slice around any node (paper, topic, institution, author)
``GET /api/neighbourhood/expand?id=&key=`` one node's neighbours by relationship type and direction
``GET /api/neighbourhood/counts?id=``     how many neighbours a node has per expansion
``GET /api/paths?from=&to=``              shortest collaborator paths with the joint papers on each hop
"""

from __future__ import annotations

from api import NOT_BLANK, ApiError, str_arg
from api.models import ExpansionCount, ExpansionCounts, PathAnswer, Slice
from api.spec import Query, operation
from graph import neighbourhood as nb
from graph import paths as gp
from graph.errors import NotFound
from graph.ext import get_db
from views.params import CAPS_PATTERN, TYPES_PATTERN, parse_caps, parse_types

MAX_ARG = 500  # str_arg's limit
_ERRORS = (400, 404, 503)
_SLICE_TEXT = "The slice, in Cytoscape's element shape"


def _id(name: str, description: str) -> Query:
    return Query.string(name, required=True, max_length=MAX_ARG, pattern=NOT_BLANK, description=description)


NODE_ID = _id("id", "Node id")
DEPTH = Query.integer("depth", 1, minimum=1, maximum=2,
                      description="1: the node's neighbours; 2: also the neighbourhoods of the researchers among them")
TYPES = Query.string("types", max_length=MAX_ARG, pattern=TYPES_PATTERN, default="author,paper,topic,institution",
                     description="Neighbour types to include, comma-separated")
CAPS = Query.string("caps", max_length=MAX_ARG, pattern=CAPS_PATTERN,
                    description="Neighbours per node and type, e.g. paper:25,author:25,topic:15,institution:10 "
                                "(0..100)")
LIMIT = Query.integer("limit", nb.DEFAULT_LIMIT, minimum=10, maximum=nb.MAX_LIMIT,
                      description="At most this many elements (nodes + edges) in all; nodes take up to 40 %")
YEAR_FROM = Query.optional_integer("year_from", minimum=nb.MIN_YEAR, maximum=nb.MAX_YEAR,
                                   description="Only researchers' works from this year on (papers, co-authors and "
                                               "joint works, topics, affiliations)")
YEAR_TO = Query.optional_integer("year_to", minimum=nb.MIN_YEAR, maximum=nb.MAX_YEAR,
                                 description="Only researchers' works up to this year (inclusive; not before "
                                             "year_from)")
SLICE_PARAMS = [DEPTH, TYPES, CAPS, LIMIT, YEAR_FROM, YEAR_TO]
KEY = Query.string("key", required=True, choices=sorted(nb.EXPANSION_KEYS),
                   description="Relationship type and direction")
EXPAND_LIMIT = Query.integer("limit", nb.DEFAULT_CAPS["paper"], minimum=1, maximum=nb.MAX_EXPAND,
                             description="At most this many neighbours")
FROM = _id("from", "Author id")
TO = _id("to", "Author id (another one than from: the same twice is a 400)")
K = Query.integer("k", 3, minimum=1, maximum=gp.MAX_K, description="Paths to return")
MAX_HOPS = Query.integer("max_hops", gp.MAX_HOPS, minimum=1, maximum=gp.MAX_HOPS, description="Longest path accepted")


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


def _years() -> tuple[int, int] | None:
    """``year_from``/``year_to`` (either may be left out), or a 400 saying what was wrong."""
    try:
        return nb.clean_years((YEAR_FROM.read(), YEAR_TO.read()))
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def _slice(node_id: str, *, author_only: bool) -> Slice:
    depth, limit = DEPTH.read(), LIMIT.read()
    types, caps, years = _types(), _caps(), _years()
    try:
        sl = nb.neighbourhood(get_db(), node_id, depth=depth, types=types, caps=caps, limit=limit, years=years)
    except NotFound:
        raise NotFound(f"no {'author' if author_only else 'node'} has the id {node_id!r}") from None
    if author_only and sl.nodes[0].type != "author":
        raise NotFound(f"no author has the id {node_id!r}")
    return Slice.of(sl, depth=depth, limit=limit)


@operation("GET", "/authors/<path:author_id>/neighbourhood",
           summary="The graph around a researcher: papers, co-authors, topics, institutions (capped, ranked)",
           operation_id="authorNeighbourhood", answer=Slice, answer_text=_SLICE_TEXT, errors=_ERRORS,
           params=SLICE_PARAMS, path_params={"author_id": "Author id, e.g. openalex:A5023888391 or name:geiger_m"},
           rename={"author_id": "id"})
def author_neighbourhood(author_id: str) -> Slice:
    return _slice(author_id, author_only=True)


@operation("GET", "/neighbourhood", summary="The graph around any node (author, paper, topic or institution)",
           operation_id="neighbourhood", answer=Slice, answer_text=_SLICE_TEXT, errors=_ERRORS,
           params=[NODE_ID, *SLICE_PARAMS])
def neighbourhood() -> Slice:
    return _slice(NODE_ID.read(), author_only=False)


@operation("GET", "/neighbourhood/expand", summary="One node's neighbours by relationship type and direction",
           operation_id="expandNode", answer=Slice, answer_text=_SLICE_TEXT, errors=_ERRORS,
           params=[NODE_ID, KEY, EXPAND_LIMIT, YEAR_FROM, YEAR_TO])
def expand() -> Slice:
    node_id, key, limit = NODE_ID.read(), KEY.read(), EXPAND_LIMIT.read()
    db = get_db()
    node = nb.node_info(db, node_id)
    try:
        nb.expansion(key, node.type)
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None
    return Slice.of(nb.expand(db, node_id, key, limit=limit, years=_years()), limit=limit)


@operation("GET", "/neighbourhood/counts", summary="How many neighbours a node has per relationship type and "
           "direction", operation_id="expansionCounts", answer=ExpansionCounts, answer_text="Counts per expansion",
           errors=_ERRORS, params=[NODE_ID])
def counts() -> ExpansionCounts:
    node_id = NODE_ID.read()
    db = get_db()
    node = nb.node_info(db, node_id)
    labels = {x.key: x.label for x in nb.expansions_for(node.type)}
    found = nb.expansion_counts(db, node_id)
    return ExpansionCounts(node_id, node.type, [ExpansionCount(key, labels[key], n) for key, n in found.items()])


@operation("GET", "/paths",
           summary="Shortest collaborator paths between two researchers, with the joint papers on each hop",
           operation_id="collaboratorPaths", answer=PathAnswer,
           answer_text="The paths (empty, with a reason, when there is none within max_hops)", errors=_ERRORS,
           params=[FROM, TO, K, MAX_HOPS])
def paths() -> PathAnswer:
    source, target, k, max_hops = FROM.read(), TO.read(), K.read(), MAX_HOPS.read()
    if source == target:
        raise ApiError(400, "bad_parameter", "'from' and 'to' must be two different researchers")
    return PathAnswer.of(gp.collaborator_paths(get_db(), source, target, k=k, max_hops=max_hops), k=k)
