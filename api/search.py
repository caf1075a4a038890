"""``GET /api/search``: full-text search over authors, papers, topics and institutions."""

from __future__ import annotations

from flask import Response, jsonify

from api import NOT_BLANK, SPACE, bp, int_arg, str_arg
from api.openapi import error_responses
from graph import search as search_graph
from graph.ext import get_db
from views.links import entity_href

SCHEMAS = {
    "SearchHit": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "type", "label", "detail", "score", "url"],
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string", "enum": list(search_graph.TYPES)},
            "label": {"type": "string"},
            "detail": {"type": ["string", "null"], "description": "works and affiliation, year and first author..."},
            "score": {"type": "number", "description": "relevance (Lucene score, weighted per type)"},
            "url": {"type": "string", "description": "the page of this entity in the web app"},
        },
    },
    "SearchResults": {
        "type": "object", "additionalProperties": False, "required": ["query", "type", "results"],
        "properties": {
            "query": {"type": "string"},
            "type": {"type": ["string", "null"]},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
        },
    },
}

PATHS = {
    "/api/search": {"get": {
        "summary": "Search authors, papers, topics and institutions by name or title (prefix matching)",
        "operationId": "search",
        "parameters": [
            {"name": "q", "in": "query", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
             "description": "words; each must match a word or the start of one (\"geig\" finds Geiger)"},
            # Blank is "any type" (a form's empty choice), so a pattern rather than an enum.
            {"name": "type", "in": "query", "description": "one of " + ", ".join(search_graph.TYPES) + "; blank: any",
             "schema": {"type": "string", "pattern": rf"^{SPACE}*({'|'.join(search_graph.TYPES)})?{SPACE}*$"}},
            {"name": "limit", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": search_graph.MAX_LIMIT, "default": 10}},
        ],
        "responses": {
            "200": {"description": "Matches, best first", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/SearchResults"}}}},
            **error_responses(400, 503),
        },
    }},
}


@bp.get("/search")
def search() -> Response:
    q = str_arg("q", required=True, max_length=200)
    kind = str_arg("type", choices=list(search_graph.TYPES))
    limit = int_arg("limit", 10, minimum=1, maximum=search_graph.MAX_LIMIT)
    hits = search_graph.search(get_db(), q or "", type=kind, limit=limit)
    return jsonify({"query": q, "type": kind, "results": [
        {"id": h.id, "type": h.type, "label": h.label, "detail": h.detail, "score": round(h.score, 4),
         "url": entity_href(h.type, h.id)} for h in hits]})
