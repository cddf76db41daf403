"""A big plan's PDF typeset in parts, so that memory stays bounded whatever the plan's size.

Typst keeps the whole layout of a document, and its memoization cache, until the compilation
ends: about 250 kB per table row, so 11 GB for a 44,000-line plan (splitting the table into
several tables of the same document does not help; measured with ``bench/bench_export_pdf.py``).
A plan longer than :data:`PART_ROWS` rows (or :data:`PART_CHARS` characters of text) is
therefore cut into parts of at most that many, each typeset as a document of its own, and the
parts' pages are joined into one PDF:

- a part starts on a new page, under the repeated header, as a page of the whole table does, so
  a part's last page may end short; parts are cut between strategic goals where that keeps them
  at least half full, otherwise between two rows (a row is never split, as on any page);
- a merged cell that runs on into the next part continues there as an empty cell over its
  remaining rows, as a merged cell that runs on to the next page does in one document;
- a goal's subtotal is in the part where the goal ends; the title block is only in the first
  part, the grand total and the signature block only in the last;
- the page footers (``Halaman 3 dari 4.400``) need the number of all pages, known only once every
  part is typeset: the parts have no footer, and one more document of empty pages with the
  footers is laid over them.

Each part is typeset in a process of its own (:func:`typeset_apart`,
:mod:`renaksi.exports.typeset_part`): Typst keeps a part's layout in a cache that only ten more
compilations age out, so in one process every part would stay alive, and freeing them one by one
costs more CPU than starting a process. The exporting process never holds a part's layout. The joined PDF carries no accessibility tags: tags cannot be joined
across documents, and they are most of the size of a big table's PDF (21 MB instead of 1.5 MB for
6,000 lines). A plan of one part is typeset exactly as before, tags included.

Measured (``/usr/bin/time -v renaksi export … --format pdf``, 44,000 lines, parts emptied in
one process): 696 MB peak resident in 45 parts, against 11.4 GB as one document.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

__all__ = [
    "PART_CHARS",
    "PART_ROWS",
    "PartFailed",
    "footer_document",
    "join_parts",
    "split_document",
    "typeset_apart",
]

#: The most table rows one Typst compilation lays out: about 300 MB at its peak.
PART_ROWS = 1_000
#: The most characters of text in one part (a row of a generated plan holds about 160), since
#: Typst's memory grows with the text it lays out (about 1.5 kB a character) as well as with rows.
PART_CHARS = 250_000

_LEAD_COLUMNS = 7  # NO, SASARAN STRATEGIS, SASARAN PROGRAM, INDIKATOR, TARGET, KEGIATAN, Rencana Kegiatan


def split_document(
    document: dict[str, Any], max_rows: int = PART_ROWS, max_chars: int = PART_CHARS
) -> list[dict[str, Any]]:
    """The parts of :func:`renaksi.exports.pdf.plan_document`'s document, each holding at most
    ``max_rows`` body rows and, unless one row alone is more, ``max_chars`` characters of text;
    one part (the document itself) when the plan fits in one."""
    sections = document["sections"]
    starts = _part_starts(sections, max_rows, max_chars)
    if not starts:
        return [document]
    slices = list(_cut(sections, starts))
    last = len(slices) - 1
    return [
        {
            **document,
            "sections": part_sections,
            "title_block": number == 0,
            "closing": number == last,
            "page_footer": "none",
        }
        for number, part_sections in enumerate(slices)
    ]


def _characters(row: dict[str, Any]) -> int:
    return sum(len(str(cell[0])) for cell in row["lead"]) + sum(len(text) for text in row["tail"])


def _part_starts(sections: list[dict[str, Any]], max_rows: int, max_chars: int) -> list[int]:
    """The rows (numbered through the whole table) where a part after the first starts: before a
    goal when the part so far is at least half full and the goal would overfill it, otherwise
    before the row that would take the part past its rows or characters."""
    starts: list[int] = []
    rows_in_part = characters = index = 0
    for section in sections:
        rows = section["rows"]
        if rows_in_part * 2 >= max_rows and rows_in_part + len(rows) > max_rows:
            starts.append(index)
            rows_in_part = characters = 0
        for row in rows:
            weight = _characters(row)
            if rows_in_part and (rows_in_part == max_rows or characters + weight > max_chars):
                starts.append(index)
                rows_in_part = characters = 0
            rows_in_part += 1
            characters += weight
            index += 1
    return starts


def _cut(sections: list[dict[str, Any]], starts: list[int]) -> Iterator[list[dict[str, Any]]]:
    """The sections sliced at ``starts``, with merged cells re-spanned.

    ``covered[c]`` counts the rows below the current one that a merged cell of lead column ``c``
    still covers; it is how a cell cut at a part's end is continued at the next part's start."""
    covered = [0] * _LEAD_COLUMNS
    ends = iter([*starts, sys.maxsize])
    part_end = next(ends)
    part: list[dict[str, Any]] = []
    first = True
    index = 0
    for section in sections:
        rows = section["rows"]
        piece: list[dict[str, Any]] = []
        for position, row in enumerate(rows):
            if index == part_end:
                if piece:
                    part.append({**section, "rows": piece, "subtotal": None})
                yield part
                part, piece, first, part_end = [], [], True, next(ends)
            room = min(part_end - index, len(rows) - position)  # rows this part holds from here
            piece.append(_respanned(row, covered, first=first, room=room))
            first = False
            index += 1
        part.append({**section, "rows": piece})
    yield part


def _respanned(row: dict[str, Any], covered: list[int], *, first: bool, room: int) -> dict[str, Any]:
    """``row`` with its merged cells cut to the ``room`` rows left in the part; on a part's first
    row, the cells continued from the part before come back as empty cells over what they still
    cover. Cells fill the free columns left to right, as Typst places them."""
    starting = iter(row["lead"])
    lead: list[list[str | int]] = []
    for column in range(_LEAD_COLUMNS):
        if covered[column]:
            if first:
                lead.append(["", min(covered[column], room)])
            covered[column] -= 1
        else:
            text, span = next(starting)
            lead.append([text, min(span, room)])
            covered[column] = span - 1
    return {**row, "lead": lead}


def footer_document(document: dict[str, Any], pages: int) -> dict[str, Any]:
    """The document of ``pages`` empty pages that carry only the page footers."""
    return {**document, "sections": [], "page_footer": "only", "pages": pages}


class PartFailed(RuntimeError):
    """A part of the PDF could not be typeset; the message is the child process's last line."""


