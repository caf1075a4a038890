"""Identity corrections through the API (issue 11): clusters of a profile, split and merge.

``GET /api/authors/<id>/clusters`` says whether the profile may hold several people. ``POST .../split`` and
``POST .../merge`` run the CLI's corrections (``loaders.corrections``) for the people allowed to
(``accounts.identity``): the server checks the right, the CSRF token is checked for every state-changing
request (``accounts.web``), and an audit row is kept in the account store.
"""

from __future__ import annotations

from flask import Response

from accounts import identity as account_identity
from accounts import web
from accounts.identity import MergeRequestView
from api import ApiError, bp, error_response
from api import models as m
from api.spec import Query, operation, read_body
from graph import clusters as graph_clusters
from graph.ext import get_db
from loaders.corrections import IdentityError, MergeResult, UnknownAuthor
from views.links import entity_href

_ID = {"author_id": "Author id, URL-encoded (e.g. name%3Ageiger_m)"}


def _identity_error(exc: IdentityError) -> Response:
    if isinstance(exc, UnknownAuthor):
        return error_response(404, "not_found", str(exc))
    return error_response(422, "correction_refused", str(exc))


bp.register_error_handler(IdentityError, _identity_error)


@operation("GET", "/authors/<path:author_id>/clusters",
           summary="Whether the profile may hold several people: its works in clusters of shared co-authors, "
                   "institutions and topics, with the evidence of each",
           operation_id="authorClusters", answer=graph_clusters.Clusters, answer_text="The clusters, largest first",
           errors=(404, 503), path_params=_ID)
def author_clusters(author_id: str) -> graph_clusters.Clusters:
    return graph_clusters.clusters(get_db(), author_id)


@operation("POST", "/authors/<path:author_id>/split",
           summary="Split works off this author into a new person (admins, or the verified owner at L2+); stored, "
                   "so later loads keep them apart",
           operation_id="authorSplit", answer=m.SplitAnswer, answer_text="Split (or already split before)",
           errors=(400, 401, 403, 404, 422, 503), path_params=_ID, body=m.SplitRequest)
def author_split(author_id: str) -> m.SplitAnswer:
    body = read_body(m.SplitRequest)
    if len(body.papers) > graph_clusters.MAX_WORKS:
        raise ApiError(400, "bad_body", f"'papers' lists {len(body.papers)} ids; split at most "
                                        f"{graph_clusters.MAX_WORKS} at a time")
    acc = web.get()
    result = account_identity.split(acc.store, get_db(), web.current_account(), author_id, body.papers)
    return m.SplitAnswer(author=result.source, person=result.person, moved=result.moved,
                       url=entity_href("author", result.person) if result.person else None, message=result.line())


@operation("POST", "/authors/<path:author_id>/merge",
           summary="Merge this author into another one (admins): its works move, its id redirects to the survivor",
           operation_id="authorMerge", answer=m.MergeAnswer, answer_text="Merged (or already merged before)",
           errors=(400, 401, 403, 404, 422, 503), path_params=_ID, body=m.MergeInto)
def author_merge(author_id: str) -> m.MergeAnswer:
    body = read_body(m.MergeInto)
    acc = web.get()
    return _merge_answer(account_identity.merge(acc.store, get_db(), web.current_account(), author_id, body.into))


def _merge_answer(result: MergeResult) -> m.MergeAnswer:
    return m.MergeAnswer(author=result.source, survivor=result.survivor, moved=result.moved, already=result.already,
                       url=entity_href("author", result.survivor), message=result.line())


@operation("POST", "/authors/<path:author_id>/merge-requests",
           summary="Ask that another author is merged into this profile (its verified owner, L2+); an admin "
                   "approves or rejects",
           operation_id="authorMergeRequest", answer=MergeRequestView, answer_text="The request, pending",
           status=202, errors=(400, 401, 403, 404, 409, 422, 503), path_params=_ID, body=m.MergeAsk)
def author_merge_request(author_id: str) -> MergeRequestView:
    body = read_body(m.MergeAsk)
    return account_identity.request_merge(web.get().store, get_db(), web.current_account(), author_id,
                                          body.source, body.note)


STATUS = Query.string("status", choices=["pending", "approved", "rejected"], description="only these requests")


@operation("GET", "/admin/merge-requests", summary="Merge requests for review (admins)",
           operation_id="adminMergeRequests", answer=m.MergeRequests, answer_text="Oldest first",
           errors=(400, 401, 403), params=[STATUS])
def admin_merge_requests() -> m.MergeRequests:
    return m.MergeRequests(account_identity.merge_requests(web.get().store, web.current_account(), STATUS.read()))


@operation("POST", "/admin/merge-requests/<int:request_id>",
           summary="Decide a merge request (admins): approve makes the merge, reject closes it; a merge the graph "
                   "refuses answers 422 and the request stays pending",
           operation_id="adminMergeDecide", answer=m.MergeDecided, answer_text="The request, decided",
           errors=(400, 401, 403, 404, 409, 422, 503), path_params={"request_id": "Merge request id"},
           body=m.MergeDecision)
def admin_merge_decide(request_id: int) -> m.MergeDecided:
    body = read_body(m.MergeDecision)
    request, result = account_identity.decide_merge(web.get().store, get_db(), web.current_account(), request_id,
                                                    body.decision, body.reason)
    return m.MergeDecided(request, _merge_answer(result) if result else None)
