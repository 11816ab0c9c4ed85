"""Parallel rendering on warm kernels gives the same reports as a serial run on fresh kernels.

The reference in every comparison is an independent path: papermill's own kernel manager (a
fresh kernel over TCP, as ``papermill`` on the command line runs it) and one report at a time.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from conftest import DEMO, REPO
from evaluation import KERNEL_NAME
from evaluation.render import (ReportJob, _preload_modules, WarmKernels, kernel_manager_class, render_one,
                               render_reports, run_in_dependency_order, warm_kernels_supported)

RUN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


def without_run_time(page: str) -> str:
    """A report page with its run timestamps (provenance appendix) blanked out."""
    return RUN_TIME.sub("<run time>", page)


# --------------------------------------------------------------------------------------------
# Scheduling (no notebooks: a thread pool and jobs that only record when they ran)
# --------------------------------------------------------------------------------------------


def test_a_synthesis_starts_only_after_the_pilot_reports_of_its_phase():
    jobs = [ReportJob("pilot_report", phase, pilot) for phase in ("midterm", "final")
            for pilot in ("stad", "orkland", "narvik")]
    jobs += [ReportJob("synthesis_report", phase, None) for phase in ("midterm", "final")]
    events: list[tuple[str, str, float]] = []
    running, most_running = 0, 0
    lock = threading.Lock()

    def work(job: ReportJob) -> str:
        nonlocal running, most_running
        with lock:
            running += 1
            most_running = max(most_running, running)
            events.append(("start", job.name, time.monotonic()))
        time.sleep(0.02 if job.pilot != "stad" else 0.06)
        with lock:
            running -= 1
            events.append(("end", job.name, time.monotonic()))
        return job.name

    finished: list[str] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        run_in_dependency_order(jobs, lambda job: pool.submit(work, job), capacity=2,
                                on_done=lambda job, future: finished.append(future.result()))
    assert sorted(finished) == sorted(job.name for job in jobs)
    assert most_running <= 2
    when = {(kind, name): at for kind, name, at in events}
    for phase in ("midterm", "final"):
        pilots_done = max(when[("end", f"{phase}/{pilot}")] for pilot in ("stad", "orkland", "narvik"))
        assert when[("start", f"{phase}/synthesis")] >= pilots_done


def test_a_synthesis_waits_only_for_its_own_phase_and_language():
    synthesis = ReportJob("synthesis_report", "midterm", None, "nb")
    assert synthesis.waits_for(ReportJob("pilot_report", "midterm", "stad", "nb"))
    assert not synthesis.waits_for(ReportJob("pilot_report", "final", "stad", "nb"))
    assert not synthesis.waits_for(ReportJob("pilot_report", "midterm", "stad", "en"))
    assert not ReportJob("pilot_report", "midterm", "stad").waits_for(synthesis)


# --------------------------------------------------------------------------------------------
# Warm kernels: isolation
# --------------------------------------------------------------------------------------------

POLLUTER = """\
import os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import evaluation.i18n as i18n

leftover = 42
matplotlib.rcParams["axes.grid"] = True
matplotlib.rcParams["font.size"] = 31
plt.figure()
os.chdir("/")
pd.set_option("display.precision", 1)
np.set_printoptions(precision=2)
np.random.seed(12345)
i18n.POLLUTED = True
i18n.translation_table()
os.environ["POLLUTED"] = "1"
sys.path.append("/polluted")
warnings.simplefilter("ignore")
sys.setrecursionlimit(4321)
print("polluted")
"""

PROBE = """\
import hashlib, json, os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import evaluation.i18n as i18n

