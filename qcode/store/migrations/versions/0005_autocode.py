"""auto-coding runs and the review queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "autocode_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("coder_id", sa.Integer(), sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("autocode_runs.id"), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("code_id", sa.Integer(), sa.ForeignKey("codes.id"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(300), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("coding_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("coders.id"), nullable=True),
        sa.Column("reviewed", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'reverted')", name="status"
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="range"),
    )
    op.create_index("ix_suggestions_run_status", "suggestions", ["run_id", "status"])
    op.create_index("ix_suggestions_document_id", "suggestions", ["document_id"])
    op.create_index("ix_suggestions_code_id", "suggestions", ["code_id"])


def downgrade() -> None:
    op.drop_index("ix_suggestions_code_id", "suggestions")
    op.drop_index("ix_suggestions_document_id", "suggestions")
    op.drop_index("ix_suggestions_run_status", "suggestions")
    op.drop_table("suggestions")
    op.drop_table("autocode_runs")
