"""``GET /api/search``: full-text search over authors, papers, topics and institutions."""

from __future__ import annotations

from api import NOT_BLANK, SPACE
from api.models import SearchHit, SearchResults
from api.spec import Query, operation
from graph import search as search_graph
from graph.ext import get_db

Q = Query.string("q", required=True, max_length=200,
                 schema={"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
                 description="words; each must match a word or the start of one (\"geig\" finds Geiger)")
# Blank is "any type" (a form's empty choice), so a pattern rather than an enum.
TYPE = Query.string("type", choices=search_graph.TYPES,
                    schema={"type": "string", "pattern": rf"^{SPACE}*({'|'.join(search_graph.TYPES)})?{SPACE}*$"},
                    description="one of " + ", ".join(search_graph.TYPES) + "; blank: any")
LIMIT = Query.integer("limit", 10, minimum=1, maximum=search_graph.MAX_LIMIT)


@operation("GET", "/search", summary="Search authors, papers, topics and institutions by name or title "
                                     "(prefix matching)",
           operation_id="search", answer=SearchResults, answer_text="Matches, best first", errors=(400, 503),
           params=[Q, TYPE, LIMIT])
def search() -> SearchResults:
    q, kind, limit = Q.read(), TYPE.read(), LIMIT.read()
    hits = search_graph.search(get_db(), q or "", type=kind, limit=limit)
    return SearchResults(query=q, type=kind, results=[SearchHit.of(h) for h in hits])
