"""Export jobs: a province roll-up, and the XLSX or PDF of a big plan, built by a worker.

The request checks who asks and queues a :class:`~renaksi.jobs.models.Job`
(:mod:`renaksi.jobs.services`); the worker runs :func:`run_rollup` or :func:`run_plan_export`,
which call the same export functions as the command line and write the file under a temporary
name in the data folder's jobs folder, renamed when complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from renaksi.access import Action, require, scope_for
from renaksi.agencies.models import Agency
from renaksi.exports import services as exports
from renaksi.jobs.models import Job
from renaksi.jobs.runner import JobContext, JobFailed, Outcome
from renaksi.jobs.services import enqueue, inline_lines, may_start_jobs, may_start_jobs_in
from renaksi.planning.models import Plan

if TYPE_CHECKING:
    from renaksi.planning.presenters import AgencyNode

JOB_FORMATS = ("xlsx", "pdf")


def start_rollup_job(actor: Any, province: Agency, year: int) -> Job:
    """Queue a roll-up of ``province`` for ``year``. Viewers and inspectors may not (403); nothing
    to roll up raises :class:`~renaksi.exports.services.RollupError` before anything is queued."""
    if not may_start_jobs(scope_for(actor), province):
        raise PermissionDenied
    exports.rollup_plan_records(province, year)  # refuse early, with the reason
    return enqueue(actor, Job.Kind.ROLLUP, province, f"rollup:{year}", {"year": year})


def runs_as_job(plan: Plan, fmt: str, lines: int | None = None) -> bool:
    """Whether the web builds this file in a job: XLSX or PDF of a plan over the line threshold."""
    if fmt not in JOB_FORMATS:
        return False
    count = plan.sub_activities.count() if lines is None else lines
    return count > inline_lines()


def start_plan_export_job(actor: Any, plan: Plan, fmt: str) -> Job:
    """Queue the ``fmt`` file of ``plan`` for whoever may read the plan (as a download is)."""
    if fmt not in JOB_FORMATS:
        raise exports.UnknownFormat(fmt)
    require(actor, Action.VIEW, plan.agency_id)
    return enqueue(
        actor, Job.Kind.PLAN_EXPORT, plan.agency, f"plan:{plan.pk}:{fmt}", {"plan": plan.pk, "fmt": fmt}
    )


def run_rollup(job: Job, context: JobContext) -> Outcome:
    year = int(job.params["year"])
    name = exports.rollup_filename(job.agency, year)
    target = context.target(name)

    def progress(done: int, total: int) -> None:
        context.progress(done, total, "loading" if done < total - 1 else "writing")

    try:
        exports.export_rollup(job.agency, year, target, progress)
    except exports.RollupError as error:  # the plans went away between the request and the run
        raise JobFailed(str(error)) from None
    return Outcome(target.name, name, exports.CONTENT_TYPES["xlsx"])


def run_plan_export(job: Job, context: JobContext) -> Outcome:
    fmt = str(job.params["fmt"])
    plan = (
        Plan.objects.system("a job of someone who may read the plan")
        .select_related("agency")
        .filter(pk=job.params["plan"], agency=job.agency)
        .first()
    )
    if plan is None:
        raise JobFailed(_("rencana ini sudah tidak ada"))
    name = exports.export_filename(plan, fmt)
    target = context.target(name)
    context.progress(0, 1, "writing")
    exports.export_plan(plan, fmt, target)  # appears at target only complete
    context.progress(1, 1)
    return Outcome(target.name, name, exports.CONTENT_TYPES[fmt])


def startable_rollup_years(
    scope: Any, years: dict[str, list[int]], directory: Iterable[AgencyNode]
) -> dict[str, list[int]]:
    """``years`` (by province code, :func:`~renaksi.exports.services.rollup_years`) narrowed to
    the provinces where the user may start a roll-up: read-only roles are offered no button.
    Read from the agency directory the page has loaded, so it costs no query."""
    ids: dict[str, int] = {}
    parents: dict[str, str] = {}

    def walk(nodes: Iterable[AgencyNode]) -> None:
        for node in nodes:
            ids[node.code], parents[node.code] = node.agency_id, node.parent_code
            walk(node.children)

    walk(directory)

    def chain(code: str) -> list[int]:
        found: list[int] = []
        while code in ids and len(found) < 4:
            found.append(ids[code])
            code = parents[code]
        return found

    return {code: found for code, found in years.items() if may_start_jobs_in(scope, chain(code))}
