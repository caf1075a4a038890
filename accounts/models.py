"""The account store's tables (SQLAlchemy 2 typed ORM). Alembic migrations in ``migrations/`` create them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC (SQLite keeps no zone)


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    email_verified: Mapped[bool] = mapped_column(default=False)
    role: Mapped[str] = mapped_column(String(20), default="user")  # user | admin
    orcid: Mapped[str | None] = mapped_column(String(19), default=None)  # proved by ORCID sign-in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[Session]] = relationship(back_populates="account", cascade="all, delete-orphan")
    tokens: Mapped[list[EmailToken]] = relationship(back_populates="account", cascade="all, delete-orphan")
    claims: Mapped[list[Claim]] = relationship(back_populates="account", cascade="all, delete-orphan")
    follows: Mapped[list[Follow]] = relationship(back_populates="account", cascade="all, delete-orphan")


class Session(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a leaked table
    cannot be replayed. Logging out sets ``revoked_at``: the old cookie stops working at once."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    account: Mapped[Account] = relationship(back_populates="sessions")


class EmailToken(Base):
    """A single-use token mailed to the account's address: ``verify`` or ``reset``; SHA-256 stored only."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)

    account: Mapped[Account] = relationship(back_populates="tokens")


class Claim(Base):
    """One account's claim on one Author. ``status``: pending, claimed, disputed, rejected, withdrawn, revoked.
    ``level`` is the verification it rests on (L2 or L3 when granted); ``evidence`` says why, in JSON."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_author_status", "author_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12))
    level: Mapped[str | None] = mapped_column(String(2), default=None)
    evidence: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    account: Mapped[Account] = relationship(back_populates="claims")


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("account_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="follows")


class Audit(Base):
    """Every claim decision and account change. Kept when the account goes: ``account_id`` is then null,
    ``actor`` says who did it (an account id as text, or ``system``/``cli``)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    action: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[str | None] = mapped_column(String(300), default=None)
    claim_id: Mapped[int | None] = mapped_column(default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


# -- invitations to collaborate (issue 13; accounts/invitations.py) --------------------------------------------
class Invitation(Base):
    """One account inviting the owner of a claimed author. ``status``: pending, accepted, declined, blocked,
    reported, expired. The message is plain text; ``context`` (JSON) carries a recommendation's reasons and its
    warm-introduction path when the invitation came from one. ``share_email``: the recipient's choice on accepting."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_sender_created", "sender_id", "created_at"),
                      Index("ix_invitations_recipient_status", "recipient_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    to_author_id: Mapped[str] = mapped_column(String(300))
    from_author_id: Mapped[str | None] = mapped_column(String(300), default=None)
    message: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    share_email: Mapped[bool] = mapped_column(default=False)
    report_reason: Mapped[str | None] = mapped_column(Text, default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    sender: Mapped[Account] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[Account] = relationship(foreign_keys=[recipient_id])


class InviteSetting(Base):
    """Who may invite the account: nobody, followers, verified (any verified researcher), coauthors2."""

    __tablename__ = "invite_settings"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    who: Mapped[str] = mapped_column(String(12), default="verified")


class InviteBlock(Base):
    """The recipient blocked the sender: no further invitations or follows from them."""

    __tablename__ = "invite_blocks"
    __table_args__ = (UniqueConstraint("account_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClaimWatch(Base):
    """"Tell me when this profile is claimed": mailed once, when a claim on the author is granted."""

    __tablename__ = "claim_watches"
    __table_args__ = (UniqueConstraint("account_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(default=None)


class MergeRequest(Base):
    """A verified owner's request that another author (``source_id``) is merged into their profile
    (``author_id``): an admin approves (the merge is made) or rejects it. ``status``: pending, approved,
    rejected. Kept when the account goes (``account_id`` then null)."""

    __tablename__ = "merge_requests"
    __table_args__ = (Index("ix_merge_requests_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    author_id: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


# -- the feed and the digest (issue 13) -------------------------------------------------------------------------
class FollowSetting(Base):
    """Per follow: ``muted`` hides the author's events from the feed and the digest (the follow stays)."""

    __tablename__ = "follow_settings"
    __table_args__ = (UniqueConstraint("account_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(String(300))
    muted: Mapped[bool] = mapped_column(default=False)


class FeedEvent(Base):
    """Something that changed about an author when data was loaded. The facts are public (a paper, a co-author,
    an institution); ``owner_account_id`` is set only for "a new path now connects you", which is about one
    account. ``key`` is unique: loading the same file twice adds no second event."""

    __tablename__ = "feed_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)
    type: Mapped[str] = mapped_column(String(30))
    author_id: Mapped[str] = mapped_column(String(300), index=True)
    owner_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                                         default=None)
    date: Mapped[str | None] = mapped_column(String(30), default=None)  # of the evidence (a paper's date)
    evidence: Mapped[str] = mapped_column(Text, default="{}")
    detected_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class FeedItem(Base):
    """One event in one follower's feed, with its unread marker and whether a digest has carried it."""

    __tablename__ = "feed_items"
    __table_args__ = (UniqueConstraint("account_id", "event_id"), Index("ix_feed_items_account", "account_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("feed_events.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    digested_at: Mapped[datetime | None] = mapped_column(default=None)

    event: Mapped[FeedEvent] = relationship()


class DigestSetting(Base):
    """How often the account gets the e-mail digest: ``weekly`` (the default when there is no row), ``daily``
    or ``off``."""

    __tablename__ = "digest_settings"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), default="weekly")


class DigestSent(Base):
    """One digest per account and period (``weekly:2026-W49``, ``daily:2026-12-04``): the unique pair is what
    makes a second run of the job in the same period send nothing."""

    __tablename__ = "digests_sent"
    __table_args__ = (UniqueConstraint("account_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    period_key: Mapped[str] = mapped_column(String(30))
    items: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
