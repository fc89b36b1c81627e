"""Who may change what on a team server: PostgreSQL roles and row-level security.

Three group roles per database, ``qcode_<database>_lead``, ``_coder`` and ``_observer``; each
person is a login role that is a member of one. The database itself enforces:

- an observer reads everything and changes nothing (``SELECT`` only);
- a coder changes only their own codings and memos (row-level security: the coding's or memo's
  coder must be the coder named like the login role), their own undo steps and log entries, and
  the codebook only when the lead allows it (``qcode team roles --codebook coders``);
- a lead changes everything.

The database's owner (who ran ``qcode init --db``) is not bound by these rules. qcode's user name
must be the login role's name, so the connection line printed for a person carries ``--user``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from qcode.errors import ConflictError, InvalidInputError, QcodeError
from qcode.i18n import _

if TYPE_CHECKING:
    from qcode.services.project import Project

ROLES = ("lead", "coder", "observer")
# What a coder writes besides their own codings and memos: the log, the undo stack, their own
# coder row and preferences.
OWN_TABLES = {
    "codings": "coder_id IN (SELECT id FROM coders WHERE name = current_user)",
    "memos": "coder_id IN (SELECT id FROM coders WHERE name = current_user)",
    "memo_links": "memo_id IN (SELECT m.id FROM memos m JOIN coders c ON c.id = m.coder_id "
    "WHERE c.name = current_user)",
    "events": "actor = current_user",
    "history": "actor = current_user",
    "coders": "name = current_user",
    "preferences": '"user" = current_user',
}
CODEBOOK = ("codes", "relation_types", "relations", "relation_evidence", "code_element_links")
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleRefused(QcodeError):
    """The server refused a change for the connected person's role."""

    exit_code = 3


