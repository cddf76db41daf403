"""Import a plan file: a preview that writes nothing, then a commit in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.core import canonical
from renaksi.core.grid import SourceError
from renaksi.core.import_report import ImportReport, plan_figures
from renaksi.core.messages import gettext_noop, msg, reason_of
from renaksi.core.money import format_number_id
from renaksi.core.plan_diff import PlanDiff, diff_trees
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import recognize
from renaksi.exports.collector import collector_paused
from renaksi.history import Source
from renaksi.imports import limits as import_limits
from renaksi.imports.models import ImportRecord, UnplacedCell
from renaksi.imports.readers import read_file_bytes, read_source
from renaksi.planning.models import Plan
from renaksi.planning.services import existing_plan, load_tree, save_tree
from renaksi.planning.signature import apply_signature


@dataclass
class ImportPreview:
    filename: str
    sha256: str
    tree: PlanTree
    report: ImportReport


# An import makes about a million objects that live until it ends (cells, the tree, the report's
# placements, the rows written) and no cycles: the cyclic collector's walks over them were a third
# of a 44,000-line import and found nothing (see renaksi.exports.collector).
@collector_paused()
def preview_import(path: Path, *, encoding: str | None = None) -> ImportPreview:
    """Read and recognize a file. Writes nothing; raises SourceError naming line and column.

    Every reader enforces the ``RENAKSI_MAX_IMPORT_*`` limits while it reads (docs/limits.md);
    what is no regular file (a folder, a device, a FIFO) is refused before it is opened."""
    with import_limits.applied(import_limits.from_settings(settings)) as limits:
        data = read_file_bytes(path, limits.file_bytes)
        digest = hashlib.sha256(data).hexdigest()
        if canonical.is_canonical_json(data):
            try:
                tree, _agency = canonical.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, canonical.CanonicalFormatError) as error:
                raise SourceError(reason_of(error)) from None
            report = ImportReport(source_format="json", encoding="utf-8")
            report.figures = plan_figures(tree)
            return ImportPreview(path.name, digest, tree, report)
        del data
        grid = read_source(path, encoding=encoding)
        tree, report = recognize(grid)
        _check_field_lengths(tree, report)
        return ImportPreview(path.name, digest, tree, report)


# The column each line field is read from, as the refusal names it.
_FIELD_COLUMNS = {
    "name": "Rencana Kegiatan",
    "remarks": "KET",
    "person_in_charge": "PENANGGUNG JAWAB",
    "budget_code": "AKUN",
}


def _check_field_lengths(tree: PlanTree, report: ImportReport) -> None:
    """Refuse a line whose text is longer than a person may save in that field (the limits the
    line form and the update service hold to, docs/limits.md), naming the cell it came from."""
    from renaksi.planning.limits import LINE_TEXT_LIMITS

    for number, line in enumerate(tree.lines(), 1):
        for field_name, limit in LINE_TEXT_LIMITS.items():
            length = len(getattr(line, field_name))
            if length <= limit:
                continue
            wanted = f"line {number}: {field_name}"
            cell = next((p for p in report.placements if p.field == wanted), None)
            raise SourceError(
                msg(
                    gettext_noop(
                        "{field} berisi {length} karakter, melebihi batas {limit} karakter untuk isian itu"
                    ),
                    field=_FIELD_COLUMNS[field_name],
                    length=format_number_id(length),
                    limit=format_number_id(limit),
                ),
                cell.line if cell else line.source_line,
                cell.column if cell else None,
            )


def check_year(preview: ImportPreview, year: int) -> None:
    """The year asked for must be the year the file says (a preview fails exactly as a commit would)."""
    if preview.tree.year is not None and preview.tree.year != year:
        raise SourceError(
            msg(
                gettext_noop(
                    "berkas ini rencana tahun {found}, tetapi impor diminta untuk tahun {asked}; berikan --year "
                    "yang sesuai"
                ),
                found=preview.tree.year,
                asked=year,
            )
        )


def preview_replace(preview: ImportPreview, agency: Agency, year: int) -> PlanDiff | None:
    """What committing ``preview`` with ``replace`` would add, change and remove in the stored
    plan of the same agency, year and signing unit (None when there is none). Writes nothing."""
    plan = existing_plan(agency, year, preview.tree.signing_unit)
    return None if plan is None else diff_trees(load_tree(plan), preview.tree)


def replace_summary(diff: PlanDiff) -> list[str]:
    """The diff as lines a planner reads before anything is written: per level, how many objects
    will be added, changed and removed."""
    labels = {
        "goals": _("Sasaran strategis"),
        "program_goals": _("Sasaran program"),
        "indicators": _("Indikator kinerja"),
        "activities": _("Kegiatan"),
        "lines": _("Rencana kegiatan"),
    }
    lines = [
        _("%(level)s: akan ditambah %(added)d, diubah %(changed)d, dihapus %(removed)d")
        % {"level": labels[name], "added": added, "changed": changed, "removed": removed}
        for name, (added, changed, removed) in ((n, level.counts()) for n, level in diff.levels())
    ]
    if diff.plan_changes:
        lines.append(_("Judul atau nama satker rencana akan diubah."))
    if any(level.reordered for _name, level in diff.levels()):
        lines.append(_("Urutan baris akan berubah."))
    if diff.is_empty:
        lines.append(_("Tidak ada yang berubah: rencana tersimpan sama dengan berkas ini."))
    return lines


@collector_paused()
def commit_import(
    preview: ImportPreview,
    agency: Agency,
    year: int,
    *,
    actor: object,
    replace: bool = False,
    via: str = "cli",
    source: Source = Source.IMPORT,
    operator: str = "",
) -> tuple[Plan, ImportRecord]:
    """Write the previewed plan and its import record, all or nothing; the history of the change
    (by ``actor``, through ``source``) is written in the same transaction. ``via`` is how the
    import record says it came (``cli``, ``demo``). A command has no Renaksi user behind it:
    ``operator`` names who ran it (``user@host``) in the history, and passes
    :data:`renaksi.access.OPERATOR` as ``actor``. ``actor`` must hold :attr:`Action.EDIT` in
    ``agency``, checked first."""
    require(actor, Action.EDIT, agency.pk)
    check_year(preview, year)
    if preview.tree.year is None:
        preview.tree.year = year
    with transaction.atomic():
        plan = save_tree(
            agency,
            year,
            preview.tree,
            replace=replace,
            actor=actor,
            source=source,
            note=f"{preview.filename} (sha256 {preview.sha256[:12]})"
            + (f"; dijalankan oleh {operator}" if operator else ""),
        )
        report = preview.report
        if report.signature:
            apply_signature(plan, report.signature, actor=actor, source=source, note=preview.filename)
        record = ImportRecord.objects.create(
            plan=plan,
            filename=preview.filename,
            sha256=preview.sha256,
            source_format=report.source_format,
            encoding=report.encoding or "",
            report=report.to_dict(),
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            imported_via=via,
        )
        UnplacedCell.objects.bulk_create(
            UnplacedCell(import_record=record, line=u.line, column=u.column, text=u.text, reason=u.reason)
            for u in report.unplaced
        )
    return plan, record
