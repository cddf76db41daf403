"""Plan downloads and the province roll-up from the web.

A small plan's file is built inside the request. The XLSX or PDF of a plan over
``RENAKSI_JOB_INLINE_LINES`` lines, and every roll-up, is built by a job in the worker: the
request only queues it and sends the user to the job's page (:mod:`renaksi.jobs.views`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from renaksi.access import request_scope
from renaksi.agencies.models import Agency
from renaksi.exports import jobs
from renaksi.exports import services as exports
from renaksi.jobs.models import Job
from renaksi.jobs.services import TooManyJobs
from renaksi.planning.models import Plan

FORMAT_ORDER = ("xlsx", "pdf", "csv", "json")


def download_links(plan: Plan, lines: int | None = None) -> list[tuple[str, str, bool]]:
    """The plan page's downloads: (label, format, built by a job). ``lines``: the plan's line
    count when the caller knows it (else one query)."""
    count = plan.sub_activities.count() if lines is None else lines
    return [(fmt.upper(), fmt, jobs.runs_as_job(plan, fmt, count)) for fmt in FORMAT_ORDER]


@require_GET
def plan_download(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponseBase:
    """The plan as a file to save, built fresh for each request; for a big plan's XLSX or PDF, a
    page with the button that starts its job (a GET starts nothing)."""
    if fmt not in exports.FORMATS:
        raise Http404("unknown export format")
    plan = request_scope(request).plan(plan_id)
    if jobs.runs_as_job(plan, fmt):
        context = {"plan": plan, "fmt": fmt, "label": fmt.upper(), "lines": plan.sub_activities.count()}
        return render(request, "jobs/start_export.html", context)
    filename = exports.export_filename(plan, fmt)
    with tempfile.TemporaryDirectory(prefix="renaksi-export-") as folder:
        path = exports.export_plan(plan, fmt, Path(folder) / filename)
        # The open handle outlives the folder (POSIX), so nothing is left on disk after the response.
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[fmt]
    )


@require_POST
def plan_export_start(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    """Start the job that builds a big plan's XLSX or PDF (a small plan's is simply downloaded)."""
    if fmt not in exports.FORMATS:
        raise Http404("unknown export format")
    plan = request_scope(request).plan(plan_id)
    if not jobs.runs_as_job(plan, fmt):
        return redirect("exports:plan_download", plan_id=plan.pk, fmt=fmt)
    try:
        job = jobs.start_plan_export_job(request.user, plan, fmt)
    except TooManyJobs as error:
        return _too_many(request, error)
    return redirect("jobs:detail", job_id=job.pk)


@require_POST
def rollup_start(request: HttpRequest, agency_code: str) -> HttpResponse:
    """Start a province roll-up (CSRF-checked by the middleware) and go to its job page. Readers
    without a role that may start jobs (viewers, inspectors) get 403."""
    province = request_scope(request).agency(agency_code, level=Agency.Level.PROVINCE)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return HttpResponseBadRequest("year must be a number such as 2023")
    try:
        job: Job = jobs.start_rollup_job(request.user, province, year)
    except exports.RollupError as error:
        raise Http404(str(error)) from None
    except TooManyJobs as error:
        return _too_many(request, error)
    return redirect("jobs:detail", job_id=job.pk)


def _too_many(request: HttpRequest, error: TooManyJobs) -> HttpResponse:
    return render(request, "jobs/refused.html", {"reason": str(error)}, status=429)
