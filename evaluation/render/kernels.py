"""Kernels for the reports: the registered Jupyter kernel, and kernels forked from a warm process.

Starting a kernel and importing pandas, scipy and matplotlib in it costs seconds per report. On
Linux, one *warm process* per render (:mod:`evaluation.render.warm`) imports the report's
libraries once and then forks a new kernel process for every report. Isolation is by process,
not by clean-up: every report runs in its own kernel process, forked from the same untouched warm
state, and exits when the report is done, so no variable, working directory, matplotlib setting
or module attribute that one notebook changes can reach another. Elsewhere (no ``fork``), or with
``warm=False``, every report gets a fresh kernel. Kernels talk over IPC sockets (no TCP, so no
"running over TCP without encryption" warning) where the platform has them.

:class:`WarmKernels` starts and stops the warm process; :func:`kernel_manager_class` is the
``jupyter_client`` kernel manager that asks it for a kernel (or starts a fresh one).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from evaluation import KERNEL_NAME
from evaluation.errors import EvaluationError
from evaluation.render.jobs import NOTEBOOK_DIR
from evaluation.render.output import new_runtime_dir

KERNEL_LAUNCHER = ["-m", "ipykernel_launcher"]
"""How a kernel spec starts the IPython kernel, after the interpreter and its options."""

WARM_MODULE = "evaluation.render.warm"
"""The warm process's module, run with ``python -m``."""


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure a Jupyter kernel ``name`` runs *this* interpreter; register it if not.

    A kernel spec called ``python3`` may resolve to another environment's interpreter on a
    shared machine, so reports use a uniquely named kernel installed into this environment
    (``sys.prefix``). If the spec is missing or points at another Python, it is (re)installed.

    Returns
    -------
    str
        The kernel name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name="Statens hus evaluering", prefix=sys.prefix)
    spec = KernelSpecManager().get_kernel_spec(name)
    if Path(spec.argv[0]).resolve() != Path(sys.executable).resolve():
        raise EvaluationError(
            f"the Jupyter kernel {name!r} resolves to {spec.argv[0]}, not to this environment's "
            f"{sys.executable}; remove the other kernel spec ({spec.resource_dir}) and rerun"
        )
    return name


