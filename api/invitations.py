"""``/api/invitations``: invite a claimed researcher to collaborate, answer invitations, say who may invite you.

The rules are in ``accounts/invitations.py``; this module checks who is asking, reads the body, sends the mails.
Every POST/PUT needs the CSRF token (``accounts.web``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Literal, TypeVar

from flask import current_app, request

from accounts import invitations as inv
from accounts import web
from api import ApiError
from api.accounts import signed_in, signed_in_admin
from api.models import (
    InvitationBox,
    InvitationDecision,
    InvitationReports,
    InvitationRequest,
    InviteSettings,
    ReportReview,
    Watches,
    WatchRequest,
)
from api.spec import Query, operation
from graph import accounts as graph_accounts
from graph.ext import get_db

T = TypeVar("T")
BOX = Query.string("box", choices=["inbox", "outbox"], description="inbox (received, the default) or outbox (sent)")
_INVITATION = {"invitation_id": "the invitation's id"}




def _read(kind: type[T], *, optional: bool = False) -> T:
    """The JSON body as ``kind``: unknown keys and missing required ones are refused with their names."""
    body = request.get_json(silent=True)
    if body is None and optional:
        body = {}
    if not isinstance(body, dict):
        raise ApiError(400, "bad_body", "send a JSON object in the request body (Content-Type: application/json)")
    names = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(body) - names)
    if unknown:
        raise ApiError(400, "bad_body", f"unknown field(s) {', '.join(unknown)}; expected {', '.join(sorted(names))}")
    try:
        return kind(**body)
    except TypeError:
        raise ApiError(400, "bad_body", f"the body needs the field(s) {', '.join(sorted(names))}") from None


def _limited(call: Callable[[], T]) -> T:
    try:
        return call()
    except inv.LimitReached as exc:
        raise ApiError(429, exc.code, exc.message, {"Retry-After": str(exc.retry_after)}) from None


@operation("POST", "/invitations", summary="Invite the owner of a claimed author to collaborate (verified "
                                           "accounts, at least 7 days old); limits in the README",
           operation_id="invitationSend", answer=inv.InvitationView, answer_text="The invitation, pending",
           status=201, body=InvitationRequest, errors=(400, 401, 403, 404, 409, 429, 503))
def invitation_send() -> inv.InvitationView:
    account = signed_in()
    req = _read(InvitationRequest)
    if not isinstance(req.to, str) or not req.to.strip():
        raise ApiError(400, "bad_to", "'to' must be an author id")
    if req.via is not None and not isinstance(req.via, str):
        raise ApiError(400, "bad_via", "'via' must be an author id or null")
    db = get_db()
    graph_accounts.claim_facts(db, req.to)  # 404 for an unknown author, before anything is kept
    rules = inv.for_app()
    context = inv.recommendation_context(db, req.via, req.to) if req.via else None
    view, recipient = _limited(lambda: rules.send(account.id, req.to, req.message, near=inv.near_in(db),
                                                  from_author=req.via, context=context))
    acc = web.get()
    inv.mail_sent(acc.mailer, current_app.config["PUBLIC_URL"], recipient, view)
    return view


@operation("GET", "/invitations", summary="Your received (inbox) or sent (outbox) invitations, newest first",
           operation_id="invitationBox", answer=InvitationBox, errors=(400, 401), params=[BOX])
def invitation_box() -> InvitationBox:
    account = signed_in()
    box: Literal["inbox", "outbox"] = "outbox" if BOX.read() == "outbox" else "inbox"
    return InvitationBox(box, inv.for_app().box(account.id, box))


def _decide(action: str) -> Callable[[int], inv.InvitationView]:
    def decide(invitation_id: int) -> inv.InvitationView:
        account = signed_in()
        req = _read(InvitationDecision, optional=True)
        view, sender, shared = inv.for_app().decide(account.id, invitation_id, action, share_email=req.share_email,
                                                    reason=req.reason)
        inv.mail_decided(web.get().mailer, current_app.config["PUBLIC_URL"], sender, view, shared)
        return view

    decide.__name__ = f"invitation_{action}"
    return decide


_WHAT = {"accept": "Accept (optionally sharing your address with the sender)", "decline": "Decline",
         "block": "Block the sender: no further invitations or follows from them",
         "report": "Report the invitation to the admins (their review page)"}
for _action, _summary in _WHAT.items():
    operation("POST", f"/invitations/<int:invitation_id>/{_action}", summary=_summary,
              operation_id=f"invitation{_action.title()}", answer=inv.InvitationView, body=InvitationDecision,
              errors=(400, 401, 403, 404, 409), path_params=_INVITATION)(_decide(_action))


@operation("GET", "/invitations/settings", summary="Who may invite you", operation_id="invitationSettings",
           answer=InviteSettings, errors=(401,))
def invitation_settings() -> InviteSettings:
    return InviteSettings(inv.for_app().who(signed_in().id))  # type: ignore[arg-type]


@operation("PUT", "/invitations/settings", summary="Choose who may invite you: nobody, followers, verified, "
                                                   "coauthors2 (co-authors of co-authors)",
           operation_id="invitationSettingsSet", answer=InviteSettings, body=InviteSettings, errors=(400, 401, 403))
def invitation_settings_set() -> InviteSettings:
    account = signed_in()
    return InviteSettings(inv.for_app().set_who(account.id, _read(InviteSettings).who))  # type: ignore[arg-type]


@operation("POST", "/invitations/watches", summary="Tell me (by mail) when this unclaimed profile is claimed",
           operation_id="invitationWatch", answer=inv.Watch, status=201, body=WatchRequest,
           errors=(400, 401, 403, 404, 409, 503))
def invitation_watch() -> inv.Watch:
    account = signed_in()
    author = _read(WatchRequest).author
    if not isinstance(author, str) or not author.strip():
        raise ApiError(400, "bad_author", "'author' must be an author id")
    graph_accounts.claim_facts(get_db(), author)  # 404 for an unknown author
    return inv.for_app().watch(account.id, author)


@operation("GET", "/invitations/watches", summary="The profiles you asked to be told about",
           operation_id="invitationWatches", answer=Watches, errors=(401,))
def invitation_watches() -> Watches:
    return Watches(inv.for_app().watches(signed_in().id))


@operation("GET", "/admin/invitation-reports", summary="Reported invitations not reviewed yet (admins)",
           operation_id="adminInvitationReports", answer=InvitationReports, errors=(401, 403))
def admin_invitation_reports() -> InvitationReports:
    signed_in_admin()
    return InvitationReports(inv.for_app().reports())


@operation("POST", "/admin/invitation-reports/<int:invitation_id>", summary="Mark a report reviewed (admins)",
           operation_id="adminInvitationReview", answer=inv.ReportView, body=ReportReview,
           errors=(400, 401, 403, 404), path_params=_INVITATION)
def admin_invitation_review(invitation_id: int) -> inv.ReportView:
    admin = signed_in_admin()
    return inv.for_app().review(admin.id, invitation_id, _read(ReportReview).reason)

