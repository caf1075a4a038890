"""``GET /api/openapi.json``: the OpenAPI 3.1 document, generated from the typed operations (``api.spec``)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from api import bp, route_modules
from api.spec import OPERATIONS, RETRY_AFTER, error_responses

__all__ = ["RETRY_AFTER", "document", "error_responses"]

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}},
}


def document() -> dict[str, Any]:
    """The whole document: the typed operations (api.spec), then the PATHS and SCHEMAS that route modules not
    yet declared with ``api.spec.operation`` still write by hand."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR}
    modules = route_modules()  # importing them declares their operations
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = op.openapi(schemas)
    for module in modules:
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
