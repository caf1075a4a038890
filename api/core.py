"""``/api/health`` and ``/api/stats``: is the graph there, and how big is it."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, jsonify

from api import bp
from graph import stats
from graph.ext import get_db

PATHS = {
    "/api/health": {"get": {
        "summary": "Is Neo4j reachable", "operationId": "health",
        "responses": {"200": {"description": "Neo4j answers", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"status": {"type": "string"}}}}}},
            "503": {"description": "Neo4j unreachable", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/stats": {"get": {
        "summary": "Counts of nodes per label and relationships per type", "operationId": "stats",
        "responses": {"200": {"description": "Counts", "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": {"type": "integer"}}}}},
            "503": {"description": "Neo4j unreachable", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
}


@bp.get("/health")
def health() -> Response:
    get_db().ping()
    return jsonify({"status": "ok"})


@bp.get("/stats")
def graph_stats() -> Response:
    return jsonify(asdict(stats.counts(get_db())))
