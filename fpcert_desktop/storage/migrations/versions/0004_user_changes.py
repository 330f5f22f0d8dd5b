"""Add the user change form (用户变更表): recorded rows, filings and registry snapshots.

Each filing keeps a snapshot of the users in its office's scope, so the next form can be
proposed from what changed since. Existing tables are left alone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_change_filings",
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("reporting_office_code", sa.String(12), nullable=False),
        sa.Column("filler", sa.String(64), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporting_office_code"],
            ["offices.code"],
            name="fk_user_change_filings_reporting_office_code_offices",
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["users.user_id"], name="fk_user_change_filings_filed_by_users"
        ),
        sa.PrimaryKeyConstraint("filing_id", name="pk_user_change_filings"),
    )
    op.create_index(
        "ix_user_change_filings_reporting_office_code",
        "user_change_filings",
        ["reporting_office_code"],
    )

    op.create_table(
        "user_changes",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("reporting_office_code", sa.String(12), nullable=False),
        sa.Column("unit_office_code", sa.String(12), nullable=True),
        sa.Column("unit_name", sa.String(100), nullable=False),
        sa.Column("change_type", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("new_name", sa.String(64), nullable=True),
        sa.Column("new_id_number", sa.String(18), nullable=True),
        sa.Column("new_role", sa.String(16), nullable=True),
        sa.Column("new_phone", sa.String(20), nullable=True),
        sa.Column("workstation", sa.String(4), nullable=True),
        sa.Column("remarks", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("new_user_id", sa.Integer(), nullable=True),
        sa.Column("cert_fingerprint", sa.String(64), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporting_office_code"],
            ["offices.code"],
            name="fk_user_changes_reporting_office_code_offices",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.user_id"], name="fk_user_changes_recorded_by_users"
        ),
        sa.ForeignKeyConstraint(
            ["filing_id"],
            ["user_change_filings.filing_id"],
            name="fk_user_changes_filing_id_user_change_filings",
        ),
        sa.PrimaryKeyConstraint("change_id", name="pk_user_changes"),
    )
    op.create_index(
        "ix_user_changes_reporting_office_code", "user_changes", ["reporting_office_code"]
    )
    op.create_index("ix_user_changes_filing_id", "user_changes", ["filing_id"])

    op.create_table(
        "user_registry_snapshots",
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("cert_fingerprint", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("workstation", sa.String(4), nullable=True),
        sa.ForeignKeyConstraint(
            ["filing_id"],
            ["user_change_filings.filing_id"],
            name="fk_user_registry_snapshots_filing_id_user_change_filings",
        ),
        sa.PrimaryKeyConstraint("filing_id", "user_id", name="pk_user_registry_snapshots"),
    )


def downgrade() -> None:
    op.drop_table("user_registry_snapshots")
    op.drop_index("ix_user_changes_filing_id", table_name="user_changes")
    op.drop_index("ix_user_changes_reporting_office_code", table_name="user_changes")
    op.drop_table("user_changes")
    op.drop_index("ix_user_change_filings_reporting_office_code", table_name="user_change_filings")
    op.drop_table("user_change_filings")
