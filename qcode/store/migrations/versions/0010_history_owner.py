"""the undo stack per coder: whose step each entry is, and the event that last acted on it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_marks",
        sa.Column("tbl", sa.String(60), nullable=False),
        sa.Column("hw", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", name="pk_id_marks"),
    )
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("actor", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_event", sa.Integer(), nullable=True))
        batch.create_index("ix_history_actor", ["actor"])
    # Existing entries belong to whoever made the change; the newest event on a batch is the one
    # that last acted on it (the change itself, or an undo or redo of it).
    op.execute(
        "UPDATE history SET actor = COALESCE((SELECT e.actor FROM events e "
        "WHERE e.batch = history.batch ORDER BY e.id LIMIT 1), '')"
    )
    op.execute(
        "UPDATE history SET last_event = (SELECT max(e.id) FROM events e "
        "WHERE e.batch = history.batch OR e.target = history.batch)"
    )


def downgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.drop_index("ix_history_actor")
        batch.drop_column("last_event")
        batch.drop_column("actor")
    op.drop_table("id_marks")
