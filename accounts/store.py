"""The account store: engine, migrations on start-up, and every operation on accounts, sessions and claims.

Tokens (session cookies, mailed links) are 32 random bytes; only their SHA-256 is stored.
Every claim decision and account change writes an ``Audit`` row in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from accounts import passwords
from accounts.models import Account, Audit, Claim, EmailToken, Follow, Session, utcnow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
TOKEN_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(days=14)
ACTIVE = ("pending", "claimed", "disputed")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"^[^@\s]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")


class AccountError(ValueError):
    """Bad input to an account operation; ``code`` is the API's error code, the message says what was wrong."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_email(email: object) -> str:
    if not isinstance(email, str) or not EMAIL_RE.match(email.strip()) or len(email.strip()) > 320:
        raise AccountError("bad_email", "'email' must be an e-mail address such as name@example.org")
    return email.strip().lower()


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise AccountError("bad_name", "'name' (the display name) is required")
    if len(name.strip()) > 200:
        raise AccountError("bad_name", "'name' must have at most 200 characters")
    return name.strip()


def check_password(password: object) -> str:
    try:
        return passwords.check_new(password)
    except passwords.PasswordRejected as exc:
        raise AccountError("bad_password", str(exc)) from None


@dataclass(frozen=True)
class AccountView:
    """An account as the API shows it to its owner."""

    id: int
    email: str
    name: str
    email_verified: bool
    role: str
    orcid: str | None


def view(account: Account) -> AccountView:
    return AccountView(account.id, account.email, account.name, account.email_verified, account.role, account.orcid)


@dataclass(frozen=True)
class ClaimView:
    id: int
    account_id: int
    claimant: str  # the display name: shown to admins and to the owner only
    author_id: str
    status: str
    level: str | None
    evidence: list[dict[str, Any]]
    reason: str | None
    created_at: str
    decided_at: str | None


def claim_view(claim: Claim) -> ClaimView:
    return ClaimView(claim.id, claim.account_id, claim.account.name, claim.author_id, claim.status, claim.level,
                     json.loads(claim.evidence or "[]"), claim.reason, claim.created_at.isoformat() + "Z",
                     claim.decided_at.isoformat() + "Z" if claim.decided_at else None)


def url_for_data_dir(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'accounts.sqlite3'}"


