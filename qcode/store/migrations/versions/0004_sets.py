"""sets of codes, documents and memos

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "set_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("set_id", sa.Integer(), sa.ForeignKey("sets.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.UniqueConstraint("set_id", "kind", "target_id"),
    )
    op.create_index("ix_set_members_set_id", "set_members", ["set_id"])
    op.create_index("ix_set_members_target_id", "set_members", ["target_id"])


def downgrade() -> None:
    op.drop_index("ix_set_members_target_id", "set_members")
    op.drop_index("ix_set_members_set_id", "set_members")
    op.drop_table("set_members")
    op.drop_table("sets")
