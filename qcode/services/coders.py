"""Coders: first-class, with a name, a GUID (kept across exports and merges) and a colour."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from qcode.errors import ConflictError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import check_color
from qcode.services.project import Project
from qcode.store.models import Coder, Coding
from qcode.text.safety import check_label


@dataclass
class CoderInfo:
    id: int
    uuid: str
    name: str
    color: str | None
    codings: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def list_coders(p: Project) -> list[CoderInfo]:
    with p.read() as s:
        n = dict(
            (r[0], r[1])
            for r in s.execute(select(Coding.coder_id, func.count()).group_by(Coding.coder_id))
        )
        rows = s.execute(select(Coder).order_by(Coder.name)).scalars().all()
        return [CoderInfo(c.id, c.uuid, c.name, c.color, n.get(c.id, 0)) for c in rows]


def _get(p: Project, name: str) -> CoderInfo:
    found = [c for c in list_coders(p) if c.name == name]
    if not found:
        raise NotFoundError(_("no coder named {name!r}").format(name=name))
    return found[0]


def add_coder(p: Project, name: str, color: str | None = None) -> CoderInfo:
    check_label("coder", name)
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError(_("a coder needs a name"))
    if any(c.name == name for c in list_coders(p)):
        raise ConflictError(_("a coder named {name!r} already exists").format(name=name))
    with p.change("coders.add", f"add coder {name!r}") as ch:
        ch.insert_one(Coder, name=name, color=check_color(color) if color else None)
    return _get(p, name)


def edit_coder(
    p: Project, name: str, new_name: str | None = None, color: str | None = None
) -> CoderInfo:
    current = _get(p, name)
    values: dict[str, Any] = {}
    if new_name is not None:
        check_label("coder", new_name)
        new_name = " ".join(new_name.split())
        if not new_name:
            raise InvalidInputError(_("a coder needs a name"))
        if new_name != name and any(c.name == new_name for c in list_coders(p)):
            raise ConflictError(
                _("a coder named {new_name!r} already exists").format(new_name=new_name)
            )
        values["name"] = new_name
    if color is not None:
        values["color"] = check_color(color)
    if values:
        with p.change("coders.edit", f"edit coder {name!r}") as ch:
            ch.update(Coder, [current.id], **values)
    return _get(p, values.get("name", name))