class Store:
    """One engine per process; ``migrate()`` brings the schema to the newest revision."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self, attempts: int = 5) -> None:
        """Upgrade to the newest revision. Several gunicorn workers start at once and may race to create the
        tables: the loser's transaction fails, and its next attempt finds the schema done."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        for attempt in range(attempts):
            try:
                with self.engine.begin() as connection:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                return
            except DBAPIError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def tx(self) -> Iterator[OrmSession]:
        with self._sessions.begin() as s:
            yield s

    # -- accounts --------------------------------------------------------------------------------------------
    def _audit(self, s: OrmSession, actor: str, action: str, *, account_id: int | None = None,
               author_id: str | None = None, claim_id: int | None = None, detail: str = "") -> None:
        s.add(Audit(actor=actor, action=action, account_id=account_id, author_id=author_id, claim_id=claim_id,
                    detail=detail))

    def _token(self, s: OrmSession, account: Account, purpose: str) -> str:
        token = secrets.token_urlsafe(32)
        s.add(EmailToken(account=account, purpose=purpose, token_hash=_hash(token),
                         expires_at=utcnow() + TOKEN_LIFETIME))
        return token

    def register(self, email: object, password: object, name: object) -> tuple[str, str | None]:
        """Create an unverified account. (normalised e-mail, verify token), or (e-mail, None) when the address
        already has an account: the caller answers the same either way and mails the owner instead."""
        address, pw, display = check_email(email), check_password(password), check_name(name)
        hashed = passwords.hash_password(pw)  # also when the address is taken: the same time either way
        with self.tx() as s:
            if s.scalar(select(Account).where(Account.email == address)) is not None:
                return address, None
            account = Account(email=address, name=display, password_hash=hashed, email_verified=False, role="user")
            s.add(account)
            s.flush()
            self._audit(s, str(account.id), "account.register", account_id=account.id)
            return address, self._token(s, account, "verify")

    def _use_token(self, s: OrmSession, token: object, purpose: str) -> Account:
        if not isinstance(token, str) or not token:
            raise AccountError("bad_token", "'token' is required")
        row = s.scalar(select(EmailToken).where(EmailToken.token_hash == _hash(token),
                                                EmailToken.purpose == purpose).with_for_update())
        if row is None or row.used_at is not None or row.expires_at < utcnow():
            raise AccountError("bad_token", "this link is unknown, already used or expired (links last 24 hours); "
                                            "ask for a new one")
        row.used_at = utcnow()
        return row.account

    def verify_email(self, token: object) -> AccountView:
        with self.tx() as s:
            account = self._use_token(s, token, "verify")
            account.email_verified = True
            self._audit(s, str(account.id), "account.verify_email", account_id=account.id)
            return view(account)

    def new_verify_token(self, email: str) -> str | None:
        with self.tx() as s:
            account = s.scalar(select(Account).where(Account.email == email))
            return None if account is None or account.email_verified else self._token(s, account, "verify")

    def login(self, email: object, password: object) -> tuple[AccountView, str] | None:
        """(account, session token) when the pair is right, else None (whatever was wrong)."""
        if not isinstance(email, str) or not isinstance(password, str):
            return None
        with self.tx() as s:
            account = s.scalar(select(Account).where(Account.email == email.strip().lower()))
            if not passwords.verify(account.password_hash if account else None, password) or account is None:
                return None
            if passwords.needs_rehash(account.password_hash):
                account.password_hash = passwords.hash_password(password)
            token = secrets.token_urlsafe(32)
            s.add(Session(account=account, token_hash=_hash(token), expires_at=utcnow() + SESSION_LIFETIME))
            self._audit(s, str(account.id), "account.login", account_id=account.id)
            return view(account), token

    def session_account(self, token: str | None) -> AccountView | None:
        if not token:
            return None
        with self.tx() as s:
            row = s.scalar(select(Session).where(Session.token_hash == _hash(token)))
            if row is None or row.revoked_at is not None or row.expires_at < utcnow():
                return None
            return view(row.account)

    def logout(self, token: str | None) -> None:
        if not token:
            return
        with self.tx() as s:
            row = s.scalar(select(Session).where(Session.token_hash == _hash(token)))
            if row is not None and row.revoked_at is None:
                row.revoked_at = utcnow()
                self._audit(s, str(row.account_id), "account.logout", account_id=row.account_id)

    def _revoke_sessions(self, s: OrmSession, account_id: int, keep: str | None = None) -> None:
        keep_hash = _hash(keep) if keep else None
        for row in s.scalars(select(Session).where(Session.account_id == account_id, Session.revoked_at.is_(None))):
            if row.token_hash != keep_hash:
                row.revoked_at = utcnow()

    def request_reset(self, email: object) -> tuple[str, str] | None:
        """(address, reset token) when the address has an account, else None; the caller answers alike."""
        try:
            address = check_email(email)
        except AccountError:
            return None
        with self.tx() as s:
            account = s.scalar(select(Account).where(Account.email == address))
            if account is None:
                return None
            self._audit(s, str(account.id), "account.reset_requested", account_id=account.id)
            return address, self._token(s, account, "reset")

    def confirm_reset(self, token: object, password: object) -> AccountView:
        pw = check_password(password)
        with self.tx() as s:
            account = self._use_token(s, token, "reset")
            account.password_hash = passwords.hash_password(pw)
            account.email_verified = True  # the link reached the address
            self._revoke_sessions(s, account.id)
            self._audit(s, str(account.id), "account.password_reset", account_id=account.id)
            return view(account)

    def change_password(self, account_id: int, current: object, new: object, keep_session: str | None) -> None:
        pw = check_password(new)
        with self.tx() as s:
            account = s.get_one(Account, account_id)
            if not isinstance(current, str) or not passwords.verify(account.password_hash, current):
                raise AccountError("wrong_password", "the current password is not right", status=403)
            account.password_hash = passwords.hash_password(pw)
            self._revoke_sessions(s, account.id, keep=keep_session)  # other browsers must sign in again
            self._audit(s, str(account.id), "account.password_changed", account_id=account.id)

    def delete_account(self, account_id: int) -> list[str]:
        """Delete the account with its sessions, tokens, claims and follows; the authors whose public facts change
        (open claims or follows gone)."""
        with self.tx() as s:
            account = s.get_one(Account, account_id)
            authors = sorted({c.author_id for c in account.claims if c.status in ACTIVE}
                             | {f.author_id for f in account.follows})
            self._audit(s, str(account_id), "account.delete", detail=json.dumps({"authors_affected": authors}))
            s.delete(account)
            return authors

    def set_role(self, email: str, role: str, actor: str = "cli") -> AccountView:
        with self.tx() as s:
            account = s.scalar(select(Account).where(Account.email == email.strip().lower()))
            if account is None:
                raise AccountError("not_found", f"no account has the address {email.strip()!r}", status=404)
            account.role = role
            self._audit(s, actor, "account.role", account_id=account.id, detail=role)
            return view(account)

    def set_orcid(self, account_id: int, orcid: str) -> None:
        with self.tx() as s:
            account = s.get_one(Account, account_id)
            account.orcid = orcid
            self._audit(s, str(account_id), "account.orcid_linked", account_id=account_id, detail=orcid)

    def account_summary(self, account_id: int) -> dict[str, Any]:
        with self.tx() as s:
            account = s.get_one(Account, account_id)
            return {**view(account).__dict__,
                    "claims": [claim_view(c).__dict__ for c in account.claims],
                    "following": sorted(f.author_id for f in account.follows)}

    # -- claims ----------------------------------------------------------------------------------------------
    def open_claim(self, account_id: int, author_id: str, *, level: str | None,
                   evidence: list[dict[str, Any]]) -> ClaimView:
        """File a claim. ``level`` L2/L3 when the evidence proves it (claimed at once), None to wait for an admin.

        Another account's open claim on the same author makes both ``disputed``: an admin decides."""
        with self.tx() as s:
            account = s.get_one(Account, account_id)
            if not account.email_verified:
                raise AccountError("email_not_verified", "confirm your e-mail address before claiming a profile",
                                   status=403)
            mine = s.scalar(select(Claim).where(Claim.account_id == account_id, Claim.author_id == author_id,
                                                Claim.status.in_(ACTIVE)))
            if mine is not None:
                raise AccountError("already_claimed", f"you already have a {mine.status} claim on {author_id}",
                                   status=409)
            others = list(s.scalars(select(Claim).where(Claim.author_id == author_id, Claim.status.in_(ACTIVE),
                                                         Claim.account_id != account_id).with_for_update()))
            status = "disputed" if others else ("claimed" if level else "pending")
            claim = Claim(account=account, author_id=author_id, status=status,
                          level=level if status == "claimed" else None, evidence=json.dumps(evidence),
                          decided_at=utcnow() if status == "claimed" else None)
            s.add(claim)
            s.flush()
            for other in others:
                if other.status != "disputed":
                    other.status = "disputed"
                    self._audit(s, "system", "claim.disputed", account_id=other.account_id, author_id=author_id,
                                claim_id=other.id, detail=f"a second claim ({claim.id}) was filed")
            self._audit(s, str(account_id), f"claim.{status}", account_id=account_id, author_id=author_id,
                        claim_id=claim.id, detail=json.dumps({"level": claim.level, "evidence": evidence}))
            return claim_view(claim)

    def withdraw(self, account_id: int, author_id: str) -> ClaimView:
        with self.tx() as s:
            claim = s.scalar(select(Claim).where(Claim.account_id == account_id, Claim.author_id == author_id,
                                                 Claim.status.in_(ACTIVE)))
            if claim is None:
                raise AccountError("no_claim", f"you have no open claim on {author_id}", status=404)
            claim.status, claim.decided_at = "withdrawn", utcnow()
            self._audit(s, str(account_id), "claim.withdrawn", account_id=account_id, author_id=author_id,
                        claim_id=claim.id)
            self._undispute(s, author_id)
            return claim_view(claim)

    def _undispute(self, s: OrmSession, author_id: str) -> None:
        """When one disputed claim is left alone it goes back to waiting for an admin."""
        left = list(s.scalars(select(Claim).where(Claim.author_id == author_id, Claim.status.in_(ACTIVE))))
        if len(left) == 1 and left[0].status == "disputed":
            left[0].status = "pending"
            self._audit(s, "system", "claim.pending", account_id=left[0].account_id, author_id=author_id,
                        claim_id=left[0].id, detail="the other claim was withdrawn, rejected or revoked")

    def decide(self, admin_id: int, claim_id: int, decision: object, reason: object) -> ClaimView:
        """An admin's decision: ``approve`` (claimed, L2 unless the evidence already proved L3), ``reject`` or
        ``revoke`` (of a granted claim). Approving one disputed claim rejects the others."""
        if decision not in {"approve", "reject", "revoke"}:
            raise AccountError("bad_decision", "'decision' must be approve, reject or revoke")
        if not isinstance(reason, str) or not reason.strip():
            raise AccountError("missing_reason", "'reason' is required: it is kept with the decision")
        reason = reason.strip()[:2000]
        with self.tx() as s:
            claim = s.get(Claim, claim_id)
            if claim is None:
                raise AccountError("not_found", f"no claim has the id {claim_id}", status=404)
            allowed = {"approve": {"pending", "disputed"}, "reject": {"pending", "disputed"},
                       "revoke": {"claimed"}}[str(decision)]
            if claim.status not in allowed:
                raise AccountError("bad_state", f"claim {claim_id} is {claim.status}; it cannot be {decision}d",
                                   status=409)
            now = utcnow()
            if decision == "approve":
                claim.status, claim.level, claim.decided_at = "claimed", claim.level or "L2", now
                evidence = json.loads(claim.evidence or "[]")
                evidence.append({"kind": "admin_approval", "reason": reason, "at": now.isoformat() + "Z"})
                claim.evidence = json.dumps(evidence)
                for other in s.scalars(select(Claim).where(Claim.author_id == claim.author_id, Claim.id != claim.id,
                                                           Claim.status.in_(ACTIVE))):
                    other.status, other.decided_at, other.reason = "rejected", now, f"claim {claim.id} was approved"
                    self._audit(s, str(admin_id), "claim.rejected", account_id=other.account_id,
                                author_id=other.author_id, claim_id=other.id, detail=other.reason)
            else:
                claim.status = "rejected" if decision == "reject" else "revoked"
                claim.decided_at = now
            claim.reason = reason
            self._audit(s, str(admin_id), f"claim.{claim.status}", account_id=claim.account_id,
                        author_id=claim.author_id, claim_id=claim.id, detail=reason)
            if claim.status in {"rejected", "revoked"}:
                self._undispute(s, claim.author_id)
            return claim_view(claim)

    def claims(self, status: str | None = None, author_id: str | None = None) -> list[ClaimView]:
        with self.tx() as s:
            query = select(Claim).order_by(Claim.created_at, Claim.id)
            if status:
                query = query.where(Claim.status == status)
            if author_id:
                query = query.where(Claim.author_id == author_id)
            return [claim_view(c) for c in s.scalars(query)]

    def author_claim(self, author_id: str) -> ClaimView | None:
        """The claim that decides the author's status: a granted one, else a dispute, else a pending one."""
        rank = {"claimed": 0, "disputed": 1, "pending": 2}
        open_claims = [c for c in self.claims(author_id=author_id) if c.status in rank]
        return min(open_claims, key=lambda c: (rank[c.status], c.id)) if open_claims else None

    def follow(self, account_id: int, author_id: str, on: bool) -> int:
        """Follow (``on``) or unfollow an author; idempotent. The author's follower count after."""
        with self.tx() as s:
            row = s.scalar(select(Follow).where(Follow.account_id == account_id, Follow.author_id == author_id))
            if on and row is None:
                s.add(Follow(account_id=account_id, author_id=author_id))
            elif not on and row is not None:
                s.delete(row)
        return self.followers(author_id)

    def has_accounts(self) -> bool:
        """Whether any account exists (harvests are then for admins only)."""
        with self.tx() as s:
            return s.scalar(select(Account.id).limit(1)) is not None

    def followers(self, author_id: str) -> int:
        with self.tx() as s:
            return int(s.scalar(select(func.count()).select_from(Follow).where(Follow.author_id == author_id)) or 0)

    def account_age_days(self, account_id: int) -> int:
        with self.tx() as s:
            created = s.get_one(Account, account_id).created_at
            return (utcnow() - created).days

    def audit_log(self, *, author_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        with self.tx() as s:
            query = select(Audit).order_by(Audit.id.desc()).limit(limit)
            if author_id:
                query = query.where(Audit.author_id == author_id)
            return [{"id": a.id, "at": a.at.isoformat() + "Z", "actor": a.actor, "action": a.action,
                     "account_id": a.account_id, "author_id": a.author_id, "claim_id": a.claim_id,
                     "detail": a.detail} for a in s.scalars(query)]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE needs it in SQLite
    cursor.execute("PRAGMA journal_mode=WAL")  # several gunicorn workers read while one writes
    cursor.close()


def now_utc() -> datetime:
    return utcnow()
