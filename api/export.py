"""``GET /api/{authors,topics,institutions}/<id>/export``: the co-authorship network of one, as a file.

Streamed as Neo4j sends the rows (``graph.export``); the topic, institution and author pages link here.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from flask import Response

from api import ApiError, bp, int_arg, str_arg
from api.openapi import error_responses
from graph import export as gx
from graph.ext import get_db

# format parameter -> (export format, part, media type)
FORMATS = {
    "graphml": ("graphml", "graphml", "application/graphml+xml"),
    "gexf": ("gexf", "gexf", "application/gexf+xml"),
    "vosviewer-map": ("vosviewer", "map", "text/tab-separated-values"),
    "vosviewer-network": ("vosviewer", "network", "text/tab-separated-values"),
    "csv-nodes": ("csv", "nodes", "text/csv"),
    "csv-edges": ("csv", "edges", "text/csv"),
}
KINDS = ("author", "topic", "institution")
WEB_MAX_NODES = 20_000
WEB_DEFAULT_NODES = 5_000

_FILE = {"type": "string", "description": "the file"}
_WHAT = {"author": "an author's neighbourhood (the author and their co-authors)",
         "topic": "a topic (authors of works about it or a narrower topic)",
         "institution": "an institution (authors affiliated with it)"}
_PLURAL = {"author": "authors", "topic": "topics", "institution": "institutions"}


def _operation(kind: str) -> dict[str, Any]:
    return {"get": {
        "summary": f"The co-authorship network of {_WHAT[kind]}, as a file for Gephi, Cytoscape desktop, "
                   "VOSviewer or a spreadsheet",
        "operationId": f"export_{kind}_network",
        "parameters": [
            {"name": f"{kind}_id", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "URL-encoded id (e.g. arxiv%3Acs.LG)"},
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": list(FORMATS),
                                                         "default": "graphml"}},
            {"name": "min_works", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 100000,
                                                            "default": 1},
             "description": "only authors with at least this many works"},
            {"name": "max_nodes", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": WEB_MAX_NODES, "default": WEB_DEFAULT_NODES},
             "description": "at most this many authors, most works first"},
        ],
        "responses": {"200": {"description": "The file, as an attachment", "content": {
            media: {"schema": _FILE} for media in sorted({m for _, _, m in FORMATS.values()})}},
            **error_responses(400, 404, 503)},
    }}


PATHS = {f"/api/{_PLURAL[kind]}/{{{kind}_id}}/export": _operation(kind) for kind in KINDS}


def export_network(kind: str, entity_id: str) -> Response:
    """Stream one export file of ``kind`` ``entity_id``'s network; 400 for bad parameters, 404 for an unknown id."""
    choice = str_arg("format", choices=list(FORMATS), default="graphml")
    assert choice is not None
    fmt, part, media = FORMATS[choice]
    try:
        scope = gx.Scope(kind, entity_id, int_arg("min_works", 1, minimum=0, maximum=100_000),
                         int_arg("max_nodes", WEB_DEFAULT_NODES, minimum=1, maximum=WEB_MAX_NODES))
    except gx.ExportError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None
    chunks = gx.stream(get_db(), scope, fmt, part)
    # The first chunk runs the scope query: an unknown id is a 404 here, before any byte is sent.
    first = next(chunks, "")
    response = Response(chain([first], chunks), mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{scope.filename(part)}"'
    return response


@bp.get("/authors/<path:author_id>/export")
def export_author(author_id: str) -> Response:
    return export_network("author", author_id)


@bp.get("/topics/<path:topic_id>/export")
def export_topic(topic_id: str) -> Response:
    return export_network("topic", topic_id)


@bp.get("/institutions/<path:institution_id>/export")
def export_institution(institution_id: str) -> Response:
    return export_network("institution", institution_id)
