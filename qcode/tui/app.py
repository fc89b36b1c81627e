"""The qcode terminal UI: ``qcode tui`` (or plain ``qcode`` inside a project folder)."""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qcode.errors import QcodeError
from qcode.i18n import N_, _
from qcode.services import Project
from qcode.services.historywords import shown
from qcode.settings import UserSettings, load_user_settings
from qcode.tui.commands import QcodeCommands
from qcode.tui.localise import localise_bindings
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.help import HelpScreen
from qcode.tui.screens.matrix import MatrixScreen
from qcode.tui.screens.memos import MemosScreen
from qcode.tui.screens.query import QueryScreen
from qcode.tui.screens.queue import QueueScreen

_RARELY = 1_000  # collections of the middle generation before the oldest one's (Python: 10)
_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class QcodeApp(App[None]):
    CSS_PATH = "qcode.tcss"
    TITLE = "qcode"
    MODES = {
        "coding": CodingScreen,
        "codebook": CodebookScreen,
        "memos": MemosScreen,
        "analysis": AnalysisScreen,
        "agreement": AgreementScreen,
        "queue": QueueScreen,
        "query": QueryScreen,
        "matrix": MatrixScreen,
    }
    DEFAULT_MODE = "coding"
    COMMANDS = App.COMMANDS | {QcodeCommands}
    BINDINGS = [
        Binding("1", "switch_mode('coding')", N_("coding"), id="screen_coding"),
        Binding("2", "switch_mode('codebook')", N_("codebook"), id="screen_codebook"),
        Binding("3", "switch_mode('memos')", N_("memos"), id="screen_memos"),
        Binding("4", "switch_mode('analysis')", N_("analysis"), id="screen_analysis"),
        Binding("5", "switch_mode('agreement')", N_("agreement"), id="screen_agreement"),
        Binding("6", "switch_mode('queue')", N_("queue"), id="screen_queue"),
        Binding("7", "switch_mode('query')", N_("query"), show=False, id="screen_query"),
        Binding("8", "switch_mode('matrix')", N_("matrix"), show=False, id="screen_matrix"),
        # shown at the footer's right (localise.PinnedKeys), not again among the screen's keys
        Binding("f1,question_mark", "help", N_("help"), show=False, id="help"),
        Binding("ctrl+z", "undo", N_("undo"), show=False, id="undo"),
        Binding("ctrl+y", "redo", N_("redo"), show=False, id="redo"),
        Binding("f5", "refresh_all", N_("refresh"), show=False, id="refresh"),
        # Textual's own, given here so that its description is translated too
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            N_("palette"),
            show=False,
            priority=True,
            tooltip=N_("Open the command palette"),
        ),
        Binding(
            "escape", "cancel_task", N_("cancel task"), priority=True, id="cancel_task"
        ),  # active (and in the footer) only while a long task runs: see check_action
    ]

    def __init__(
        self, project: Project, coders: list[str] | None = None, user: UserSettings | None = None
    ) -> None:
        localise_bindings()  # the keys' descriptions in the interface's language
        super().__init__()
        self.user_settings = user if user is not None else load_user_settings()
        self.project = project
        self.visible_coders = coders
        self.sub_title = project.settings.name
        self._then: dict[Worker[Any], Callable[[Any], object] | None] = {}
        self._long: dict[Worker[Any], str] = {}
        self._keymap: dict[str, str] = {}

    # -- service calls, never on the UI thread --------------------------------------------------
    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        then: Callable[[Any], object] | None = None,
        long: str | None = None,
        **kwargs: Any,
    ) -> Worker[Any]:
        """Run the service call ``fn(*args, **kwargs)`` in a thread worker. Its result comes back
        to the UI thread as the worker's state message, where ``then(result)`` runs; a failure
        becomes one notification (see :meth:`on_worker_state_changed`). A ``long`` task (its
        label) is announced and can be cancelled with escape; its result is then dropped."""
        worker: Worker[Any] = self.run_worker(
            partial(fn, *args, **kwargs),
            thread=True,
            group="long" if long else "service",
            description=long or str(getattr(fn, "__qualname__", "service call")),
            exit_on_error=False,
        )
        self._then[worker] = then
        if long:
            self._long[worker] = long
            self.notify(_("{task} ... (escape cancels)").format(task=long), timeout=3)
            self.refresh_bindings()
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker not in self._then:
            return
        if event.state == WorkerState.SUCCESS:
            then = self._then.pop(worker)
            self._done_long(worker)
            if then is not None:
                then(worker.result)
        elif event.state == WorkerState.ERROR:
            self._then.pop(worker)
            self._done_long(worker)
            self.notify_failure(worker.error)
        elif event.state == WorkerState.CANCELLED:
            self._then.pop(worker)
            label = self._done_long(worker)
            if label:
                self.notify(_("cancelled: {task}").format(task=label), severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts show their text as it is: a code path or a range in [brackets] is never read
        as markup (widgets' notify passes ``markup=True`` on; it is ignored)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def notify_failure(self, error: BaseException | None) -> None:
        """The one place a failed service call is reported: its message, as a notification."""
        if isinstance(error, QcodeError):
            self.notify(str(error), severity="error", markup=False)
        else:
            message = f"{type(error).__name__}: {error}"  # a program error, as Python names it
            self.notify(message, severity="error", markup=False)

    @property
    def busy(self) -> bool:
        """A service call is still running."""
        return any(not w.is_finished for w in self._then)

    def _done_long(self, worker: Worker[Any]) -> str | None:
        """Forget a finished worker's long-task label (the footer's escape then goes back to the
        screen's own use of it)."""
        label = self._long.pop(worker, None)
        if label is not None:
            self.refresh_bindings()
        return label

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape cancels only while a long task runs; otherwise the binding is inactive, so the
        footer shows what escape does on the screen (close, leave the field, back to the list)."""
        if action == "cancel_task":
            return any(not w.is_finished for w in self._long)
        return True

    def action_cancel_task(self) -> None:
        running = [w for w in self._long if not w.is_finished]
        if not running:
            raise SkipAction()  # escape then does what the focused widget does with it
        for worker in running:
            worker.cancel()

    def on_mount(self) -> None:
        keymap = self.user_settings.keymap
        self.set_keymap(dict(keymap))
        theme = self.user_settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        self._theme_ready = False  # only a theme the user picks from now on is kept
        self.call_after_refresh(setattr, self, "_theme_ready", True)
        # Everything loaded so far (Textual, SQLAlchemy, the modules) lives as long as the app:
        # move it out of the cyclic collector's sight, so that a full collection, which would
        # otherwise scan it all, cannot stall a key press for a tenth of a second.
        gc.collect()
        gc.freeze()
        # and the oldest generation is left to the pauses: the young ones are still collected
        # as usual, but a full collection (tens of milliseconds with the rows drawn so far)
        # waits until the user stops typing (:meth:`_collect_when_idle`)
        self._thresholds = gc.get_threshold()
        gc.set_threshold(self._thresholds[0], self._thresholds[1], _RARELY)
        self._heap_kept = False
        self._last_input = self._collected = time.monotonic()
        self.set_interval(2.0, self._collect_when_idle)

    def on_unmount(self) -> None:
        gc.set_threshold(*self._thresholds)

    def keep_heap(self) -> None:
        """What was just loaded (a document's text, codings, units: hundreds of thousands of
        objects in a long transcript) lives until the next one is opened: move it out of the
        cyclic collector's sight too. Otherwise each full collection scans it all and stalls
        a key press for up to a tenth of a second. Garbage kept this way is collected when
        the user pauses (:meth:`_collect_when_idle`)."""
        gc.freeze()
        self._heap_kept = True

    def _collect_when_idle(self) -> None:
        """A full collection, of everything kept so far too, after five seconds without a key
        or a click; then it is all kept again."""
        if self.busy or time.monotonic() - self._last_input < 5:
            return
        if not self._heap_kept and self._last_input < self._collected:
            return  # nothing since the last one
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._heap_kept = False
        self._collected = time.monotonic()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _INPUT):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def set_keymap(self, keymap: Any) -> None:
        self._keymap = dict(keymap)
        super().set_keymap(keymap)

    def _keep_theme(self, theme: Any) -> None:
        """The chosen theme is kept in the user's settings file for next time."""
        from qcode.settings_edit import change

        name = str(getattr(theme, "name", theme))
        if getattr(self, "_theme_ready", False) and name != self.user_settings.theme:
            self.user_settings = dataclasses.replace(self.user_settings, theme=name)
            self.call(change, "user", "theme", name, None)

    def keymap_label(self, binding: Binding) -> str:
        """The keys of a binding as they are now (after the user's keymap)."""
        keys = binding.key
        if binding.id and binding.id in self._keymap:
            keys = self._keymap[binding.id]
        return ", ".join(k.strip() for k in keys.split(","))  # as the keymap file names them

    # -- helpers used by screens and the command palette ---------------------------------------
    def coding_screen(self) -> CodingScreen:
        self.switch_mode("coding")
        screen = self.screen
        assert isinstance(screen, CodingScreen)
        return screen

    def open_document(self, name: str) -> None:
        self.coding_screen().open_document(name)

    def open_at(self, name: str, start: int, end: int) -> None:
        screen = self.coding_screen()
        screen.open_document(name, then=lambda: screen.view.select(start, end))

    def apply_code(self, path: str) -> None:
        if isinstance(self.screen, CodingScreen):
            self.screen.apply_code(path)
        else:
            self.notify(_("apply codes on the coding screen"), severity="warning")

    def show_code(self, path: str) -> None:
        self.switch_mode("codebook")
        screen = self.screen
        if isinstance(screen, CodebookScreen):
            screen.select_code(path)

    def show_memo(self, memo_id: int) -> None:
        self.switch_mode("memos")
        screen = self.screen
        if isinstance(screen, MemosScreen):
            screen.open_memo(memo_id)

    # -- actions -------------------------------------------------------------------------------
    def key_table(self) -> str:
        """Markdown: every key binding with an id, with its keys as remapped."""
        from qcode.tui.widgets.transcript import TranscriptView

        rows = [_("| id | keys | what it does |"), "| --- | --- | --- |"]
        for owner in (QcodeApp, CodingScreen, TranscriptView):
            for b in owner.BINDINGS:
                if isinstance(b, Binding) and b.id:
                    keys = self.keymap_label(b).replace("|", "\\|")
                    rows.append(f"| `{b.id}` | {keys} | {_(b.tooltip or b.description)} |")
        return "\n".join(rows)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands in the palette, in the interface's language."""
        for c in super().get_system_commands(screen):
            yield c._replace(title=_(c.title), help=_(c.help))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            palette = CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            self.push_screen(palette)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_table()))

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        def done(summary: str) -> None:
            done_what = _("undo: {summary}") if which == "undo" else _("redo: {summary}")
            self.notify(done_what.format(summary=shown(summary)), markup=False)
            self.action_refresh_all()

        self.call(getattr(self.project.history, which), then=done)

    def action_refresh_all(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()


def run(project_dir: str | Path | None = None, coders: list[str] | None = None) -> None:
    with Project.open(project_dir) as project:
        QcodeApp(project, coders).run()
