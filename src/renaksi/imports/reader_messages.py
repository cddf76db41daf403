"""What the file readers (delimited text, XLSX, XLS, ODS) say to people, shared by them.

Each is a :class:`~renaksi.core.messages.Message`: its Indonesian text names it in the catalog,
and the page renders it in its language. Numbers are grouped the Indonesian way (``1.048.576``)
in both languages, as the plan's figures are.
"""

from __future__ import annotations

from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.money import format_number_id

__all__ = [
    "ASKED_FOR",
    "FIRST_SHEET_WITH_HEADER",
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
# Why a sheet was read (the note "lembar: 'Renaksi' (...)").
ASKED_FOR = msg(gettext_noop("diminta"))
FIRST_SHEET_WITH_HEADER = msg(gettext_noop("lembar pertama yang memuat judul tabel rencana"))


def too_big(size: int, limit: int) -> Message:
    return msg(
        gettext_noop(
            "berkas berukuran {size} byte, melebihi batas {limit} byte; pecah rencananya atau minta "
            "administrator menaikkan batasnya"
        ),
        size=format_number_id(size),
        limit=format_number_id(limit),
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
        gettext_noop("buku kerja ini punya {count} bagian; ditolak karena tidak aman dibuka"),
        count=format_number_id(count),
    )


def zip_too_large(total: int, limit: int) -> Message:
    return msg(
        gettext_noop(
            "buku kerja ini mengembang menjadi {size} byte, melebihi batas {limit}; ditolak karena mungkin "
            "bom zip"
        ),
        size=format_number_id(total),
        limit=format_number_id(limit),
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
