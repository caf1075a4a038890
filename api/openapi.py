"""``GET /api/openapi.json``: the OpenAPI 3.1 document, generated from the typed operations (``api.spec``)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from api import bp, route_modules
from api.spec import OPERATIONS, Error, schema_of


def document() -> dict[str, Any]:
    """The whole document, from the typed operations (api.spec) that the route modules declare."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    schema_of(Error, schemas)
    route_modules()  # importing them declares their operations
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = op.openapi(schemas)
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
