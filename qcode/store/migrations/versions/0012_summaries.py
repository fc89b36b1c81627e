"""summaries of framework-matrix cells and the codings they draw on

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summaries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("code_id", sa.Integer(), sa.ForeignKey("codes.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("case_id", "document_id", "code_id"),
        sa.CheckConstraint("(case_id IS NULL) <> (document_id IS NULL)", name="row"),
    )
    op.create_index("ix_summaries_case_id", "summaries", ["case_id"])
    op.create_index("ix_summaries_document_id", "summaries", ["document_id"])
    op.create_index("ix_summaries_code", "summaries", ["code_id"])
    op.create_table(
        "summary_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("summary_id", sa.Integer(), sa.ForeignKey("summaries.id"), nullable=False),
        sa.Column("coding_id", sa.Integer(), sa.ForeignKey("codings.id"), nullable=False),
        sa.UniqueConstraint("summary_id", "coding_id"),
    )
    op.create_index("ix_summary_links_summary_id", "summary_links", ["summary_id"])
    op.create_index("ix_summary_links_coding_id", "summary_links", ["coding_id"])


def downgrade() -> None:
    op.drop_index("ix_summary_links_coding_id", "summary_links")
    op.drop_index("ix_summary_links_summary_id", "summary_links")
    op.drop_table("summary_links")
    op.drop_index("ix_summaries_code", "summaries")
    op.drop_index("ix_summaries_document_id", "summaries")
    op.drop_index("ix_summaries_case_id", "summaries")
    op.drop_table("summaries")
