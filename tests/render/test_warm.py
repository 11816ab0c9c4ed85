"""Kernels forked from the warm process see what a fresh kernel sees, and nothing that an earlier
notebook changed.

The reference is papermill's own kernel manager: a fresh kernel over TCP, as ``papermill`` on
the command line runs it.
"""

from __future__ import annotations

import json

import pytest

from evaluation.render.kernels import WarmKernels, kernel_manager_class, warm_kernels_supported
from evaluation.render.warm import NEVER_PRELOAD, WARM_PRELOAD, preload_modules

from .helpers import PROBE_PRELOADED, edit_response, notebook, run_notebook

pytestmark = pytest.mark.notebook  # starts real kernels


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

PROBE_RANDOM = "import numpy as np\nprint(np.random.randint(0, 2**31))\n"


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
    imports = (f"import importlib\nfor name in {preload_modules(folder)!r}:\n"
               "    try:\n        importlib.import_module(name)\n"
               "    except ImportError:\n        pass\n")
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


def test_preloading_takes_the_notebooks_imports_but_never_a_module_that_hooks_into_the_shell(tmp_path):
    notebook(tmp_path / "a.ipynb", "import scipy.stats\nfrom evaluation import report\nimport matplotlib.pyplot as plt",
             "%matplotlib inline")
    modules = preload_modules(tmp_path)
    assert modules[:len(WARM_PRELOAD)] == list(WARM_PRELOAD)
    assert {"evaluation", "evaluation.report", "scipy.stats"} <= set(modules)
    assert not [m for m in modules if any(m == n or m.startswith(n + ".") for n in NEVER_PRELOAD)]


SHARED_PROBE = """\
from evaluation.report import open_report
ctx = open_report({data_dir!r}, pilot="stad", phase="final")
print(ctx.shared is not None, int(ctx.data.responses["Q01"].sum()))
"""


def test_a_kernel_forked_for_a_report_inherits_its_phases_analyses_but_never_stale_ones(tmp_path, demo_copy):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    probe = notebook(folder / "probe.ipynb", SHARED_PROBE.format(data_dir=str(demo_copy)))
    with WarmKernels(folder) as warm:
        address = (warm.address, warm.pid, warm.interpreter)
        for_stad = kernel_manager_class(warm.runtime_dir, warm=address,
                                        prepare={"data_dir": str(demo_copy), "phase": "final", "pilot": "stad"})
        first = run_notebook(probe, folder / "first.ipynb", for_stad)
        edit_response(demo_copy, pilot="stad", year="2024")
        # forked without asking for the report: the warm process still holds the old data's analyses
        stale = run_notebook(probe, folder / "stale.ipynb", warm.kernel_manager_class)
        again = run_notebook(probe, folder / "again.ipynb", for_stad)  # prepared from the new data
    (shared, before), (stale_shared, after), (shared_again, again_sum) = (
        output.split() for output in (first[0], stale[0], again[0]))
    assert (shared, stale_shared, shared_again) == ("True", "False", "True")
    assert before != after == again_sum  # one answer moved between 2 and 3


def test_the_warm_process_takes_the_data_the_render_loaded_while_the_folder_is_unchanged(tmp_path, demo_copy):
    """The render saves the folder it validated (:class:`LoadedFolder`); the warm process uses it
    instead of reading the folder again. A marked copy (one Stad answer of 2024 moved in the
    saved data only) shows which one a kernel got: the saved data while the folder's bytes are
    those they were loaded from, the folder's own once it changed."""
    import dataclasses

    from evaluation.contract.loaded import load_folder

    loaded = load_folder(demo_copy)
    responses = loaded.data.responses.copy()
    row = responses.index[(responses["pilot"] == "stad") & (responses["wave"] == 2024) & (responses["Q01"] == 2)][0]
    responses.loc[row, "Q01"] = 3
    marked = dataclasses.replace(loaded, data=dataclasses.replace(loaded.data, responses=responses))
    folder = tmp_path / "notebooks"
    folder.mkdir()
    probe = notebook(folder / "probe.ipynb", SHARED_PROBE.format(data_dir=str(demo_copy)))
    with WarmKernels(folder) as warm:
        saved = marked.save(warm.runtime_dir / "loaded.pickle")
        address = (warm.address, warm.pid, warm.interpreter)
        request = {"data_dir": str(demo_copy), "phase": "final", "pilot": "stad", "loaded": str(saved)}
        first = run_notebook(probe, folder / "first.ipynb", kernel_manager_class(warm.runtime_dir, warm=address,
                                                                                 prepare=request))
        edit_response(demo_copy, pilot="narvik", year="2024")  # another pilot's answer: the bytes change
        again = run_notebook(probe, folder / "again.ipynb", kernel_manager_class(warm.runtime_dir, warm=address,
                                                                                 prepare=request))
    (shared, from_saved), (shared_again, from_folder) = (output.split() for output in (first[0], again[0]))
    assert (shared, shared_again) == ("True", "True")
    original = int(loaded.data.responses.loc[loaded.data.responses["wave"] <= 2024, "Q01"].sum())
    assert int(from_saved) != int(from_folder)
    assert int(from_saved) == original + 1  # the saved, marked data
    assert int(from_folder) == int(load_folder(demo_copy).data.responses["Q01"].sum())  # the edited folder
