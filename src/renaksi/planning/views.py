"""Read-only planning pages. Views stay thin: a query, a presenter, a template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from renaksi.planning import presenters
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree


def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/agency_list.html", {"agencies": presenters.agency_directory()})


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("agency"), pk=plan_id)
    page = presenters.plan_page(plan, load_tree(plan))
    return render(request, "planning/plan_detail.html", {"page": page})
