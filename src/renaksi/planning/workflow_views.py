"""The workflow's pages: submit, withdraw, approve, return, open a revision, the version list and
the comparison of two versions. Thin: the services (:mod:`renaksi.planning.workflow`) check who
may, and refuse what the plan's state does not allow; a view finds the plan the user may read
(else 404) and shows the outcome."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renaksi.access import NOT_FOUND, Action, request_scope
from renaksi.planning import versions, workflow
from renaksi.planning.forms import ReturnForm
from renaksi.planning.models import Plan
from renaksi.planning.version_diff import COLUMNS, diff_rows, write_diff_xlsx
from renaksi.planning.workflow_forms import CompareForm, RevisionForm, SubmitForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workflow_actions(request: HttpRequest, plan: Plan) -> dict[str, object]:
    """The workflow buttons the user may press on this plan now. The plan check is not run here
    (a big plan's page never loads it whole; its findings are listed beside the table): the
    submit form carries the tick that acknowledges the warnings, and a plan with an error or a
    flagged program goal is refused, with the reason, when it is submitted."""
    scope = request_scope(request)
    status = plan.status
    can = {
        action: workflow.may(action, status) and scope.can(permission, plan.agency_id)
        for action, (_starts, _end, permission) in workflow.TRANSITIONS.items()
    }
    return {
        "can_submit": can["submit"],
        "can_withdraw": can["withdraw"],
        "can_approve": can["approve"],
        "can_return": can["return"],
        "can_revise": can["revise"],
        "submit_form": SubmitForm(),
        "return_form": ReturnForm(),
        "version_number": plan.version_number,
    }


def _step(request: HttpRequest, plan_id: int, change: Callable[[Plan], object], done: str) -> HttpResponse:
    plan = request_scope(request).plan(plan_id)  # 404 unless the user may read it
    try:
        change(plan)  # the service checks the permission (403) and the plan's state
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("planning:plan_detail", plan_id=plan.pk)


@require_POST
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    form = SubmitForm(request.POST)
    acknowledged = form.is_valid() and form.cleaned_data["acknowledge_warnings"]
    return _step(
        request,
        plan_id,
        lambda plan: workflow.submit_plan(plan, request.user, acknowledge_warnings=acknowledged),
        _("Rencana diajukan untuk persetujuan."),
    )


@require_POST
def plan_withdraw(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        lambda plan: workflow.withdraw_plan(plan, request.user),
        _("Pengajuan ditarik kembali; rencana kembali menjadi draf."),
    )


@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request, plan_id, lambda plan: workflow.approve_plan(plan, request.user), _("Rencana disetujui.")
    )


def _reason_page(
    request: HttpRequest,
    plan_id: int,
    action: Action,
    form_class: type[ReturnForm] | type[RevisionForm],
    step: Callable[[Plan, str], object],
    done: str,
    template: str,
) -> HttpResponse:
    """A step that needs a reason: GET shows the form, POST takes it."""
    plan = request_scope(request).plan(plan_id, action)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        return _step(request, plan_id, lambda plan: step(plan, reason), done)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"plan": plan, "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Back to draft, with a required reason."""
    return _reason_page(
        request,
        plan_id,
        Action.APPROVE,
        ReturnForm,
        lambda plan, reason: workflow.return_plan(plan, request.user, reason),
        _("Rencana dikembalikan ke draf."),
        "planning/plan_return.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_revise(request: HttpRequest, plan_id: int) -> HttpResponse:
    """An approved plan's next version, with a required reason."""
    return _reason_page(
        request,
        plan_id,
        Action.SUBMIT,
        RevisionForm,
        lambda plan, reason: workflow.open_revision(plan, request.user, reason),
        _("Revisi dibuka: rencana menjadi draf versi baru; versi yang disetujui tetap tersimpan."),
        "planning/plan_revise.html",
    )


@require_safe
def plan_versions(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = request_scope(request).plan(plan_id)
    rows = versions.versions(plan)
    numbers = [row.number for row in rows]
    form = CompareForm(numbers, {"dari": numbers[-2], "ke": numbers[-1]} if len(numbers) > 1 else None)
    return render(request, "planning/plan_versions.html", {"plan": plan, "versions": rows, "form": form})


def _compared(request: HttpRequest, plan_id: int) -> tuple[Plan, int, int, CompareForm]:
    plan = request_scope(request).plan(plan_id)
    numbers = [row.number for row in versions.versions(plan)]
    # Without a choice: the version before the current one against the current one.
    data = (
        request.GET
        if "dari" in request.GET or "ke" in request.GET
        else {"dari": numbers[-2:][0], "ke": numbers[-1]}
    )
    form = CompareForm(numbers, data)
    if not form.is_valid():
        raise Http404(NOT_FOUND)
    return plan, form.cleaned_data["dari"], form.cleaned_data["ke"], form


@require_safe
def version_diff(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, old, new, form = _compared(request, plan_id)
    rows = diff_rows(versions.diff_versions(plan, old, new))
    context = {
        "plan": plan,
        "old": old,
        "new": new,
        "form": form,
        "rows": rows,
        "columns": COLUMNS,
    }
    return render(request, "planning/version_diff.html", context)


@require_safe
def version_diff_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, old, new, _form = _compared(request, plan_id)
    rows = diff_rows(versions.diff_versions(plan, old, new))
    name = f"rencana-{plan.pk}-versi-{old}-ke-{new}.xlsx"
    with tempfile.TemporaryDirectory(prefix="renaksi-diff-") as folder:
        path = write_diff_xlsx(rows, Path(folder) / name, title=f"{plan} · versi {old} → versi {new}")
        content = path.read_bytes()
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
