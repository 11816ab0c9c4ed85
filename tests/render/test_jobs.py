"""The reports to render and their order: a synthesis waits for the pilot reports of its phase.

No notebooks run here: a thread pool and jobs that only record when they ran.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from evaluation.render.jobs import ReportJob, plan_reports, run_in_dependency_order


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


def test_a_plan_lists_each_pilot_in_each_phase_then_each_phase_synthesis(tmp_path):
    (tmp_path / "synthesis_report.ipynb").write_text("{}", encoding="utf-8")
    jobs = plan_reports(phases=["midterm", "final"], pilots=["stad", "narvik"], lang="en", notebook_dir=tmp_path)
    assert [job.name for job in jobs] == ["midterm/stad.en", "midterm/narvik.en", "final/stad.en", "final/narvik.en",
                                          "midterm/synthesis.en", "final/synthesis.en"]
    without = plan_reports(phases=["midterm"], pilots=["stad"], notebook_dir=tmp_path / "none")
    assert [job.name for job in without] == ["midterm/stad"]
