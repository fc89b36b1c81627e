"""merge bases: the common ancestor of two projects recorded at each merge

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merge_bases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("base_event", sa.String(36), nullable=False),
        sa.Column("absorber", sa.String(36), nullable=False),
        sa.Column("peer", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_merge_bases_base_event", "merge_bases", ["base_event"])


def downgrade() -> None:
    op.drop_index("ix_merge_bases_base_event", "merge_bases")
    op.drop_table("merge_bases")
