"""The history pages of a plan and of one of its lines."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renaksi.access import NOT_FOUND, request_scope
from renaksi.history.forms import HistoryFilterForm
from renaksi.history.presenters import history_row
from renaksi.history.services import HistoryFilter, plan_history
from renaksi.planning.models import Plan

HISTORY_PAGE_SIZE = 50


def _history_page(
    request: HttpRequest, plan: Plan, line_id: int | None, context: dict[str, object]
) -> HttpResponse:
    form = HistoryFilterForm(request.GET or None)
    filters = HistoryFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = HistoryFilter(
            event=data["event"],
            source=data["source"],
            actor=data["actor"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    records = plan_history(plan, filters, line_id=line_id)
    page = Paginator(records, HISTORY_PAGE_SIZE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context.update(
        {
            "plan": plan,
            "form": form,
            "page_obj": page,
            "rows": [history_row(record, plan.agency.time_zone) for record in page.object_list],
            "query": query.urlencode(),
        }
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "history/history.html", context, status=status)


@require_safe
def plan_history_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = request_scope(request).plan(plan_id)
    return _history_page(request, plan, None, {"line": None})


@require_safe
def line_history_view(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    """The history of one line; a line a later import removed keeps its history here."""
    plan = request_scope(request).plan(plan_id)
    line = plan.sub_activities.filter(pk=line_id).first()
    if line is None and not plan_history(plan, line_id=line_id).exists():
        raise Http404(NOT_FOUND)
    return _history_page(request, plan, line_id, {"line": line, "line_id": line_id})
