"""The subcommands about plans: import, export, export-rollup, check, demo."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from renaksi.cli.common import _OPERATOR, SEED_AGENCY, SEED_FILE, SEED_YEAR, _operator


def _find_plan(identifier: str):  # -> Plan
    """A plan by id, or by ``agency/year`` (agency by code or name), e.g. ``kpu-prov-gorontalo/2023``."""
    from renaksi.agencies.services import find_agency
    from renaksi.planning.models import Plan

    if identifier.isdigit():
        plan = Plan.objects.system(_OPERATOR).select_related("agency").filter(pk=int(identifier)).first()
        if plan is None:
            raise LookupError(f"no plan with id {identifier}")
        return plan
    agency_part, _, year_part = identifier.rpartition("/")
    if not agency_part or not year_part.isdigit():
        raise LookupError(
            f"{identifier!r} is neither a plan id nor AGENCY/YEAR (e.g. kpu-prov-gorontalo/2023)"
        )
    agency = find_agency(agency_part)
    plans = list(
        Plan.objects.system(_OPERATOR).select_related("agency").filter(agency=agency, year=int(year_part))
    )
    if not plans:
        raise LookupError(f"{agency.name} has no plan for {year_part}")
    if len(plans) > 1:
        ids = ", ".join(f"{p.pk} ({p.signing_unit})" for p in plans)
        raise LookupError(f"{agency.name} has several plans for {year_part}: give the id, one of {ids}")
    return plans[0]


def cmd_import(args: argparse.Namespace) -> int:
    from renaksi.exports.collector import collector_paused

    # From reading to the commit, the import's million objects (cells, tree, report) stay alive
    # and hold no cycles: a collector pass over them between the preview and the commit (the
    # report printed, the stored plan looked up) found nothing and took 0.1-0.2 s each.
    with collector_paused():
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from renaksi.access import OPERATOR
    from renaksi.agencies.services import find_agency
    from renaksi.core.import_report import format_report
    from renaksi.history import Source
    from renaksi.imports.services import (
        check_year,
        commit_import,
        preview_import,
        preview_replace,
        replace_summary,
    )
    from renaksi.planning.services import PlanExistsError, existing_plan

    path = Path(args.file)
    agency = find_agency(args.agency)
    print(f"Membaca {path} untuk {agency.name}, tahun {args.year} ...", file=sys.stderr)
    preview = preview_import(path, encoding=args.encoding)
    check_year(preview, args.year)
    print(format_report(preview.report, verbose=args.verbose))
    try:
        # The question save_tree asks, asked before a dry run ends: it refuses what the real run refuses.
        existing = existing_plan(agency, args.year, preview.tree.signing_unit)
        if existing is not None and not args.replace:
            raise PlanExistsError(existing)
        diff = preview_replace(preview, agency, args.year) if existing is not None else None
        if diff is not None:  # what the replace will add, change and remove, before it writes
            print("\n" + "\n".join(replace_summary(diff)))
        if args.dry_run:
            replaced = f" Rencana {existing} (id {existing.pk}) akan diganti." if existing else ""
            print(f"\nPratinjau (--dry-run): tidak ada yang disimpan.{replaced}")
            return 0
        plan, record = commit_import(
            preview,
            agency,
            args.year,
            actor=OPERATOR,
            replace=args.replace,
            source=Source.COMMAND,
            operator=_operator(),
        )
    except PlanExistsError as error:
        print(f"\nGagal: {error}", file=sys.stderr)
        return 1
    print(f"\nTersimpan: rencana {plan.pk} ({plan}), impor {record.pk}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from renaksi.exports.services import TEXT_FORMATS, export_filename, export_plan, plan_text

    plan = _find_plan(args.plan)
    if args.format in TEXT_FORMATS and (not args.output or args.output == "-"):
        sys.stdout.write(plan_text(plan, args.format))
        return 0
    if args.output == "-":  # a binary format asked for on standard output
        if sys.stdout.isatty():
            print(
                f"renaksi export: {args.format.upper()} is binary and is not written to a terminal; "
                "give -o FILE, or redirect the output",
                file=sys.stderr,
            )
            return 2
        with tempfile.TemporaryDirectory(prefix="renaksi-export-") as folder:
            path = export_plan(plan, args.format, Path(folder) / export_filename(plan, args.format))
            sys.stdout.flush()
            sys.stdout.buffer.write(path.read_bytes())
            sys.stdout.buffer.flush()
        return 0
    target = Path(args.output) if args.output else Path.cwd() / export_filename(plan, args.format)
    export_plan(plan, args.format, target)  # written under a temporary name, then renamed
    print(f"Ditulis: {target}", file=sys.stderr)
    return 0


def cmd_export_rollup(args: argparse.Namespace) -> int:
    from renaksi.agencies.services import find_agency
    from renaksi.exports.services import export_rollup, rollup_filename

    province = find_agency(args.agency)
    target = Path(args.output) if args.output else Path.cwd() / rollup_filename(province, args.year)

    def progress(done: int, total: int) -> None:
        print(f"Rekap {province.name} {args.year}: {done}/{total}", file=sys.stderr, flush=True)

    export_rollup(province, args.year, target, progress)
    print(f"Ditulis: {target}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from renaksi.core.lint import ERROR, has_errors, lint
    from renaksi.planning.services import load_tree

    plan = _find_plan(args.plan)
    findings = lint(load_tree(plan))
    for f in findings:
        label = "GALAT" if f.severity == ERROR else "peringatan"
        print(f"{label:<10} {f.rule:<26} {str(f.where):<20} {f.message}")
    errors = sum(1 for f in findings if f.severity == ERROR)
    print(f"{plan}: {errors} galat, {len(findings) - errors} peringatan.")
    return 1 if has_errors(findings) else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    from renaksi.access import OPERATOR
    from renaksi.accounts.demo import ensure_demo_account
    from renaksi.accounts.demo_approver import approver_message, ensure_demo_approver
    from renaksi.agencies.services import find_agency
    from renaksi.core.import_report import format_report
    from renaksi.imports.demo_plan import ensure_demo_plan

    operator = _operator()
    demo = ensure_demo_plan(SEED_FILE, find_agency(SEED_AGENCY), SEED_YEAR, actor=OPERATOR, operator=operator)
    plan = demo.plan
    if demo.report is not None and not args.quiet:
        print(format_report(demo.report))
    if demo.loaded:
        print(f"Rencana contoh dimuat: {plan} (id {plan.pk}).")
    else:
        print(
            f"Rencana contoh sudah ada: {plan} (id {plan.pk}, status {plan.get_status_display()}); "
            "tidak diubah."
        )
    account = ensure_demo_account(Path(settings.DATA_DIR), plan.agency, actor=OPERATOR, operator=operator)
    if not account.usable:
        print(f"Akun {account.username!r} dinonaktifkan oleh admin; tidak diaktifkan lagi.")
    elif account.password is None:
        print(f"Akun {account.username!r}: kata sandinya sudah diganti; masuk dengan kata sandi yang baru.")
    else:
        print(
            f"Masuk sebagai {account.username!r} (admin {account.agency.name}) dengan kata sandi "
            f"{account.password!r} (tersimpan di {Path(settings.DATA_DIR) / 'demo-password'})."
        )
    # The approver, so the whole cycle (submit, approve, revise) can be tried.
    approver = ensure_demo_approver(Path(settings.DATA_DIR), plan.agency, actor=OPERATOR, operator=operator)
    print(approver_message(approver))
    return 0
