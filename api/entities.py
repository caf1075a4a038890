"""``/api/topics/<id>`` and ``/api/institutions/<id>``: what the topic and institution pages show."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, jsonify

from api import bp
from api.openapi import error_responses
from graph import institutions as graph_institutions
from graph import topics as graph_topics
from graph.ext import get_db
from views.links import entity_href

_S = {"type": "string"}
_SN = {"type": ["string", "null"]}
_I = {"type": "integer"}
_IN = {"type": ["integer", "null"]}


def _obj(**props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(props), "properties": props}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


_LINK = _obj(id=_S, name=_S)
_WORK = _obj(id=_S, title=_SN, date=_SN, year=_IN, venue=_SN, categories=_list(_S), authors=_list(_LINK),
             author_count=_I, authors_complete={"type": "boolean"})

SCHEMAS = {
    "TopicPage": _obj(
        id=_S, name=_S, scheme=_SN, level=_SN, url=_S,
        works={**_I, "description": "works about it or its narrower topics"},
        parents=_list(_obj(id=_S, name=_S, level=_SN)),
        children=_list(_obj(id=_S, name=_S, level=_SN, works=_I)), children_count=_I,
        top_authors=_list(_obj(id=_S, name=_S, works=_I, works_count=_I)),
        recent_works=_list(_WORK),
        related=_list(_obj(id=_S, name=_S, scheme=_SN, level=_SN, works=_I)),
    ),
    "InstitutionPage": _obj(
        id=_S, name=_S, ror=_SN, country=_SN, type=_SN, url=_S, authors=_I, works=_I, first_year=_IN,
        last_year=_IN,
        top_authors=_list(_obj(id=_S, name=_S, works=_I, first_year=_IN, last_year=_IN, works_count=_I)),
        recent_works=_list(_WORK),
        partners=_list(_obj(id=_S, name=_S, country=_SN, works=_I)),
        topics=_list(_obj(id=_S, name=_S, works=_I)),
    ),
}


def _path(name: str, summary: str, op: str, schema: str) -> dict[str, Any]:
    return {"get": {
        "summary": summary, "operationId": op,
        "parameters": [{"name": name, "in": "path", "required": True, "schema": _S,
                        "description": "URL-encoded id (e.g. arxiv%3Acs.LG, openalex%3Asubfields%2F1702)"}],
        "responses": {"200": {"description": summary, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{schema}"}}}}, **error_responses(404, 503)},
    }}


PATHS = {
    "/api/topics/{topic_id}": _path("topic_id", "A topic: hierarchy, top authors, recent works, related topics",
                                    "topic", "TopicPage"),
    "/api/institutions/{institution_id}": _path(
        "institution_id", "An institution: authors, recent works, partner institutions, topics",
        "institution", "InstitutionPage"),
}


@bp.get("/topics/<path:topic_id>")
def topic(topic_id: str) -> Response:
    page = graph_topics.topic(get_db(), topic_id)
    return jsonify({**asdict(page), "url": entity_href("topic", page.id)})


@bp.get("/institutions/<path:institution_id>")
def institution(institution_id: str) -> Response:
    page = graph_institutions.institution(get_db(), institution_id)
    return jsonify({**asdict(page), "url": entity_href("institution", page.id)})
