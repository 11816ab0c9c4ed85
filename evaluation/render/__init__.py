"""Render the report notebooks into self-contained HTML: in parallel, on warm kernels, and only
what changed.

One report is one notebook run: ``notebooks/pilot_report.ipynb`` per pilot and phase, and
``notebooks/synthesis_report.ipynb`` per phase. :func:`render_reports` renders every report
asked for, collects failures instead of stopping at the first, writes each HTML file atomically,
and writes ``index.html`` last.

Output layout::

    OUT/index.html
    OUT/manifest.json                 what each report was built from
    OUT/<phase>/<pilot>.html          bokmål;  <pilot>.en.html in English
    OUT/<phase>/<pilot>.ipynb         the executed notebook
    OUT/<phase>/synthesis.html
    OUT/<phase>/<pilot>.failed.ipynb  the executed notebook of a failed run, with the error

The modules, in the order a render uses them:

* :mod:`~evaluation.render.jobs`: the reports to render (:class:`ReportJob`), their outcomes,
  and the order they may run in;
* :mod:`~evaluation.render.fingerprints`: what each report is built from, the manifest that
  records it, and the up-to-date check (*incremental* reruns);
* :mod:`~evaluation.render.kernels` and :mod:`~evaluation.render.warm`: the Jupyter kernel, and
  kernels forked from a warm process that has imported the report's libraries once;
* :mod:`~evaluation.render.page`: the exported notebook as an HTML page, and the index page
  (Jinja2 templates in ``evaluation/templates/``);
* :mod:`~evaluation.render.checking`: the data check before a render (validated once, or the
  last validation reused);
* :mod:`~evaluation.render.run`: one report, worker processes, the whole render.

Importing this package loads no heavy library (pandas, Jupyter): the command line answers a
rerun with nothing changed without them.
"""

from evaluation.render.checking import CheckedData, check_data, data_as_of
from evaluation.render.fingerprints import RenderInputs, current_inputs, read_manifest
from evaluation.render.jobs import NOTEBOOK_DIR, RenderedReport, RenderSummary, ReportJob, plan_reports
from evaluation.render.kernels import WarmKernels, ensure_kernel, kernel_manager_class, warm_kernels_supported
from evaluation.render.page import html_page, write_index
from evaluation.render.run import default_workers, render_one, render_reports

__all__ = [
    "NOTEBOOK_DIR",
    "CheckedData",
    "RenderInputs",
    "RenderSummary",
    "RenderedReport",
    "ReportJob",
    "WarmKernels",
    "check_data",
    "current_inputs",
    "data_as_of",
    "default_workers",
    "ensure_kernel",
    "html_page",
    "kernel_manager_class",
    "plan_reports",
    "read_manifest",
    "render_one",
    "render_reports",
    "warm_kernels_supported",
    "write_index",
]
