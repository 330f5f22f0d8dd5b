"""Create the initial schema.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TRIGGERS = {
    "audit_events_no_update": "UPDATE",
    "audit_events_no_delete": "DELETE",
}


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(12), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_offices"),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["offices.code"], name="fk_offices_parent_code_offices"
        ),
    )
    op.create_index("ix_offices_parent_code", "offices", ["parent_code"])

    op.create_table(
        "people",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(16), nullable=False),
        sa.Column("population_type", sa.String(16), nullable=False),
        sa.Column("hukou_category", sa.String(24), nullable=False),
        sa.Column("hukou_address", sa.String(200), nullable=False),
        sa.Column("hukou_division_code", sa.String(12), nullable=False),
        sa.Column("residence_address", sa.String(200), nullable=False),
        sa.Column("residence_division_code", sa.String(12), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("marital_status", sa.String(16), nullable=False),
        sa.Column("marriage_date", sa.Date(), nullable=True),
        sa.Column("spouse_person_id", sa.Integer(), nullable=True),
        sa.Column("spouse_name", sa.String(64), nullable=True),
        sa.Column("spouse_id_number", sa.String(18), nullable=True),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("person_id", name="pk_people"),
        sa.ForeignKeyConstraint(
            ["spouse_person_id"],
            ["people.person_id"],
            name="fk_people_spouse_person_id_people",
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.UniqueConstraint("id_number", name="uq_people_id_number"),
    )
    op.create_index("ix_people_name_birth_date", "people", ["name", "birth_date"])
    op.create_index("ix_people_name_district_code", "people", ["name", "district_code"])
    op.create_index("ix_people_spouse_person_id", "people", ["spouse_person_id"])

    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mother_person_id", sa.Integer(), nullable=True),
        sa.Column("father_person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_order", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_children"),
        sa.ForeignKeyConstraint(
            ["mother_person_id"], ["people.person_id"], name="fk_children_mother_person_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["father_person_id"], ["people.person_id"], name="fk_children_father_person_id_people"
        ),
    )
    op.create_index("ix_children_mother_person_id", "children", ["mother_person_id"])
    op.create_index("ix_children_father_person_id", "children", ["father_person_id"])

    op.create_table(
        "pregnancies",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("expected_delivery", sa.Date(), nullable=True),
        sa.Column("planned_birth_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_pregnancies"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.person_id"], name="fk_pregnancies_person_id_people"
        ),
    )

    op.create_table(
        "users",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("cert_fingerprint", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("workstation", sa.String(4), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
        sa.ForeignKeyConstraint(
            ["office_code"], ["offices.code"], name="fk_users_office_code_offices"
        ),
        sa.UniqueConstraint("cert_fingerprint", name="uq_users_cert_fingerprint"),
    )

    op.create_table(
        "certificate_serials",
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("workstation", sa.String(4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("next_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "office_code", "workstation", "year", name="pk_certificate_serials"
        ),
        sa.ForeignKeyConstraint(
            ["office_code"], ["offices.code"], name="fk_certificate_serials_office_code_offices"
        ),
    )

    op.create_table(
        "issuances",
        sa.Column("issuance_id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("workstation", sa.String(4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose_code", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("print_attempts", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=True),
        sa.Column("printer", sa.String(100), nullable=True),
        sa.Column("print_job", sa.String(100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("issuance_id", name="pk_issuances"),
        sa.ForeignKeyConstraint(
            ["office_code"], ["offices.code"], name="fk_issuances_office_code_offices"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.person_id"], name="fk_issuances_person_id_people"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], name="fk_issuances_user_id_users"),
        sa.UniqueConstraint("number", name="uq_issuances_number"),
        sa.UniqueConstraint(
            "office_code",
            "workstation",
            "year",
            "serial",
            name="uq_issuances_office_code_workstation_year_serial",
        ),
    )
    op.create_index(
        "ix_issuances_office_code_workstation_issued_at",
        "issuances",
        ["office_code", "workstation", "issued_at"],
    )
    op.create_index("ix_issuances_person_id_issued_at", "issuances", ["person_id", "issued_at"])

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(16), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(64), nullable=True),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
        sa.UniqueConstraint("hash", name="uq_audit_events_hash"),
        sqlite_autoincrement=True,
    )
    for trigger, operation in APPEND_ONLY_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {trigger} BEFORE {operation} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade() -> None:
    for trigger in APPEND_ONLY_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("audit_events")
    op.drop_index("ix_issuances_person_id_issued_at", table_name="issuances")
    op.drop_index("ix_issuances_office_code_workstation_issued_at", table_name="issuances")
    op.drop_table("issuances")
    op.drop_table("certificate_serials")
    op.drop_table("users")
    op.drop_table("pregnancies")
    op.drop_index("ix_children_father_person_id", table_name="children")
    op.drop_index("ix_children_mother_person_id", table_name="children")
    op.drop_table("children")
    op.drop_index("ix_people_spouse_person_id", table_name="people")
    op.drop_index("ix_people_name_district_code", table_name="people")
    op.drop_index("ix_people_name_birth_date", table_name="people")
    op.drop_table("people")
    op.drop_index("ix_offices_parent_code", table_name="offices")
    op.drop_table("offices")
