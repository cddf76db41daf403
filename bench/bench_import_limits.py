"""What refusing a file over the import limits costs: time and peak memory, each in a fresh process.

    python bench/bench_import_limits.py [--case xlsx|liar|rows|columns|seed ...]

Cases (each file generated here, in a temporary folder):

- ``xlsx``: a 92,000 x 200-cell sheet without a declared dimension, inside every other limit (the
  per-member limit raised to the total's for it: its one sheet inflates to ~440 MB), refused at
  the 1,000,001st cell while it inflates;
- ``xlsx-at-limit``: the same sheet cut to 4,990 rows (998,000 cells, just inside the cell
  limit): read whole by openpyxl, then refused by the recognizer (it has no plan header), which
  shows what the cell limit lets a sheet cost;
- ``liar``: a workbook whose sheet member inflates to 2,000,000,000 bytes while its local and
  central headers say 2,000; refused by the CRC check after the declared bytes, chunk by chunk
  (``ZipFile.read`` inflated up to 2 GiB in one call first);
- ``rows``: a tab-separated plan of 1,000,000 rows, refused at row 200,001;
- ``columns``: a row of 16,384 cells, refused at column 201;
- ``seed``: the baseline, the seed plan (81 lines) read and recognized, which is accepted.

Each runs ``preview_import`` (as ``renaksi import`` and the browser upload do) in a fresh process;
the time is the call's wall time, the peak is the process's maximum RSS (Django included; the
baseline's shows what the interpreter and Django cost by themselves).
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
HEADER = "NO\tSASARAN STRATEGIS\tINDIKATOR KINERJA\tTARGET\tKEGIATAN\tPERKIRAAN BIAYA\tAKUN"

_PROBE = """
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
django.setup()
from pathlib import Path
from renaksi.core.grid import SourceError
from renaksi.imports.services import preview_import
started = time.perf_counter()
try:
    preview_import(Path(sys.argv[1]))
    outcome = "accepted"
except SourceError as error:
    outcome = str(error)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _workbook_parts() -> dict[str, bytes]:
    import io

    import openpyxl

    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_workbook(path: Path, sheet_chunks) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in _workbook_parts().items():
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, data)
        with out.open("xl/worksheets/sheet1.xml", "w") as member:
            for chunk in sheet_chunks:
                member.write(chunk)


def big_sheet(path: Path, rows: int = 92_000) -> Path:
    columns = [_letters(c) for c in range(1, 201)]

    def chunks():
        yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        yield b"<sheetData>"
        for row in range(1, rows + 1):
            cells = "".join(f'<c r="{c}{row}"><v>{row % 10}</v></c>' for c in columns)
            yield f'<row r="{row}">{cells}</row>'.encode()
        yield b"</sheetData></worksheet>"

    _write_workbook(path, chunks())
    return path


def lying_sheet(path: Path, inflated: int = 2_000_000_000) -> Path:
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    padding = inflated - len(head) - len(tail)

    def chunks():
        yield head
        block = b" " * 2**20
        left = padding
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield tail

    _write_workbook(path, chunks())
    _declare_size(path, "xl/worksheets/sheet1.xml", 2_000)
    return path


def _declare_size(path: Path, member: str, size: int) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = 0
    while True:
        central = data.index(b"PK\x01\x02", central + 1)
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + length]) == member.encode():
            break
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def many_rows(path: Path) -> Path:
    path.write_text("\n".join([HEADER] + ["1\tSasaran\tIndikator"] * 1_000_000) + "\n", encoding="utf-8")
    return path


def many_columns(path: Path) -> Path:
    path.write_text(HEADER + "\n" + "\t".join(["x"] * 16_384) + "\n", encoding="utf-8")
    return path


CASES = {
    "seed": lambda folder: SEED,
    "xlsx": lambda folder: big_sheet(folder / "big.xlsx"),
    "xlsx-at-limit": lambda folder: big_sheet(folder / "at-limit.xlsx", rows=4_990),
    "liar": lambda folder: lying_sheet(folder / "liar.xlsx"),
    "rows": lambda folder: many_rows(folder / "rows.txt"),
    "columns": lambda folder: many_columns(folder / "columns.txt"),
}


SETTINGS = {"xlsx": {"RENAKSI_MAX_IMPORT_MEMBER_BYTES": "500000000"}}


def run(path: Path, data_dir: Path, settings: dict[str, str]) -> dict:
    environment = dict(os.environ, RENAKSI_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT / "src"), **settings)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, env=environment, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renaksi-bench-limits-") as folder:
        root = Path(folder)
        for name in args.case or ["seed", "xlsx", "liar", "rows", "columns"]:
            path = CASES[name](root)
            figures = run(path, root / "data", SETTINGS.get(name, {}))
            size = path.stat().st_size / 2**20
            print(
                f"{name:8} {size:7.1f} MB file  {figures['seconds']:6.2f} s  peak {figures['peak_mb']:6.0f} MB  "
                f"{figures['outcome'][:110]}"
            )
            if path != SEED:
                path.unlink()


if __name__ == "__main__":
    main()
