"""a coding's REFI-QDA selection (GUID and name); whether a code's colour was chosen

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-02 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codings") as batch:
        batch.add_column(sa.Column("selection_uuid", sa.String(36), nullable=True))
        batch.add_column(sa.Column("selection_name", sa.Text(), nullable=True))
    with op.batch_alter_table("codes") as batch:
        batch.add_column(
            sa.Column("color_chosen", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("codes") as batch:
        batch.drop_column("color_chosen")
    with op.batch_alter_table("codings") as batch:
        batch.drop_column("selection_name")
        batch.drop_column("selection_uuid")
