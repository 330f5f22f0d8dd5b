"""Add the problem list, correction referrals and the counter columns of issuances.

Existing issuances keep NULL in every new column except ``reprint_count`` (0). Their
retention was never recorded, so ``retention`` and ``dispose_after`` stay NULL rather
than being guessed from the purpose, and such rows never appear as due for disposal.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "problem_list_entries",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("materials_location", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("feedback_state", sa.String(16), nullable=False),
        sa.Column("feedback_updated_at", sa.DateTime(), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name="pk_problem_list_entries"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.person_id"], name="fk_problem_list_entries_person_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.user_id"], name="fk_problem_list_entries_entered_by_users"
        ),
        sa.ForeignKeyConstraint(
            ["office_code"], ["offices.code"], name="fk_problem_list_entries_office_code_offices"
        ),
    )
    op.create_index("ix_problem_list_entries_person_id", "problem_list_entries", ["person_id"])

    op.create_table(
        "problem_list_changes",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("change_id", name="pk_problem_list_changes"),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["problem_list_entries.entry_id"],
            name="fk_problem_list_changes_entry_id_problem_list_entries",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_problem_list_changes_user_id_users"
        ),
    )
    op.create_index("ix_problem_list_changes_entry_id", "problem_list_changes", ["entry_id"])

    op.create_table(
        "referrals",
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose_code", sa.String(32), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("responsible_office_code", sa.String(12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolved_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("referral_id", name="pk_referrals"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.person_id"], name="fk_referrals_person_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.user_id"], name="fk_referrals_created_by_users"
        ),
    )
    op.create_index(
        "ix_referrals_person_id_purpose_code", "referrals", ["person_id", "purpose_code"]
    )
    op.create_index(
        "ix_referrals_responsible_office_code", "referrals", ["responsible_office_code"]
    )

    # SQLite cannot add a foreign key to an existing table, so batch mode copies
    # issuances into a new table with the extra columns and keeps every row.
    with op.batch_alter_table("issuances", recreate="always") as batch:
        batch.add_column(sa.Column("originals_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("check_certificate_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("retention", sa.String(16), nullable=True))
        batch.add_column(sa.Column("dispose_after", sa.Date(), nullable=True))
        batch.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("voided_by", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("reprint_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(sa.Column("last_reprint_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("last_reprinted_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_issuances_voided_by_users", "users", ["voided_by"], ["user_id"]
        )
        batch.create_index("ix_issuances_dispose_after", ["dispose_after"])


def downgrade() -> None:
    with op.batch_alter_table("issuances", recreate="always") as batch:
        batch.drop_index("ix_issuances_dispose_after")
        batch.drop_constraint("fk_issuances_voided_by_users", type_="foreignkey")
        for column in (
            "last_reprinted_at",
            "last_reprint_reason",
            "reprint_count",
            "voided_by",
            "void_reason",
            "voided_at",
            "dispose_after",
            "retention",
            "check_certificate_json",
            "originals_json",
        ):
            batch.drop_column(column)

    op.drop_index("ix_referrals_responsible_office_code", table_name="referrals")
    op.drop_index("ix_referrals_person_id_purpose_code", table_name="referrals")
    op.drop_table("referrals")
    op.drop_index("ix_problem_list_changes_entry_id", table_name="problem_list_changes")
    op.drop_table("problem_list_changes")
    op.drop_index("ix_problem_list_entries_person_id", table_name="problem_list_entries")
    op.drop_table("problem_list_entries")
