"""``POST /api/cypher`` (the analyst console), ``GET /api/cypher/saved`` (saved queries), ``GET /api/schema``.

Console queries are read-only, time- and row-limited (``graph.console``). A
refused or failing query answers 400 with the reason and, when known, the
``position`` (line, column); a timeout 504; Neo4j away 503.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, current_app, has_app_context, jsonify, request

from api import NOT_BLANK, ApiError, bp
from api.openapi import error_responses
from graph import console
from graph.errors import BadQuery
from graph.ext import get_db
from views.elements import result_graph
from views.limits import CONSOLE
from views.limits import EXTENSION as LIMITER

MAX_PARAMS_BYTES = 1_000_000
FORMATS = ("json", "csv")

_JSON = "application/json"
SCHEMAS: dict[str, Any] = {
    "CypherRequest": {},  # request_schema(): the maxima are the server's limits
    "CypherResult": {
        "type": "object",
        "properties": {
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "array"}},
            "graph": {"type": "object", "properties": {
                "nodes": {"type": "array", "items": {"type": "object"}},
                "edges": {"type": "array", "items": {"type": "object"}}}},
            "row_count": {"type": "integer"},
            "truncated": {"type": "boolean", "description": "True when the row cap cut the result"},
            "row_cap": {"type": "integer"},
            "elapsed_ms": {"type": "integer"},
            "mode": {"type": "string"},
            "query_type": {"type": "string"},
            "plan": {"type": "object", "description": "EXPLAIN/PROFILE only: operator tree"},
            "notifications": {"type": "array", "items": {"type": "object"}},
            "graph_truncated": {"type": "boolean"},
        },
    },
    "CypherError": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "description": "refused, bad_query, bad_request, timeout, graph_unavailable"},
            "message": {"type": "string"},
            "position": {"type": "object", "properties": {"line": {"type": "integer"},
                                                          "column": {"type": "integer"}}}}}},
    },
}

PATHS: dict[str, Any] = {
    "/api/cypher": {"post": {
        "summary": "Run one read-only Cypher query (the analyst console)", "operationId": "cypher",
        "description": "Refused unless read-only (lexical guard, Neo4j's EXPLAIN query type, a read "
                       "transaction). Limited to the server's row cap and timeout. `format=csv` (query or "
                       "body) or `Accept: text/csv` answers CSV. Rate limited per client address "
                       "(`PEERGRAPH_CYPHER_RATE_LIMIT`): beyond it, 429 with `Retry-After`.",
        "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": list(FORMATS)}}],
        "requestBody": {"required": True, "content": {_JSON: {"schema": {"$ref": "#/components/schemas/CypherRequest"},
                        "example": {"query": "MATCH (a:Author {id: $id})-[c:COAUTHOR]-(b) RETURN b.name, c.works",
                                    "params": {"id": "name:geiger_m"}}}}},
        "responses": {
            "200": {"description": "The result", "content": {
                _JSON: {"schema": {"$ref": "#/components/schemas/CypherResult"}},
                "text/csv": {"schema": {"type": "string"}}}},
            "400": {"description": "Bad body, refused or failing query", "content": {
                _JSON: {"schema": {"$ref": "#/components/schemas/CypherError"}}}},
            **error_responses(429, 503, 504)}}},
    "/api/cypher/saved": {"get": {
        "summary": "The saved-query library (cypher/analyst/)", "operationId": "cypherSaved",
        "responses": {"200": {"description": "Saved queries", "content": {_JSON: {"schema": {
            "type": "object", "properties": {"queries": {"type": "array", "items": {
                "$ref": "#/components/schemas/SavedQuery"}}}}}}}}}},
    "/api/schema": {"get": {
        "summary": "Labels, relationship types and property keys with counts, from the live graph",
        "operationId": "schema",
        "responses": {"200": {"description": "The schema", "content": {_JSON: {"schema": {
            "type": "object", "properties": {
                "labels": {"type": "array", "items": {"$ref": "#/components/schemas/SchemaEntry"}},
                "relationship_types": {"type": "array", "items": {"$ref": "#/components/schemas/SchemaEntry"}},
                "property_sample": {"type": "integer"}}}}}},
            **error_responses(503)}}},
}


def request_schema(top: console.Limits) -> dict[str, Any]:
    """The body of POST /api/cypher, with this server's row cap and time limit as maxima (null: the default)."""
    return {
        "type": "object", "required": ["query"],
        "properties": {
            "query": {"type": "string", "minLength": 1, "pattern": NOT_BLANK,
                      "description": "One read-only Cypher statement; values as $parameters"},
            "params": {"type": ["object", "null"], "additionalProperties": True, "description": "Parameter values"},
            "mode": {"enum": [*console.MODES, None], "default": "run"},
            "row_cap": {"type": ["integer", "null"], "minimum": 1, "maximum": top.row_cap,
                        "description": "At most the server's row cap"},
            "timeout": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": top.timeout_s,
                        "description": "Seconds, at most the server's time limit"},
            "format": {"enum": [*FORMATS, None], "default": "json"},
        },
    }


