"""The subcommands that run Renaksi: serve, worker, sweep."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path


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
