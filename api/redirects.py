"""Old author ids keep working: a merged-away id answers 301 to the survivor's URL, for the API and the pages.

``GET /api/authors/<old>`` (and ``/works``, ``/neighbourhood``, ``/recommendations``,
``/trust``, ``/export``) redirect to the same route with the surviving id, the query
string kept; ``/author/<old>`` redirects to ``/author/<new>``. Chains of merges are
followed to their end. Only reads redirect: a POST to an old id (a claim, a follow)
is answered by its own route, so a client never silently acts on another id.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from api import bp
from graph.errors import GraphError, GraphUnavailable
from graph.ext import get_db
from graph.redirects import survivor

PAGE_PREFIX = "/author/"


def _target(author_id: str, *, api: bool) -> str | None:
    try:
        return survivor(get_db(), author_id)
    except GraphUnavailable:
        if api:
            # Answer 503 now: falling through would wait out a hung Neo4j's timeouts a second time.
            raise
        return None  # the page shows its own banner
    except GraphError:
        return None  # the route itself answers with the error


@bp.before_app_request
def follow_merges() -> Response | None:
    """301 to the surviving author's URL when the request names a merged-away author."""
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.query_string.decode("latin-1")
    suffix = f"?{query}" if query else ""
    args = request.view_args or {}
    if request.blueprint == "api" and isinstance(args.get("author_id"), str) and request.endpoint:
        target = _target(args["author_id"], api=True)
        if target is None:
            return None
        return redirect(url_for(request.endpoint, **{**args, "author_id": target}) + suffix, code=301)
    if request.path.startswith(PAGE_PREFIX) and len(request.path) > len(PAGE_PREFIX):
        target = _target(request.path[len(PAGE_PREFIX):], api=False)
        if target is None:
            return None
        return redirect(f"{request.script_root}{PAGE_PREFIX}{quote(target, safe='')}{suffix}", code=301)
    return None
