"""Where one report's cells spend their time: ``python benchmarks/profile_report.py [PILOT] [PHASE]``.

Runs a report notebook's cells in this process (as ``tests/inline_report.py`` does: the same
package calls as in a kernel, without the kernel) a few times and prints the CPU time per run,
split by what the time was spent on:

* *data*: reading and validating the data folder (``evaluation.contract``);
* *statistics*: ``evaluation.survey``, ``stats``, ``goals``, ``interviews``, ``indicators``,
  ``disclosure`` and ``privacy``, and the report's shared analyses (``evaluation.report.analyses``);
* *figures*: ``evaluation.plots`` and matplotlib (drawing and encoding);
* *HTML*: the report's text and tables (``evaluation.report``, ``html``, ``tables``, ``i18n``);
* *other*: everything else.

It samples the call stack every millisecond of CPU time (``ITIMER_PROF``, so other processes on a
busy machine do not count), and gives the CPU time since the last sample to the innermost frame
that belongs to one of the groups: pandas called by a survey function counts as statistics, pandas called by a chapter
to build a table as HTML. The first run also pays one-time costs (imports, font loading); the
median of the later runs is what to compare.

With ``--shared`` the phase's shared analyses are prepared first, as the render's warm process
does before it forks a report's kernel (:func:`evaluation.report.analyses.prepare`), so the runs
show what is left to a report's own kernel.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

GROUPS = (
    ("figures", ("/evaluation/plots/", "/matplotlib/", "/PIL/")),
    ("data", ("/evaluation/contract/",)),
    ("statistics", ("/evaluation/survey/", "/evaluation/stats/", "/evaluation/goals/", "/evaluation/interviews/",
                    "/evaluation/indicators.py", "/evaluation/disclosure.py", "/evaluation/privacy.py",
                    "/evaluation/report/analyses.py")),
    ("HTML", ("/evaluation/report/", "/evaluation/html.py", "/evaluation/tables.py", "/evaluation/i18n.py")),
)
"""Groups of the time, each with the path fragments of the code that counts in it."""

INTERVAL = 0.001
"""Seconds of CPU time between two samples."""


def group_of(frame) -> str:
    """The group of a sampled stack: that of its innermost frame in one of :data:`GROUPS`."""
    while frame is not None:
        filename = frame.f_code.co_filename
        for name, fragments in GROUPS:
            if any(fragment in filename for fragment in fragments):
                return name
        frame = frame.f_back
    return "other"


def profile_run(function) -> Counter:
    """CPU seconds of ``function()`` per group, and ``total``: its wall-clock seconds."""
    samples: Counter = Counter()
    clock = [time.process_time()]

    def sample(_signum, frame):
        # the CPU time since the last sample: a long call into C delivers one signal when it returns
        now = time.process_time()
        samples[group_of(frame)] += now - clock[0]
        clock[0] = now

    previous = signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
    started = time.perf_counter()
    try:
        function()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    samples[group_of(sys._getframe())] += time.process_time() - clock[0]
    samples["total"] = time.perf_counter() - started
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pilot", nargs="?", default="stad", help="a pilot id, or 'synthesis'")
    parser.add_argument("phase", nargs="?", help="a phase id of the data's programme.yaml (default: its last phase)")
    parser.add_argument("--data-dir", default=str(REPO / "data" / "demo"))
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--shared", action="store_true",
                        help="prepare the phase's shared analyses first, as the render's warm process does")
    args = parser.parse_args(argv)

    from inline_report import pilot_report, synthesis_report

    pilot = None if args.pilot == "synthesis" else args.pilot
    data_dir = Path(args.data_dir)
    if args.phase is None:
        from evaluation.contract import load_data

        args.phase = load_data(data_dir).programme.phases[-1]

    def report() -> None:
        if pilot is None:
            synthesis_report(data_dir, args.phase)
        else:
            pilot_report(data_dir, pilot, args.phase)

    if args.shared:
        from evaluation.report.analyses import prepare

        prepare(str(data_dir), phase=args.phase, pilot=pilot)
    names = [name for name, _ in GROUPS] + ["other"]
    print(f"{args.pilot} {args.phase}{' (shared analyses prepared)' if args.shared else ''}: CPU seconds per run")
    print(f"{'run':>5} {'wall':>7} " + " ".join(f"{name:>10}" for name in names))
    runs = []
    for number in range(1, args.runs + 1):
        samples = profile_run(report)
        runs.append(samples)
        print(f"{number:>5} {samples['total']:7.2f} " + " ".join(f"{samples[name]:10.2f}" for name in names))
    later = runs[1:] or runs
    print(f"{'median':>5} {statistics.median(r['total'] for r in later):7.2f} "
          + " ".join(f"{statistics.median(r[name] for r in later):10.2f}" for name in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