@contextlib.contextmanager
def kernel_environment(variables: dict[str, str]):
    """While a report runs: ``variables`` set in this process's environment, which its kernel
    (fresh, or forked from the warm process) copies when it starts; the environment is given back
    afterwards.

    This is how the render tells a report which figure files its formats need
    (:data:`~evaluation.html.FIGURE_FILES_ENV`, :func:`~evaluation.publish.figure_files_for`)
    without a notebook parameter, so that the report's HTML and its inputs do not depend on the
    formats. A worker process runs one report at a time.
    """
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def warm_kernels_supported() -> bool:
    """Whether this platform can fork kernels from a warm process (Linux with ``os.fork``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class WarmKernels:
    """A warm process that forks one pristine kernel per report (see :mod:`evaluation.render.warm`).

    Use as a context manager; :attr:`kernel_manager_class` is the ``jupyter_client`` kernel
    manager class to give papermill or nbclient (``kernel_manager_class=``).

    The warm process runs the kernel spec's interpreter with the spec's interpreter options
    (``-X...``), so forked kernels have the same ``sys.executable``, ``sys.flags`` and
    ``sys._xoptions`` as fresh ones. A spec that does not start ``-m ipykernel_launcher`` gets
    fresh kernels.

    Parameters
    ----------
    notebook_dir : Path
        The kernels' working directory (and where the notebooks to preload are).
    runtime_dir : Path, optional
        A private folder for the socket and the kernels' connection files (default: a new
        temporary folder, removed on close).
    kernel_name : str
        The kernel spec the forked kernels stand in for.
    """

    def __init__(self, notebook_dir: Path = NOTEBOOK_DIR, runtime_dir: Path | None = None, *,
                 kernel_name: str = KERNEL_NAME):
        self.notebook_dir = Path(notebook_dir)
        self.kernel_name = kernel_name
        self._own_runtime = runtime_dir is None
        self.runtime_dir = Path(runtime_dir) if runtime_dir else new_runtime_dir()
        self.address = str(self.runtime_dir / "warm.sock")
        self.interpreter: list[str] = []
        self.process = None

    def start(self) -> WarmKernels:
        """Start the warm process (it preloads in the background)."""
        import subprocess

        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(self.kernel_name).argv
        self.interpreter = _interpreter_prefix(argv) or []
        if self.interpreter:
            self.process = subprocess.Popen(
                [*self.interpreter, "-m", WARM_MODULE, self.address, str(self.notebook_dir)],
                cwd=self.notebook_dir, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        return self

    @property
    def pid(self) -> int | None:
        """Process id of the warm process."""
        return self.process.pid if self.process else None

    @property
    def kernel_manager_class(self):
        """A kernel manager class whose kernels are forked from this warm process."""
        if self.process is None:
            return kernel_manager_class(self.runtime_dir)
        return kernel_manager_class(self.runtime_dir, warm=(self.address, self.pid, self.interpreter))

    def close(self) -> None:
        """Stop the warm process; kernels it forked exit with it."""
        import subprocess

        if self.process is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._own_runtime:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def __enter__(self) -> WarmKernels:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _interpreter_prefix(argv) -> list[str] | None:
    """The part of a kernel command before ``-m ipykernel_launcher`` (interpreter and options)."""
    argv = list(argv)
    for position in range(1, len(argv) - 1):
        if argv[position:position + 2] == KERNEL_LAUNCHER:
            options = argv[1:position]
            if all(option.startswith("-X") for option in options):
                return argv[:position]
            return None
    return None


class _WarmUnavailable(Exception):
    """The warm process is not running (failed to start, or could not fork safely)."""


def process_alive(pid: int | None) -> bool:
    """Whether process ``pid`` is running (a zombie, exited but not reaped, is not)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) is not alive
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _fork_kernel(address: str, warm_pid: int | None, argv: list[str], cwd: str, env: dict,
                 timeout: float = 180.0, prepare: dict | None = None) -> int:
    """Ask the warm process for a kernel; return its pid. Waits while the warm process preloads,
    and while it computes the analyses ``prepare`` names (see :mod:`evaluation.render.warm`)."""
    import socket

    deadline = time.monotonic() + timeout
    while True:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(address)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            connection.close()
            if not process_alive(warm_pid) or time.monotonic() > deadline:
                raise _WarmUnavailable(address) from None
            time.sleep(0.02)
    with connection:
        request = {"argv": argv, "cwd": cwd, "env": env}
        if prepare:
            request["prepare"] = prepare
        connection.sendall(json.dumps(request).encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = connection.recv(4096)
            if not chunk:
                raise _WarmUnavailable(address)
            answer += chunk
    reply = json.loads(answer)
    if "pid" not in reply:
        raise _WarmUnavailable(reply.get("error", "no pid"))
    return int(reply["pid"])


class _ForkedKernel:
    """A ``subprocess.Popen``-like handle on a kernel forked by the warm process.

    The kernel is the warm process's child, not ours: it is watched with signal 0, and the warm
    process (which ignores ``SIGCHLD``) reaps it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None and not process_alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None):
        import subprocess

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


def kernel_manager_class(runtime_dir: str | Path, *, warm: tuple[str, int | None, list] | None = None,
                         prepare: dict | None = None):
    """The kernel manager class reports run with (a ``jupyter_client.AsyncKernelManager``).

    Parameters
    ----------
    runtime_dir : str or Path
        A private, short folder for connection files and IPC sockets.
    warm : tuple, optional
        ``(address, pid, interpreter)`` of a running :class:`WarmKernels` process.
    prepare : dict, optional
        ``{"data_dir": ..., "phase": ..., "pilot": ...}``, the report the kernels are for: the
        warm process computes the analyses the report shares with the others of its phase before
        it forks the kernel (:func:`evaluation.report.analyses.prepare`), and keeps them for
        later kernels.

    Returns
    -------
    type
        The class, to pass as papermill's or nbclient's ``kernel_manager_class``.

    Notes
    -----
    Kernels use IPC transport (Unix sockets in ``runtime_dir``) where the platform has it, so
    they do not listen on TCP (and do not warn about unencrypted TCP). With ``warm=(address,
    pid, interpreter)`` a kernel whose command starts with ``interpreter`` (the warm process's
    interpreter and options) is forked from that :class:`WarmKernels` process; if it is not
    running, or the command differs, a fresh kernel is started instead.
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    runtime_dir = str(runtime_dir)

    class ReportKernelProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            prefix = len(warm[2]) if warm is not None else 0
            if (warm is not None and list(cmd[:prefix]) == list(warm[2])
                    and list(cmd[prefix:prefix + 2]) == KERNEL_LAUNCHER):
                try:
                    pid = _fork_kernel(warm[0], warm[1], list(cmd[prefix + 2:]), str(kwargs.get("cwd") or os.getcwd()),
                                       dict(kwargs.get("env") or os.environ), prepare=prepare)
                except _WarmUnavailable:
                    pass
                else:
                    self.process = _ForkedKernel(pid)
                    self.pid = self.pgid = pid
                    self.cwd = kwargs.get("cwd") or os.getcwd()
                    return self.connection_info
            return await super().launch_kernel(cmd, **kwargs)

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name == "posix":
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("connection_file",
                                  os.path.join(runtime_dir, f"kernel-{uuid.uuid4().hex[:12]}.json"))
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = ReportKernelProvisioner(kernel_id=self.kernel_id,
                                                           kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ReportKernelManager
