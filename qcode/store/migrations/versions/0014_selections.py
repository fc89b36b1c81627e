"""a coding's REFI-QDA selection (GUID and name); whether a code's colour was chosen

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-02 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: rebuilding these tables (batch mode) would trip the foreign keys that
    # memo links and evidence hold on them
    op.add_column("codings", sa.Column("selection_uuid", sa.String(36), nullable=True))
    op.add_column("codings", sa.Column("selection_name", sa.Text(), nullable=True))
    op.add_column(
        "codes",
        sa.Column("color_chosen", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("codes", "color_chosen")
    op.drop_column("codings", "selection_name")
    op.drop_column("codings", "selection_uuid")
