"""How long the processes of a render live: all of them end with the render.

A render is a tree of processes: the render itself, its worker processes, the warm process, and
the kernels (each in its own session, as ``jupyter_client`` starts kernels, so a signal to the
render's process group does not reach them). None may outlive the render:

* an interrupt (``SIGINT``, Ctrl-C), ``SIGTERM`` or ``SIGHUP`` ends the render in an orderly way
  (:func:`ending_on_signals`): :class:`RenderInterrupted` is raised in the render, which kills its
  workers and stops the warm process, removes its temporary files, and exits;
* when a process's parent dies -- the render's own parent (a closed terminal, a killed CI job)
  or the render itself, killed outright -- the kernel sends it a signal (Linux's
  ``PR_SET_PDEATHSIG``, :func:`die_with_parent`): the render gets ``SIGTERM`` and ends as above;
  workers, the warm process and the kernels forked from it get ``SIGKILL``. A fresh kernel
  watches its worker (``JPY_PARENT_PID``) and exits within a second of it.

Elsewhere than Linux the signals still end the render; parent death is not watched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process gets when its parent dies (``<linux/prctl.h>``)."""

ENDING_SIGNALS = ("SIGTERM", "SIGHUP")
"""Signals that end a render as an interrupt does (``SIGINT`` raises ``KeyboardInterrupt``)."""


class RenderInterrupted(KeyboardInterrupt):
    """A render was ended by a signal; ``signum`` is the signal (the exit code is 128 + it).

    A :class:`KeyboardInterrupt`, so that every ``finally`` and clean-up on the way out runs and
    nothing catches it as an ordinary error.
    """

    def __init__(self, signum: int):
        self.signum = int(signum)
        super().__init__(f"ended by {signal.Signals(self.signum).name}")


def die_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Ask the (Linux) kernel to send this process ``signum`` when its parent exits.

    Parameters
    ----------
    signum : int
        The signal; ``0`` clears the request.

    Returns
    -------
    bool
        Whether the request was made (False where ``prctl`` is not available).

    Notes
    -----
    The "parent" is the thread that started this process; every process of a render is started
    from its parent's main thread, which lives as long as the parent.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _raise_interrupted(signum, _frame) -> None:
    raise RenderInterrupted(signum)


@contextlib.contextmanager
def ending_on_signals():
    """While rendering: ``SIGTERM`` and ``SIGHUP`` raise :class:`RenderInterrupted`, and so does
    the death of this process's parent (``SIGTERM`` from the kernel, Linux).

    The handlers and the parent-death signal are what they were before when the block ends.
    In a thread other than the main one (where Python cannot handle signals) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    parent = os.getppid()
    previous = {name: signal.signal(getattr(signal, name), _raise_interrupted)
                for name in ENDING_SIGNALS if hasattr(signal, name)}
    watched = die_with_parent(signal.SIGTERM)
    try:
        if watched and os.getppid() != parent:  # the parent died before the request was made
            raise RenderInterrupted(signal.SIGTERM)
        yield
    finally:
        if watched:
            die_with_parent(0)
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def kill_workers(pool) -> None:
    """Kill the worker processes of a ``concurrent.futures.ProcessPoolExecutor`` at once.

    ``shutdown`` would wait for the reports they are rendering; after an interrupt nothing
    should. Their kernels follow them (see the module's notes).
    """
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=5)


def worker_process_setup() -> None:
    """In a worker process: die with the render, and leave ``SIGINT`` to the render.

    Ctrl-C reaches the whole process group; the render kills its workers itself (a worker that
    handled the interrupt would write a failed report on the way out).
    """
    die_with_parent(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
