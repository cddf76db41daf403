"""The ``renaksi`` command's arguments: one subparser per subcommand."""

from __future__ import annotations

import argparse

from renaksi.cli.accounts import cmd_create_admin, cmd_rotate_totp_key, cmd_unlock_login
from renaksi.cli.plans import cmd_check, cmd_demo, cmd_export, cmd_export_rollup, cmd_import
from renaksi.cli.server import cmd_serve, cmd_sweep, cmd_worker


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
