"""memos and preferences

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:40:32.392340
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user", "key", name=op.f("pk_preferences")),
    )
    op.create_table(
        "memos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "type IN ('code', 'theory', 'method', 'sampling', 'storyline', 'free')",
            name=op.f("ck_memos_type"),
        ),
        sa.ForeignKeyConstraint(["coder_id"], ["coders.id"], name=op.f("fk_memos_coder_id_coders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memos")),
        sa.UniqueConstraint("uuid", name=op.f("uq_memos_uuid")),
    )
    op.create_table(
        "memo_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "target_kind IN ('code', 'document', 'coding', 'case', 'memo')",
            name=op.f("ck_memo_links_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["memo_id"], ["memos.id"], name=op.f("fk_memo_links_memo_id_memos")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo_links")),
        sa.UniqueConstraint(
            "memo_id", "target_kind", "target_id", name=op.f("uq_memo_links_memo_id")
        ),
    )
    with op.batch_alter_table("memo_links", schema=None) as batch_op:
        batch_op.create_index("ix_memo_links_target", ["target_kind", "target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("memo_links", schema=None) as batch_op:
        batch_op.drop_index("ix_memo_links_target")

    op.drop_table("memo_links")
    op.drop_table("memos")
    op.drop_table("preferences")
