"""``GET /api/{authors,topics,institutions}/<id>/export``: the co-authorship network of one, as a file.

Streamed as Neo4j sends the rows (``graph.export``); the topic, institution and author pages link here.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from flask import Response

from api import ApiError
from api.spec import Query, operation
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

_WHAT = {"author": "an author's neighbourhood (the author and their co-authors)",
         "topic": "a topic (authors of works about it or a narrower topic)",
         "institution": "an institution (authors affiliated with it)"}
FORMAT = Query.string("format", choices=list(FORMATS), default="graphml")
MIN_WORKS = Query.integer("min_works", 1, minimum=0, maximum=100_000,
                          description="only authors with at least this many works")
MAX_NODES = Query.integer("max_nodes", WEB_DEFAULT_NODES, minimum=1, maximum=WEB_MAX_NODES,
                          description="at most this many authors, most works first")


def _export(kind: str, rule: str) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    return operation("GET", rule, summary=f"The co-authorship network of {_WHAT[kind]}, as a file for Gephi, "
                                          "Cytoscape desktop, VOSviewer or a spreadsheet",
                     operation_id=f"export_{kind}_network", answer=None, answer_text="The file, as an attachment",
                     media=sorted({m for _, _, m in FORMATS.values()}), errors=(400, 404, 503),
                     params=[FORMAT, MIN_WORKS, MAX_NODES],
                     path_params={f"{kind}_id": "URL-encoded id (e.g. arxiv%3Acs.LG)"})


def export_network(kind: str, entity_id: str) -> Response:
    """Stream one export file of ``kind`` ``entity_id``'s network; 400 for bad parameters, 404 for an unknown id."""
    fmt, part, media = FORMATS[FORMAT.read()]
    try:
        scope = gx.Scope(kind, entity_id, MIN_WORKS.read(), MAX_NODES.read())
    except gx.ExportError as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None
    chunks = gx.stream(get_db(), scope, fmt, part)
    # The first chunk runs the scope query: an unknown id is a 404 here, before any byte is sent.
    first = next(chunks, "")
    response = Response(chain([first], chunks), mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{scope.filename(part)}"'
    return response


@_export("author", "/authors/<path:author_id>/export")
def export_author(author_id: str) -> Response:
    return export_network("author", author_id)


@_export("topic", "/topics/<path:topic_id>/export")
def export_topic(topic_id: str) -> Response:
    return export_network("topic", topic_id)


@_export("institution", "/institutions/<path:institution_id>/export")
def export_institution(institution_id: str) -> Response:
    return export_network("institution", institution_id)
