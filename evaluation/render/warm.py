"""The warm process: import the report's libraries once, then fork a pristine kernel per report.

Run as ``python -m evaluation.render.warm SOCKET NOTEBOOK_DIR`` (by
:class:`evaluation.render.kernels.WarmKernels`), with the notebook folder as working directory.
It imports the kernel's own modules and the libraries the report notebooks import
(:func:`preload_modules`), then listens on the Unix socket ``SOCKET`` (in a private folder) for
one JSON line per request, ``{"argv": [...], "cwd": ..., "env": {...}}``, forks, answers
``{"pid": ...}``, and the child becomes ``python -m ipykernel_launcher ARGV``. It stops when its
standard input closes (the render that started it ended, or died).

A request may also name the report the kernel is for, ``"prepare": {"data_dir": ..., "phase":
..., "pilot": ..., "loaded": ...}``: before forking, the warm process loads that data folder cut
to the phase and computes the analyses the reports of the phase share (the disclosure plan, the
pilot's survey comparisons and goal attainment; :func:`evaluation.report.analyses.prepare`),
unless it has them already. It reads the folder from the file ``loaded``, where the render saved
the folder it validated and loaded, if the folder still holds those bytes, so a render reads and
validates its data once. The kernel, and every kernel forked after it, inherits the analyses in
its memory, and the report uses them if the data folder's content is still the one they were
computed from. If they cannot be computed, the report computes them itself (and reports any
error in the data as it would without them).

The forked kernel gets the environment, working directory, ``argv`` and ``sys.path`` a fresh
``python -m ipykernel_launcher`` would have, and NumPy's global random state is reseeded from the
OS, as in a new process. What differs from a fresh kernel, by design: the preloaded modules are
already in ``sys.modules`` (imported once, in the notebook folder, before any notebook ran), and
warnings raised while importing them are not repeated in each notebook's stderr (which reports
never show).

This module imports only the standard library at the top: whatever it imports, every forked
kernel has loaded. The warm process and each kernel die with their parent
(:mod:`evaluation.render.lifetime`), so no kernel outlives the render.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

KERNEL_PRELOAD = ("ipykernel_launcher", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                  "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
                  "IPython.extensions.storemagic", "psutil")
"""The kernel's own modules, which a fresh kernel imports while it starts (the debugger, with
debugpy, alone costs about 0.3 s per kernel if it is not preloaded)."""

WARM_PRELOAD = ("numpy", "pandas", "scipy", "scipy.stats", "matplotlib", "matplotlib.figure",
                "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg", "yaml", "IPython.display",
                "jinja2", "markdown_it")
"""Libraries the warm process imports before any notebook, besides those the notebooks import
(and those the package imports only when a report needs them: SVG figures, templates,
narratives' Markdown).

Only modules whose import does not depend on a running kernel (see :data:`NEVER_PRELOAD`).
"""

NEVER_PRELOAD = ("matplotlib.pyplot", "matplotlib_inline", "pylab", "ipywidgets", "IPython.core.pylabtools")
"""Modules (and their submodules) that hook into the IPython shell when imported inside a kernel;
notebooks import them themselves."""


def preload_modules(notebook_dir: Path) -> list[str]:
    """The modules the warm process imports for the notebooks in ``notebook_dir``.

    Parameters
    ----------
    notebook_dir : Path
        Folder of the report notebooks.

    Returns
    -------
    list of str
        :data:`WARM_PRELOAD` and every module the notebooks import at top level (``from a import
        b`` counts ``a`` and ``a.b``), less :data:`NEVER_PRELOAD`, each once.
    """
    import ast

    names = [name for name in WARM_PRELOAD]
    for path in sorted(Path(notebook_dir).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, json.JSONDecodeError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:  # IPython magics
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.append(node.module)
                    names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in dict.fromkeys(names)
            if not any(name == never or name.startswith(never + ".") for never in NEVER_PRELOAD)]


def main(argv: list[str] | None = None) -> None:
    """Run the warm process (see the module docstring); returns only in a forked kernel's stead.

    Parameters
    ----------
    argv : list of str, optional
        ``[SOCKET, NOTEBOOK_DIR]`` (default: the command line's).
    """
    import threading

    from evaluation.render.lifetime import die_with_parent

    die_with_parent()  # killed with the render that started it (its kernels follow, below)
    socket_path, notebook_dir = (sys.argv[1:] if argv is None else argv)[:2]
    base_path = _path_without_working_directory()
    kernel_filters, library_filters, set_by_imports = _preload(Path(notebook_dir))
    if threading.active_count() != 1:
        print("evaluation.render: the warm process has threads after preloading and cannot fork "
              "safely; reports use fresh kernels", file=sys.stderr)
        return
    request = _serve(socket_path)  # returns in a forked child only
    _become_kernel(request, base_path, kernel_filters, library_filters, set_by_imports)


def _path_without_working_directory() -> list[str]:
    """Drop the working directory from ``sys.path``, as ``ipykernel_launcher`` does while loading
    (the kernel's shell adds ``''`` back when it starts); return the path a kernel starts with."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    return list(sys.path)


def _preload(notebook_dir: Path) -> tuple[list, list, dict]:
    """Import :data:`KERNEL_PRELOAD`, then :func:`preload_modules`, without printing warnings.

    Returns
    -------
    tuple
        The warning filters the kernel's modules installed, and those the libraries added in
        front of them (empty if the libraries did more than prepend: the filters then stay as
        they are); and the environment variables the imports set (debugpy sets one where it is
        not set), which a fresh kernel's imports would set in its own environment.
    """
    import importlib
    import warnings

    # ipykernel sets this before the shell starts; libraries imported here must see it too.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    environment = dict(os.environ)
    # Import warnings are not printed (a fresh kernel would print them in the notebook's stderr,
    # which no report shows); the warning *filters* that modules install stay as they are.
    show, warnings.showwarning = warnings.showwarning, lambda *args, **kwargs: None
    try:
        for stage in (KERNEL_PRELOAD, preload_modules(notebook_dir)):
            for name in stage:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - not a module, or broken: the notebook will say so
                    pass
            if stage is KERNEL_PRELOAD:
                kernel_filters = list(warnings.filters)
    finally:
        warnings.showwarning = show
    # A fresh kernel starts, then the notebook imports the libraries: their warning filters come
    # before those the kernel adds when it starts. The child puts them back in that order.
    library_filters = [f for f in warnings.filters if f not in kernel_filters]
    if warnings.filters != library_filters + kernel_filters:  # not only prepended: leave as is
        kernel_filters, library_filters = list(warnings.filters), []
    set_by_imports = {name: value for name, value in os.environ.items() if name not in environment}
    return kernel_filters, library_filters, set_by_imports


def _serve(socket_path: str) -> dict:
    """Answer requests on ``socket_path`` with forked children until standard input closes.

    Returns
    -------
    dict
        In a forked child: its request. The warm process itself never returns (it exits when
        its standard input closes).
    """
    import selectors
    import signal
    import socket

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the render, which closes stdin
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ)
    request = None
    while request is None:
        for key, _ in selector.select():
            if key.fileobj is not server:
                if not os.read(sys.stdin.fileno(), 4096):
                    _exit(server, socket_path)
                continue
            connection, _ = server.accept()
            request = _fork_for(connection, selector, server)
            if request is not None:
                break
    return request


def _exit(server, socket_path: str) -> None:
    """Stop the warm process: close and remove the socket, and exit at once."""
    server.close()
    Path(socket_path).unlink(missing_ok=True)
    sys.stderr.flush()
    os._exit(0)  # nothing to finalise: skip tearing down the preloaded libraries


def _fork_for(connection, selector, server) -> dict | None:
    """Read one request from ``connection`` and fork.

    Returns
    -------
    dict or None
        In the child: the request (the connection, server and selector are closed). In the warm
        process: ``None``, after answering ``{"pid": ...}`` (or ``{"error": ...}``).
    """
    import threading

    request = None
    try:
        connection.settimeout(10)
        payload = b""
        while not payload.endswith(b"\n"):
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            payload += chunk
        wanted = json.loads(payload)
        _prepare_analyses(wanted)
        if threading.active_count() != 1:  # never fork with threads (the analyses started none)
            raise OSError("the warm process has threads and cannot fork safely")
        pid = os.fork()
        if pid == 0:
            selector.close()
            server.close()
            connection.close()
            request = wanted
            return request
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    except (OSError, ValueError) as error:
        try:
            connection.sendall(json.dumps({"error": str(error)}).encode() + b"\n")
        except OSError:
            pass
    finally:
        if request is None:
            connection.close()
    return None


def _prepare_analyses(request: dict) -> None:
    """Compute the analyses of the report a request names (see the module docstring), without
    printing warnings; a failure leaves the report to compute them itself."""
    import warnings

    wanted = request.get("prepare")
    if not isinstance(wanted, dict):
        return
    try:
        from evaluation.report.analyses import prepare

        with warnings.catch_warnings(record=True):  # a report kernel shows its own warnings
            prepare(wanted["data_dir"], phase=wanted["phase"], pilot=wanted.get("pilot"),
                    environ=request.get("env") or {}, loaded=wanted.get("loaded"))
    except Exception:  # noqa: BLE001 - the report computes them itself, and reports any error
        pass


def _set_warning_filters(filters: list) -> None:
    import warnings

    warnings.filters[:] = filters
    getattr(warnings, "_filters_mutated", lambda: None)()


def _become_kernel(request: dict, base_path: list[str], kernel_filters: list, library_filters: list,
                   set_by_imports: dict) -> None:
    """In a child of the warm process: become ``python -m ipykernel_launcher ARGV`` (with the
    environment variables the preloaded modules set where the request's environment lacks them,
    as their import would in a fresh kernel)."""
    import signal
    import warnings

    from evaluation.render.lifetime import die_with_parent

    os.setsid()  # its own process group, as jupyter_client starts kernels
    die_with_parent()  # a signal to the render's group misses this session: the warm process's end does not
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    environment = {**set_by_imports, **request["env"]}
    environment["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits when the warm process does
    os.environ.clear()
    os.environ.update(environment)
    sys.path[:] = base_path
    if "numpy" in sys.modules:  # a new process draws fresh entropy; a fork copies its parent's
        sys.modules["numpy"].random.seed()
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    _set_warning_filters(kernel_filters)
    app = IPKernelApp.instance()  # what IPKernelApp.launch_instance does, with the filters in between
    # Its default was read from the warm process's environment when ipykernel was preloaded:
    # without this the kernel would not watch its parent (ipykernel's ParentPollerUnix).
    app.parent_handle = int(environment["JPY_PARENT_PID"])
    app.initialize(request["argv"])
    _set_warning_filters(library_filters + [f for f in warnings.filters])
    app.start()


if __name__ == "__main__":
    main()
