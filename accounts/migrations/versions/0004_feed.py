"""The feed and the digest: per-follow mute, feed events and items, digest settings and sent digests.

Revision ID: 0004_feed
Revises: 0003_merge_requests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_feed"
down_revision = "0003_merge_requests"


def upgrade() -> None:
    op.create_table(
        "follow_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.String(300), nullable=False),
        sa.Column("muted", sa.Boolean, nullable=False),
        sa.UniqueConstraint("account_id", "author_id"),
    )
    op.create_index("ix_follow_settings_account_id", "follow_settings", ["account_id"])
    op.create_table(
        "feed_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(600), nullable=False, unique=True),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("author_id", sa.String(300), nullable=False),
        sa.Column("owner_account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True),
        sa.Column("date", sa.String(30), nullable=True),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("detected_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_feed_events_author_id", "feed_events", ["author_id"])
    op.create_index("ix_feed_events_detected_at", "feed_events", ["detected_at"])
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("feed_events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("read_at", sa.DateTime, nullable=True),
        sa.Column("digested_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("account_id", "event_id"),
    )
    op.create_index("ix_feed_items_account", "feed_items", ["account_id", "id"])
    op.create_index("ix_feed_items_event_id", "feed_items", ["event_id"])
    op.create_table(
        "digest_settings",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("period", sa.String(10), nullable=False),
    )
    op.create_table(
        "digests_sent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period_key", sa.String(30), nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("account_id", "period_key"),
    )
    op.create_index("ix_digests_sent_account_id", "digests_sent", ["account_id"])


def downgrade() -> None:
    for table in ("digests_sent", "digest_settings", "feed_items", "feed_events", "follow_settings"):
        op.drop_table(table)
