"""Add the signed QR payload of each issuance and the registry of signing keys.

``signing_authorities`` holds the city CA certificates that signing certificates must
chain to; ``signing_keys`` holds the clerks' signing certificates that the central
server lists. Existing issuances keep a NULL payload, because they were printed without
a QR code.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column without a constraint: SQLite adds it in place.
    op.add_column("issuances", sa.Column("qr_payload", sa.Text(), nullable=True))

    op.create_table(
        "signing_authorities",
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("certificate_der", sa.LargeBinary(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name="pk_signing_authorities"),
    )

    op.create_table(
        "signing_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("certificate_der", sa.LargeBinary(), nullable=False),
        sa.Column("holder_name", sa.String(64), nullable=False),
        sa.Column("office_code", sa.String(12), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name="pk_signing_keys"),
        sa.UniqueConstraint("fingerprint", name="uq_signing_keys_fingerprint"),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
    op.drop_table("signing_authorities")
    with op.batch_alter_table("issuances") as batch:
        batch.drop_column("qr_payload")