_TYPESET_PART = Path(__file__).resolve().with_name("typeset_part.py")


def typeset_apart(document: dict[str, Any]) -> bytes:
    """The PDF of one part (or of the footers), typeset by a process of its own."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    done = subprocess.run(  # noqa: S603 - this interpreter running a file of this package
        [sys.executable, str(_TYPESET_PART)], input=text.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PartFailed(lines[-1] if lines else f"typesetting a part ended with status {done.returncode}")
    return done.stdout


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def join_parts(parts: list[bytes], footers: bytes) -> bytes:
    """The parts' pages in order, each with its page of ``footers`` laid over it, as one PDF with
    the first part's document information (title, author, date) and language.

    A footer page becomes a form XObject drawn after the page's own content, which is copied as
    it is (still compressed, never parsed): ``q`` and ``Q`` around it undo whatever graphics state
    it leaves, and the form's one resource name cannot clash with the page's."""
    writer = pypdf.PdfWriter()
    # _add_object (pinned pypdf): a stream must be an indirect object, and pypdf has no public
    # way to make one.
    add = writer._add_object
    footer_pages = iter(pypdf.PdfReader(io.BytesIO(footers)).pages)
    save, restore, draw = (add(_stream(data)) for data in (b"q\n", b"Q\n", _DRAW_FOOTER))
    first = pypdf.PdfReader(io.BytesIO(parts[0]))
    for data in parts:
        for source in pypdf.PdfReader(io.BytesIO(data)).pages:
            page = writer.add_page(source)
            contents = page[NameObject("/Contents")]
            own = contents.get_object()
            streams = list(own) if isinstance(own, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([save, *streams, restore, draw])
            resources = cast(DictionaryObject, page[NameObject("/Resources")].get_object())
            forms = resources.get(NameObject("/XObject"))
            forms = DictionaryObject() if forms is None else cast(DictionaryObject, forms.get_object())
            forms[NameObject(_FOOTER_NAME)] = add(_footer_form(next(footer_pages), writer))
            resources[NameObject("/XObject")] = forms
    if first.metadata:
        writer.add_metadata(dict(first.metadata.items()))
    language = cast(DictionaryObject, first.trailer["/Root"].get_object()).get("/Lang")
    if language is not None:
        writer.root_object[NameObject("/Lang")] = language
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_FOOTER_NAME = "/RenaksiFooter"
_DRAW_FOOTER = f"{_FOOTER_NAME} Do\n".encode("ascii")


def _stream(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    return stream


def _footer_form(page: pypdf.PageObject, writer: pypdf.PdfWriter) -> StreamObject:
    """A footer page as a form XObject over the whole page, compressed."""
    contents = page.get_contents()
    form = _stream(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): page[NameObject("/Resources")].clone(writer),
        }
    )
    return form.flate_encode()
