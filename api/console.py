"""``POST /api/cypher`` (the analyst console), ``GET /api/cypher/saved`` (saved queries), ``GET /api/schema``.

Console queries are read-only, time- and row-limited (``graph.console``). A
refused or failing query answers 400 with the reason and, when known, the
``position`` (line, column); a timeout 504; Neo4j away 503.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, current_app, jsonify, request

from api import ApiError
from api.models import (
    CypherError,
    CypherErrorDetail,
    CypherRequest,
    CypherResult,
    GraphSchema,
    Position,
    SavedQueries,
    SavedQuery,
    SchemaItem,
    console_limits,
)
from api.spec import Query, dump, operation
from graph import console
from graph.errors import BadQuery
from graph.ext import get_db
from views.limits import CONSOLE
from views.limits import EXTENSION as LIMITER

MAX_PARAMS_BYTES = 1_000_000
FORMATS = ("json", "csv")

SCHEMA_SAMPLE = 10_000


limits = console_limits
FORMAT = Query.string("format", choices=FORMATS, description="json or csv (also in the body; Accept: text/csv)")


def _bad_query(exc: BadQuery) -> Response:
    code = "refused" if exc.code == "Peergraph.Console.Refused" else "bad_query"
    position = Position(*exc.position) if exc.position else None
    response = jsonify(dump(CypherError(CypherErrorDetail(code, str(exc), position))))
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


@operation("POST", "/cypher", summary="Run one read-only Cypher query (the analyst console)", operation_id="cypher",
           description="Refused unless read-only (lexical guard, Neo4j's EXPLAIN query type, a read transaction). "
                       "Limited to the server's row cap and timeout. `format=csv` (query or body) or "
                       "`Accept: text/csv` answers CSV. Rate limited per client address "
                       "(`PEERGRAPH_CYPHER_RATE_LIMIT`): beyond it, 429 with `Retry-After`.",
           answer=CypherResult, answer_text="The result", media=["text/csv"], body=CypherRequest, params=[FORMAT],
           errors=(429, 503, 504), special_errors={400: (CypherError, "Bad body, refused or failing query")})
def cypher() -> Response | CypherResult:
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
    return CypherResult.of(result)  # the graph cut, sized and laid out as every graph view


@operation("GET", "/cypher/saved", summary="The saved-query library (cypher/analyst/)", operation_id="cypherSaved",
           answer=SavedQueries, answer_text="Saved queries")
def cypher_saved() -> SavedQueries:
    return SavedQueries([SavedQuery.of(q) for q in console.saved_queries()])


@operation("GET", "/schema", summary="Labels, relationship types and property keys with counts, from the live graph",
           operation_id="schema", answer=GraphSchema, answer_text="The schema", errors=(503,))
def graph_schema() -> GraphSchema:
    entries = console.schema(get_db(), sample=SCHEMA_SAMPLE)
    return GraphSchema([SchemaItem.of(e) for e in entries if e.kind == "label"],
                       [SchemaItem.of(e) for e in entries if e.kind == "type"], SCHEMA_SAMPLE)
