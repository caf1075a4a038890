"""``/api/topics/<id>`` and ``/api/institutions/<id>``: what the topic and institution pages show."""

from __future__ import annotations

from api.models import Institution, Topic
from api.spec import operation
from graph import institutions as graph_institutions
from graph import topics as graph_topics
from graph.ext import get_db

_ID_TEXT = "URL-encoded id (e.g. arxiv%3Acs.LG, openalex%3Asubfields%2F1702)"


@operation("GET", "/topics/<path:topic_id>", summary="A topic: hierarchy, top authors, recent works, related topics",
           operation_id="topic", answer=Topic, errors=(404, 503), path_params={"topic_id": _ID_TEXT})
def topic(topic_id: str) -> Topic:
    return Topic.of(graph_topics.topic(get_db(), topic_id))


@operation("GET", "/institutions/<path:institution_id>",
           summary="An institution: authors, recent works, partner institutions, topics", operation_id="institution",
           answer=Institution, errors=(404, 503), path_params={"institution_id": _ID_TEXT})
def institution(institution_id: str) -> Institution:
    return Institution.of(graph_institutions.institution(get_db(), institution_id))
