"""Report kernels: IPC transport, no TCP warning, from a warm process or fresh."""

from __future__ import annotations

import pytest

from pathlib import Path

from evaluation import KERNEL_NAME
from evaluation.render.kernels import WarmKernels, kernel_manager_class

from .helpers import PROBE_PRELOADED, notebook, run_notebook

pytestmark = pytest.mark.notebook  # starts real kernels


def test_kernels_talk_over_ipc_and_print_no_tcp_warning(tmp_path, capfd):
    manager = kernel_manager_class(tmp_path)(kernel_name=KERNEL_NAME)
    assert manager.transport == "ipc"
    assert Path(manager.connection_file).parent == tmp_path
    probe = notebook(tmp_path / "probe.ipynb", PROBE_PRELOADED)
    with WarmKernels(tmp_path) as warm:
        # the warm process is a module run with -m, not code in a string
        assert warm.process.args[len(warm.interpreter):len(warm.interpreter) + 2] == ["-m", "evaluation.render.warm"]
        run_notebook(probe, tmp_path / "warm.ipynb", warm.kernel_manager_class)
    run_notebook(probe, tmp_path / "fresh.ipynb", kernel_manager_class(tmp_path))
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err
