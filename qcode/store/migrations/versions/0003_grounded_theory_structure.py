"""grounded theory structure

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:07:40.467737
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Built-in relation types. Their UUIDs derive from their names, so the same type has the same UUID
# in every project (exchange formats rely on it).
_NS = uuid.UUID("6f1c2f1e-8d0a-4c55-9a35-2b1f0d5e7a10")
BUILTIN = [
    ("causal condition of", True, "paradigm", "Events or incidents that lead to the phenomenon."),
    ("context of", True, "paradigm", "The set of conditions in which the phenomenon occurs."),
    (
        "intervening condition of",
        True,
        "paradigm",
        "Broader conditions that facilitate or constrain strategies for the phenomenon.",
    ),
    (
        "action/interaction strategy for",
        True,
        "paradigm",
        "What people do to manage or respond to the phenomenon.",
    ),
    ("consequence of", True, "paradigm", "Outcomes of the strategies taken on the phenomenon."),
    ("is associated with", False, "atlas", ""),
    ("is part of", True, "atlas", ""),
    ("is cause of", True, "atlas", ""),
    ("contradicts", False, "atlas", ""),
    ("is a", True, "atlas", ""),
    ("is property of", True, "atlas", ""),
]


def upgrade() -> None:
    op.create_table(
        "framework_dimensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_dimensions")),
        sa.UniqueConstraint("key", name=op.f("uq_framework_dimensions_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_framework_dimensions_uuid")),
    )
    op.create_table(
        "relation_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("family", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "family IN ('paradigm', 'atlas', 'user')", name=op.f("ck_relation_types_family")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_types")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_types_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_relation_types_uuid")),
    )
    op.create_table(
        "framework_elements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("dimension_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dimension_id"],
            ["framework_dimensions.id"],
            name=op.f("fk_framework_elements_dimension_id_framework_dimensions"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["framework_elements.id"],
            name=op.f("fk_framework_elements_parent_id_framework_elements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_elements")),
        sa.UniqueConstraint(
            "dimension_id", "name", name=op.f("uq_framework_elements_dimension_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_framework_elements_uuid")),
    )
    with op.batch_alter_table("framework_elements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_framework_elements_dimension_id"), ["dimension_id"], unique=False
        )

    op.create_table(
        "framework_link_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_id"],
            ["framework_dimensions.id"],
            name=op.f("fk_framework_link_rules_from_id_framework_dimensions"),
        ),
        sa.ForeignKeyConstraint(
            ["to_id"],
            ["framework_dimensions.id"],
            name=op.f("fk_framework_link_rules_to_id_framework_dimensions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_link_rules")),
        sa.UniqueConstraint("from_id", "to_id", name=op.f("uq_framework_link_rules_from_id")),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_relations_not_self")),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_relations_coder_id_coders")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["codes.id"], name=op.f("fk_relations_source_id_codes")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["codes.id"], name=op.f("fk_relations_target_id_codes")
        ),
        sa.ForeignKeyConstraint(
            ["type_id"], ["relation_types.id"], name=op.f("fk_relations_type_id_relation_types")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
        sa.UniqueConstraint(
            "source_id", "type_id", "target_id", name=op.f("uq_relations_source_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_relations_uuid")),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relations_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_target_id"), ["target_id"], unique=False)

    op.create_table(
        "code_element_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_code_element_links_code_id_codes")
        ),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["framework_elements.id"],
            name=op.f("fk_code_element_links_element_id_framework_elements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_element_links")),
        sa.UniqueConstraint(
            "code_id", "element_id", "relation", name=op.f("uq_code_element_links_code_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_code_element_links_uuid")),
    )
    with op.batch_alter_table("code_element_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_code_element_links_code_id"), ["code_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_code_element_links_element_id"), ["element_id"], unique=False
        )

    op.create_table(
        "relation_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"], ["codings.id"], name=op.f("fk_relation_evidence_coding_id_codings")
        ),
        sa.ForeignKeyConstraint(
            ["relation_id"],
            ["relations.id"],
            name=op.f("fk_relation_evidence_relation_id_relations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_evidence")),
        sa.UniqueConstraint(
            "relation_id", "coding_id", name=op.f("uq_relation_evidence_relation_id")
        ),
    )
    with op.batch_alter_table("relation_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relation_evidence_coding_id"), ["coding_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_relation_evidence_relation_id"), ["relation_id"], unique=False
        )

    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inclusion", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("exclusion", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("example", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("in_vivo", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("framework_name", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("framework_description", sa.Text(), server_default="", nullable=False)
        )
    with op.batch_alter_table("memo_links", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_memo_links_kind"), type_="check")
        batch_op.create_check_constraint(
            "kind",
            "target_kind IN ('code', 'document', 'coding', 'case', 'memo', 'relation')",
        )
    types = sa.table(
        "relation_types",
        sa.column("uuid", sa.String),
        sa.column("name", sa.String),
        sa.column("directed", sa.Boolean),
        sa.column("family", sa.String),
        sa.column("description", sa.Text),
    )
    op.bulk_insert(
        types,
        [
            {
                "uuid": str(uuid.uuid5(_NS, name)),
                "name": name,
                "directed": directed,
                "family": family,
                "description": description,
            }
            for name, directed, family, description in BUILTIN
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("framework_description")
        batch_op.drop_column("framework_name")
    with op.batch_alter_table("memo_links", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_memo_links_kind"), type_="check")
        batch_op.create_check_constraint(
            "kind", "target_kind IN ('code', 'document', 'coding', 'case', 'memo')"
        )
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.drop_column("in_vivo")
        batch_op.drop_column("example")
        batch_op.drop_column("exclusion")
        batch_op.drop_column("inclusion")

    with op.batch_alter_table("relation_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_evidence_relation_id"))
        batch_op.drop_index(batch_op.f("ix_relation_evidence_coding_id"))

    op.drop_table("relation_evidence")
    with op.batch_alter_table("code_element_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_code_element_links_element_id"))
        batch_op.drop_index(batch_op.f("ix_code_element_links_code_id"))

    op.drop_table("code_element_links")
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_target_id"))
        batch_op.drop_index(batch_op.f("ix_relations_source_id"))

    op.drop_table("relations")
    op.drop_table("framework_link_rules")
    with op.batch_alter_table("framework_elements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_elements_dimension_id"))

    op.drop_table("framework_elements")
    op.drop_table("relation_types")
    op.drop_table("framework_dimensions")
