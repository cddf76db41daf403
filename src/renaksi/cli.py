"""The ``renaksi`` command: serve, worker, sweep, import, export, check, demo.

Thin: each subcommand parses its arguments and calls a service.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from renaksi import data_location

SEED_FILE = Path(__file__).resolve().parent / "seeds" / "kpu-prov-gorontalo-2023.txt"
SEED_AGENCY = "kpu-prov-gorontalo"
SEED_YEAR = 2023
# Whoever runs the command on the server is the operator, who may read every agency's data.
_OPERATOR = "command line: the operator of the server"
# Commands that only read: they never create a database (a missing one is an error naming it).
READ_COMMANDS = frozenset({"check", "export", "export-rollup", "backup"})
# The database stayed locked by another writer: nothing was written, the same command later works
# (EX_TEMPFAIL of sysexits.h, which scripts may retry on).
BUSY_EXIT_STATUS = 75


def _operator() -> str:
    """Who runs this command, for the history: the system user and the machine."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _prepare_database(command: str) -> bool:
    """Migrate the database (a data folder from an older version is upgraded); a read command
    refuses a database without Renaksi's tables instead. A new database is named."""
    present, label = data_location.has_schema(), data_location.database_label()
    if command in READ_COMMANDS and not present:
        print(
            f"renaksi {command}: basis data {label} kosong (belum berisi tabel Renaksi); "
            "tidak ada yang dibaca.",
            file=sys.stderr,
        )
        return False
    _migrate()
    if not present:
        print(f"Basis data baru dibuat: {label}", file=sys.stderr)
    return True


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
            preview, agency, args.year, replace=args.replace, source=Source.COMMAND, operator=_operator()
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

    from renaksi.accounts.demo import ensure_demo_account
    from renaksi.agencies.services import find_agency
    from renaksi.core.import_report import format_report
    from renaksi.imports.demo_plan import ensure_demo_plan

    operator = _operator()
    demo = ensure_demo_plan(SEED_FILE, find_agency(SEED_AGENCY), SEED_YEAR, operator=operator)
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
    account = ensure_demo_account(Path(settings.DATA_DIR), plan.agency, operator=operator)
    if not account.usable:
        print(f"Akun {account.username!r} dinonaktifkan oleh admin; tidak diaktifkan lagi.")
    elif account.password is None:
        print(f"Akun {account.username!r}: kata sandinya sudah diganti; masuk dengan kata sandi yang baru.")
    else:
        print(
            f"Masuk sebagai {account.username!r} (admin {account.agency.name}) dengan kata sandi "
            f"{account.password!r} (tersimpan di {Path(settings.DATA_DIR) / 'demo-password'})."
        )
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from renaksi.accounts.security import AccountExists, create_site_admin

    try:
        username, password = create_site_admin(args.username)
    except AccountExists as error:
        print(f"renaksi create-admin: {error}", file=sys.stderr)
        return 2
    print(
        f"Admin situs {username!r} dibuat. Kata sandi sementara (ditampilkan sekali, wajib diganti saat masuk):"
    )
    print(password)
    return 0


def cmd_rotate_totp_key(args: argparse.Namespace) -> int:
    """Re-encrypt every authenticator secret with the first key of RENAKSI_SECRET_KEY_TOTP (or,
    with --new-key, print a new key to put first). See docs/security.md."""
    from renaksi.accounts import totp_keys

    if args.new_key:
        print("Kunci baru (taruh paling depan di RENAKSI_SECRET_KEY_TOTP, kunci lama di belakangnya):")
        print(totp_keys.new_key())
        return 0
    try:
        count = totp_keys.rotate_all()
    except totp_keys.TotpKeyError as error:
        print(f"renaksi rotate-totp-key: {error}", file=sys.stderr)
        return 2
    print(f"{count} rahasia autentikator dienkripsi ulang dengan kunci pertama.")
    return 0


