"""The import pages: upload a plan file for an agency, preview and correct it, commit it.

Views stay thin: the scope finds the agency or the pending import (another agency's answers like
a missing one), :mod:`renaksi.imports.uploads` does the work and checks the user again."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renaksi.access import Action, request_scope
from renaksi.core.corrections import (
    AttachProgramGoal,
    CorrectionError,
    NewGoalForProgramGoal,
    flagged_program_goals,
)
from renaksi.core.grid import SourceError
from renaksi.imports import presenters, upload_jobs, uploads
from renaksi.imports.forms import (
    BUTTON_KINDS,
    CORRECTION_FORMS,
    AttachForm,
    CommitForm,
    NewGoalForm,
    PolarityForm,
    UploadForm,
    path_text,
    problem_message,
)
from renaksi.imports.models import PendingImport
from renaksi.jobs.models import Job
from renaksi.jobs.services import TooManyJobs
from renaksi.planning import workflow
from renaksi.planning.services import PlanExistsError


@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, agency_code: str) -> HttpResponse:
    """The upload form (GET) and the upload itself (POST): a refused file is shown on the form,
    with the importer's message, and nothing of it is kept."""
    agency = request_scope(request).agency(agency_code, Action.EDIT)
    max_bytes = uploads.max_upload_bytes()
    refusal = ""
    status = 200
    if request.method != "POST":
        form = UploadForm(max_bytes=max_bytes)
    else:
        form = UploadForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            try:
                pending = uploads.start_pending_import(
                    request.user,
                    agency,
                    form.cleaned_data["file"],
                    year=form.cleaned_data["year"],
                    replace=form.cleaned_data["replace"],
                )
            except SourceError as error:
                refusal = error.render(_)
                status = 400
            except TooManyJobs as error:
                refusal = str(error)
                status = 429
            else:
                return redirect("imports:pending", pending_id=pending.pk)
        else:
            status = 400
    context = {"agency": agency, "form": form, "refusal": refusal}
    return render(request, "imports/upload.html", context, status=status)


def _pending(request: HttpRequest, pending_id: uuid.UUID) -> PendingImport:
    return request_scope(request).get(
        PendingImport.objects.select_related("agency"), "agency_id", Action.EDIT, pk=pending_id
    )


@require_safe
def pending(request: HttpRequest, pending_id: uuid.UUID) -> HttpResponse:
    """While the file is read (by a job), a page that reloads itself every 2 seconds; then the
    preview, or the job saving it while one does."""
    item = _pending(request, pending_id)
    if item.status == PendingImport.Status.READY:
        saving = upload_jobs.latest_job(item, Job.Kind.IMPORT_COMMIT)
        if saving is not None and saving.is_active:
            return redirect("jobs:detail", job_id=saving.pk)
    if item.status != PendingImport.Status.READY:
        stale = uploads.is_stale(item)
        item.refresh_from_db()
        reading = item.status == PendingImport.Status.READING and not stale
        context = {
            "pending": item,
            "stale": stale,
            "reading": reading,
            "refusal": uploads.refusal_text(item, _),
            "job": upload_jobs.latest_job(item, Job.Kind.IMPORT_READ) if reading else None,
        }
        response = render(request, "imports/reading.html", context)
        if reading:
            response["Refresh"] = "2"
        return response
    return _preview(request, item)


