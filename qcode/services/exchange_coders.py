"""The coders of a project made from a ``.qdpx``: its users, and whoever codes without one."""

from __future__ import annotations

from sqlalchemy import select

from qcode.interchange.qdpx import Exchange
from qcode.services.changes import Change
from qcode.store.models import Coder


class Coders:
    """Coder ids by user GUID, made as they are first needed."""

    def __init__(self, ch: Change, x: Exchange, default: str) -> None:
        self.ch = ch
        self.ids: dict[str | None, int] = {}
        self.names = {n.casefold() for n in x.users.values()}
        for g, n in x.users.items():
            self.ids[g] = ch.insert_one(Coder, uuid=g, name=n)
        self.default_name = default

    def __call__(self, guid: str | None) -> int:
        if guid in self.ids:
            return self.ids[guid]
        if guid is None:
            name = self.default_name
            existing = self.ch.conn.scalar(select(Coder.id).where(Coder.name == name))
            self.ids[None] = existing or self.ch.insert_one(Coder, name=name)
            return self.ids[None]
        name = f"user {guid[:8]}"
        self.ids[guid] = self.ch.insert_one(Coder, uuid=guid, name=name)
        return self.ids[guid]
