"""Statens hus evaluation workbench.

The package computes the evaluation of *Pilot Statens hus* from a data folder that follows the
data contract (``data/README.md``): survey indices, interview themes, indicators, milestones and
goal attainment, rendered into reports by the notebooks in ``notebooks/``.

Importing the package is deliberately light (no pandas, matplotlib or Jupyter): the command line
starts fast, and modules are imported where they are used::

    from evaluation.contract import load_data
    from evaluation import survey, interviews, goals
"""

from evaluation.resources import demo_data_dir as _demo_data_dir

__version__ = "0.1.0"

DEMO_DATA_DIR = _demo_data_dir()
"""The bundled synthetic demo data (the default of every command); see `evaluation.resources`."""

KERNEL_NAME = "statens-hus-eval"
"""Name of the Jupyter kernel that ``make`` registers for the project's virtual environment."""
