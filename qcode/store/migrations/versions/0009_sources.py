"""case links to ranges of documents; the event a build ended with

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("built_event", sa.Integer(), nullable=True))
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.UniqueConstraint("case_id", "document_id", "start", "end"),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="range"),
    )
    op.create_index("ix_case_links_case_id", "case_links", ["case_id"])
    op.create_index("ix_case_links_document_id", "case_links", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_case_links_document_id", "case_links")
    op.drop_index("ix_case_links_case_id", "case_links")
    op.drop_table("case_links")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("built_event")
