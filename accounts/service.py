"""Claims across the two stores: evidence from the graph, decisions in the account store, public facts back
onto the Author node. The only module that holds both a ``Store`` and a ``Graph``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from accounts.ror import RorIndex, email_domain
from accounts.store import AccountView, ClaimView, Store
from graph import accounts as graph_accounts
from graph import trust
from graph.db import Graph
from graph.errors import NotFound


def claim_state(store: Store, author_id: str) -> trust.ClaimState:
    claim = store.author_claim(author_id)
    if claim is None:
        return trust.ClaimState()
    # Evidence shown publicly: its kind and what it rests on, never the claimant's address or name.
    public = [{k: v for k, v in e.items() if k in {"kind", "domain", "ror", "institution", "orcid", "at"}}
              for e in claim.evidence]
    return trust.ClaimState(claim.status, claim.level, public)


def evidence_for(account: AccountView, facts: graph_accounts.ClaimFacts,
                 ror: RorIndex) -> tuple[str | None, list[dict[str, Any]]]:
    """The level the claimant's evidence proves (L3, L2 or None: an admin decides) and that evidence."""
    evidence: list[dict[str, Any]] = []
    if account.orcid and facts.orcid and account.orcid == facts.orcid:
        evidence.append({"kind": "orcid_signin", "orcid": facts.orcid})
        return "L3", evidence
    domain = email_domain(account.email)
    for inst in facts.institutions:
        for ror_id, inst_domain in ror.match(domain, [inst.ror]):
            evidence.append({"kind": "email_domain", "domain": inst_domain, "ror": f"https://ror.org/{ror_id}",
                             "institution": inst.id, "last_year": inst.last_year})
    if evidence:
        return "L2", evidence
    return None, [{"kind": "none", "note": "no ORCID sign-in matching the author's iD and no address at an "
                                           "institution of the last five years: waits for an admin"}]


def open_claim(store: Store, db: Graph, ror: RorIndex, account: AccountView, author_id: str) -> ClaimView:
    facts = graph_accounts.claim_facts(db, author_id)  # NotFound for an unknown author, before anything is kept
    level, evidence = evidence_for(account, facts, ror)
    claim = store.open_claim(account.id, author_id, level=level, evidence=evidence)
    refresh_author(store, db, author_id)
    return claim


def refresh_author(store: Store, db: Graph, author_id: str) -> trust.Trust | None:
    """Recompute the trust snapshot and write the public facts onto the Author (None: no such author)."""
    state = claim_state(store, author_id)
    try:
        snap = trust.snapshot(db, author_id, state)
    except NotFound:
        return None
    graph_accounts.set_public_facts(db, author_id, claimed=state.status == "claimed", level=snap.level,
                                    followers=store.followers(author_id), trust_score=snap.score,
                                    trust_band=snap.band)
    if state.status == "claimed":  # issue 13: "tell me when this profile is claimed"
        from accounts.invitations import notify_claimed_in_app

        notify_claimed_in_app(store, author_id)
    return snap


def today() -> datetime:
    return datetime.now(UTC)


# -- mails ------------------------------------------------------------------------------------------------------
def register_and_mail(acc: Any, public_url: str, email: object, password: object, name: object) -> None:
    """Sign up and mail the link; for an address that has an account, mail its owner a note instead (the caller
    answers the same either way). ``acc``: ``accounts.web.Accounts``."""
    address, token = acc.store.register(email, password, name)
    base = public_url.rstrip("/")
    if token is not None:
        acc.mailer.send(address, "Confirm your peergraph account",
                        "Open this link to confirm your address (it works once, for 24 hours):\n\n"
                        f"{base}/account/verify?token={token}\n\nIf you did not sign up, ignore this mail.")
    else:
        acc.mailer.send(address, "Someone tried to sign up with your address",
                        "Somebody tried to create a peergraph account with this address, which already has one.\n"
                        f"If it was you, log in at {base}/account/login, or reset your password there.\n")


def reset_and_mail(acc: Any, public_url: str, email: object) -> None:
    """Mail a reset link when the address has an account; nothing otherwise (the caller answers alike)."""
    found = acc.store.request_reset(email)
    if found is not None:
        address, token = found
        acc.mailer.send(address, "Reset your peergraph password",
                        "Open this link to choose a new password (it works once, for 24 hours):\n\n"
                        f"{public_url.rstrip('/')}/account/reset?token={token}\n\n"
                        "If you did not ask for it, ignore this mail.")
