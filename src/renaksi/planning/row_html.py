"""The ``<td>`` cells of one row of the plan table, written in Python rather than by a template
loop: a 500-row page has 11,000 cells, and Django's template engine spent most of the page's time
on them (about five nodes a cell). The output is exactly what ``_plan_tables.html`` printed with
its cell loop. Every value goes through ``format_html``, which escapes it; the fixed words go
through gettext."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, override

from renaksi.core.schedule import MONTH_ABBR_ID

if TYPE_CHECKING:
    from renaksi.planning.presenters import BodyRow, Cell, GoalSection


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
                and not cell.anchor
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
        '<td data-col="{}" rowspan="{}" class="{}"{}{}>{}{}{}{}{}</td>',
        cell.column,
        cell.rowspan,
        cell.css,
        format_html(' id="{}"', cell.anchor) if cell.anchor else "",
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


def line_cards_html(sections: Iterable[GoalSection]) -> SafeString:
    """The plan on a phone: a card per line (its name, cost, code, months and remarks), goal by
    goal, from the same rows as the table; the indicator and Kegiatan a line serves are printed
    on the first card under them (merged cells are carried down from the row that printed them; a
    page's first row repeats those it cuts). Every text goes through ``format_html``."""
    labels = {
        "cost": gettext("Perkiraan biaya"),
        "code": gettext("Akun"),
        "months": gettext("Bulan"),
        "remarks": gettext("Ket."),
        "none": gettext("Belum dijadwalkan"),
        "indicator": gettext("Indikator"),
        "activity": gettext("Kegiatan"),
    }
    parts: list[SafeString] = []
    for section in sections:
        context: dict[str, str] = {}
        cards: list[SafeString] = []
        shown: tuple[str, str] | None = None
        for row in section.rows:
            for cell in row.cells:
                if cell.column in ("no", "goal", "indicator", "target", "activity"):
                    context[cell.column] = str(cell.text)
            if row.has_line:
                now = (context.get("indicator", "") + context.get("target", ""), context.get("activity", ""))
                cards.append(_card(row, context if now != shown else None, labels))
                shown = now
        heading = " ".join(text for text in (context.get("no", ""), context.get("goal", "")) if text)
        subtotal = (
            format_html(
                '<p class="line-cards__subtotal">{}: <strong>{}</strong></p>',
                section.subtotal_label,
                section.subtotal,
            )
            if section.complete
            else ""
        )
        parts.append(
            format_html(
                '<section class="line-cards__goal" data-goal-number="{}"><h3>{}</h3>'
                '<ol class="line-cards__list">{}</ol>{}</section>',
                section.number,
                heading,
                _joined(cards),
                subtotal,
            )
        )
    return _joined(parts)


def _joined(pieces: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _card(row: BodyRow, context: dict[str, str] | None, labels: dict[str, str]) -> SafeString:
    cells = {cell.column: cell for cell in row.cells}
    months = ", ".join(MONTH_ABBR_ID[n - 1] for n in range(1, 13) if cells[f"month-{n}"].scheduled)
    remarks = str(cells["remarks"].text) if "remarks" in cells else ""
    about: SafeString | str = ""
    if context is not None:
        target = context.get("target", "")
        activity = context.get("activity", "")
        about = format_html(
            '<p class="line-card__context"><span>{}: {}{}</span>{}</p>',
            labels["indicator"],
            context.get("indicator", ""),
            f" ({target})" if target else "",
            format_html("<span>{}: {}</span>", labels["activity"], activity) if activity else "",
        )
    month_cell = (
        format_html('<dd class="line-card__months">{}</dd>', months)
        if months
        else format_html('<dd class="line-card__months muted">{}</dd>', labels["none"])
    )
    return format_html(
        '<li class="line-card" data-line-id="{}">{}<p class="line-card__name">{}</p><dl class="line-card__facts">'
        '<div><dt>{}</dt><dd class="line-card__cost num">{}</dd></div>'
        '<div><dt>{}</dt><dd class="code">{}</dd></div>'
        "<div><dt>{}</dt>{}</div>{}</dl></li>",
        row.line_key or "",
        about,
        cells["line"].text,
        labels["cost"],
        cells["cost"].text or "—",
        labels["code"],
        cells["code"].text or "—",
        labels["months"],
        month_cell,
        format_html("<div><dt>{}</dt><dd>{}</dd></div>", labels["remarks"], remarks) if remarks else "",
    )
