"""Planning pages and their downloads. Views stay thin: a query, a service or presenter, a template."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from renaksi.access import NOT_FOUND, Action, request_scope
from renaksi.agencies.models import Agency
from renaksi.exports import jobs
from renaksi.exports import services as exports
from renaksi.exports.models import ExportJob
from renaksi.planning import presenters
from renaksi.planning.services import load_tree


def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = presenters.agency_directory(request_scope(request))
    context = {"agencies": agencies, "rollup_years": exports.rollup_years(agencies)}
    return render(request, "planning/agency_list.html", context)


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = request_scope(request).plan(plan_id)
    page = presenters.plan_page(plan, load_tree(plan))
    downloads = [(fmt.upper(), fmt) for fmt in ("xlsx", "pdf", "csv", "json")]
    return render(request, "planning/plan_detail.html", {"page": page, "downloads": downloads})


@require_GET
def plan_download(request: HttpRequest, plan_id: int, fmt: str) -> FileResponse:
    """The plan as a file to save: XLSX, PDF, CSV or JSON, built fresh for each request."""
    if fmt not in exports.FORMATS:
        raise Http404("unknown export format")
    plan = request_scope(request).plan(plan_id)
    filename = exports.export_filename(plan, fmt)
    with tempfile.TemporaryDirectory(prefix="renaksi-export-") as folder:
        path = exports.export_plan(plan, fmt, Path(folder) / filename)
        # The open handle outlives the folder (POSIX), so nothing is left on disk after the response.
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[fmt]
    )


@require_POST
def rollup_start(request: HttpRequest, agency_code: str) -> HttpResponse:
    """Start a province roll-up (CSRF-checked by the middleware) and go to its job page."""
    scope = request_scope(request)
    province = get_object_or_404(Agency, code=agency_code, level=Agency.Level.PROVINCE)
    if not scope.can(Action.VIEW, province.pk):
        raise Http404(NOT_FOUND)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return HttpResponseBadRequest("year must be a number such as 2023")
    try:
        job = jobs.start_rollup_job(province, year)
    except exports.RollupError as error:
        raise Http404(str(error)) from None
    return redirect("planning:export_job", job_id=job.pk)


@require_GET
def export_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Progress of a job. While it runs, the page reloads itself every 2 seconds (no JavaScript):
    the ``Refresh`` header does what ``<meta http-equiv="refresh">`` would, from the view."""
    job = _job(request, job_id)
    stale = jobs.is_stale(job)
    refreshing = job.is_active and not stale
    context = {"job": job, "stale": stale, "refreshing": refreshing, "ready": jobs.job_file(job) is not None}
    response = render(request, "exports/job_detail.html", context)
    if refreshing:
        response["Refresh"] = "2"
    return response


@require_GET
def export_job_file(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    job = _job(request, job_id)
    path = jobs.job_file(job)
    if path is None:
        raise Http404("the file of this job is not ready")
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=exports.rollup_filename(job.agency, job.year),
        content_type=exports.CONTENT_TYPES["xlsx"],
    )


def _job(request: HttpRequest, job_id: uuid.UUID) -> ExportJob:
    return request_scope(request).get(ExportJob.objects.select_related("agency"), "agency_id", pk=job_id)
