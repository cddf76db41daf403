"""What the file readers (delimited text, XLSX, XLS, ODS) say to people, shared by them.

Each is a :class:`~renaksi.core.messages.Message`: its Indonesian text names it in the catalog,
and the page renders it in its language. Numbers are grouped the Indonesian way (``1.048.576``)
in both languages, as the plan's figures are.
"""

from __future__ import annotations

from renaksi.core.messages import Message, gettext_noop, msg

__all__ = [
    "ASKED_FOR",
    "FIRST_SHEET_WITH_HEADER",
    "NOT_XLSX",
    "PASSWORD_PROTECTED",
    "SHADING_NOT_READ",
    "merged_note",
    "no_sheet_named",
    "not_readable_xlsx",
    "sheet_note",
    "too_big",
    "zip_too_compressed",
    "zip_too_large",
    "zip_too_many_parts",
]

PASSWORD_PROTECTED = msg(
    gettext_noop("buku kerja ini dilindungi kata sandi; hapus kata sandinya lalu simpan lagi")
)
SHADING_NOT_READ = msg(
    gettext_noop(
        "bulan yang ditandai dengan warna sel tidak dapat dibaca dari .xls/.ods; tandai dengan v/x/1 atau "
        "simpan sebagai .xlsx"
    )
)
# A zip archive that is no workbook (a reader then says which kind it is, when it knows).
NOT_XLSX = msg(gettext_noop("arsip zip yang bukan buku kerja XLSX"))
# Why a sheet was read (the note "lembar: 'Renaksi' (...)").
ASKED_FOR = msg(gettext_noop("diminta"))
FIRST_SHEET_WITH_HEADER = msg(gettext_noop("lembar pertama yang memuat judul tabel rencana"))


def too_big(size: int, limit: int) -> Message:
    return msg(
        gettext_noop(
            "berkas berukuran {size:,} byte, melebihi batas {limit:,} byte; pecah rencananya atau minta "
            "administrator menaikkan batasnya"
        ),
        size=size,
        limit=limit,
    )


def sheet_note(name: str, reason: Message) -> Message:
    return msg(gettext_noop("lembar: {sheet!r} ({reason})"), sheet=name, reason=reason)


def no_sheet_named(name: str, names: list[str]) -> Message:
    return msg(
        gettext_noop("tidak ada lembar bernama {name!r}; buku kerja ini berisi {names}"),
        name=name,
        names=", ".join(map(repr, names)),
    )


def merged_note(count: int) -> Message:
    return msg(
        gettext_noop(
            "{count} rentang sel gabungan: sel yang tertutup gabungan dibaca kosong (sama dengan di atasnya)"
        ),
        count=count,
    )


def not_readable_xlsx(reason: object) -> Message:
    return msg(gettext_noop("bukan buku kerja XLSX yang dapat dibaca: {reason}"), reason=str(reason))


def zip_too_many_parts(count: int) -> Message:
    return msg(
        gettext_noop("buku kerja ini punya {count:,} bagian; ditolak karena tidak aman dibuka"),
        count=count,
    )


def zip_too_large(total: int, limit: int) -> Message:
    return msg(
        gettext_noop(
            "buku kerja ini mengembang menjadi {size:,} byte, melebihi batas {limit:,}; ditolak karena mungkin "
            "bom zip"
        ),
        size=total,
        limit=limit,
    )


def zip_too_compressed(ratio: int, limit: int, part: str | None = None) -> Message:
    if part is None:
        return msg(
            gettext_noop(
                "buku kerja ini dimampatkan {ratio} banding 1, melebihi batas {limit} banding 1; ditolak "
                "karena mungkin bom zip"
            ),
            ratio=ratio,
            limit=limit,
        )
    return msg(
        gettext_noop(
            "bagian {part} dimampatkan {ratio} banding 1, melebihi batas {limit} banding 1; ditolak karena "
            "mungkin bom zip"
        ),
        part=part,
        ratio=ratio,
        limit=limit,
    )


# -- limits (docs/limits.md) ----------------------------------------------------------------------


def member_too_large(part: str, limit: int) -> Message:
    return msg(
        gettext_noop(
            "bagian {part} mengembang melebihi batas {limit:,} byte per bagian; ditolak karena mungkin bom zip"
        ),
        part=part,
        limit=limit,
    )


def zip_inflated_too_much(limit: int) -> Message:
    return msg(
        gettext_noop(
            "buku kerja ini mengembang melebihi batas {limit:,} byte untuk seluruh bagiannya; ditolak karena "
            "mungkin bom zip"
        ),
        limit=limit,
    )


def damaged_member(part: str, error: object) -> Message:
    detail = " ".join(str(error).split())[:200] or type(error).__name__
    return msg(
        gettext_noop("bagian {part} dari arsip ini rusak ({reason}); simpan ulang berkasnya"),
        part=part,
        reason=detail,
    )


def sheet_too_many_rows(sheet: str, limit: int) -> Message:
    return msg(
        gettext_noop("lembar {sheet!r} punya baris melebihi batas {limit:,} baris"),
        sheet=sheet,
        limit=limit,
    )


def sheet_too_many_columns(sheet: str, limit: int) -> Message:
    return msg(
        gettext_noop("lembar {sheet!r} punya sel di luar batas {limit:,} kolom"),
        sheet=sheet,
        limit=limit,
    )


def sheet_too_many_cells(limit: int) -> Message:
    return msg(
        gettext_noop("buku kerja ini punya lebih dari {limit:,} sel; pecah rencananya"),
        limit=limit,
    )


def text_too_many_rows(name: str, limit: int) -> Message:
    return msg(
        gettext_noop("{name} punya baris melebihi batas {limit:,} baris; pecah rencananya"),
        name=name,
        limit=limit,
    )


def text_too_many_columns(name: str, limit: int) -> Message:
    return msg(
        gettext_noop("{name}: baris ini punya sel melebihi batas {limit:,} kolom"),
        name=name,
        limit=limit,
    )


def text_too_many_cells(name: str, limit: int) -> Message:
    return msg(
        gettext_noop("{name} punya lebih dari {limit:,} sel; pecah rencananya"),
        name=name,
        limit=limit,
    )


def cell_too_long(length: int, limit: int) -> Message:
    return msg(
        gettext_noop("sel ini berisi {length:,} karakter, melebihi batas {limit:,} karakter per isian"),
        length=length,
        limit=limit,
    )


def not_a_regular_file(name: str) -> Message:
    return msg(
        gettext_noop("{name} bukan berkas biasa (folder, perangkat, atau pipa); berikan berkas rencananya"),
        name=name,
    )


def encrypted_office_file(name: str) -> Message:
    return msg(
        gettext_noop(
            "{name} adalah berkas Office terenkripsi (berkata sandi); buka dan simpan tanpa kata sandi"
        ),
        name=name,
    )


NUL_IN_CELL = msg(
    gettext_noop(
        "sel ini berisi karakter NUL, yang tidak dapat disimpan; hapus karakter itu lalu simpan lagi"
    )
)
