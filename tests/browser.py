"""Headless Chromium for the tests, driven over the Chrome DevTools protocol.

``chromium()`` finds Debian's chromium, installing it with ``.ci/chromium`` when it is missing;
only where it cannot be installed (no apt-get, no mirror) does a test skip, and never under CI
(``$CI`` set), where a missing browser fails the test. ``Browser`` starts it with
``--remote-debugging-pipe`` (messages are JSON, each ended by a NUL byte, written to the
browser's fd 3 and read from its fd 4), so no port is opened and no client library is needed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

INSTALL = Path(__file__).resolve().parents[1] / ".ci" / "chromium"
REPLY_WAIT = 60  # seconds: a browser silent this long is stuck, and the test fails


def _which() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    """The Chromium program; installed when missing; a skip only where it cannot be."""
    found = _which()
    if found is not None:
        return found
    r = subprocess.run([str(INSTALL)], capture_output=True, text=True)
    found = _which()
    if found is not None:
        return found
    why = f"Chromium could not be installed by .ci/chromium: {(r.stderr or r.stdout).strip()}"
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


def _above_four(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 5)
    os.close(fd)
    return moved


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; ``call`` sends a command to the page's session."""

    def __init__(self, profile: Path, width: int = 1200, height: int = 800) -> None:
        exe = chromium()
        to_browser, self._send = os.pipe()
        self._recv, from_browser = os.pipe()
        # above 4, so that moving them to 3 and 4 does not close one of them
        to_browser, from_browser = (_above_four(fd) for fd in (to_browser, from_browser))
        # bash (dash takes no fd above 9) moves the pipes to fd 3 and 4, where Chromium reads
        script = (
            f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
        )
        self.proc = subprocess.Popen(
            [
                "bash",
                "-c",
                script,
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(to_browser, from_browser),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        try:
            targets = self.call("Target.getTargets", browser=True)["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            self.session = self.call(
                "Target.attachToTarget", browser=True, targetId=page["targetId"], flatten=True
            )["sessionId"]
            self.call("Runtime.enable")
            self.call("Page.enable")
        except BaseException:
            self.close()
            raise

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._recv], [], [], REPLY_WAIT)
            if not ready:
                raise CDPError(f"Chromium said nothing for {REPLY_WAIT} s")
            chunk = os.read(self._recv, 1 << 16)
            if not chunk:
                raise CDPError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(raw))

    def call(self, method: str, browser: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if not browser:
            message["sessionId"] = self.session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        r = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in r:
            raise CDPError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression: str, tries: int = 200) -> Any:
        """Evaluate until the value is truthy (every 50 ms, at most ``tries`` times)."""
        for _ in range(tries):
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise CDPError(f"never true: {expression}")

    def open(self, url: str) -> None:
        """Go to ``url`` and wait for its load event."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._message())

    def mouse(self, kind: str, x: float, y: float, **extra: Any) -> None:
        self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)

    def hover(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)

    def click(self, x: float, y: float) -> None:
        self.hover(x, y)
        for kind in ("mousePressed", "mouseReleased"):
            self.mouse(kind, x, y, button="left", buttons=1, clickCount=1)

    def key(self, key: str, code: int) -> None:
        """Press and release a key (``key`` as in KeyboardEvent.key, ``code`` its key code)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
                nativeVirtualKeyCode=code,
            )

    def console(self) -> list[str]:
        """What the page wrote to its console and the exceptions it threw, so far."""
        out = []
        for e in self.events:
            if e.get("method") == "Runtime.consoleAPICalled":
                args = e["params"]["args"]
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in args))
            elif e.get("method") == "Runtime.exceptionThrown":
                out.append(str(e["params"]["exceptionDetails"].get("text", "")))
        return out

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.call("Browser.close", browser=True)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._send)
        os.close(self._recv)
