"""The hostile import corpus: at least 200 files a hostile or careless user could upload, made
by this script (nothing binary is committed).

    python tests/reliability/corpus.py FOLDER [--quick]

Each :class:`Case` says what a correct importer does with its file: ``refuse`` it (with a
``SourceError``), ``accept`` it (a valid plan in an unusual form), or either (``any``: hostile
but harmless, e.g. an entity attack in a part the importer never reads). ``locate`` says that a
refusal must name the row or column (the problem sits in one cell); ``line`` the exact line it
must name. Devices and FIFOs are cases too: their ``special`` path is used instead of a file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import corpus_archives as za

from renaksi.core.plan_tree import PlanTree
from renaksi.imports.sample import random_plan
from renaksi.imports.writers import table_cells, write_xlsx
from renaksi.imports.writers_ods_xls import write_ods, write_xls


@dataclass(frozen=True)
class Case:
    name: str  # the file's name in the corpus folder, extension included
    expect: str  # "refuse", "accept" or "any"
    locate: bool = False  # a refusal must name its row or column
    line: int | None = None  # ... and this line
    quick: bool = False  # in the quick subset every CI run imports
    special: str = ""  # "fifo", "dir", or a device path such as /dev/zero
    build: Callable[[], bytes] | None = None


COST_LINE = 3  # the first plan row of the base table (two header rows above it)
AMBIGUOUS_AMOUNTS = (
    "(5.000.000)",
    "1e20",
    "1E6",
    "\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    "\u0967\u0968\u0969\u096a",  # Devanagari digits
    "\uff15\uff10\uff10\uff10",  # full-width digits
    "1.5",
    "1,5",
    "1.000,5",
    "1,000.5",
    "12.34.567",
    "5.000-",
    "+5.000",
    "Rp 1,5 juta",
    "Rp 2 jt",
    "1 000 000",
    "5.000 5.000",
    "Rp1.234,56",
    "1.000.000.00",
    "5000000.0",
    "10.000.000.000.000.000.000",
)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252")
DELIMITERS = {"tab": "\t", "semicolon": ";", "comma": ","}


def base_tree(seed: int = 7, lines: int = 8) -> PlanTree:
    return random_plan(seed, lines, title=False, person_in_charge=False, headerless=False)


def base_rows(seed: int = 7, lines: int = 8) -> list[list[str]]:
    return [list(cells) for cells in table_cells(base_tree(seed, lines))]


def cost_column(rows: list[list[str]]) -> int:
    return rows[0].index("PERKIRAAN BIAYA")


def tsv(rows: list[list[str]], newline: str = "\n") -> bytes:
    return "".join("\t".join(row) + newline for row in rows).encode("utf-8")


def delimited(rows: list[list[str]], delimiter: str, encoding: str, newline: str = "\r\n") -> bytes:
    """The rows as a spreadsheet saves them; ``utf-16-be`` with its byte order mark, as
    spreadsheets write it (Python's codec of that name writes none)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    bom = codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b""
    return bom + out.getvalue().encode(encoding)


def with_cell(rows: list[list[str]], line: int, column: int, text: str) -> list[list[str]]:
    copy = [list(row) for row in rows]
    copy[line - 1][column] = text
    return copy


def _written(write: Callable[[PlanTree, Path], None], tree: PlanTree | None = None) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan"
        write(tree or base_tree(), path)
        return path.read_bytes()


def xlsx_bytes(tree: PlanTree | None = None) -> bytes:
    return _written(lambda t, p: write_xlsx(t, p), tree)


def xls_bytes() -> bytes:
    return _written(lambda t, p: write_xls(t, p))


def ods_bytes() -> bytes:
    return _written(lambda t, p: write_ods(t, p))


def openpyxl_edit(edit: Callable[[object], None]) -> bytes:
    """The base workbook opened with openpyxl, changed by ``edit(sheet)`` and saved (openpyxl
    keeps no cached value for a formula it writes)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes()))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cost_cell(sheet: object) -> tuple[int, int]:
    for row in sheet.iter_rows(min_row=1, max_row=3):  # type: ignore[attr-defined]
        for cell in row:
            if cell.value == "PERKIRAAN BIAYA":
                return cell.row + 2, cell.column
    raise LookupError("no cost header")


def _set_cost(value: object) -> Callable[[object], None]:
    def edit(sheet: object) -> None:
        row, column = _xlsx_cost_cell(sheet)
        sheet.cell(row=row, column=column).value = value  # type: ignore[attr-defined]

    return edit


def _hide(sheet: object) -> None:
    sheet.row_dimensions[4].hidden = True  # type: ignore[attr-defined]
    sheet.column_dimensions["V"].hidden = True  # type: ignore[attr-defined]


def _merge_odd(sheet: object) -> None:
    sheet.merge_cells("H3:S3")  # type: ignore[attr-defined]  # the months of a line in one cell
    sheet.merge_cells("T3:T5")  # type: ignore[attr-defined]  # one cost over three lines


def million_rows() -> bytes:
    header = tsv(base_rows()[:2])
    row = "\t" * 6 + "Rapat {}" + "\t" * 13 + "Rp 1\t\t\n"
    return header + "".join(row.format(i) for i in range(1_000_000)).encode("ascii")


def wide_rows(columns: int) -> bytes:
    rows = base_rows()
    rows[0] = rows[0] + [f"K{i}" for i in range(len(rows[0]), columns)]
    return tsv(rows)


def big_sheet(rows: int, columns: int) -> bytes:
    """A workbook inside every documented byte limit holding rows x columns numbers, with no
    declared dimension (the reader cannot know the size before reading)."""
    parts = za.members(xlsx_bytes())
    row_xml = "".join("<c><v>1</v></c>" for _ in range(columns))
    body = "".join(f"<row>{row_xml}</row>" for _ in range(rows))
    parts["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    ).encode()
    return za.zip_of(parts)


def bomb(inflated: int, *, declared: int | None = None) -> bytes:
    parts = za.members(xlsx_bytes())
    del parts["xl/worksheets/sheet1.xml"]
    stream, crc, size = za.deflated_stream(za.xml_filler(inflated))
    return za.zip_with_raw_member(
        parts, "xl/worksheets/sheet1.xml", stream, crc, size, declared_size=declared
    )


def nested_bomb() -> bytes:
    inner = za.zip_with_raw_member({}, "zeros.bin", *za.deflated_stream(za.zeros(10**9)))
    return za.zip_of(
        za.members(xlsx_bytes()) | {"xl/embeddings/inner.zip": inner}, stored=("xl/embeddings/inner.zip",)
    )


def macro_workbook() -> bytes:
    parts = za.members(xlsx_bytes())
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
    )
    parts["[Content_Types].xml"] = types.encode()
    parts["xl/vbaProject.bin"] = za.renamed_ole_stream(xls_bytes(), "Workbook", "VBA")
    return za.zip_of(parts)


def cases(corpus: Path) -> Iterator[Case]:  # noqa: C901 -- one list, read top to bottom
    rows = base_rows()
    cost = cost_column(rows)
    canary = str(corpus / "canary.txt")

    # Valid plans in every encoding and delimiter a spreadsheet saves: accepted.
    for encoding in ENCODINGS:
        for label, delimiter in DELIMITERS.items():
            quick = encoding in ("utf-8", "cp1252") and label != "comma"
            yield Case(
                f"enc-{encoding}-{label}.csv",
                "accept",
                quick=quick,
                build=lambda e=encoding, d=delimiter: delimited(rows, d, e),
            )
    yield Case("valid.tsv", "accept", quick=True, build=lambda: tsv(rows))
    yield Case("valid.xlsx", "accept", quick=True, build=xlsx_bytes)
    yield Case("valid.xls", "accept", quick=True, build=xls_bytes)
    yield Case("valid.ods", "accept", quick=True, build=ods_bytes)
    yield Case("cr-only-lines.csv", "any", quick=True, build=lambda: delimited(rows, ";", "utf-8", "\r"))
    yield Case("cr-only-lines.tsv", "any", build=lambda: tsv(rows, "\r"))
    yield Case(
        "cr-in-a-remark.csv",
        "any",
        build=lambda: delimited(with_cell(rows, 3, -1, "catatan\r=cmd|' /C calc'!A0"), ";", "utf-8"),
    )
    yield Case("utf-16-no-bom.csv", "any", build=lambda: delimited(rows, ";", "utf-16-le"))
    yield Case(
        "utf-16-be-no-bom.csv",
        "any",
        build=lambda: delimited(rows, ";", "utf-16-le").decode("utf-16-le").encode("utf-16-be"),
    )
    yield Case("utf-32.csv", "any", build=lambda: delimited(rows, ";", "utf-32"))
    yield Case(
        "gb18030.csv", "any", build=lambda: delimited(with_cell(rows, 3, -1, "\u4e2d\u6587"), ";", "gb18030")
    )
    yield Case(
        "damaged-utf8.tsv",
        "any",
        locate=True,
        build=lambda: tsv(with_cell(rows, 3, -1, "caf\u00e9")).replace(b"\xc3\xa9", b"\xc3("),
    )

    # Every ambiguous amount in the cost cell of line 3: refused, naming that line.
    for i, amount in enumerate(AMBIGUOUS_AMOUNTS):
        text_rows = with_cell(rows, COST_LINE, cost, amount)
        yield Case(
            f"amount-{i:02d}.tsv",
            "refuse",
            locate=True,
            line=COST_LINE,
            quick=i < 3,
            build=lambda r=text_rows: tsv(r),
        )
        yield Case(
            f"amount-{i:02d}.csv",
            "refuse",
            locate=True,
            line=COST_LINE,
            build=lambda r=text_rows: delimited(r, ";", "utf-8"),
        )
    for i, amount in enumerate(("1e20", "(5000000)", "12.34.567", "1,5")):
        yield Case(
            f"amount-text-{i}.xlsx",
            "refuse",
            locate=True,
            line=COST_LINE,
            build=lambda a=amount: openpyxl_edit(_set_cost(a)),
        )
    yield Case(
        "date-in-amount.tsv",
        "refuse",
        locate=True,
        line=COST_LINE,
        quick=True,
        build=lambda: tsv(with_cell(rows, COST_LINE, cost, "12/05/2024")),
    )
    yield Case(
        "date-in-amount.xlsx",
        "refuse",
        locate=True,
        line=COST_LINE,
        build=lambda: openpyxl_edit(_set_cost(dt.datetime(2024, 5, 12))),
    )
    yield Case("negative-amount.xlsx", "any", locate=True, build=lambda: openpyxl_edit(_set_cost(-5000)))
    yield Case(
        "fractional-amount.xlsx",
        "refuse",
        locate=True,
        line=COST_LINE,
        build=lambda: openpyxl_edit(_set_cost(1234.5)),
    )
    yield Case(
        "huge-amount.xlsx",
        "refuse",
        locate=True,
        line=COST_LINE,
        build=lambda: openpyxl_edit(_set_cost(1e20)),
    )
    yield Case(
        "formula-without-value.xlsx",
        "refuse",
        locate=True,
        line=COST_LINE,
        build=lambda: openpyxl_edit(_set_cost("=1000*5")),
    )
    yield Case(
        "formula-in-name.xlsx",
        "any",
        locate=True,
        build=lambda: openpyxl_edit(lambda s: setattr(s["G3"], "value", '=HYPERLINK("http://x")')),
    )
    yield Case("hidden-row-and-column.xlsx", "any", locate=True, build=lambda: openpyxl_edit(_hide))
    yield Case("odd-merges.xlsx", "any", locate=True, build=lambda: openpyxl_edit(_merge_odd))

    # Quotes, NULs, control characters, sizes of cells, rows and columns.
    unbalanced = with_cell(rows, 4, -1, '"dibuka tidak ditutup')
    yield Case(
        "unbalanced-quote.csv",
        "refuse",
        locate=True,
        line=4,
        quick=True,
        build=lambda: delimited(unbalanced, ";", "utf-8").replace(
            b'"""dibuka tidak ditutup"', b'"dibuka tidak ditutup'
        ),
    )
    yield Case(
        "unbalanced-quote-end.csv",
        "refuse",
        locate=True,
        build=lambda: delimited(rows, ";", "utf-8") + b'"x;y\r\n',
    )
    yield Case(
        "nul-in-cell.tsv", "any", locate=True, quick=True, build=lambda: tsv(with_cell(rows, 3, -1, "a\x00b"))
    )
    yield Case("nul-everywhere.tsv", "any", locate=True, build=lambda: tsv(rows).replace(b"\t", b"\x00\t"))
    yield Case(
        "control-chars.tsv",
        "any",
        locate=True,
        build=lambda: tsv(with_cell(rows, 3, 6, "Rapat\x1b[31m\x07\x08")),
    )
    yield Case(
        "bidi-override.tsv", "any", locate=True, build=lambda: tsv(with_cell(rows, 3, 6, "Rapat \u202eabc"))
    )
    for column, label in ((6, "name"), (-1, "remark"), (cost, "cost")):
        yield Case(
            f"cell-100000-{label}.tsv",
            "any",
            locate=True,
            quick=label == "remark",
            build=lambda c=column: tsv(with_cell(rows, 3, c, "x" * 100_000)),
        )
    yield Case(
        "cell-100000-remark.xlsx",
        "any",
        locate=True,
        build=lambda: openpyxl_edit(lambda s: setattr(s["V3"], "value", "y" * 100_000)),
    )
    yield Case("columns-16384.tsv", "refuse", quick=True, locate=True, build=lambda: wide_rows(16_384))
    yield Case(
        "columns-16384.csv", "refuse", locate=True, build=lambda: wide_rows(16_384).replace(b"\t", b";")
    )
    yield Case("columns-201.tsv", "refuse", locate=True, build=lambda: wide_rows(201))
    yield Case("rows-1000000.tsv", "refuse", locate=True, build=million_rows)
    yield Case("xlsx-92000x200-no-dimension.xlsx", "refuse", build=lambda: big_sheet(92_000, 200))
    yield Case("xlsx-200x16384.xlsx", "refuse", build=lambda: big_sheet(200, 16_384))
    yield Case("one-long-line.tsv", "refuse", build=lambda: b"NO\tSASARAN\tINDIKATOR\t" + b"x" * 40_000_000)
    yield Case("many-blank-lines.tsv", "any", build=lambda: tsv(rows) + b"\n" * 5_000_000)

    # Empty and nearly empty.
    yield Case("empty.csv", "refuse", quick=True, build=lambda: b"")
    yield Case("bom-only.csv", "refuse", build=lambda: b"\xef\xbb\xbf")
    yield Case("header-only.tsv", "refuse", quick=True, build=lambda: tsv(rows[:2]))
    yield Case("whitespace.tsv", "refuse", build=lambda: b" \t \n\t\t\n")

    # Disguised types and wrong contents.
    yield Case(
        "program.xlsx",
        "refuse",
        quick=True,
        build=lambda: b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + os.urandom(2000),
    )
    yield Case("elf.csv", "refuse", build=lambda: b"\x7fELF\x02\x01\x01" + os.urandom(2000))
    yield Case(
        "page.xls",
        "refuse",
        quick=True,
        build=lambda: (
            b"<html><body><table><tr><td>NO</td><td>SASARAN</td></tr></table><script>alert(1)</script></body></html>"
        ),
    )
    yield Case(
        "page-with-plan.xls",
        "any",
        build=lambda: (
            b"<html><body><table>"
            + b"".join(
                b"<tr>" + b"".join(b"<td>" + c.encode() + b"</td>" for c in r) + b"</tr>" for r in rows
            )
            + b"</table></body></html>"
        ),
    )
    yield Case("archive.csv", "refuse", quick=True, build=lambda: za.zip_of({"plan.csv": tsv(rows)}))
    yield Case("workbook-named.csv", "accept", quick=True, build=xlsx_bytes)
    yield Case("xls-named.xlsx", "accept", build=xls_bytes)
    yield Case("ods-named.xlsx", "accept", build=ods_bytes)
    yield Case(
        "docx.xlsx",
        "refuse",
        quick=True,
        build=lambda: za.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
    )
    yield Case(
        "xlsb.xlsx",
        "refuse",
        build=lambda: za.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"}),
    )
    yield Case("pdf.csv", "refuse", quick=True, build=lambda: b"%PDF-1.7\n" + os.urandom(500))
    yield Case("png.xlsx", "refuse", build=lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    yield Case("gzip.tsv", "refuse", build=lambda: __import__("gzip").compress(tsv(rows)))
    yield Case("random.bin.csv", "any", build=lambda: os.urandom(4096))
    yield Case("macro.xlsm", "any", quick=True, build=macro_workbook)
    yield Case("macro-named.xlsx", "any", build=macro_workbook)
    yield Case(
        "word-doc.xls", "refuse", build=lambda: za.renamed_ole_stream(xls_bytes(), "Workbook", "WordDocument")
    )

    # Encrypted: an OLE container holding EncryptionInfo and EncryptedPackage, as Office writes a
    # password-protected .xlsx; and an .xls with a FILEPASS record.
    yield Case("encrypted.xlsx", "refuse", quick=True, build=za.encrypted_package)
    yield Case(
        "encrypted-package-only.xlsx",
        "refuse",
        build=lambda: za.renamed_ole_stream(xls_bytes(), "Workbook", "EncryptedPackage"),
    )
    yield Case("encrypted.xls", "refuse", build=_filepass_xls)

    # Truncated files of every kind.
    for label, make in (
        ("xlsx", xlsx_bytes),
        ("xls", xls_bytes),
        ("ods", ods_bytes),
        ("tsv", lambda: tsv(rows)),
    ):
        for fraction in (0.02, 0.5, 0.9, 0.999):
            ext = label
            yield Case(
                f"truncated-{int(fraction * 1000):03d}.{ext}",
                "refuse" if label != "tsv" else "any",
                quick=label == "xlsx" and fraction == 0.5,
                build=lambda m=make, f=fraction: (lambda d: d[: max(1, int(len(d) * f))])(m()),
            )

    # Damaged archives.
    yield Case(
        "bad-crc.xlsx",
        "refuse",
        quick=True,
        build=lambda: za.bad_crc(xlsx_bytes(), "xl/worksheets/sheet1.xml"),
    )
    yield Case(
        "damaged-deflate.xlsx",
        "refuse",
        quick=True,
        build=lambda: za.damaged_deflate(xlsx_bytes(), "xl/worksheets/sheet1.xml"),
    )
    yield Case(
        "damaged-deflate-strings.xlsx",
        "refuse",
        build=lambda: za.damaged_deflate(xlsx_bytes(), "xl/sharedStrings.xml"),
    )
    yield Case("bad-crc.ods", "refuse", build=lambda: za.bad_crc(ods_bytes(), "content.xml"))
    yield Case("damaged-deflate.ods", "refuse", build=lambda: za.damaged_deflate(ods_bytes(), "content.xml"))
    yield Case(
        "no-sheet.xlsx",
        "refuse",
        build=lambda: za.zip_of({k: v for k, v in za.members(xlsx_bytes()).items() if "sheet1" not in k}),
    )
    yield Case(
        "no-workbook.xlsx",
        "refuse",
        build=lambda: za.zip_of(
            {k: v for k, v in za.members(xlsx_bytes()).items() if k != "xl/workbook.xml"}
        ),
    )
    yield Case(
        "sheet-not-xml.xlsx",
        "refuse",
        build=lambda: za.replaced(xlsx_bytes(), "xl/worksheets/sheet1.xml", b"\x00\xff not xml"),
    )

    # Zip bombs: honest, lying about their size, many members, nested.
    yield Case("bomb-ratio-small.xlsx", "refuse", quick=True, build=lambda: bomb(50 * 10**6))
    yield Case("bomb-honest-1g.xlsx", "refuse", build=lambda: bomb(10**9))
    yield Case("bomb-lying-1g.xlsx", "refuse", build=lambda: bomb(10**9, declared=1000))
    yield Case(
        "bomb-lying-100m.xlsx", "refuse", quick=True, build=lambda: bomb(100 * 10**6, declared=100_000)
    )
    yield Case(
        "bomb-lying-small-ods.ods",
        "refuse",
        build=lambda: za.zip_with_raw_member(
            {k: v for k, v in za.members(ods_bytes()).items() if k != "content.xml"},
            "content.xml",
            *za.deflated_stream(za.xml_filler(300 * 10**6)),
            declared_size=2000,
        ),
    )
    yield Case("bomb-members-20000.xlsx", "refuse", build=lambda: za.many_members(20_000))
    yield Case("bomb-members-9000.xlsx", "refuse", build=lambda: za.many_members(9_000))
    yield Case("bomb-nested.xlsx", "any", build=nested_bomb)
    yield Case(
        "bomb-zip-of-zips.xlsx",
        "refuse",
        build=lambda: za.zip_of({f"{i}.zip": nested_bomb() for i in range(3)}),
    )

    # XML entity attacks in every XML part of an XLSX and an ODS.
    yield Case("canary.txt", "any", build=lambda: za.XXE_CANARY.encode())
    for label, make in (("xlsx", xlsx_bytes), ("ods", ods_bytes)):
        for part, attack, data in za.entity_attacks(make(), canary):
            slug = part.replace("/", "_").replace("[", "").replace("]", "")
            yield Case(
                f"xml-{attack}-{slug}.{label}",
                "any",
                quick=attack == "laughs" and "sheet1" in part,
                build=lambda d=data: d,
            )

    # JSON: the canonical format, attacked.
    yield Case(
        "deep.json",
        "refuse",
        quick=True,
        build=lambda: b'{"format": "renaksi-plan", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    )
    yield Case(
        "nul.json", "refuse", build=lambda: b'{"format": "renaksi-plan", "version": 1, "title": "a\\u0000b"}'
    )
    yield Case("not-json.json", "refuse", quick=True, build=lambda: b'{"format": "renaksi-plan", ')

    # Things that are not files.
    yield Case("dev-zero.csv", "refuse", quick=True, special="/dev/zero")
    yield Case("dev-null.csv", "refuse", quick=True, special="/dev/null")
    yield Case("dev-urandom.csv", "refuse", special="/dev/urandom")
    yield Case("fifo.csv", "refuse", quick=True, special="fifo")
    yield Case("folder.xlsx", "refuse", quick=True, special="dir")
    yield Case("missing.csv", "refuse", quick=True, special="missing")


def _filepass_xls() -> bytes:
    import struct

    data = bytearray(xls_bytes())
    struct.pack_into("<H", data, 532, 0x002F)  # the record after the stream's BOF becomes FILEPASS
    return bytes(data)


def build(folder: Path, *, quick: bool = False) -> list[tuple[Case, Path]]:
    """Write the corpus into ``folder``; (case, path to import) for each case."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[Case, Path]] = []
    for case in cases(folder):
        if quick and not case.quick and case.name != "canary.txt":
            continue
        path = folder / case.name
        if case.special == "fifo":
            if not path.exists():
                os.mkfifo(path)
        elif case.special == "dir":
            path.mkdir(exist_ok=True)
        elif case.special == "missing":
            pass
        elif case.special:
            path = Path(case.special)
        else:
            assert case.build is not None
            path.write_bytes(case.build())
        if case.name != "canary.txt":
            made.append((case, path))
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1])
    built = build(target, quick="--quick" in sys.argv)
    print(f"{len(built)} cases in {target}")