state = {
    "cwd": os.getcwd(),
    "leftover": "leftover" in globals(),
    "user_names": sorted(n for n in globals() if not n.startswith("_")),
    "rc_params": hashlib.sha256(repr(sorted(matplotlib.rcParams.items())).encode()).hexdigest(),
    "font_size": matplotlib.rcParams["font.size"],
    "backend": matplotlib.get_backend(),
    "figures": plt.get_fignums(),
    "pandas_precision": pd.get_option("display.precision"),
    "numpy_precision": np.get_printoptions()["precision"],
    "module_attribute": getattr(i18n, "POLLUTED", None),
    "module_cache": i18n.translation_table.cache_info().currsize,
    "environment": os.environ.get("POLLUTED"),
    "environment_keys": sorted(k for k in os.environ if k not in ("JPY_PARENT_PID",)),
    "sys_path": sys.path,
    "argv": [os.path.basename(sys.argv[0]), len(sys.argv)],
    "flags": repr(sys.flags),
    "xoptions": sys._xoptions,
    "warnings_filters": [repr(f) for f in warnings.filters],
    "recursion_limit": sys.getrecursionlimit(),
    "executable": sys.executable,
}
print(json.dumps(state, sort_keys=True))
"""

PROBE_PRELOADED = "import sys\nprint('preloaded', 'pandas' in sys.modules)\n"
PROBE_RANDOM = "import numpy as np\nprint(np.random.randint(0, 2**31))\n"


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Statens hus evaluering",
                                 "language": "python"}
    parameters = nbformat.v4.new_code_cell('label = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(source) for source in cells)]
    nbformat.write(nb, path)
    return path


def run_notebook(source: Path, target: Path, manager=None) -> list[str]:
    import papermill

    options = {"kernel_manager_class": manager} if manager is not None else {}
    papermill.execute_notebook(str(source), str(target), kernel_name=KERNEL_NAME, progress_bar=False,
                               cwd=str(source.parent), parameters={"label": "x"}, **options)
    executed = nbformat.read(target, as_version=4)
    tags = {"parameters", "injected-parameters"}
    return ["".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
            for cell in executed.cells
            if cell.cell_type == "code" and not tags & set(cell.metadata.get("tags", []))]


@pytest.fixture(scope="module")
def isolation(tmp_path_factory):
    """The probe's view of the kernel: fresh (papermill's own kernel manager), and forked from a
    warm process in which the polluter ran first."""
    if not warm_kernels_supported():
        pytest.fail("warm kernels need Linux with fork; this suite runs on Linux")
    folder = tmp_path_factory.mktemp("isolation")
    polluter = notebook(folder / "polluter.ipynb", POLLUTER)
    probe = notebook(folder / "probe.ipynb", PROBE_PRELOADED, "", PROBE, PROBE_RANDOM)
    # Like the report notebooks, the probe first imports the libraries the warm process preloads
    # (in a fresh kernel this cell does the importing; in a forked one it finds them loaded).
    imports = ("import importlib\nfor name in %r:\n    try:\n        importlib.import_module(name)\n"
               "    except ImportError:\n        pass\n" % _preload_modules(folder))
    probe = notebook(folder / "probe.ipynb", PROBE_PRELOADED, imports, PROBE, PROBE_RANDOM)
    fresh = run_notebook(probe, folder / "fresh.ipynb")
    with WarmKernels(folder) as warm:
        manager = warm.kernel_manager_class
        polluted = run_notebook(polluter, folder / "polluter.out.ipynb", manager)
        first = run_notebook(probe, folder / "warm1.ipynb", manager)
        run_notebook(polluter, folder / "polluter2.out.ipynb", manager)
        second = run_notebook(probe, folder / "warm2.ipynb", manager)
    return {"fresh": fresh, "warm": [first, second], "polluted": polluted, "folder": folder}


def test_the_warm_kernel_really_is_forked_from_the_preloaded_process(isolation):
    # Control: pandas is imported in the warm process before any notebook, not in a fresh one.
    assert isolation["fresh"][0].strip() == "preloaded False"
    assert isolation["warm"][0][0].strip() == "preloaded True"
    assert isolation["polluted"][0].strip() == "polluted"


def test_a_notebook_on_a_warm_kernel_sees_the_same_state_as_on_a_fresh_kernel(isolation):
    fresh = json.loads(isolation["fresh"][2])
    assert fresh["cwd"] == str(isolation["folder"]) and not fresh["leftover"]
    for outputs in isolation["warm"]:
        warm = json.loads(outputs[2])
        assert warm == fresh


@pytest.mark.parametrize("key", ["cwd", "leftover", "font_size", "rc_params", "figures", "pandas_precision",
                                 "numpy_precision", "module_attribute", "module_cache", "environment",
                                 "sys_path", "warnings_filters", "recursion_limit"])
def test_what_one_notebook_changes_does_not_reach_the_next(isolation, key):
    fresh = json.loads(isolation["fresh"][2])
    second = json.loads(isolation["warm"][1][2])
    assert second[key] == fresh[key]


def test_each_forked_kernel_draws_fresh_random_numbers_as_a_new_process_would(isolation):
    # Without reseeding, every kernel forked from the warm process would repeat its NumPy state.
    first, second = (int(outputs[3]) for outputs in isolation["warm"])
    assert first != second


def test_kernels_talk_over_ipc_and_print_no_tcp_warning(tmp_path, capfd):
    manager = kernel_manager_class(tmp_path)(kernel_name=KERNEL_NAME)
    assert manager.transport == "ipc"
    assert Path(manager.connection_file).parent == tmp_path
    probe = notebook(tmp_path / "probe.ipynb", PROBE_PRELOADED)
    with WarmKernels(tmp_path) as warm:
        run_notebook(probe, tmp_path / "warm.ipynb", warm.kernel_manager_class)
    run_notebook(probe, tmp_path / "fresh.ipynb", kernel_manager_class(tmp_path))
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err


# --------------------------------------------------------------------------------------------
# The real reports: parallel and warm versus serial and fresh
# --------------------------------------------------------------------------------------------

JOBS = [ReportJob("pilot_report", "midterm", "stad"), ReportJob("pilot_report", "final", "narvik"),
        ReportJob("synthesis_report", "midterm", None)]
BROKEN = ReportJob("pilot_report", "midterm", "atlantis")


@pytest.fixture(scope="module")
def parallel_and_serial(tmp_path_factory):
    parallel_out = tmp_path_factory.mktemp("parallel")
    serial_out = tmp_path_factory.mktemp("serial")
    lines: list[str] = []
    summary = render_reports([*JOBS, BROKEN], data_dir=DEMO, out=parallel_out, workers=2, warm=True,
                             progress=lines.append)
    # The reference: one report at a time, papermill's own (fresh, TCP) kernel manager.
    serial = [render_one(job, data_dir=DEMO.resolve(), out=serial_out) for job in JOBS]
    return {"summary": summary, "lines": lines, "parallel": parallel_out, "serial": serial_out,
            "serial_results": serial}


@pytest.mark.slow
@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_parallel_warm_render_gives_the_same_html_as_a_serial_fresh_run(parallel_and_serial, job):
    assert all(result.ok for result in parallel_and_serial["serial_results"])
    parallel = job.html_path(parallel_and_serial["parallel"]).read_text(encoding="utf-8")
    serial = job.html_path(parallel_and_serial["serial"]).read_text(encoding="utf-8")
    assert len(RUN_TIME.findall(parallel)) == 1  # only the provenance appendix's run time differs
    assert without_run_time(parallel) == without_run_time(serial)


@pytest.mark.slow
@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_parallel_warm_render_gives_the_same_notebook_outputs_as_a_serial_fresh_run(parallel_and_serial, job):
    def outputs(path: Path) -> list:
        executed = nbformat.read(path, as_version=4)
        return [[{k: v for k, v in output.items() if k != "metadata"} for output in cell.outputs
                 if output.get("name") != "stderr"]
                for cell in executed.cells if cell.cell_type == "code"]

    def normalised(cells: list) -> str:  # run times, and object addresses in plain-text reprs
        return re.sub(r" at 0x[0-9a-f]+", " at 0x…", RUN_TIME.sub("<run time>", json.dumps(cells)))

    parallel = outputs(job.notebook_path(parallel_and_serial["parallel"]))
    serial = outputs(job.notebook_path(parallel_and_serial["serial"]))
    assert normalised(parallel) == normalised(serial)


@pytest.mark.slow
def test_a_failing_report_is_collected_with_its_executed_notebook_and_the_others_render(parallel_and_serial):
    summary = parallel_and_serial["summary"]
    assert [r.job for r in summary.failures] == [BROKEN]
    failure = summary.failures[0]
    assert "atlantis" in failure.error
    assert failure.notebook_path == BROKEN.failed_path(parallel_and_serial["parallel"])
    assert failure.notebook_path.is_file()
    assert not BROKEN.html_path(parallel_and_serial["parallel"]).exists()
    assert {r.job for r in summary.rendered} == set(JOBS)
    manifest = json.loads((parallel_and_serial["parallel"] / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == sorted(job.name for job in JOBS)


@pytest.mark.slow
def test_progress_shows_one_line_per_report_with_its_time(parallel_and_serial):
    lines = parallel_and_serial["lines"]
    assert len(lines) == len(JOBS) + 1
    for job in [*JOBS, BROKEN]:
        (line,) = [line for line in lines if line.startswith(job.name + " ")]
        assert re.search(r"\d+\.\d s  (ok|FAILED)", line)
    synthesis = [line.split()[0] for line in lines].index("midterm/synthesis")
    assert synthesis > [line.split()[0] for line in lines].index("midterm/stad")


@pytest.mark.slow
def test_the_index_is_written_after_every_report(parallel_and_serial):
    out = parallel_and_serial["parallel"]
    index = (out / "index.html").stat().st_mtime_ns
    assert all(job.html_path(out).stat().st_mtime_ns <= index for job in JOBS)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in page and "atlantis" not in page


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_render_refuses_a_job_count_below_one():
    result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--jobs", "0"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_importing_the_command_line_and_the_renderer_loads_no_heavy_library():
    code = ("import sys, evaluation.cli, evaluation.render; "
            "print(sorted(m for m in ('pandas', 'numpy', 'nbformat', 'jupyter_client', 'zmq', 'papermill') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
