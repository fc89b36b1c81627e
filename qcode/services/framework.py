"""The study's framework: dimensions with elements, allowed links between dimensions, and the
links of codes and categories to elements (first-class data for analysis)."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from qcode import schemas
from qcode.errors import ConflictError, InputFileError, NotFoundError
from qcode.i18n import _
from qcode.services.codes import CodeTree
from qcode.store.models import (
    CodeElementLink,
    FrameworkDimension,
    FrameworkElement,
    FrameworkLinkRule,
    ProjectRow,
)
from qcode.text.yamlfile import safe_load

if TYPE_CHECKING:
    from qcode.services.changes import Change
    from qcode.services.project import Project


@lru_cache(maxsize=4)
def schema(name: str) -> dict[str, Any]:
    return schemas.load(name)


def read_framework(path: Path) -> dict[str, Any]:
    """Parse and validate a framework file (YAML or JSON); errors name the file and the path of
    the failing entry, e.g. ``dimensions/1/elements/0: 'name' is a required property``."""
    import jsonschema
    import yaml

    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        problem = " ".join(str(exc).split())
        raise InputFileError(
            path, _("cannot be parsed ({problem})").format(problem=problem)
        ) from None
    validator = jsonschema.Draft202012Validator(schema("framework.schema.json"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        raise InputFileError(path, f"{where}: {e.message}")
    keys: dict[str, int] = {}
    for i, dim in enumerate(data["dimensions"]):
        if dim["key"] in keys:
            raise InputFileError(
                path, _("dimensions/{i}/key: {key!r} is used twice").format(i=i, key=dim["key"])
            )
        keys[dim["key"]] = i
        names = [el["name"] for el in dim["elements"]]
        for j, el in enumerate(dim["elements"]):
            if names.index(el["name"]) != j:
                raise InputFileError(
                    path,
                    _("dimensions/{i}/elements/{j}/name: {name!r} is used twice").format(
                        i=i, j=j, name=el["name"]
                    ),
                )
            if "parent" in el and el["parent"] not in names:
                raise InputFileError(
                    path,
                    _(
                        "dimensions/{i}/elements/{j}/parent: no element {parent!r} in "
                        "dimension {key!r}"
                    ).format(i=i, j=j, parent=el["parent"], key=dim["key"]),
                )
    for k, link in enumerate(data.get("links", [])):
        for end in ("from", "to"):
            if link[end] not in keys:
                raise InputFileError(
                    path,
                    _("links/{k}/{end}: no dimension {v1!r}").format(k=k, end=end, v1=link[end]),
                )
    return data


@dataclass
class ElementRef:
    id: int
    dimension: str
    name: str


class FrameworkService:
    def __init__(self, project: Project) -> None:
        self.p = project

    def load(self, path: str | Path, force: bool = False) -> dict[str, Any]:
        """Load (or reload) the framework from a file. Elements are matched by dimension key and
        name, so links of codes to elements that remain are kept; an element that has links and
        is no longer in the file is refused unless ``force`` (which drops those links)."""
        data = read_framework(Path(path))
        with self.p.change("framework.load") as ch:
            conn = ch.conn
            dims = {
                r.key: r.id
                for r in conn.execute(select(FrameworkDimension.key, FrameworkDimension.id))
            }
            elements = {
                (r.dimension_id, r.name): r.id
                for r in conn.execute(
                    select(
                        FrameworkElement.dimension_id, FrameworkElement.name, FrameworkElement.id
                    )
                )
            }
            wanted: set[int] = set()
            new_dims: dict[str, int] = {}
            for pos, dim in enumerate(data["dimensions"]):
                values = {
                    "name": dim["name"],
                    "description": dim.get("description", ""),
                    "position": pos,
                }
                did = dims.get(dim["key"])
                if did is None:
                    did = ch.insert_one(FrameworkDimension, key=dim["key"], **values)
                else:
                    ch.update(FrameworkDimension, [did], **values)
                new_dims[dim["key"]] = did
                ids: dict[str, int] = {}
                for epos, el in enumerate(dim["elements"]):
                    values = {
                        "description": el.get("description", ""),
                        "position": epos,
                        "parent_id": None,
                    }
                    eid = elements.get((did, el["name"]))
                    if eid is None:
                        eid = ch.insert_one(
                            FrameworkElement, dimension_id=did, name=el["name"], **values
                        )
                    else:
                        ch.update(FrameworkElement, [eid], **values)
                    ids[el["name"]] = eid
                    wanted.add(eid)
                for el in dim["elements"]:
                    if "parent" in el:
                        ch.update(FrameworkElement, [ids[el["name"]]], parent_id=ids[el["parent"]])
            gone = [eid for eid in elements.values() if eid not in wanted]
            linked = list(
                conn.scalars(select(CodeElementLink.id).where(CodeElementLink.element_id.in_(gone)))
            )
            if linked and not force:
                raise ConflictError(
                    _(
                        "{path}: {n} code link(s) point at elements the file no longer "
                        "has; use --force to drop them"
                    ).format(path=path, n=len(linked))
                )
            ch.delete(CodeElementLink, linked)
            ch.update(FrameworkElement, gone, parent_id=None)
            ch.delete(FrameworkElement, gone)
            ch.delete(FrameworkLinkRule, list(conn.scalars(select(FrameworkLinkRule.id))))
            ch.insert(
                FrameworkLinkRule,
                [
                    {"from_id": new_dims[lk["from"]], "to_id": new_dims[lk["to"]]}
                    for lk in data.get("links", [])
                ],
            )
            old_dims = [d for k, d in dims.items() if k not in new_dims]
            ch.delete(FrameworkDimension, old_dims)
            pid = conn.scalar(select(ProjectRow.id))
            before = conn.execute(
                select(ProjectRow.framework_name, ProjectRow.framework_description)
            ).one()
            conn.execute(
                update(ProjectRow).values(
                    framework_name=data["name"], framework_description=data.get("description", "")
                )
            )
            ch.ops.append(
                [
                    "update",
                    "project",
                    [pid],
                    {"framework_name": before[0], "framework_description": before[1]},
                    {
                        "framework_name": data["name"],
                        "framework_description": data.get("description", ""),
                    },
                ]
            )
            ch.summary = f"load framework {data['name']!r} from {Path(path).name}"
        return self.show()

    def show(self) -> dict[str, Any]:
        """The framework: its dimensions with their elements (and the codes linked to each),
        and the allowed links between dimensions."""
        with self.p.read() as s:
            tree = CodeTree(s)
            meta = s.execute(
                select(ProjectRow.framework_name, ProjectRow.framework_description)
            ).first()
            dims = s.scalars(select(FrameworkDimension).order_by(FrameworkDimension.position)).all()
            els = s.scalars(select(FrameworkElement).order_by(FrameworkElement.position)).all()
            names = {e.id: e.name for e in els}
            codes: dict[int, builtins.list[dict[str, str]]] = {}
            for cid, eid, rel in s.execute(
                select(
                    CodeElementLink.code_id, CodeElementLink.element_id, CodeElementLink.relation
                ).order_by(CodeElementLink.id)
            ):
                codes.setdefault(eid, []).append({"code": tree.path(cid), "relation": rel})
            keys = {d.id: d.key for d in dims}
            rules = [
                {"from": keys[a], "to": keys[b]}
                for a, b in s.execute(
                    select(FrameworkLinkRule.from_id, FrameworkLinkRule.to_id).order_by(
                        FrameworkLinkRule.id
                    )
                )
            ]
        return {
            "name": meta[0] if meta else "",
            "description": meta[1] if meta else "",
            "dimensions": [
                {
                    "key": d.key,
                    "name": d.name,
                    "description": d.description,
                    "elements": [
                        {
                            "name": e.name,
                            "description": e.description,
                            "parent": names.get(e.parent_id) if e.parent_id else None,
                            "codes": codes.get(e.id, []),
                        }
                        for e in els
                        if e.dimension_id == d.id
                    ],
                }
                for d in dims
            ],
            "links": rules,
        }

    def _element(self, ch: Change, ref: str) -> ElementRef:
        """An element by 'dimension/element' (key or name of the dimension) or by unique name."""
        rows = ch.conn.execute(
            select(
                FrameworkElement.id,
                FrameworkElement.name,
                FrameworkDimension.key,
                FrameworkDimension.name,
            ).join(FrameworkDimension, FrameworkDimension.id == FrameworkElement.dimension_id)
        ).all()
        dim, sep, name = ref.partition("/")
        if sep:
            found = [r for r in rows if r[1] == name and dim in (r[2], r[3])]
        else:
            found = [r for r in rows if r[1] == ref]
        if len(found) > 1:
            options = ", ".join(f"{r[2]}/{r[1]}" for r in found)
            raise NotFoundError(
                _("framework element {ref!r} is ambiguous; give one of {options}").format(
                    ref=ref, options=options
                )
            )
        if not found:
            raise NotFoundError(
                _("no framework element {ref!r} (qcode framework show)").format(ref=ref)
            )
        return ElementRef(found[0][0], found[0][2], found[0][1])

    def link(self, code: str, element: str, relation: str = "indicates") -> None:
        relation = " ".join(relation.split()) or "indicates"
        with self.p.change("framework.link") as ch:
            tree = CodeTree(ch.conn)
            cid = tree.resolve(code)
            el = self._element(ch, element)
            if ch.conn.scalar(
                select(CodeElementLink.id).where(
                    CodeElementLink.code_id == cid,
                    CodeElementLink.element_id == el.id,
                    CodeElementLink.relation == relation,
                )
            ):
                raise ConflictError(
                    _("{v1!r} already {relation} {dimension}/{name}").format(
                        v1=tree.path(cid), relation=relation, dimension=el.dimension, name=el.name
                    )
                )
            ch.insert_one(CodeElementLink, code_id=cid, element_id=el.id, relation=relation)
            ch.summary = f"link {tree.path(cid)!r} to {el.dimension}/{el.name}"

    def unlink(self, code: str, element: str) -> int:
        with self.p.change("framework.unlink") as ch:
            cid = CodeTree(ch.conn).resolve(code)
            el = self._element(ch, element)
            ids = list(
                ch.conn.scalars(
                    select(CodeElementLink.id).where(
                        CodeElementLink.code_id == cid, CodeElementLink.element_id == el.id
                    )
                )
            )
            if not ids:
                raise NotFoundError(
                    _("{code!r} is not linked to {element!r}").format(code=code, element=element)
                )
            ch.delete(CodeElementLink, ids)
            ch.summary = f"unlink {code!r} from {el.dimension}/{el.name}"
        return len(ids)
