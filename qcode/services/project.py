"""The project: where its settings and database are, and the door every operation goes through.

```python
import qcode
p = qcode.open_project("my-study")
doc = p.documents.import_files(["int01.txt"]).imported[0]
p.codes.add("financial pressure")
p.codings.apply(doc.name, 10, 42, "financial pressure")
p.history.undo()
```
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qcode import settings as settings_mod
from qcode.errors import ConflictError, InvalidInputError, StoreError
from qcode.i18n import _
from qcode.services.changes import Change, RowsKept
from qcode.services.kept import Kept
from qcode.settings import LANGUAGE_CODES, Settings
from qcode.store import db
from qcode.store.models import (
    Coder,
    Document,
    Event,
    HistoryEntry,
    Preference,
    ProjectRow,
    new_uuid,
    utcnow,
)
from qcode.text.safety import check_label

if TYPE_CHECKING:
    from qcode.services.analysis import AnalysisService
    from qcode.services.attributes import AttributeService, CaseService
    from qcode.services.codes import CodeService
    from qcode.services.codings import CodingService
    from qcode.services.documents import DocumentService
    from qcode.services.framework import FrameworkService
    from qcode.services.history import HistoryService
    from qcode.services.memos import MemoService
    from qcode.services.query import QueryService
    from qcode.services.roles import RoleService
    from qcode.services.sets import SetService
    from qcode.services.structure import StructureService
    from qcode.services.summaries import SummaryService
    from qcode.services.words import WordsService

_EVENTS: Any = Event.__table__
_HISTORY: Any = HistoryEntry.__table__
_INSERT_EVENT = _EVENTS.insert().returning(_EVENTS.c.id)
# A new change clears what its own coder could redo, never another coder's.
_CLEAR_REDO = _HISTORY.delete().where(
    _HISTORY.c.state == "undone", _HISTORY.c.actor == bindparam("who")
)
_PUSH_UNDO = _HISTORY.insert().values(state="done")
_CODER_BY_NAME = select(Coder.id).where(Coder.name == bindparam("name"))


class TextCache:
    """Document texts by UUID, least recently used first out, bounded by their total length
    (a study's worth of transcripts fits; one huge document never evicts itself on entry).
    ``loads`` counts the texts put in, so tests can see that each is read once."""

    def __init__(self, max_chars: int = 64_000_000) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.loads = 0
        self._texts: OrderedDict[str, str] = OrderedDict()

    def get(self, uuid: str) -> str | None:
        text = self._texts.get(uuid)
        if text is not None:
            self._texts.move_to_end(uuid)
        return text

    def put(self, uuid: str, text: str) -> None:
        self.loads += 1
        old = self._texts.pop(uuid, None)
        if old is not None:
            self.chars -= len(old)
        self._texts[uuid] = text
        self.chars += len(text)
        while self.chars > self.max_chars and len(self._texts) > 1:
            _, dropped = self._texts.popitem(last=False)
            self.chars -= len(dropped)

    def clear(self) -> None:
        """Forget every text (the next read of each comes from the database)."""
        self._texts.clear()
        self.chars = 0

    def __len__(self) -> int:
        return len(self._texts)


class Project:
    """An open project: settings, engine, and the services that act on it."""

    def __init__(self, root: Path, settings: Settings, engine: Engine) -> None:
        self.root = root
        self.settings = settings
        self.engine = engine
        self.Session: sessionmaker[Session] = db.session_factory(db.writer(engine))
        self.ReadSession: sessionmaker[Session] = db.session_factory(engine)
        self._texts = TextCache()
        self._user: str | None = None
        self.kept = Kept()  # the code tree, documents and coders by name, between changes

    # -- the services, each loaded on first use (a command pays only for what it touches) ----
    @cached_property
    def documents(self) -> DocumentService:
        from qcode.services.documents import DocumentService

        return DocumentService(self)

    @cached_property
    def codes(self) -> CodeService:
        from qcode.services.codes import CodeService

        return CodeService(self)

    @cached_property
    def codings(self) -> CodingService:
        from qcode.services.codings import CodingService

        return CodingService(self)

    @cached_property
    def cases(self) -> CaseService:
        from qcode.services.attributes import CaseService

        return CaseService(self)

    @cached_property
    def attributes(self) -> AttributeService:
        from qcode.services.attributes import AttributeService

        return AttributeService(self)

    @cached_property
    def history(self) -> HistoryService:
        from qcode.services.history import HistoryService

        return HistoryService(self)

    @cached_property
    def memos(self) -> MemoService:
        from qcode.services.memos import MemoService

        return MemoService(self)

    @cached_property
    def structure(self) -> StructureService:
        from qcode.services.structure import StructureService

        return StructureService(self)

    @cached_property
    def framework(self) -> FrameworkService:
        from qcode.services.framework import FrameworkService

        return FrameworkService(self)

    @cached_property
    def analysis(self) -> AnalysisService:
        from qcode.services.analysis import AnalysisService

        return AnalysisService(self)

    @cached_property
    def roles(self) -> RoleService:
        from qcode.services.roles import RoleService

        return RoleService(self)

    @cached_property
    def query(self) -> QueryService:  # p.query(expr): coding queries and text searches
        from qcode.services.query import QueryService

        return QueryService(self)

    @cached_property
    def words(self) -> WordsService:  # word frequencies, keyness, keywords in context
        from qcode.services.words import WordsService

        return WordsService(self)

    @cached_property
    def sets(self) -> SetService:
        from qcode.services.sets import SetService

        return SetService(self)

    @cached_property
    def summaries(self) -> SummaryService:
        from qcode.services.summaries import SummaryService

        return SummaryService(self)

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def init(
        cls,
        root: str | Path,
        name: str | None = None,
        language: str = "en",
        db_url: str | None = None,
        user: str | None = None,
    ) -> Project:
        root = Path(root)
        if (root / settings_mod.SETTINGS_FILE).exists():
            raise ConflictError(_("{root}: already a qcode project").format(root=root))
        if root.exists() and not root.is_dir():
            raise InvalidInputError(_("{root}: exists and is not a folder").format(root=root))
        if language not in LANGUAGE_CODES:
            raise InvalidInputError(
                _("unknown language code {language!r} (e.g. en, zh)").format(language=language)
            )
        if db_url:
            url = db.parse_url(db_url)
            if url.password is not None:
                raise InvalidInputError(
                    _(
                        "--db: the URL holds a password, which qcode.toml would keep in "
                        "plain text; leave it out and set PGPASSWORD or put it in "
                        "~/.pgpass"
                    )
                )
        created = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
        s = Settings(name=name or root.resolve().name, language=language, user=user)
        if db_url:
            s.db_url = db_url
        try:
            engine = db.make_engine(settings_mod.resolve_db_url(root.resolve(), s.db_url))
            db.upgrade(engine)
            with engine.begin() as conn:
                # a server database that already holds a project is joined, not made again
                if conn.scalar(select(func.count()).select_from(ProjectRow)) == 0:
                    conn.execute(
                        insert(ProjectRow).values(uuid=new_uuid(), name=s.name, language=language)
                    )
            settings_mod.save(root, s)
        except Exception:
            if created:
                import shutil

                shutil.rmtree(root, ignore_errors=True)
            raise
        return cls(root.resolve(), s, engine)

    @classmethod
    def open(cls, root: str | Path | None = None) -> Project:
        folder = settings_mod.find_project(root)
        s = settings_mod.load(folder)
        url = settings_mod.resolve_db_url(folder, s.db_url)
        file = db.sqlite_file(db.parse_url(url))
        if file is not None:
            db.check_sqlite_file(file)
        engine = db.make_engine(url)
        try:
            db.ensure_schema(engine)
        except OperationalError as exc:
            detail = " ".join(str(exc.orig).split())
            raise StoreError(
                _("{folder}: cannot open the project database ({detail})").format(
                    folder=folder, detail=detail
                )
            ) from exc
        return cls(folder, s, engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions and changes ------------------------------------------------------------------
    @property
    def user(self) -> str:
        """The default coder: $QCODE_USER, the settings' user, or the login name."""
        if self._user is None:
            self._user = settings_mod.default_user(self.settings)
        return self._user

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (never waits for a writer)."""
        with self.ReadSession() as s:
            yield s

    @contextmanager
    def change(self, action: str, summary: str = "", actor: str | None = None) -> Iterator[Change]:
        """One transaction for one user action, logged as one event and one undo step."""
        with self.Session() as s:
            event_id: int | None = None
            committed = False
            try:
                with s.begin():
                    ch = Change(s, actor or self.user, action, summary)
                    yield ch
                    if ch.ops:
                        batch = new_uuid()
                        event = dict(
                            uuid=new_uuid(),
                            at=utcnow(),
                            actor=ch.actor,
                            action=action,
                            summary=ch.summary,
                            batch=batch,
                            target=None,
                            payload={"ops": ch.ops},
                        )
                        event_id = ch.conn.execute(_INSERT_EVENT, event).scalar_one()
                        ch.conn.execute(_CLEAR_REDO, {"who": ch.actor})
                        ch.conn.execute(
                            _PUSH_UNDO,
                            dict(
                                batch=batch,
                                summary=ch.summary,
                                actor=ch.actor,
                                last_event=event_id,
                            ),
                        )
                self.kept.committed(ch, event_id)
                committed = True
            except IntegrityError as exc:
                why = plain_integrity(exc)
                error = AlreadyMade if why == _ALREADY else ConflictError
                raise error(f"{action}: refused: {why}") from None
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == "42501":  # the server's privileges
                    raise self.roles.refusal(action) from None
                raise
            except RowsKept as exc:
                if self.engine.dialect.name == "postgresql":
                    refused = self.roles.refusal(action)
                    if " is a lead" not in str(refused) and "without a qcode role" not in str(
                        refused
                    ):
                        raise refused from None
                raise ConflictError(
                    _("{action}: some {table} were removed meanwhile; nothing was changed").format(
                        action=action, table=exc.table
                    )
                ) from None
            finally:
                if not committed:  # values read in a change that failed are not kept
                    self.kept.drop()

    # -- shared helpers ------------------------------------------------------------------------
    def text_of(self, session: Session | Connection, doc: Document | Any) -> str:
        """The stored text of a document, kept in a least-recently-used cache by its UUID (stored
        text never changes)."""
        text = self._texts.get(doc.uuid)
        if text is None:
            text = session.scalar(select(Document.text).where(Document.id == doc.id)) or ""
            self._texts.put(doc.uuid, text)
        return text

    def ensure_coder(self, ch: Change, name: str | None) -> int:
        name = (name or self.user).strip()
        if not name:
            raise InvalidInputError(_("a coder needs a name"))
        check_label("coder", name)
        kept: dict[str, int] = self.kept.values(ch).setdefault("coders", {})
        cid = kept.get(name)
        if cid is not None:
            return cid
        cid = ch.conn.scalar(_CODER_BY_NAME, {"name": name})
        if cid is not None:
            kept[name] = cid
        else:
            ch.serialize("coders")  # two new coders' first codings at once make them once
            cid = ch.conn.scalar(_CODER_BY_NAME, {"name": name})
        if cid is None:
            cid = ch.insert_one(Coder, name=name)
        return cid

    def get_pref(self, key: str, default: str | None = None) -> str | None:
        """A per-user interface preference (not part of the research record)."""
        with self.read() as s:
            value = s.scalar(
                select(Preference.value).where(Preference.user == self.user, Preference.key == key)
            )
        return default if value is None else value

    def set_pref(self, key: str, value: str) -> None:
        with self.Session() as s, s.begin():
            row = s.get(Preference, (self.user, key))
            if row is None:
                s.add(Preference(user=self.user, key=key, value=value))
            else:
                row.value = value

    def info(self) -> dict[str, Any]:
        from qcode.services.glance import info_record

        with self.read() as s:
            return info_record(
                lambda sql: s.execute(text(sql)).scalar(),
                name=self.settings.name,
                path=str(self.root),
                database=db.describe_url(self.engine),
                language=self.settings.language,
                user=self.user,
                schema=db.stored_revision(self.engine),
            )


_ALREADY = "the same thing already exists (someone may have just made it); see it and retry"


class AlreadyMade(ConflictError):
    """A change lost a race: the row it inserts was stored by someone else meanwhile."""


def plain_integrity(exc: IntegrityError) -> str:
    """What a refused write means, in words (never the database's own message)."""
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return _ALREADY
    if "foreign key" in text:
        return "something it refers to is gone (someone may have just removed it)"
    if "check" in text:
        return "a value is out of its allowed range"
    return "it would break a rule of the project"


def open_project(root: str | Path | None = None) -> Project:
    return Project.open(root)


def init_project(root: str | Path, **kwargs: Any) -> Project:
    return Project.init(root, **kwargs)
