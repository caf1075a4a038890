"""``GET /api/openapi.json``: the OpenAPI 3.1 document, gathered from the route modules' PATHS."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from api import bp, route_modules

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}},
}


# What a 429 carries besides the Error body (app.py, _rate_limit_console).
RETRY_AFTER = {"description": "Whole seconds until this client may send the next request",
               "required": True, "schema": {"type": "integer", "minimum": 1}}


def error_responses(*statuses: int) -> dict[str, Any]:
    """OpenAPI response objects for the error statuses an endpoint may answer (a 429 with its Retry-After)."""
    text = {400: "Bad parameter", 404: "Unknown id", 408: "Timeout",
            429: "Too many requests from this client address (the rate limit, PEERGRAPH_CYPHER_RATE_LIMIT); "
                 "error code `rate_limited`",
            503: "Neo4j unreachable", 504: "Query timed out"}
    out: dict[str, Any] = {}
    for s in statuses:
        out[str(s)] = {"description": text.get(s, "Error"),
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if s == 429:
            out[str(s)]["headers"] = {"Retry-After": RETRY_AFTER}
    return out


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR}
    for module in route_modules():
        paths.update(getattr(module, "PATHS", {}))
        schemas.update(getattr(module, "SCHEMAS", {}))
        if hasattr(module, "openapi_schemas"):  # parts that depend on the app's config
            schemas.update(module.openapi_schemas())
    paths["/api/openapi.json"] = {"get": {"summary": "This document", "operationId": "openapi",
                                          "responses": {"200": {"description": "OpenAPI 3.1 document"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "peergraph API", "version": "1.0.0",
                 "description": "Research-collaboration graph: authors, papers, topics, institutions."},
        "paths": paths,
        "components": {"schemas": schemas},
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(document())