def openapi_schemas() -> dict[str, Any]:
    """Schemas that depend on the app's config, for api.openapi (inside a request: this app's limits)."""
    return {"CypherRequest": request_schema(limits() if has_app_context() else console.Limits.from_config())}


SCHEMAS["SavedQuery"] = {"type": "object", "properties": {
    "name": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
    "params": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "type": {"type": "string"}, "default": {}}}},
    "defaults": {"type": "object"}, "columns": {"type": "array", "items": {"type": "string"}},
    "query": {"type": "string"}}}
SCHEMAS["SchemaEntry"] = {"type": "object", "properties": {
    "name": {"type": "string"}, "count": {"type": "integer"},
    "properties": {"type": "array", "items": {"type": "object", "properties": {
        "key": {"type": "string"}, "count": {"type": "integer"}}}}}}

SCHEMA_SAMPLE = 10_000


def limits() -> console.Limits:
    """The console limits of this app (config ``CONSOLE_TIMEOUT``/``CONSOLE_ROW_CAP`` or the environment)."""
    return console.Limits.from_config(current_app.config)


def _bad_query(exc: BadQuery) -> Response:
    code = "refused" if exc.code == "Peergraph.Console.Refused" else "bad_query"
    error: dict[str, Any] = {"code": code, "message": str(exc)}
    if exc.position:
        error["position"] = {"line": exc.position[0], "column": exc.position[1]}
    response = jsonify({"error": error})
    response.status_code = 400
    return response


def _number(body: dict[str, Any], name: str, maximum: float, *, integer: bool) -> float | int:
    value = body.get(name)
    if value is None:
        return maximum
    # JSON Schema (and JavaScript) count 25.0 as an integer.
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ok = whole if integer else isinstance(value, (int, float)) and math.isfinite(value)
    if isinstance(value, bool) or not ok or not 0 < value <= maximum:
        kind = "an integer" if integer else "a number"
        raise ApiError(400, "bad_request", f"'{name}' must be {kind} above 0 and at most {maximum:g}; got {value!r}")
    return int(value) if integer else float(value)


@bp.post("/cypher")
def cypher() -> Response:
    client = request.remote_addr or "unknown"
    refused = current_app.extensions[LIMITER].take(CONSOLE, client, current_app.config.get("CYPHER_RATE_LIMIT"))
    if refused:
        raise ApiError(429, "rate_limited", refused.message, {"Retry-After": str(refused.retry_after)})
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object: {\"query\": \"...\", \"params\": {...}}")
    query_text = body.get("query")
    if not isinstance(query_text, str) or not query_text.strip():
        raise ApiError(400, "bad_request", "'query' must be a non-empty string")
    params = body.get("params")
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise ApiError(400, "bad_request", "'params' must be a JSON object of parameter values")
    if (request.content_length or 0) > MAX_PARAMS_BYTES:
        raise ApiError(400, "bad_request", f"the body is larger than {MAX_PARAMS_BYTES:,} bytes")
    mode = body.get("mode")
    mode = "run" if mode is None else mode
    if mode not in console.MODES:
        raise ApiError(400, "bad_request", f"'mode' must be one of {', '.join(console.MODES)}; got {mode!r}")
    # Both places are checked: a wrong one is an error even where the other one decides.
    asked = [request.args.get("format"), body.get("format")]
    for value in asked:
        if value is not None and value not in FORMATS:
            raise ApiError(400, "bad_request", f"'format' must be json or csv; got {value!r}")
    fmt = next((value for value in asked if value is not None), None)
    if fmt is None:
        fmt = "csv" if request.accept_mimetypes.best == "text/csv" else "json"
    top = limits()
    row_cap = int(_number(body, "row_cap", top.row_cap, integer=True))
    timeout = float(_number(body, "timeout", top.timeout_s, integer=False))
    try:
        result = console.run_console(get_db(), query_text, params, timeout_s=timeout, row_cap=row_cap, mode=mode)
    except BadQuery as exc:
        return _bad_query(exc)
    if fmt == "csv":
        return Response(console.to_csv(result.columns, result.rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=result.csv",
                                 "X-Row-Count": str(result.row_count), "X-Truncated": str(result.truncated).lower()})
    body = result.to_json()
    body["graph"] = result_graph(body["graph"])   # cut, sized and laid out as every graph view
    return jsonify(body)


@bp.get("/cypher/saved")
def cypher_saved() -> Response:
    return jsonify({"queries": [q.to_json() for q in console.saved_queries()]})


@bp.get("/schema")
def graph_schema() -> Response:
    entries = console.schema(get_db(), sample=SCHEMA_SAMPLE)

    def shape(e: console.SchemaEntry) -> dict[str, Any]:
        return {"name": e.name, "count": e.count, "properties": [{"key": k, "count": n} for k, n in e.properties]}

    return jsonify({"labels": [shape(e) for e in entries if e.kind == "label"],
                    "relationship_types": [shape(e) for e in entries if e.kind == "type"],
                    "property_sample": SCHEMA_SAMPLE})