def _preview(
    request: HttpRequest, item: PendingImport, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    preview = uploads.load_preview(item)
    existing = uploads.plan_in_the_way(item, preview.corrected)
    page = presenters.preview_page(item, preview, existing, request.GET.get("halaman"))
    tree = preview.tree  # corrections name objects of the tree as read
    placing = []
    for n, (path, program_goal) in enumerate(flagged_program_goals(tree)):
        target = path_text(path)
        forms = {
            "attach": AttachForm(tree, initial={"target": target}, auto_id=f"pg{n}-attach-%s"),
            "new_goal": NewGoalForm(tree, initial={"target": target}, auto_id=f"pg{n}-new-%s"),
        }
        if bound is not None and bound.kind in forms and bound.data.get("target") == target:
            bound.auto_id = forms[bound.kind].auto_id
            forms[bound.kind] = bound
        placed = next(
            (
                presenters.correction_label(tree, kept)
                for kept in reversed(preview.corrections)
                if isinstance(kept, AttachProgramGoal | NewGoalForProgramGoal) and kept.path == path
            ),
            "",
        )
        placing.append({"n": n, "program_goal": program_goal, "forms": forms, "placed": placed})
    polarity = bound if bound is not None and bound.kind == "polarity" else PolarityForm(tree)
    context = {
        "page": page,
        "table": page.table,
        "pending": item,
        "placing": placing,
        "polarity_form": polarity,
        "corrections": [
            (index, presenters.correction_label(tree, correction))
            for index, correction in enumerate(preview.corrections)
        ],
        "commit_form": CommitForm(initial={"replace": item.replace}),
        "replace_changes": uploads.replace_changes(item, preview) if existing is not None else None,
        "existing_locked": existing is not None and not workflow.lines_editable(existing.status),
    }
    return render(request, "imports/preview.html", context, status=status)


@require_POST
def correct(request: HttpRequest, pending_id: uuid.UUID) -> HttpResponse:
    """Keep one correction (or drop one) and show the preview again."""
    item = _pending(request, pending_id)
    if item.status != PendingImport.Status.READY:
        return redirect("imports:pending", pending_id=item.pk)
    if "drop" in request.POST:
        try:
            index = int(request.POST["drop"])
        except ValueError:
            index = -1
        uploads.drop_correction(request.user, item, index)
        messages.success(request, _("Koreksi dibatalkan."))
        return _back_to_corrections(item)
    form_class = CORRECTION_FORMS.get(request.POST.get("kind", ""))
    if form_class is None:
        return _preview(request, item, status=400)
    form = form_class(uploads.load_preview(item).tree, request.POST)
    if form.is_valid():
        try:
            uploads.set_correction(request.user, item, form.correction())
        except CorrectionError as error:
            form.add_error(None, problem_message(error))
        else:
            messages.success(request, _("Koreksi diterapkan pada pratinjau."))
            return _back_to_corrections(item)
    if form.kind in BUTTON_KINDS:  # a button on a judgement: no form of its own to show errors in
        for problems in form.errors.values():
            messages.error(request, " ".join(str(problem) for problem in problems))
        return _back_to_corrections(item)
    return _preview(request, item, bound=form, status=400)


def _back_to_corrections(item: PendingImport) -> HttpResponse:
    """The preview again, scrolled to the corrections (where the user was)."""
    return redirect(reverse("imports:pending", args=[item.pk]) + "#koreksi")


@require_POST
def commit(request: HttpRequest, pending_id: uuid.UUID) -> HttpResponse:
    item = _pending(request, pending_id)
    """Save the plan: inside the request when it is small, else by a job whose page follows it."""
    form = CommitForm(request.POST)
    replace = form.is_valid() and form.cleaned_data["replace"]
    try:
        saved = upload_jobs.commit_or_queue(request.user, item, replace=replace)
    except uploads.UploadRefused as error:
        messages.error(request, uploads.refusal_message(str(error)))
        return redirect("imports:pending", pending_id=item.pk)
    except PlanExistsError:
        messages.error(request, uploads.refusal_message("exists"))
        return redirect("imports:pending", pending_id=item.pk)
    except TooManyJobs as error:
        messages.error(request, str(error))
        return redirect("imports:pending", pending_id=item.pk)
    if isinstance(saved, Job):
        if saved.status != Job.Status.DONE or saved.result_plan_id is None:
            return redirect("jobs:detail", job_id=saved.pk)
        plan_id = saved.result_plan_id
    else:
        plan_id = saved.pk
    messages.success(request, _("Rencana diimpor."))
    return redirect("planning:plan_detail", plan_id=plan_id)


@require_POST
def discard(request: HttpRequest, pending_id: uuid.UUID) -> HttpResponse:
    item = _pending(request, pending_id)
    code = item.agency.code
    uploads.discard_pending(request.user, item)
    messages.success(request, _("Impor dibatalkan; berkasnya dihapus."))
    return redirect("imports:upload", agency_code=code)
