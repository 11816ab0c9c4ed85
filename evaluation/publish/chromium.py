"""Headless Chromium as the PDF engine, driven over the DevTools protocol on a pipe.

The browser is Debian's ``chromium`` (``make browser-deps``), the one the browser tests open the
reports in. It is started with ``--remote-debugging-pipe``: the DevTools protocol runs over two
file descriptors (3: commands in, 4: answers out), one JSON message per NUL-terminated line, so
no network port is opened and no library beyond the standard one is needed. When the pipe
closes (this process ends, or dies) Chromium ends too.

Only the calls the publisher needs are wrapped: open a file in a tab, wait for it to load, and
``Page.printToPDF`` (with ``generateTaggedPDF`` and ``generateDocumentOutline``, which give the
structure tree and the bookmarks).

References
----------
Chrome DevTools Protocol, domains Target and Page (``Page.printToPDF``),
https://chromedevtools.github.io/devtools-protocol/.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from evaluation.errors import EvaluationError

CHROMIUM_ENV = "STATENS_HUS_CHROMIUM"
"""Environment variable naming the Chromium executable, when it is not ``chromium`` on the path."""

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
)

PRINT_TIMEOUT = 120.0
"""Seconds one protocol call may take (a long report prints in a few seconds)."""


class PdfEngineError(EvaluationError):
    """The PDF engine (Chromium) is missing, failed to start, or failed to print a page.

    Parameters
    ----------
    message : str
        What went wrong.
    method : str
        The DevTools method that failed, if any.
    """

    def __init__(self, message: str, *, method: str = ""):
        self.method = method
        super().__init__(f"{method}: {message}" if method else message)


def find_chromium() -> str:
    """The Chromium executable: ``$STATENS_HUS_CHROMIUM``, else ``chromium`` on the path.

    Raises
    ------
    PdfEngineError
        If none is installed (``make browser-deps`` installs Debian's).
    """
    for candidate in (os.environ.get(CHROMIUM_ENV), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise PdfEngineError("Chromium is not installed: run `make browser-deps` (apt-get install chromium) "
                         f"or set {CHROMIUM_ENV}")


def _above_nine(descriptor: int) -> int:
    """A copy of ``descriptor`` numbered 10 or more; the original is closed."""
    import fcntl

    copy = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(descriptor)
    return copy


class Chromium:
    """One headless Chromium, started on first use and stopped by :meth:`close`.

    Parameters
    ----------
    executable : str, optional
        The browser (default: :func:`find_chromium`).

    Examples
    --------
    ``with Chromium() as browser: pdf = browser.print_pdf(Path("report.html"), options)``
    """

    def __init__(self, executable: str | None = None):
        self.executable = executable
        self.pid: int | None = None
        self._profile: str | None = None
        self._write = self._read = None
        self._buffer = b""
        self._next_id = 0

    # ------------------------------------------------------------------ process
    def running(self) -> bool:
        """Whether the browser process is alive."""
        if self.pid is None:
            return False
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return done == 0

    def start(self) -> Chromium:
        """Start the browser if it is not running (returns at once; it boots in the background).

        The process is spawned with ``os.posix_spawn``, which puts the two pipe ends on
        descriptors 3 and 4 (``subprocess`` can only do that in a ``preexec_fn``, which is not
        safe in a process with threads).
        """
        if self.running():
            return self
        executable = self.executable or find_chromium()
        self._profile = tempfile.mkdtemp(prefix="shr-chromium-")
        commands_read, commands_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # The child's ends go above 9 first, so that putting them on 3 and 4 cannot overwrite one another.
        commands_read, answers_write = _above_nine(commands_read), _above_nine(answers_write)
        actions = [(os.POSIX_SPAWN_DUP2, commands_read, 3), (os.POSIX_SPAWN_DUP2, answers_write, 4),
                   (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
        try:
            self.pid = os.posix_spawn(executable, [executable, *CHROMIUM_ARGS, "--remote-debugging-pipe",
                                                   f"--user-data-dir={self._profile}", "about:blank"],
                                      os.environ, file_actions=actions)
        except OSError as error:
            os.close(commands_write)
            os.close(answers_read)
            raise PdfEngineError(f"Chromium did not start: {error}") from None
        finally:
            os.close(commands_read)
            os.close(answers_write)
        self._write, self._read = commands_write, answers_read
        return self

    def close(self) -> None:
        """Stop the browser and remove its profile folder."""
        if self.pid is not None:
            try:
                if self.running():
                    self._send("Browser.close", timeout=5.0)
            except (PdfEngineError, OSError):
                pass
            for handle in (self._write, self._read):
                try:
                    os.close(handle)
                except OSError:
                    pass
            deadline = time.monotonic() + 5.0
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.running():
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def __enter__(self) -> Chromium:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ protocol
    def _send(self, method: str, params: dict | None = None, *, session: str | None = None,
              timeout: float = PRINT_TIMEOUT) -> dict:
        """Send one command and wait for its answer; events that arrive meanwhile are dropped."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            while data:
                data = data[os.write(self._write, data):]
        except OSError as error:
            raise PdfEngineError(f"Chromium is not running ({error})", method=method) from None
        deadline = time.monotonic() + timeout
        while True:
            answer = self._receive(deadline, method)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise PdfEngineError(answer["error"].get("message", str(answer["error"])), method=method)
                return answer.get("result", {})

    def _receive(self, deadline: float, method: str) -> dict:
        """The next message from the browser."""
        import select

        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PdfEngineError("no answer from Chromium in time", method=method)
            ready, _, _ = select.select([self._read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise PdfEngineError("Chromium closed the connection (did it start?)", method=method)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _wait_for_event(self, name: str, session: str, deadline: float) -> dict:
        while True:
            message = self._receive(deadline, name)
            if message.get("method") == name and message.get("sessionId") == session:
                return message.get("params", {})

    # ------------------------------------------------------------------ pages
    def print_pdf(self, page: Path, options: dict) -> bytes:
        """Open ``page`` in a new tab, wait until it has loaded, and print it to PDF.

        Parameters
        ----------
        page : Path
            An HTML file (opened as ``file:``).
        options : dict
            Parameters of ``Page.printToPDF`` (paper size, ``preferCSSPageSize``,
            ``generateTaggedPDF``, ``generateDocumentOutline``, ...).

        Returns
        -------
        bytes
            The PDF.

        Raises
        ------
        PdfEngineError
            If the browser fails to load or print the page.
        """
        self.start()
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._send("Page.enable", session=session)
            navigation = self._send("Page.navigate", {"url": Path(page).resolve().as_uri()}, session=session)
            if navigation.get("errorText"):
                raise PdfEngineError(f"{page}: {navigation['errorText']}", method="Page.navigate")
            self._wait_for_event("Page.loadEventFired", session, time.monotonic() + PRINT_TIMEOUT)
            result = self._send("Page.printToPDF", options, session=session)
            return base64.b64decode(result["data"])
        finally:
            try:
                self._send("Target.closeTarget", {"targetId": target}, timeout=10.0)
            except PdfEngineError:
                pass

    def version(self) -> str:
        """The browser's product and version, for example ``Chrome/156.0.8078.114``."""
        self.start()
        return self._send("Browser.getVersion")["product"]


__all__ = ["CHROMIUM_ENV", "Chromium", "PdfEngineError", "find_chromium"]