@dataclass
class Member:
    name: str
    role: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class RoleService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def _server(self) -> None:
        if self.p.engine.dialect.name != "postgresql":
            raise InvalidInputError(
                _("roles need a project on a PostgreSQL server (qcode init --db postgresql+...)")
            )

    @property
    def database(self) -> str:
        return str(self.p.engine.url.database)

    def group(self, role: str) -> str:
        return f"qcode_{self.database}_{role}"[:63]

    def setup(self, conn: Connection, codebook_by_coders: bool | None = None) -> None:
        """Create the group roles, grants and policies (again: it is idempotent)."""
        lead, coder, observer = (self.group(r) for r in ROLES)
        for g in (lead, coder, observer):
            conn.execute(
                text(
                    "DO $$ BEGIN CREATE ROLE " + _q(g) + " NOLOGIN; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                )
            )
        db = _q(self.database)
        tables = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            )
        ]
        everyone = ", ".join(_q(g) for g in (lead, coder, observer))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {db} TO {everyone}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}"))
        conn.execute(
            text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {_q(lead)}, {_q(coder)}")
        )
        conn.execute(
            text(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {_q(lead)}")
        )
        own = [t for t in OWN_TABLES if t in tables]
        conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(own)} TO {_q(coder)}"))
        if codebook_by_coders is None:
            codebook_by_coders = self.codebook_by_coders(conn)
        book = ", ".join(t for t in CODEBOOK if t in tables)
        verb = "GRANT" if codebook_by_coders else "REVOKE"
        prep = "TO" if codebook_by_coders else "FROM"
        conn.execute(text(f"{verb} INSERT, UPDATE, DELETE ON {book} {prep} {_q(coder)}"))
        for table, mine in OWN_TABLES.items():
            if table not in tables:
                continue
            conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            for policy in (
                "qcode_read",
                "qcode_lead",
                "qcode_insert",
                "qcode_update",
                "qcode_delete",
            ):
                conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table}"))
            conn.execute(text(f"CREATE POLICY qcode_read ON {table} FOR SELECT USING (true)"))
            conn.execute(
                text(
                    f"CREATE POLICY qcode_lead ON {table} TO {_q(lead)} "
                    "USING (true) WITH CHECK (true)"
                )
            )
            conn.execute(
                text(
                    f"CREATE POLICY qcode_insert ON {table} FOR INSERT TO {_q(coder)} "
                    f"WITH CHECK ({mine})"
                )
            )
            conn.execute(
                text(
                    f"CREATE POLICY qcode_update ON {table} FOR UPDATE TO {_q(coder)} "
                    f"USING (true) WITH CHECK ({mine})"
                )
            )
            conn.execute(
                text(
                    f"CREATE POLICY qcode_delete ON {table} FOR DELETE TO {_q(coder)} "
                    f"USING ({mine})"
                )
            )

    def codebook_by_coders(self, conn: Connection) -> bool:
        """Whether coders may change the codebook (never before the roles exist)."""
        exists = text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r)")
        if not conn.scalar(exists, {"r": self.group("coder")}):
            return False
        return bool(
            conn.scalar(
                text("SELECT has_table_privilege(:r, 'codes', 'INSERT')"),
                {"r": self.group("coder")},
            )
        )

    def add(self, name: str, role: str = "coder") -> tuple[str, str]:
        """Create the login role ``name`` in ``role``; returns its connection URL and password."""
        self._server()
        if role not in ROLES:
            raise InvalidInputError(
                _("unknown role {role!r} (coder, lead or observer)").format(role=role)
            )
        if not NAME.match(name):
            raise InvalidInputError(
                _(
                    "{name!r}: a server role name is lower-case letters, digits and "
                    "'_' (at most 63)"
                ).format(name=name)
            )
        password = secrets.token_urlsafe(18)
        with self.p.engine.begin() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
            if exists:
                raise ConflictError(
                    _("a server role named {name!r} already exists").format(name=name)
                )
            self.setup(conn)
            # CREATE ROLE takes no bound parameters; the password is letters, digits, - and _
            conn.execute(text(f"CREATE ROLE {_q(name)} LOGIN PASSWORD '{password}'"))
            conn.execute(text(f"GRANT {_q(self.group(role))} TO {_q(name)}"))
        url = self.p.engine.url.set(username=name, password=None)
        return url.render_as_string(hide_password=True), password

    def members(self) -> list[Member]:
        self._server()
        groups = {self.group(r): r for r in ROLES}
        with self.p.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT m.rolname, g.rolname FROM pg_auth_members a "
                    "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid "
                    "WHERE g.rolname = ANY(:g) ORDER BY m.rolname"
                ),
                {"g": list(groups)},
            ).all()
        return [Member(m, groups[g]) for m, g in rows]

    def set_codebook(self, who: str) -> None:
        self._server()
        if who not in ("leads", "coders"):
            raise InvalidInputError(_("--codebook {who!r}: leads or coders").format(who=who))
        with self.p.engine.begin() as conn:
            self.setup(conn, codebook_by_coders=who == "coders")

    def current_role(self, conn: Connection) -> str | None:
        for role in ROLES:
            if conn.scalar(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :g) "
                    "AND pg_has_role(current_user, :g, 'member')"
                ),
                {"g": self.group(role)},
            ):
                return role
        return None

    def refusal(self, action: str) -> RoleRefused:
        """The one line for a change the server refused for the connected person's role."""
        try:
            with self.p.engine.connect() as conn:
                user = conn.scalar(text("SELECT current_user"))
                role = self.current_role(conn)
        except Exception:  # the refusal itself must be said even if this lookup fails
            user, role = self.p.user, None
        what = {
            "observer": "an observer, who changes nothing",
            "coder": "a coder, who changes only their own codings and memos"
            + (
                ""
                if action.startswith(("code", "uncode", "memo"))
                else " (and the codebook when the lead allows it)"
            ),
            "lead": "a lead",
        }.get(role or "", "without a qcode role here")
        return RoleRefused(f"{action}: refused: {user} is {what}")
