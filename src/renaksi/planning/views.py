"""Planning pages (downloads: renaksi.exports.views; history pages: renaksi.history.views).
Views stay thin: a query, a service or presenter, a template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from renaksi.access import Action, request_scope
from renaksi.core.money import format_rupiah
from renaksi.exports import services as exports
from renaksi.exports.jobs import startable_rollup_years
from renaksi.exports.views import download_links
from renaksi.imports.presenters import latest_import_report
from renaksi.planning import paging, presenters, workflow
from renaksi.planning.forms import LineEditForm
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.workflow_views import workflow_actions


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    agencies = presenters.agency_directory(scope)
    context = {
        "agencies": agencies,
        # Roll-ups where the user may start one (viewers and inspectors may not).
        "rollup_years": startable_rollup_years(scope, exports.rollup_years(agencies), agencies),
        # Where the user may import a plan (the "Impor rencana" button); None means everywhere.
        "import_agencies": scope.agency_ids(Action.EDIT),
    }
    return render(request, "planning/agency_list.html", context)


@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = request_scope(request).plan(plan_id)
    # A big plan is shown a page of rows at a time (?halaman=N), never loaded whole.
    small_plan_lines = paging.lines_of_small_plan(plan)
    asked = request.GET.get(paging.PAGE_PARAMETER)
    page = paging.plan_page_for(plan, asked, small=small_plan_lines is not None)
    if page.pager is not None:
        line_links = _line_links([(line.number, line.key, line.name, line.cost) for line in page.pager.lines])
    else:
        line_links = _line_links([(n, *line) for n, line in enumerate(small_plan_lines or [], 1)])
    lines = len(small_plan_lines) if small_plan_lines is not None else None
    downloads = download_links(plan, lines)  # (label, format, built by a job)
    context = {
        "page": page,
        "downloads": downloads,
        "actions": _plan_actions(request, plan, line_links),
        "import_report": latest_import_report(plan),
    }
    return render(request, "planning/plan_detail.html", context)


# --- the workflow and the line edit ------------------------------------------------


def _plan_actions(request: HttpRequest, plan: Plan, line_links: list[dict[str, object]]) -> dict[str, object]:
    """What the user may do to this plan now: the plan page shows only those buttons. The list
    of lines (``line_links``) is the plan's, or on a page of a paged plan, the page's."""
    scope = request_scope(request)
    can_edit = workflow.lines_editable(plan.status) and scope.can(Action.EDIT, plan.agency_id)
    return {**workflow_actions(request, plan), "can_edit_lines": can_edit, "lines": line_links}


def _line_links(numbered: list[tuple[int, int | None, str, int | None]]) -> list[dict[str, object]]:
    """Lines (number, id, name, cost) as the list of lines with their edit and history links."""
    # Amounts as Renaksi prints Rupiah everywhere (Rp 8.378.000), whatever the page's language.
    return [
        {
            "number": number,
            "pk": pk,
            "name": name,
            "cost_text": format_rupiah(cost) if cost is not None else "—",
        }
        for number, pk, name, cost in numbered
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def line_edit(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    """One line of a draft plan: GET shows the form, POST saves it and records its history."""
    line = request_scope(request).get(
        SubActivity.objects.select_related("plan", "plan__agency"),
        "plan__agency_id",
        Action.EDIT,
        pk=line_id,
        plan_id=plan_id,
    )
    plan = line.plan
    locked = not workflow.lines_editable(plan.status)
    form = LineEditForm.for_line(line, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if locked:
            status = 409
        elif form.is_valid():
            try:
                changed = workflow.update_line(line, form.change(), request.user)
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
                status = 409
            else:
                messages.success(
                    request, _("Baris disimpan.") if changed else _("Tidak ada perubahan pada baris ini.")
                )
                return redirect("planning:plan_detail", plan_id=plan.pk)
        else:
            status = 400
    context = {"plan": plan, "line": line, "form": form, "locked": locked}
    return render(request, "planning/line_edit.html", context, status=status)
