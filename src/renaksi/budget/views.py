"""Pages of a plan's ceilings (pagu) and disbursement plan (RPD). Thin: scope, form, service, page.

Reading needs VIEW on the plan's agency, writing EDIT (read through the request's scope: another
agency's plan answers 404 like a missing one, a reader who may not write gets 403); the services
check the permission again themselves.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renaksi.access import NOT_FOUND, Action, request_scope
from renaksi.budget import presenters, rpd_export, services
from renaksi.budget.ceiling_import import CeilingImportPreview, CeilingRow, read_ceiling_file
from renaksi.budget.forms import CeilingForm, CeilingUploadForm, LineDisbursementForm
from renaksi.budget.models import Ceiling, LineDisbursement
from renaksi.core.disbursement import spread_cost
from renaksi.core.money import format_rupiah
from renaksi.core.schedule import MONTH_ABBR_ID, Schedule, quarter_label
from renaksi.planning.models import Plan, SubActivity

IMPORT_SESSION_KEY = "renaksi.budget.ceiling_import"


def _can_edit(request: HttpRequest, plan: Plan) -> bool:
    return request_scope(request).can(Action.EDIT, plan.agency_id) and plan.status != Plan.Status.APPROVED


def _ceiling_page(
    request: HttpRequest, plan: Plan, form: CeilingForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    rows, counts, depth, hidden = presenters.ceiling_table(plan, request.GET.get("tingkat"))
    context = {
        "plan": plan,
        "rows": rows,
        "hidden_rows": hidden,
        "depth": depth,
        "depths": _depth_links(),
        "counts": counts,
        "can_edit": _can_edit(request, plan),
        "approved": plan.status == Plan.Status.APPROVED,
        "form": form or CeilingForm(),
        "upload_form": CeilingUploadForm(),
        "verdict_labels": {verdict: presenters.verdict_label(verdict) for verdict in counts},
        **extra,
    }
    return render(request, "budget/ceilings.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def ceilings(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The ceiling table (planned against pagu at every level); POST adds one ceiling."""
    if request.method != "POST":
        return _ceiling_page(request, request_scope(request).plan(plan_id))
    plan = request_scope(request).plan(plan_id, Action.EDIT)
    form = CeilingForm(request.POST)
    if not form.is_valid():
        return _ceiling_page(request, plan, form, status=400)
    try:
        services.save_ceiling(
            plan,
            request.user,
            code=form.cleaned_data["code"],
            amount=form.cleaned_data["amount"],
            description=form.cleaned_data["description"],
        )
    except services.BudgetError as error:
        messages.error(request, str(error))
        return _ceiling_page(request, plan, form, status=409)
    messages.success(request, _("Pagu %(code)s disimpan.") % {"code": form.cleaned_data["code"]})
    return redirect("budget:ceilings", plan_id=plan.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def ceiling_edit(request: HttpRequest, plan_id: int, ceiling_id: int) -> HttpResponse:
    """One ceiling: GET shows the form, POST saves it (or, with ``delete``, removes it)."""
    plan = request_scope(request).plan(plan_id, Action.EDIT)
    ceiling = Ceiling.objects.of_plan(plan).filter(pk=ceiling_id).first()
    if ceiling is None:
        raise Http404(NOT_FOUND)
    form = CeilingForm.for_ceiling(ceiling, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        version = _int_or_none(request.POST.get("version"))
        try:
            if "delete" in request.POST:
                services.delete_ceiling(plan, request.user, ceiling.pk, version)
                messages.success(request, _("Pagu %(code)s dihapus.") % {"code": ceiling.code})
                return redirect("budget:ceilings", plan_id=plan.pk)
            if form.is_valid():
                saved = services.save_ceiling(
                    plan,
                    request.user,
                    code=form.cleaned_data["code"],
                    amount=form.cleaned_data["amount"],
                    description=form.cleaned_data["description"],
                    ceiling_id=ceiling.pk,
                    expected_version=form.cleaned_data.get("version") or version,
                )
                messages.success(
                    request, _("Pagu disimpan.") if saved else _("Tidak ada perubahan pada pagu ini.")
                )
                return redirect("budget:ceilings", plan_id=plan.pk)
            status = 400
        except services.BudgetError as error:
            messages.error(request, str(error))
            status = 409
    context = {
        "plan": plan,
        "ceiling": ceiling,
        "form": form,
        "approved": plan.status == Plan.Status.APPROVED,
    }
    return render(request, "budget/ceiling_edit.html", context, status=status)


def _depth_links() -> list[tuple[str, str]]:
    return [
        ("kegiatan", _("Kegiatan")),
        ("kro", _("sampai KRO")),
        ("ro", _("sampai RO")),
        ("semua", _("semua tingkat")),
    ]


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


@require_POST
def ceiling_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Read an uploaded ceiling file and show what importing it would do; nothing is written."""
    plan = request_scope(request).plan(plan_id, Action.EDIT)
    upload_form = CeilingUploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        context = {"plan": plan, "upload_form": upload_form, "preview": None}
        return render(request, "budget/ceiling_import.html", context, status=400)
    upload = upload_form.cleaned_data["file"]
    rows, errors = read_ceiling_file(upload.read(), upload.name)
    stored = {code: (description, amount) for code, description, amount in services.ceiling_fingerprint(plan)}
    preview = CeilingImportPreview.of(rows, stored)
    preview.errors = errors
    token = ""
    if preview.ok:
        token = secrets.token_urlsafe(16)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "plan": plan.pk,
            "rows": [[row.line, row.code, row.description, row.amount] for row in rows],
            "seen": services.ceiling_fingerprint(plan),
        }
    context = {
        "plan": plan,
        "preview": preview,
        "changes": _preview_changes(preview),
        "token": token,
        "file_name": upload.name,
        "approved": plan.status == Plan.Status.APPROVED,
    }
    return render(request, "budget/ceiling_import.html", context, status=200 if preview.ok else 400)


def _preview_changes(preview: CeilingImportPreview) -> list[dict[str, str]]:
    def money(amount: int | None) -> str:
        return "—" if amount is None else format_rupiah(amount)

    kinds = (
        ("added", _("Ditambah"), preview.added),
        ("changed", _("Diubah"), preview.changed),
        ("removed", _("Dihapus"), preview.removed),
    )
    return [
        {
            "kind": kind,
            "label": label,
            "code": change.code,
            "description": change.description,
            "old": money(change.old_amount),
            "new": "—" if kind == "removed" else money(change.amount),
        }
        for kind, label, changes in kinds
        for change in changes
    ]


@require_POST
def ceiling_import_commit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Commit the previewed file (the token of the preview page), all or nothing."""
    plan = request_scope(request).plan(plan_id, Action.EDIT)
    stored = request.session.get(IMPORT_SESSION_KEY) or {}
    if not stored or stored.get("plan") != plan.pk or stored.get("token") != request.POST.get("token"):
        messages.error(
            request, _("Pratinjau impor pagu tidak ditemukan atau sudah kedaluwarsa; unggah lagi.")
        )
        return redirect("budget:ceilings", plan_id=plan.pk)
    rows = [CeilingRow(*row) for row in stored["rows"]]
    try:
        preview = services.commit_ceiling_import(plan, request.user, rows, stored["seen"])
    except services.BudgetError as error:
        messages.error(request, str(error))
        return redirect("budget:ceilings", plan_id=plan.pk)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Pagu diimpor: %(added)s ditambah, %(changed)s diubah, %(removed)s dihapus.")
        % {"added": len(preview.added), "changed": len(preview.changed), "removed": len(preview.removed)},
    )
    return redirect("budget:ceilings", plan_id=plan.pk)


@require_http_methods(["GET", "HEAD"])
def rpd(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's RPD: chart and table of the monthly and cumulative curve, per code level."""
    plan = request_scope(request).plan(plan_id)
    plan_rpd = presenters.plan_rpd(plan)
    curve = plan_rpd.total
    depth = presenters.chosen_depth(request.GET.get("tingkat"), plan_rpd.by_code)
    progress, base, of_ceiling = presenters.absorption_progress(plan, plan_rpd)
    pages = max(1, -(-len(plan_rpd.lines) // presenters.LINES_PER_PAGE))
    page = min(max(_int_or_none(request.GET.get("halaman")) or 1, 1), pages)
    start = (page - 1) * presenters.LINES_PER_PAGE
    context = {
        "plan": plan,
        "rpd": plan_rpd,
        "chart": presenters.rpd_chart(curve),
        "months": MONTH_ABBR_ID,
        "quarters": [quarter_label(quarter) for quarter in range(1, 5)],
        "total_row": presenters.CurveRow(_("Seluruh rencana"), "", curve),
        "code_rows": presenters.curve_rows(plan_rpd, depth),
        "hidden_rows": max(0, presenters.rows_at(depth, plan_rpd.by_code) - presenters.MAX_TABLE_ROWS),
        "depth": depth,
        "depths": _depth_links(),
        "progress": [
            {
                "quarter": quarter_label(row.quarter),
                "cumulative": format_rupiah(row.cumulative),
                "percent": "—" if row.percent is None else f"{row.percent}".replace(".", ",") + "%",
                "target": f"{row.target}%",
                "below": row.below_target,
            }
            for row in progress
        ],
        "progress_base": format_rupiah(base),
        "progress_of_ceiling": of_ceiling,
        "planned_text": format_rupiah(plan_rpd.planned_cost),
        "can_edit": _can_edit(request, plan),
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "lines": [
            {
                "pk": row.line.line_id,
                "name": row.line.name,
                "cost": format_rupiah(row.line.cost or 0),
                "source": row.source,
                "amounts": [format_rupiah(amount) for amount in row.amounts],
            }
            for row in plan_rpd.lines[start : start + presenters.LINES_PER_PAGE]
        ],
    }
    return render(request, "budget/rpd.html", context)


@require_http_methods(["GET", "HEAD"])
def rpd_download(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    """The RPD as XLSX or CSV."""
    plan = request_scope(request).plan(plan_id)
    plan_rpd = presenters.plan_rpd(plan)
    filename = f"rpd-{plan.agency.code}-{plan.year}-{plan.pk}.{fmt}"
    if fmt == "xlsx":
        body = rpd_export.rpd_xlsx(plan, plan_rpd)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body, content_type = rpd_export.rpd_csv(plan_rpd), "text/csv; charset=utf-8"
    else:
        raise Http404("unknown export format")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def rpd_line(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    """One line's RPD by hand (twelve months summing to its cost), or back to spread."""
    plan = request_scope(request).plan(plan_id, Action.EDIT)
    line = SubActivity.objects.of_plan(plan).filter(pk=line_id).first()
    if line is None:
        raise Http404(NOT_FOUND)
    stored = LineDisbursement.objects.of_plan(plan).filter(line=line).first()
    months = Schedule(line.schedule_mask).months
    spread = spread_cost(line.cost or 0, months) if months or not line.cost else None
    shown = list(stored.amounts) if stored is not None else list(spread or [0] * 12)
    form = LineDisbursementForm.for_line(
        shown, stored.version if stored else None, request.POST if request.method == "POST" else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_line_disbursement(
                    plan, request.user, line.pk, form.amounts(), form.cleaned_data.get("version")
                )
            except services.BudgetError as error:
                messages.error(request, str(error))
                status = 409 if isinstance(error, services.EditConflict) else 400
            else:
                messages.success(
                    request,
                    _("RPD baris disimpan.") if saved.changed else _("Tidak ada perubahan pada RPD ini."),
                )
                return redirect("budget:rpd", plan_id=plan.pk)
        else:
            status = 400
    context = {
        "plan": plan,
        "line": line,
        "hand_entered": stored is not None,
        "form": form,
        "cost_text": format_rupiah(line.cost or 0),
        "spread": [format_rupiah(amount) for amount in spread] if spread is not None else None,
        "month_names": MONTH_ABBR_ID,
        "approved": plan.status == Plan.Status.APPROVED,
    }
    return render(request, "budget/rpd_line.html", context, status=status)
