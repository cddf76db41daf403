"""Public pages: only safe methods (GET, HEAD), only published approved plans.

A plan that is not published (a draft, a plan awaiting approval, a plan of an agency that does
not publish) answers exactly like one that does not exist. The plan is printed without the
internal remarks (KET), the persons in charge and the signer's name and NIP.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renaksi.access import NOT_FOUND, published_plans
from renaksi.planning import paging
from renaksi.portal.presenters import published_directory


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"agencies": published_directory()})


@login_not_required
@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = published_plans().select_related("agency").filter(pk=plan_id).first()
    if plan is None:
        raise Http404(NOT_FOUND)
    # A big plan is shown a page of rows at a time (?halaman=N), as on the plan page.
    page = paging.plan_page_for(plan, request.GET.get(paging.PAGE_PARAMETER), public=True)
    return render(request, "portal/plan_detail.html", {"page": page})