def cmd_unlock_login(args: argparse.Namespace) -> int:
    """Forget the failed logins of an account (from every address) and/or of an address: the way
    in for a site admin whose own address is slowed down (docs/security.md)."""
    from renaksi.accounts import throttle

    if not args.username and not args.address:
        print("renaksi unlock-login: beri --username dan/atau --address", file=sys.stderr)
        return 2
    if args.username:
        count = throttle.clear_failures(args.username)
        print(f"Akun {args.username!r} dibuka dari semua alamat ({count} kegagalan dilupakan).")
    if args.address:
        count = throttle.unlock_address(args.address)
        print(f"Alamat {args.address} dibuka ({count} kegagalan dilupakan).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The web server, and (unless ``--no-worker``) the job worker as a child process that stops
    with it."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "renaksi.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen(
            [sys.executable, "-m", "renaksi.cli", "worker", "--parent", str(os.getpid())]
        )
    print(f"Renaksi: http://{args.host}:{args.port}/", file=sys.stderr)
    server = subprocess.Popen(command)

    def forward(signum: int, _frame: object) -> None:  # SIGTERM or Ctrl-C: the server stops first
        if server.poll() is None:
            server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return server.wait()
    finally:
        if worker is not None:
            _stop_child(worker)


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued jobs (exports, roll-ups, browser imports) until stopped; --once: until none is left."""
    from renaksi.jobs.worker import run_worker

    if not args.once:
        print("Pekerja Renaksi berjalan; hentikan dengan Ctrl-C.", file=sys.stderr)
    ran = run_worker(once=args.once, poll_seconds=args.poll, parent=args.parent)
    if args.once:
        print(f"{ran} pekerjaan dijalankan.", file=sys.stderr)
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from renaksi.jobs.sweep import sweep

    report = sweep(extra_folders=[Path(folder) for folder in args.folders])
    print(
        f"Pekerjaan terhenti ditandai gagal: {report.stale_jobs}; berkas pekerjaan lama dihapus: "
        f"{report.job_files}; berkas .part dihapus: {report.part_files}; folder sementara dihapus: "
        f"{report.scratch_folders}; unggahan kedaluwarsa dihapus: {report.uploads}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renaksi", description="Rencana Aksi: plan, import, export, check.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the web application")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-worker", action="store_true", help="do not start the job worker with the server")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run queued jobs (big exports, roll-ups, browser imports)")
    p.add_argument("--once", action="store_true", help="stop when no job is queued")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the queue")
    p.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # renaksi serve: stop when it is gone
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "sweep",
        help="mark dead jobs failed; delete old job files, leftover .part files and temporary folders",
    )
    p.add_argument("folders", nargs="*", help="more folders whose .part files older than an hour go")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("import", help="import a plan file (text/TSV, CSV, XLSX or Renaksi JSON)")
    p.add_argument("file")
    p.add_argument("--agency", required=True, help="agency name as people write it, or its code")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--dry-run", action="store_true", help="show the report and write nothing")
    p.add_argument(
        "--replace", action="store_true", help="replace an existing plan of the same agency and year"
    )
    p.add_argument("--encoding", help="force the text encoding (default: UTF-8, else cp1252)")
    p.add_argument("--verbose", "-v", action="store_true", help="list where every source cell went")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export", help="export a plan: open data (JSON, CSV) or the official table (XLSX, PDF)"
    )
    p.add_argument("plan", help="plan id or AGENCY/YEAR, e.g. kpu-prov-gorontalo/2023")
    p.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], default="json")
    p.add_argument(
        "--output",
        "-o",
        help="file to write, '-' for standard output (default: standard output for json and csv, "
        "renaksi-AGENCY-YEAR.xlsx or .pdf in the current folder for xlsx and pdf)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "export-rollup", help="export the plans of a province and its Kab/Kota as one XLSX workbook"
    )
    p.add_argument("agency", help="the province, by code or name, e.g. kpu-prov-gorontalo")
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--output", "-o", help="file to write (default: renaksi-rekap-AGENCY-YEAR.xlsx in the current folder)"
    )
    p.set_defaults(func=cmd_export_rollup)

    p = sub.add_parser("check", help="lint a plan; exit status 1 when it has errors")
    p.add_argument("plan")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "create-admin",
        help="create a site admin (the first account of a new installation); prints a one-time password",
    )
    p.add_argument("username")
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser(
        "rotate-totp-key",
        help="re-encrypt the authenticator secrets with the first key of RENAKSI_SECRET_KEY_TOTP",
    )
    p.add_argument("--new-key", action="store_true", help="only print a new key to put first")
    p.set_defaults(func=cmd_rotate_totp_key)

    p = sub.add_parser(
        "unlock-login", help="forget the failed logins of an account (every address) or of an address"
    )
    p.add_argument("--username")
    p.add_argument("--address")
    p.set_defaults(func=cmd_unlock_login)

    p = sub.add_parser(
        "demo",
        help="load the seed plan (KPU Provinsi Gorontalo 2023) where that agency has no 2023 plan; "
        "a plan already there is never changed",
    )
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=cmd_demo)

    from renaksi.backup import add_subcommands as add_backup_commands

    add_backup_commands(sub)
    return parser


#: Errors of a write that cannot go on: no space left, a file-size limit, a quota.
_WRITE_FAILURES = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def _is_disk_error(error: Exception) -> bool:
    """SQLite could not write its files (a full disk, a file-size limit): its transaction is gone."""
    from django.db import OperationalError

    text = str(error)
    return isinstance(error, OperationalError) and ("disk I/O error" in text or "disk is full" in text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    missing = data_location.database_file()
    if args.command in READ_COMMANDS and missing is not None and not missing.exists():
        print(
            f"renaksi {args.command}: basis data tidak ditemukan: {missing}\n"
            "Buat dengan `renaksi demo` atau `renaksi import`, atau atur RENAKSI_DATA_DIR ke folder "
            "data yang benar.",
            file=sys.stderr,
        )
        return 2
    _setup_django()
    from renaksi.agencies.services import AgencyNotFound
    from renaksi.core.canonical import CanonicalFormatError
    from renaksi.core.grid import SourceError

    try:
        # backup copies the database as it is; restore migrates after it has put the backup back.
        if args.command not in ("backup", "restore") and not _prepare_database(args.command):
            return 2
        return int(args.func(args))
    except (SourceError, AgencyNotFound, LookupError, CanonicalFormatError) as error:
        where = f" (basis data: {data_location.database_label()})" if isinstance(error, LookupError) else ""
        print(f"renaksi {args.command}: {error}{where}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `renaksi export ... | head`: the reader left, which is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        if error.errno not in _WRITE_FAILURES:
            raise
        # A full disk or a file-size limit while writing: what was half written is gone (files are
        # written under a temporary name and renamed; the database writes in one transaction).
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"renaksi {args.command}: penulisan gagal{where}: {error.strerror}; tidak ada berkas yang "
            "ditinggalkan setengah jadi",
            file=sys.stderr,
        )
        return 1
    except Exception as error:
        from renaksi.busy import busy_command_message, is_busy_error

        if _is_disk_error(error):
            print(
                f"renaksi {args.command}: basis data tidak dapat ditulis ({error}); periksa ruang disk "
                f"di {data_location.database_label()}; tidak ada yang disimpan",
                file=sys.stderr,
            )
            return 1
        if not is_busy_error(error):
            raise
        # Another writer held the database longer than the busy timeout; nothing was written.
        print(f"renaksi {args.command}: {busy_command_message()}", file=sys.stderr)
        return BUSY_EXIT_STATUS


if __name__ == "__main__":
    sys.exit(main())
