"""Where the report notebooks and the demo data are, installed or in a checkout.

The repository keeps them at its top level (``notebooks/`` and ``data/demo/``); a wheel
(``pip install .``) carries copies inside the package (``evaluation/notebooks/`` and
``evaluation/demo_data/``, mapped in ``pyproject.toml``). These two functions are the one
place that knows both layouts: the installed copy wins when it exists, otherwise the folders of
the source checkout are used (an editable install, or the repository on ``sys.path``).

Paths, not ``importlib.resources`` traversables: papermill, the kernels and the data readers
need real folders, and a wheel is always unpacked on disk.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _installed_or_checkout(installed: str, checkout: str) -> Path:
    copy = _PACKAGE / installed
    return copy if copy.is_dir() else _CHECKOUT / checkout


def notebook_dir() -> Path:
    """The report notebooks (templates, committed without outputs).

    Returns
    -------
    Path
        ``evaluation/notebooks`` in an installed wheel, ``notebooks`` in a source checkout.

    Examples
    --------
    >>> sorted(p.name for p in notebook_dir().glob("*_report.ipynb"))
    ['pilot_report.ipynb', 'synthesis_report.ipynb']
    """
    return _installed_or_checkout("notebooks", "notebooks")


def demo_data_dir() -> Path:
    """The bundled synthetic demo data (the default of every command).

    Returns
    -------
    Path
        ``evaluation/demo_data`` in an installed wheel, ``data/demo`` in a source checkout.

    Examples
    --------
    >>> (demo_data_dir() / "programme.yaml").is_file()
    True
    """
    return _installed_or_checkout("demo_data", "data/demo")
