"""The ``<td>`` cells of one row of the plan table, written in Python rather than by a template
loop: a 500-row page has 11,000 cells, and Django's template engine spent most of the page's time
on them (about five nodes a cell). The output is exactly what ``_plan_tables.html`` printed with
its cell loop. Every value goes through ``format_html``, which escapes it; the fixed words go
through gettext."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, override

if TYPE_CHECKING:
    from renaksi.planning.presenters import BodyRow, Cell


def cells_html(row: BodyRow) -> SafeString:
    marks = (
        format_html_join(
            "",
            '<a class="row-mark row-mark--{}" href="#{}" id="{}-di-tabel"{}><span class="visually-hidden">{} </span>{}</a> ',
            (
                (
                    mark.kind,
                    mark.anchor,
                    mark.anchor,
                    format_html(' title="{}"', mark.note) if mark.note else "",
                    gettext("Catatan impor"),
                    mark.label,
                )
                for mark in row.marks
            ),
        )
        if row.marks
        else ""
    )
    language = get_language()
    return format_html_join(
        "",
        "{}",
        (
            (
                _blank_cell(cell.column, cell.rowspan, cell.css, cell.scheduled, language)
                if not cell.text
                and not cell.continued
                and not cell.flagged
                and (cell.column != "line" or not marks)
                else _cell(cell, marks),
            )
            for cell in row.cells
        ),
    )


@lru_cache(maxsize=1024)
def _blank_cell(column: str, rowspan: int, css: str, scheduled: bool, language: str | None) -> SafeString:
    """A cell without text (the twelve months of every row, most of all), made once per language."""
    with override(language):
        return format_html(
            '<td data-col="{}" rowspan="{}" class="{}">{}</td>',
            column,
            rowspan,
            css,
            format_html('<span class="visually-hidden">{}</span>', gettext("dijadwalkan"))
            if scheduled
            else "",
        )


def _cell(cell: Cell, marks: str) -> SafeString:
    return format_html(
        '<td data-col="{}" rowspan="{}" class="{}"{}>{}{}{}{}{}</td>',
        cell.column,
        cell.rowspan,
        cell.css,
        format_html("{}", " data-continued") if cell.continued else "",
        format_html('<span class="continued-mark">({})</span> ', gettext("lanjutan dari halaman sebelumnya"))
        if cell.continued
        else "",
        marks if cell.column == "line" else "",
        cell.text,
        format_html(
            ' <span class="review-flag" role="note"><strong>{}:</strong> {}</span>',
            gettext("Perlu ditinjau"),
            cell.review_note,
        )
        if cell.flagged
        else "",
        format_html('<span class="visually-hidden">{}</span>', gettext("dijadwalkan"))
        if cell.scheduled
        else "",
    )
