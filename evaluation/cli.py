"""The command line: ``python -m evaluation {validate,render,demo-data,import-survey,import-interviews}``.

Every command takes ``--data-dir`` (default: the bundled demo data). Exit codes: 0 success,
1 invalid data or a failed report, 2 wrong usage (among it, rendering into a folder of reports
made from other data without ``--replace-reports``) or an output folder that cannot be written
(a file, read-only, a full disk), 128 + the signal for a render ended by a signal (130 for
Ctrl-C, 143 for ``SIGTERM``). Heavy libraries are imported inside the
commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _default_data_dir() -> Path:
    from evaluation import DEMO_DATA_DIR  # no pandas: a no-change rerun stays fast

    return DEMO_DATA_DIR


def _print_problems(problems, stream=None, consequence: str = "") -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)
    print(f"{len(problems)} problem(s) found{'; ' + consequence if consequence else ''}.", file=stream)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a data folder and print every problem, or a one-screen summary."""
    from evaluation.contract import load_data, validate

    problems = validate(args.data_dir)
    if problems:
        _print_problems(problems)
        return 1
    data = load_data(args.data_dir)
    programme = data.programme
    print(f"{args.data_dir}: valid")
    print(f"  pilots:      {', '.join(programme.pilot_ids)}")
    print(f"  phases:      {', '.join(f'{p} (cut-off {c})' for p, c in programme.cutoffs.items())}")
    waves = data.responses.groupby("wave").size()
    print("  waves:       " + ", ".join(f"{w} ({programme.wave_role(w)}: {n} respondents)" for w, n in waves.items()))
    print(f"  respondents: {len(data.responses)} responses, {data.responses['agency'].nunique()} agencies")
    rounds = data.interviews.groupby("round").size()
    print("  interviews:  " + ", ".join(f"{r}: {n}" for r, n in rounds.items())
          + f"; {len(data.segments)} coded segments")
    print(f"  indicators:  {len(programme.indicators)} with {len(data.observations)} observations; "
          f"{len(data.milestones)} milestones; {len(data.assessments)} assessments")
    print(f"  anonymity threshold: {programme.anonymity_threshold}")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Validate, then render the reports asked for that are not up to date, and the index.

    Validation is skipped when the data folder and the package are byte-identical to those of
    the last successful validation recorded in the output folder's manifest; a rerun with
    nothing changed then renders nothing and never imports pandas.
    """
    from evaluation.errors import DataContractError, OtherDataInOutputError, OutputError
    from evaluation.render import check_data, default_workers, plan_reports, render_reports
    from evaluation.render.lifetime import RenderInterrupted

    out = Path(args.out)
    try:
        checked = check_data(args.data_dir, out=out)
    except DataContractError as error:
        _print_problems(error.problems, consequence="nothing was rendered")
        return 1
    phases = checked.phases if args.phase == "all" else [args.phase]
    pilots = checked.pilots if args.pilot == "all" else [args.pilot]
    for phase in phases:
        if phase not in checked.phases:
            print(f"unknown phase {phase!r}; expected one of {', '.join(checked.phases)} or all", file=sys.stderr)
            return 2
    for pilot in pilots:
        if pilot not in checked.pilots:
            print(f"unknown pilot {pilot!r}; expected one of {', '.join(checked.pilots)} or all", file=sys.stderr)
            return 2
    jobs = plan_reports(phases=phases, pilots=pilots, lang=args.lang, synthesis=args.pilot == "all")
    workers = args.jobs or default_workers()
    print(f"{len(jobs)} report(s) from {args.data_dir} into {out}/ (up to {workers} at a time"
          f"{', all rendered' if args.force else ''})", flush=True)
    try:
        summary = render_reports(jobs, data_dir=Path(args.data_dir), out=out, inputs=checked.inputs,
                                 validated=checked.validated, phases=checked.phases,
                                 phase_names=checked.phase_names, workers=workers, force=args.force,
                                 warm=False if args.fresh_kernels else None, replace_reports=args.replace_reports,
                                 formats=args.formats, loaded=checked.loaded,
                                 progress=lambda line: print(line, flush=True))
    except OtherDataInOutputError as error:
        print(f"error: {error}; nothing was rendered", file=sys.stderr)
        return 2
    except OutputError as error:
        print(f"error: {error}. Reports finished before this are complete; nothing is half-written.",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        signum = interrupt.signum if isinstance(interrupt, RenderInterrupted) else 2
        print(f"render interrupted ({interrupt or 'SIGINT'}): every kernel stopped, temporary files removed; "
              "reports finished before this are complete", file=sys.stderr)
        return 128 + signum
    failures = summary.failures
    print(f"{len(summary.rendered)} rendered, {len(summary.skipped)} up to date, {len(failures)} failed "
          f"in {summary.seconds:.1f} s.")
    for failure in failures:
        print(f"FAILED {failure.job.name}: {failure.error}\n  executed notebook with the error: "
              f"{failure.notebook_path}", file=sys.stderr)
    print(f"Index: {summary.index_path.resolve()}")
    return 1 if failures else 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    """Write the synthetic demo data."""
    from evaluation.demo import write_demo_data

    out = write_demo_data(args.out, seed=args.seed)
    print(f"Demo data written to {out}")
    return 0


def cmd_import_survey(args: argparse.Namespace) -> int:
    """Import a survey tool's export into a data folder's ``survey/responses.csv``, as one change.

    The items and scales come from the target folder (``--out``): its ``survey/items.csv`` and
    ``survey/scales.csv`` must exist. By default the export's respondents are added; with
    ``--replace`` the export's wave and pilots replace those rows (what is removed and added is
    printed first). The whole folder is validated with the new file in a temporary copy, and
    the real file is replaced only when there is no problem; otherwise nothing changes and
    every problem is printed.
    """
    import pandas as pd

    from evaluation.contract import FILES
    from evaluation.errors import DataContractError
    from evaluation.importers import commit_responses, import_survey, items_with_scales, merge_responses

    out = Path(args.out)
    for name in ("items", "scales"):
        if not (out / FILES[name]).exists():
            raise DataContractError.single(FILES[name], None, None, f"file is missing in {out}",
                                           "the contract's items and scales in the target folder")
    items = items_with_scales(pd.read_csv(out / FILES["items"], dtype=str, keep_default_na=False),
                              pd.read_csv(out / FILES["scales"], dtype=str, keep_default_na=False))
    result = import_survey(args.source, format=args.format, mapping=args.mapping, wave=args.wave,
                           items=items, encoding=args.encoding, codebook=args.codebook)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        merge = merge_responses(result, out, replace=args.replace)
        if args.replace:
            print(f"Replacing the rows of wave {args.wave} for the pilot(s) of the export in {merge.path}:")
            _print_response_changes(merge)
        path = commit_responses(merge)
    except DataContractError as error:
        _print_problems(error.problems, consequence=f"nothing in {out} was changed")
        return 1
    if not args.replace:
        print(f"Added to {path}:")
        _print_response_changes(merge)
    if merge.unchanged:
        print(f"{merge.unchanged} respondent(s) of the export were already in the file, unchanged.")
    print(f"{out}: valid")
    return 0


def _print_changes(removed, added, *, keys: list[str], describe) -> None:
    """What an import removes and adds per group (``keys``), one line each, and the totals.

    ``describe(get)`` turns the counts of one side into words; ``get(column)`` gives a count.
    """
    both = removed.merge(added, on=keys, how="outer", suffixes=("_removed", "_added"))
    both = both.fillna(0).sort_values(keys)
    if both.empty:
        print("  nothing")
    for row in both.to_dict("records"):
        def side(suffix: str, row: dict = row):
            return describe(lambda column: row[column + suffix])

        parts = [f"remove {side('_removed')}"] if len(removed) else []
        group = " / ".join(f"wave {row[k]}" if k == "wave" else str(row[k]) for k in keys)
        print(f"  {group}: " + ", ".join([*parts, f"add {side('_added')}"]))
    total = f"remove {describe(lambda c: removed[c].sum())}, " if len(removed) else ""
    print(f"  total: {total}add {describe(lambda c: added[c].sum())}")


def _print_response_changes(merge) -> None:
    """Respondents removed and added per pilot, agency and wave."""
    _print_changes(merge.removed, merge.added, keys=["pilot", "agency", "wave"],
                   describe=lambda get: str(int(get("n"))))


def _print_interview_changes(merge) -> None:
    """Interviews (and segments) removed and added per pilot and stakeholder group."""
    _print_changes(merge.removed, merge.added, keys=["pilot", "stakeholder_group"],
                   describe=lambda get: f"{int(get('interviews'))} interview(s) ({int(get('segments'))} segments)")


def _print_import_summary(imported) -> None:
    """What the coding project held that the import left out, merged or decided, and how each
    interview was identified (its label in the tool is shown here only, never written)."""
    print(f"Read {imported.source}: {len(imported.interviews)} interview(s), {len(imported.segments)} segment(s)")
    for row in imported.summary.to_dict("records"):
        print(f"  {row['part']}: {row['count']} ({row['treatment']})")
    for row in imported.labels.to_dict("records"):
        if row["id_from"] != "variable":
            how = "the case name" if row["id_from"] == "name" else "an id derived from the name"
            print(f"  interview {row['interview_id']}: {row['label']!r} ({how})")


def cmd_import_interviews(args: argparse.Namespace) -> int:
    """Import coded interviews (REFI-QDA or Taguette) into a data folder's ``interviews/``, as one change.

    By default only interviews whose id is new are added (with their segments and new codes);
    with ``--replace`` the interviews of the import's pilots and rounds are replaced (what is
    removed and added is printed first). The whole folder is validated with the three new files
    in a temporary copy, and the real files are replaced only when there is no problem;
    otherwise nothing changes and every problem is printed.
    """
    from evaluation.errors import DataContractError
    from evaluation.importers import commit_interviews, merge_interviews, read_qdpx, read_taguette

    out = Path(args.out)
    if args.format == "taguette" and (args.codebook is None or args.mapping is None):
        print("error: --format taguette needs --codebook and --mapping", file=sys.stderr)
        return 2
    if args.format == "qdpx" and args.codebook is not None:
        print("error: --codebook is for --format taguette only", file=sys.stderr)
        return 2
    try:
        imported = (read_qdpx(args.project, mapping=args.mapping) if args.format == "qdpx"
                    else read_taguette(args.project, args.codebook, args.mapping))
        _print_import_summary(imported)
        merge = merge_interviews(imported, out, replace=args.replace)
        if args.replace:
            print(f"Replacing the interviews of the import's pilots and rounds in {out}/interviews:")
            _print_interview_changes(merge)
        commit_interviews(merge)
    except DataContractError as error:
        _print_problems(error.problems, consequence=f"nothing in {out} was changed")
        return 1
    if not args.replace:
        print(f"Added to {out}/interviews:")
        _print_interview_changes(merge)
    if merge.codes_added:
        print(f"Codes added to the codebook: {', '.join(merge.codes_added)}")
    if merge.unchanged:
        print(f"{merge.unchanged} interview(s) of the import were already in the folder, unchanged.")
    print(f"{out}: valid")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


def _formats(text: str) -> tuple[str, ...]:
    from evaluation.publish import FORMATS

    names = [name.strip() for name in text.split(",") if name.strip() and name.strip() != "html"]
    unknown = sorted(set(names) - set(FORMATS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(unknown)}; expected html or some of "
                                         f"{', '.join(FORMATS)}")
    return tuple(name for name in FORMATS if name in names)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="python -m evaluation",
        description="Statens hus evaluation workbench: validate data and render the evaluation reports.")
    commands = parser.add_subparsers(dest="command", required=True)

    def data_dir(sub):
        sub.add_argument("--data-dir", type=Path, default=None,
                         help="data folder following data/README.md (default: the bundled demo data)")

    validate = commands.add_parser("validate", help="check a data folder against the data contract")
    data_dir(validate)
    validate.set_defaults(func=cmd_validate)

    render = commands.add_parser("render", help="validate, then render reports and the index")
    data_dir(render)
    render.add_argument("--out", default="reports", help="output folder (default: reports)")
    render.add_argument("--phase", default="all",
                        help="a phase id from the data's programme.yaml, or all (default: all)")
    render.add_argument("--pilot", default="all", help="a pilot id or all (default: all)")
    render.add_argument("--lang", default="nb", choices=["nb", "en"], help="report language (default: nb)")
    render.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                        help="reports rendered at once, in worker processes (default: the number of CPU cores)")
    render.add_argument("--force", action="store_true",
                        help="render every report, even those whose inputs have not changed")
    render.add_argument("--replace-reports", action="store_true",
                        help="render even into an output folder of reports made from other data "
                             "(real and demo data are never mixed without it)")
    render.add_argument("--formats", type=_formats, default=("pdf", "docx", "export"), metavar="LIST",
                        help="formats beside the HTML, comma-separated: pdf, docx, export, or html for none "
                             "(default: pdf,docx,export; the PDF needs Chromium, `make browser-deps`)")
    render.add_argument("--fresh-kernels", action="store_true",
                        help="start a fresh kernel for every report instead of forking warm ones")
    render.set_defaults(func=cmd_render)

    survey_import = commands.add_parser(
        "import-survey", help="turn a survey tool's export into contract files, then validate")
    survey_import.add_argument("source", type=Path, help="the export (file, or folder of SurveyXact CSVs)")
    survey_import.add_argument("--format", required=True, choices=["nettskjema", "surveyxact", "spss", "excel"])
    survey_import.add_argument("--mapping", required=True, type=Path, help="the mapping YAML (see README, New data)")
    survey_import.add_argument("--wave", required=True, type=int, help="the survey wave (year)")
    survey_import.add_argument("--out", required=True, type=Path, help="data folder to write into")
    survey_import.add_argument("--encoding", default=None, help="text encoding when not UTF-8 (e.g. cp1252)")
    survey_import.add_argument("--codebook", default=None, type=Path, help="Nettskjema codebook file")
    survey_import.add_argument("--replace", action="store_true",
                               help="replace the rows of the wave for the export's pilots (default: only add "
                                    "respondents; rows already there must be identical)")
    survey_import.set_defaults(func=cmd_import_survey)

    interview_import = commands.add_parser(
        "import-interviews", help="add coded interviews from a REFI-QDA project or a Taguette export, then validate")
    interview_import.add_argument("project", type=Path,
                                  help="the .qdpx project, or Taguette's highlights export (CSV or XLSX)")
    interview_import.add_argument("--format", required=True, choices=["qdpx", "taguette"])
    interview_import.add_argument("--codebook", default=None, type=Path, help="Taguette's codebook export")
    interview_import.add_argument("--mapping", default=None, type=Path,
                                  help="qdpx: the interview mapping (YAML: variables, values, codes, crlf_counts_as; "
                                       "see data/README.md). Taguette: CSV with document, interview_id, pilot, date, "
                                       "stakeholder_group, "
                                       "informants per document")
    interview_import.add_argument("--out", required=True, type=Path, help="data folder to write into")
    interview_import.add_argument("--replace", action="store_true",
                                  help="replace the interviews of the import's pilots and rounds (default: only "
                                       "add interviews; those already there must be identical)")
    interview_import.set_defaults(func=cmd_import_interviews)

    demo = commands.add_parser("demo-data", help="write the synthetic demo data")
    demo.add_argument("--out", type=Path, required=True, help="folder to write")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the committed demo's)")
    demo.set_defaults(func=cmd_demo_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "data_dir", "unset") is None:
        args.data_dir = _default_data_dir()
    if getattr(args, "seed", "unset") is None:
        from evaluation.demo import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    from evaluation.errors import DataContractError, EvaluationError

    try:
        return args.func(args)
    except DataContractError as error:
        _print_problems(error.problems)
        return 1
    except EvaluationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
