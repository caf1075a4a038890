"""``/api/authors/<id>``: a researcher's profile, works and recommendations.

Ids contain ``:`` and may contain ``/`` (``name:geiger_m``, ``openalex:A5023888391``):
the routes take them with the ``path`` converter; clients URL-encode them.
"""

from __future__ import annotations

from api.models import AuthorProfile, RecommendationEntry, Recommendations
from api.spec import Query, operation
from graph import authors as graph_authors
from graph import metrics as graph_metrics
from graph import recommend as graph_recommend
from graph.ext import get_db

MAX_COLLABORATORS = 200
MAX_TOPICS = 100
MAX_OFFSET = 1_000_000
_ID = {"author_id": "Author id, URL-encoded (e.g. name%3Ageiger_m)"}

COLLABORATORS = Query.integer("collaborators", 20, minimum=1, maximum=MAX_COLLABORATORS,
                              description="how many collaborators to list")
TOPICS = Query.integer("topics", 10, minimum=1, maximum=MAX_TOPICS, description="how many topics to list")
WORKS_LIMIT = Query.integer("limit", 20, minimum=1, maximum=graph_authors.MAX_WORKS_LIMIT)
OFFSET = Query.integer("offset", 0, minimum=0, maximum=MAX_OFFSET)
RECOMMENDATIONS = Query.integer("limit", 10, minimum=1, maximum=graph_recommend.MAX_LIMIT)


@operation("GET", "/authors/<path:author_id>/works", summary="A researcher's works, newest first, paged",
           operation_id="authorWorks", answer=graph_authors.WorksPage, answer_text="One page of works",
           errors=(400, 404, 503), params=[WORKS_LIMIT, OFFSET], path_params=_ID)
def author_works(author_id: str) -> graph_authors.WorksPage:
    limit, offset = WORKS_LIMIT.read(), OFFSET.read()
    return graph_authors.works(get_db(), author_id, limit=limit, offset=offset)


@operation("GET", "/authors/<path:author_id>/recommendations",
           summary="People to work with: friends of friends (Adamic-Adar) and people on the same topics, "
                   "with reasons and introducers",
           operation_id="authorRecommendations", answer=Recommendations, answer_text="Recommendations, best first",
           errors=(400, 404, 503), params=[RECOMMENDATIONS], path_params=_ID)
def author_recommendations(author_id: str) -> Recommendations:
    items = graph_recommend.recommendations(get_db(), author_id, limit=RECOMMENDATIONS.read())
    return Recommendations(author=author_id, items=[RecommendationEntry.of(r) for r in items])


@operation("GET", "/authors/<path:author_id>",
           summary="A researcher's profile: counts, citations, h-index, topics, institutions, collaborators, "
                   "works per year",
           operation_id="authorProfile", answer=AuthorProfile, answer_text="The profile", errors=(400, 404, 503),
           params=[COLLABORATORS, TOPICS], path_params=_ID)
def author_profile(author_id: str) -> AuthorProfile:
    collaborators, topics = COLLABORATORS.read(), TOPICS.read()
    full = graph_authors.full_profile(get_db(), author_id, collaborators=collaborators, topics=topics)
    from api.accounts import profile_extras  # issue 12: claim, verification, followers, trust

    return AuthorProfile.of(full, graph_metrics.author_metrics(get_db(), full.profile.id),
                            profile_extras(full.profile.id))
