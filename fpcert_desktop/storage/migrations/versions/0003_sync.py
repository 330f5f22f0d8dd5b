"""Add the sync state, the quarantine of rejected records, the outbox and reference data.

``institutions`` and ``policies`` receive what the server's streams of the same names
send. Existing rows of every other table are left alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-04-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_streams",
        sa.Column("stream", sa.String(32), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("as_of", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("stream", name="pk_sync_streams"),
    )

    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_quarantine"),
    )
    op.create_index("ix_sync_quarantine_stream", "sync_quarantine", ["stream"])

    op.create_table(
        "outbox",
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name="pk_outbox"),
    )
    op.create_index(
        "ix_outbox_kind_sent_at_created_at", "outbox", ["kind", "sent_at", "created_at"]
    )

    op.create_table(
        "institutions",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_institutions"),
    )

    op.create_table(
        "policies",
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_policies"),
    )


def downgrade() -> None:
    op.drop_table("policies")
    op.drop_table("institutions")
    op.drop_index("ix_outbox_kind_sent_at_created_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_sync_quarantine_stream", table_name="sync_quarantine")
    op.drop_table("sync_quarantine")
    op.drop_table("sync_streams")
