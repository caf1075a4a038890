"""Merge requests: a verified owner asks that another author be merged into their profile (issue 11).

Revision ID: 0003_merge_requests
Revises: 0002_invitations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_merge_requests"
down_revision = "0002_invitations"


def upgrade() -> None:
    op.create_table(
        "merge_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
        sa.Column("author_id", sa.String(300), nullable=False),
        sa.Column("source_id", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_merge_requests_status", "merge_requests", ["status"])


def downgrade() -> None:
    op.drop_table("merge_requests")
