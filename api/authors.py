"""``/api/authors/<id>``: a researcher's profile, works and recommendations.

Ids contain ``:`` and may contain ``/`` (``name:geiger_m``, ``openalex:A5023888391``):
the routes take them with the ``path`` converter; clients URL-encode them.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify

from api import bp, int_arg
from api.openapi import error_responses
from dashboards.components import entity_href
from graph import authors as graph_authors
from graph import recommend as graph_recommend
from graph.ext import get_db


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


_LINK = {"type": "object", "additionalProperties": False, "required": ["id", "name"],
         "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
_AFFILIATION = {"type": "object", "additionalProperties": False,
                "required": ["id", "name", "country", "type", "first_year", "last_year", "works"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "country": _nullable("string"),
                               "type": _nullable("string"), "first_year": _nullable("integer"),
                               "last_year": _nullable("integer"), "works": {"type": "integer"}}}

SCHEMAS = {
    "Link": _LINK,
    "Affiliation": _AFFILIATION,
    "AuthorProfile": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "name", "orcid", "name_variants", "url", "affiliation", "counts", "close_collaborator_works",
                     "notes", "topics", "institutions", "collaborators", "works_per_year", "claim", "verification",
                     "followers", "trust"],
        "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "orcid": _nullable("string"),
            "name_variants": {"type": "array", "items": {"type": "string"}},
            "url": {"type": "string", "description": "the profile page"},
            "affiliation": {"oneOf": [_ref("Affiliation"), {"type": "null"}],
                            "description": "the institution of the latest year, null when none is known"},
            "counts": {"type": "object", "additionalProperties": False,
                       "required": ["works", "citations", "h_index", "topics", "collaborators",
                                    "close_collaborators", "incomplete_works"],
                       "properties": {
                           "works": {"type": "integer"},
                           "citations": {**_nullable("integer"),
                                         "description": "sum over the works of max(source count, in-graph "
                                                        "citations); null when no citation data is loaded"},
                           "h_index": {**_nullable("integer"), "description": "null when no citation data"},
                           "topics": {"type": "integer"}, "collaborators": {"type": "integer"},
                           "close_collaborators": {"type": "integer",
                                                   "description": "co-authors with at least "
                                                                  "close_collaborator_works joint works"},
                           "incomplete_works": {"type": "integer",
                                                "description": "works whose author list was cut short"}}},
            "close_collaborator_works": {"type": "integer"},
            "notes": {"type": "array", "items": {"type": "string"},
                      "description": "where the data is incomplete, in words"},
            "topics": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["id", "name", "scheme", "level", "works"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "scheme": _nullable("string"),
                               "level": _nullable("string"), "works": {"type": "integer"}}}},
            "institutions": {"type": "array", "items": _ref("Affiliation")},
            "collaborators": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["id", "name", "works", "first_year", "last_year", "works_count", "close"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                               "works": {"type": "integer", "description": "joint works"},
                               "first_year": _nullable("integer"), "last_year": _nullable("integer"),
                               "works_count": {"type": "integer"}, "close": {"type": "boolean"}}}},
            "claim": {"type": "object", "required": ["status"], "properties": {
                "status": {"enum": ["unclaimed", "pending", "claimed", "disputed"]}}},
            "verification": {"type": "object", "required": ["level", "evidence"], "properties": {
                "level": {"enum": ["L0", "L1", "L2", "L3"]},
                "evidence": {"type": "array", "items": {"type": "object"}}}},
            "followers": {"type": "integer"},
            "trust": {"type": "object", "required": ["score", "band", "version"], "properties": {
                "score": {"type": "integer", "minimum": 0, "maximum": 100}, "band": {"type": "string"},
                "version": {"type": "string"}}, "description": "GET /api/authors/{id}/trust has the breakdown"},
            "works_per_year": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["year", "works", "citations"],
                "properties": {"year": {"type": "integer"}, "works": {"type": "integer"},
                               "citations": {"type": "integer",
                                             "description": "citations to the works of that year"}}}},
        },
    },
    "Work": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "title", "date", "year", "categories", "venue", "type", "has_code", "code_url",
                     "abstract", "doi", "arxiv_id", "cited_by_count", "authors_complete", "author_count",
                     "authors", "topics"],
        "properties": {
            "id": {"type": "string"}, "title": _nullable("string"), "date": _nullable("string"),
            "year": _nullable("integer"), "categories": {"type": "array", "items": {"type": "string"}},
            "venue": _nullable("string"), "type": _nullable("string"), "has_code": {"type": "boolean"},
            "code_url": _nullable("string"), "abstract": _nullable("string"), "doi": _nullable("string"),
            "arxiv_id": _nullable("string"), "cited_by_count": {"type": "integer"},
            "authors_complete": {"type": "boolean"},
            "author_count": {"type": "integer", "description": "as the source gives it"},
            "authors": {"type": "array", "items": _ref("Link"), "description": "in position order (at most 50)"},
            "topics": {"type": "array", "items": _ref("Link")},
        },
    },
    "WorksPage": {
        "type": "object", "additionalProperties": False, "required": ["total", "limit", "offset", "items"],
        "properties": {"total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
                       "items": {"type": "array", "items": _ref("Work")}},
    },
    "Recommendation": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "name", "url", "works_count", "adamic_adar", "topic_score", "reasons", "introducers",
                     "shared_coauthors", "shared_topics"],
        "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"},
            "works_count": {"type": "integer"},
            "adamic_adar": {"type": "number", "description": "sum over shared co-authors z of 1/log(degree(z))"},
            "topic_score": {"type": "number",
                            "description": "sum over shared topics t of min(works on t) / log(2 + papers on t)"},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "introducers": {"type": "array", "items": _ref("Link"),
                            "description": "shared co-authors with the most joint works with both"},
            "shared_coauthors": {"type": "array", "items": _ref("Link")},
            "shared_topics": {"type": "array", "items": _ref("Link")},
        },
    },
    "Recommendations": {
        "type": "object", "additionalProperties": False, "required": ["author", "items"],
        "properties": {"author": {"type": "string"}, "items": {"type": "array", "items": _ref("Recommendation")}},
    },
}

MAX_COLLABORATORS = 200
MAX_TOPICS = 100
MAX_OFFSET = 1_000_000
_ID = {"name": "author_id", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "Author id, URL-encoded (e.g. name%3Ageiger_m)"}


def _ok(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


PATHS = {
    "/api/authors/{author_id}": {"get": {
        "summary": "A researcher's profile: counts, citations, h-index, topics, institutions, collaborators, "
                   "works per year", "operationId": "authorProfile",
        "parameters": [_ID, {"name": "collaborators", "in": "query", "description": "how many collaborators to list",
                             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_COLLABORATORS, "default": 20}},
                       {"name": "topics", "in": "query", "description": "how many topics to list",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_TOPICS, "default": 10}}],
        "responses": {"200": _ok("The profile", "AuthorProfile"), **error_responses(400, 404, 503)},
    }},
    "/api/authors/{author_id}/works": {"get": {
        "summary": "A researcher's works, newest first, paged", "operationId": "authorWorks",
        "parameters": [_ID,
                       {"name": "limit", "in": "query", "schema": {
                           "type": "integer", "minimum": 1, "maximum": graph_authors.MAX_WORKS_LIMIT, "default": 20}},
                       {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0,
                                                                     "maximum": MAX_OFFSET, "default": 0}}],
        "responses": {"200": _ok("One page of works", "WorksPage"), **error_responses(400, 404, 503)},
    }},
    "/api/authors/{author_id}/recommendations": {"get": {
        "summary": "People to work with: friends of friends (Adamic-Adar) and people on the same topics, "
                   "with reasons and introducers", "operationId": "authorRecommendations",
        "parameters": [_ID, {"name": "limit", "in": "query", "schema": {
            "type": "integer", "minimum": 1, "maximum": graph_recommend.MAX_LIMIT, "default": 10}}],
        "responses": {"200": _ok("Recommendations, best first", "Recommendations"),
                      **error_responses(400, 404, 503)},
    }},
}


@bp.get("/authors/<path:author_id>/works")
def author_works(author_id: str):
    limit = int_arg("limit", 20, minimum=1, maximum=graph_authors.MAX_WORKS_LIMIT)
    offset = int_arg("offset", 0, minimum=0, maximum=MAX_OFFSET)
    page = graph_authors.works(get_db(), author_id, limit=limit, offset=offset)
    return jsonify(asdict(page))


@bp.get("/authors/<path:author_id>/recommendations")
def author_recommendations(author_id: str):
    limit = int_arg("limit", 10, minimum=1, maximum=graph_recommend.MAX_LIMIT)
    items = graph_recommend.recommendations(get_db(), author_id, limit=limit)
    return jsonify({"author": author_id, "items": [
        {"id": r.id, "name": r.name, "url": entity_href("author", r.id), "works_count": r.works_count,
         "adamic_adar": round(r.adamic_adar, 6), "topic_score": round(r.topic_score, 6), "reasons": r.reasons,
         "introducers": [asdict(p) for p in r.introducers],
         "shared_coauthors": [asdict(p) for p in r.shared_coauthors],
         "shared_topics": [asdict(p) for p in r.shared_topics]} for r in items]})


@bp.get("/authors/<path:author_id>")
def author_profile(author_id: str):
    collaborators = int_arg("collaborators", 20, minimum=1, maximum=MAX_COLLABORATORS)
    topics = int_arg("topics", 10, minimum=1, maximum=MAX_TOPICS)
    full = graph_authors.full_profile(get_db(), author_id, collaborators=collaborators, topics=topics)
    p = full.profile
    return jsonify({
        "id": p.id, "name": p.name, "orcid": p.orcid, "name_variants": p.name_variants,
        "url": entity_href("author", p.id),
        "affiliation": asdict(p.affiliation) if p.affiliation else None,
        "counts": {"works": p.works_count, "citations": p.cited_by_count, "h_index": p.h_index,
                   "topics": p.topics_count, "collaborators": p.collaborators_count,
                   "close_collaborators": p.close_collaborators_count, "incomplete_works": p.incomplete_works},
        "close_collaborator_works": graph_authors.CLOSE_COLLABORATOR_WORKS,
        "notes": p.notes,
        "topics": [asdict(t) for t in full.topics],
        "institutions": [asdict(i) for i in full.institutions],
        "collaborators": [{**asdict(c), "close": c.close} for c in full.collaborators],
        "works_per_year": [asdict(y) for y in full.per_year],
        **_account_facts(p.id),
    })


def _account_facts(author_id: str) -> dict:
    from api.accounts import profile_extras  # issue 12: claim, verification, followers, trust

    return profile_extras(author_id)
