"""``GET /api/openapi.json``: the OpenAPI 3.1 document, gathered from the route modules' PATHS."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from api import bp, route_modules

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}},
}


def error_responses(*statuses: int) -> dict[str, Any]:
    """OpenAPI response objects for the error statuses an endpoint may answer."""
    text = {400: "Bad parameter", 404: "Unknown id", 408: "Timeout", 429: "Too many requests",
            503: "Neo4j unreachable", 504: "Query timed out"}
    return {str(s): {"description": text.get(s, "Error"),
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for s in statuses}


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
def openapi_json():
    return jsonify(document())
