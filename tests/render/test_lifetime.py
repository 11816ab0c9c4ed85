"""A render and everything it starts end together, and its debris is removed.

A render runs in its own process (a small script, as a user runs the command line), in its own
session, with report notebooks whose one cell writes the kernel's process id to a file and then
waits: the test knows each kernel and can end the render while the kernels are busy. Kernels
start their own sessions (as ``jupyter_client`` starts them), so a signal to the render's
process group does not reach them -- before issue 16 they kept running after the render had been
killed, and the hidden ``.render-*`` folders with their partial notebooks stayed behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEMO
from evaluation.render.kernels import process_alive
from evaluation.render.output import RUNTIME_OWNER, WORK_PREFIX, remove_leftovers, remove_stale_runtime_dirs

from .helpers import notebook

WAITING_KERNEL = """\
import os, pathlib, time
pathlib.Path(os.environ["KERNEL_PIDS"], f"kernel-{os.getpid()}").write_text("running")
time.sleep(float(os.environ.get("KERNEL_SECONDS", "0")))
"""

RENDER = """\
import sys
from pathlib import Path
from evaluation.render.jobs import ReportJob
from evaluation.render.run import render_reports

if __name__ == "__main__":
    out, notebooks, warm = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "warm"
    jobs = [ReportJob("pilot_report", "midterm", pilot) for pilot in ("stad", "narvik")]
    summary = render_reports(jobs, data_dir=Path(sys.argv[4]), out=out, workers=2, warm=warm,
                             notebook_dir=notebooks, progress=print)
    sys.exit(1 if summary.failures else 0)
"""


@pytest.fixture
def setup(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    notebook(notebooks / "pilot_report.ipynb", WAITING_KERNEL)  # papermill injects the report's parameters
    (tmp_path / "render.py").write_text(RENDER, encoding="utf-8")
    (tmp_path / "pids").mkdir()
    return tmp_path


def start(root: Path, *, warm: str, seconds: float, wrapper: bool = False) -> subprocess.Popen:
    """Start the render script (or a wrapper process that starts it and waits) in a new session."""
    env = dict(os.environ, KERNEL_PIDS=str(root / "pids"), KERNEL_SECONDS=str(seconds))
    command = [sys.executable, str(root / "render.py"), str(root / "out"), str(root / "notebooks"), warm, str(DEMO)]
    if wrapper:  # the render's parent: it starts the render, writes its pid, and waits
        pid_file = str(root / "render.pid")
        command = [sys.executable, "-c", "import subprocess, sys, pathlib; "
                   f"p = subprocess.Popen({command!r}); pathlib.Path({pid_file!r}).write_text(str(p.pid)); p.wait()"]
    return subprocess.Popen(command, env=env, cwd=root, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def kernels_started(root: Path, count: int = 2, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [int(p.name.split("-")[1]) for p in (root / "pids").glob("kernel-*")]
        if len(pids) >= count:
            return pids
        time.sleep(0.1)
    raise AssertionError("the kernels did not start")


def all_gone(pids, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(process_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.startswith(WORK_PREFIX) or p.suffix == ".tmp")


@pytest.mark.notebook
@pytest.mark.parametrize("warm", ["warm", "fresh"])
def test_killing_the_renders_process_group_ends_its_kernels_and_the_next_run_removes_its_debris(setup, warm):
    render = start(setup, warm=warm, seconds=300)
    kernels = kernels_started(setup)
    os.killpg(render.pid, signal.SIGKILL)  # what a CI runner or `kill -9 -PGID` does
    render.wait(timeout=30)
    assert all_gone(kernels), "a kernel outlived the render"
    assert leftovers(setup / "out")  # killed outright: it could not clean up
    for path in (setup / "pids").iterdir():
        path.unlink()
    again = start(setup, warm=warm, seconds=0)
    assert again.wait(timeout=180) == 0, again.stderr.read()
    assert leftovers(setup / "out") == []
    assert sorted(p.name for p in (setup / "out" / "midterm").glob("*.html")) == ["narvik.html", "stad.html"]


@pytest.mark.notebook
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_render_ends_every_kernel_and_removes_its_temporary_files(setup, signum):
    render = start(setup, warm="warm", seconds=300)
    kernels = kernels_started(setup)
    os.kill(render.pid, signum)  # the render alone: its kernels do not get the signal
    render.wait(timeout=60)
    assert "RenderInterrupted" in render.stderr.read() or signum == signal.SIGINT
    assert all_gone(kernels), "a kernel outlived the render"
    assert leftovers(setup / "out") == []
    assert not list((setup / "out").glob("midterm/*.html"))  # nothing half-written


@pytest.mark.notebook
def test_when_the_renders_parent_dies_the_render_and_its_kernels_end(setup):
    parent = start(setup, warm="warm", seconds=300, wrapper=True)
    kernels = kernels_started(setup)
    render = int((setup / "render.pid").read_text())
    parent.kill()  # the terminal closes; the render is left without its parent
    parent.wait(timeout=30)
    assert all_gone([render, *kernels], timeout=30), "the render or a kernel outlived its parent"
    assert leftovers(setup / "out") == []


def test_the_debris_of_a_killed_render_is_removed_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    (out / ".render-x1y2z3" / "sub").mkdir(parents=True)
    (out / ".render-x1y2z3" / "stad.ipynb").write_text("{", encoding="utf-8")  # a partial notebook
    (out / "midterm").mkdir()
    (out / "midterm" / ".stad.html.0123456789ab.tmp").write_text("<p>half", encoding="utf-8")
    (out / ".manifest.json.abcdef012345.tmp").write_text("{", encoding="utf-8")
    kept = [out / "midterm" / "stad.html", out / "midterm" / ".notes.tmp", out / "render-notes" / "a.txt",
            out / ".render.lock"]
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep", encoding="utf-8")
    removed = remove_leftovers(out)
    assert sorted(p.relative_to(out).as_posix() for p in removed) == [
        ".manifest.json.abcdef012345.tmp", ".render-x1y2z3", "midterm/.stad.html.0123456789ab.tmp"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        p.relative_to(out).as_posix() for p in kept)


def test_kernel_folders_of_renders_no_longer_running_are_removed(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    for name, owner in (("shr-dead", dead), ("shr-alive", os.getpid()), ("shr-parent", os.getppid())):
        (tmp_path / name).mkdir()
        (tmp_path / name / RUNTIME_OWNER).write_text(str(owner), encoding="ascii")
    (tmp_path / "shr-unknown").mkdir()  # no owner file: not ours to judge
    assert [p.name for p in remove_stale_runtime_dirs(tmp_path)] == ["shr-dead"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shr-alive", "shr-parent", "shr-unknown"]
