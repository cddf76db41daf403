"""The job pages: a job's progress, then its file or what it saved; the list of recent jobs.

A job is seen through the scope like any agency data: another agency's job answers exactly like
a missing one. The jobs of an import are for those who may edit the agency's plans.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renaksi.access import Action, request_scope
from renaksi.jobs.models import Job
from renaksi.jobs.services import PHASES, job_file, mark_if_stale, may_see_memory

IMPORT_KINDS = frozenset({Job.Kind.IMPORT_READ, Job.Kind.IMPORT_COMMIT})
WAITING_HINT_SECONDS = 30


def _action(job: Job) -> Action:
    return Action.EDIT if job.kind in IMPORT_KINDS else Action.VIEW


def _job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    scope = request_scope(request)
    job: Job = scope.get(Job.objects.select_related("agency", "user"), "agency_id", pk=job_id)
    if not scope.can(_action(job), job.agency_id):
        raise PermissionDenied
    return job


@require_GET
def detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Progress of a job. While it is queued or running the page reloads itself every 2 seconds
    (the ``Refresh`` header, as ``<meta http-equiv="refresh">``: no JavaScript needed)."""
    job = _job(request, job_id)
    mark_if_stale(job)
    waiting = job.status == Job.Status.QUEUED and (timezone.now() - job.created_at).total_seconds() > (
        WAITING_HINT_SECONDS
    )
    context = {
        "job": job,
        "phase": PHASES.get(job.phase, ""),
        "refreshing": job.is_active,
        "ready": job_file(job) is not None,
        "waiting": waiting,
        "show_memory": may_see_memory(request_scope(request), job),
    }
    response = render(request, "jobs/detail.html", context)
    if job.is_active:
        response["Refresh"] = "2"
    return response


@require_GET
def job_file_view(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    job = _job(request, job_id)
    path = job_file(job)
    if path is None:
        raise Http404("the file of this job is not ready")
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=job.download_name or path.name,
        content_type=job.content_type or "application/octet-stream",
    )


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The latest jobs of the agencies the user may see (imports: where they may edit)."""
    scope = request_scope(request)
    recent = scope.filter(Job.objects.select_related("agency", "user"), "agency_id")[:100]
    rows = [
        {"job": job, "phase": PHASES.get(job.phase, ""), "show_memory": may_see_memory(scope, job)}
        for job in recent
        if scope.can(_action(job), job.agency_id)
    ][:50]
    return render(
        request, "jobs/list.html", {"rows": rows, "any_memory": any(r["show_memory"] for r in rows)}
    )
