"""Invitations to collaborate: invitations, recipients' settings, blocks, "tell me when claimed" watches.

Revision ID: 0002_invitations
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_invitations"
down_revision = "0001"

_ACCOUNT = ("accounts.id",)


def _account(name: str, **kw: object) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey(*_ACCOUNT, ondelete="CASCADE"), nullable=False, **kw)


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer, primary_key=True),
        _account("sender_id"),
        _account("recipient_id"),
        sa.Column("to_author_id", sa.String(300), nullable=False),
        sa.Column("from_author_id", sa.String(300), nullable=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("share_email", sa.Boolean, nullable=False),
        sa.Column("report_reason", sa.Text, nullable=True),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_invitations_sender_created", "invitations", ["sender_id", "created_at"])
    op.create_index("ix_invitations_recipient_status", "invitations", ["recipient_id", "status"])
    op.create_table(
        "invite_settings",
        sa.Column("account_id", sa.Integer, sa.ForeignKey(*_ACCOUNT, ondelete="CASCADE"), primary_key=True),
        sa.Column("who", sa.String(12), nullable=False),
    )
    op.create_table(
        "invite_blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        _account("account_id"),
        _account("blocked_id"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("account_id", "blocked_id"),
    )
    op.create_index("ix_invite_blocks_account_id", "invite_blocks", ["account_id"])
    op.create_index("ix_invite_blocks_blocked_id", "invite_blocks", ["blocked_id"])
    op.create_table(
        "claim_watches",
        sa.Column("id", sa.Integer, primary_key=True),
        _account("account_id"),
        sa.Column("author_id", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("notified_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("account_id", "author_id"),
    )
    op.create_index("ix_claim_watches_account_id", "claim_watches", ["account_id"])
    op.create_index("ix_claim_watches_author_id", "claim_watches", ["author_id"])


def downgrade() -> None:
    for table in ("claim_watches", "invite_blocks", "invite_settings", "invitations"):
        op.drop_table(table)
