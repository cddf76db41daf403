"""Public pages: only safe methods, only published approved plans."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renaksi.access import published_plans


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    plans = published_plans().select_related("agency").order_by("-year", "agency__name", "signing_unit")
    return render(request, "portal/index.html", {"plans": list(plans)})
