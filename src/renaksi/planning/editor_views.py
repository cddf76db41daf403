"""The plan editor's pages: thin views over the structure services. Every form is a plain POST
answered by a redirect (the page works without JavaScript); a refused save shows the page again
with the person's input and the reason, at the object it was about."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from renaksi.access import NOT_FOUND, Action, request_scope
from renaksi.planning import models as m
from renaksi.planning import structure_goals as goals
from renaksi.planning import structure_items as items
from renaksi.planning.editor_forms import NewPlanForm
from renaksi.planning.editor_presenters import (
    KINDS,
    READINGS,
    add_form,
    code_reading,
    edit_form,
    move_form,
    outline,
    target_reading,
)
from renaksi.planning.structure import (
    KIND_LABELS,
    StructureConflict,
    StructureError,
    delete_object,
    label_of,
    shift_object,
)
from renaksi.planning.structure_plans import copy_plan, create_empty_plan
from renaksi.planning.workflow import lines_editable


def _plan(request: HttpRequest, plan_id: int) -> m.Plan:
    return request_scope(request).plan(plan_id, Action.EDIT)


def _object(plan: m.Plan, kind: str, pk: int | str | None) -> Any:
    model = KINDS.get(kind)
    found = model.objects.of_plan(plan).filter(pk=pk).first() if model and str(pk).isdigit() else None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


KIND_TITLES = KINDS
PARENT_KINDS = {"program": "sasaran", "indikator": "program", "baris": "indikator"}


def _context(plan: m.Plan, **extra: Any) -> dict[str, Any]:
    return {"plan": plan, "editable": lines_editable(plan.status), **extra}


def _done(plan: m.Plan, anchor: str) -> HttpResponse:
    return redirect(reverse("editor:editor", args=[plan.pk]) + f"#{anchor}")


@require_safe
def editor(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "planning/editor/editor.html", _context(plan, **outline(plan)))


@require_safe
def check(request: HttpRequest, plan_id: int) -> JsonResponse:
    """The reading of a typed target, cost or budget code (``?jenis=target&nilai=80 - 90%``)."""
    _plan(request, plan_id)
    reading = READINGS.get(request.GET.get("jenis", "target"))
    if reading is None:
        raise Http404(NOT_FOUND)
    answer = reading(request.GET.get("nilai", "")[:200])
    return JsonResponse({"ok": answer.ok, "text": answer.text})


def _object_page(
    request: HttpRequest,
    plan: m.Plan,
    kind: str,
    obj: Any,
    form: forms.Form | None = None,
    move: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _context(
        plan,
        kind=kind,
        kind_label=KIND_LABELS[KIND_TITLES[kind]],
        obj=obj,
        label=label_of(obj),
        form=form or edit_form(plan, kind, obj),
        move=move or move_form(plan, kind, obj),
        reading=target_reading(obj.target_text) if kind == "indikator" and form is None else None,
        code=code_reading(obj.budget_code) if kind == "baris" and form is None and obj.budget_code else None,
        version=obj.version,
        node={"kind": kind, "obj": obj},
        anchor=f"{kind}-{obj.pk}",
    )
    return render(request, "planning/editor/object.html", context, status=status)


def _add_page(
    request: HttpRequest, plan: m.Plan, kind: str, parent: Any, form: forms.Form, status: int = 200
) -> HttpResponse:
    context = _context(
        plan,
        kind=kind,
        kind_label=KIND_LABELS[KIND_TITLES[kind]],
        parent=parent,
        parent_label=label_of(parent) if parent is not None else "",
        form=form,
    )
    return render(request, "planning/editor/add.html", context, status=status)


def _save(
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    again: Callable[[forms.Form, int], HttpResponse],
    request: HttpRequest,
) -> HttpResponse:
    """Run one service call with a valid form; a refusal shows the form again with the reason."""
    if not form.is_valid():
        return again(form, 400)
    try:
        result = save(form.cleaned_data)
    except StructureError as error:
        form.add_error(None, str(error))
        return again(form, 409 if isinstance(error, StructureConflict) else 400)
    if result == {}:
        messages.info(request, _("Tidak ada perubahan."))
    else:
        messages.success(request, _("Tersimpan."))
    return done(result)


@require_http_methods(["GET", "HEAD", "POST"])
def add(request: HttpRequest, plan_id: int, kind: str) -> HttpResponse:
    """A new object: GET shows its form (under ``?induk=``, the parent), POST adds it."""
    plan = _plan(request, plan_id)
    if kind not in KIND_TITLES:
        raise Http404(NOT_FOUND)
    data = request.POST if request.method == "POST" else None
    given = (data or request.GET).get("induk")
    parent_kind = PARENT_KINDS.get(kind)
    parent: Any = _object(plan, parent_kind, given) if parent_kind else None
    if kind == "kegiatan" and given:
        parent = _object(plan, "indikator", given)
    form = add_form(plan, kind, parent, data)
    if data is None:
        return _add_page(request, plan, kind, parent, form)
    user = request.user
    saves: dict[str, Callable[[dict[str, Any]], Any]] = {
        "sasaran": lambda d: goals.add_goal(plan, user, number=d["number"], text=d["text"]),
        "program": lambda d: goals.add_program_goal(plan, user, goal=parent, text=d["text"]),
        "indikator": lambda d: items.add_indicator(
            parent, user, text=d["text"], target=d["target"], polarity=d["polarity"]
        ),
        "kegiatan": lambda d: items.add_activity(
            plan, user, name=d["name"], indicators=list(d["indicators"])
        ),
        "baris": lambda _d: items.add_line(parent, user, form.fields_value()),  # type: ignore[attr-defined]
    }
    return _save(
        form,
        saves[kind],
        lambda obj: _done(plan, _anchor(obj)),
        lambda bound, status: _add_page(request, plan, kind, parent, bound, status),
        request,
    )


def _anchor(obj: Any) -> str:
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return f"{kind}-{obj.pk}"
    return "isi"


@require_http_methods(["GET", "HEAD", "POST"])
def change(request: HttpRequest, plan_id: int, kind: str, obj_id: int) -> HttpResponse:
    """One object: GET shows its page (edit form, where it may move, up, down, delete); POST
    saves its form (``tindakan=simpan``), moves it up or down, to another parent, or deletes it."""
    plan = _plan(request, plan_id)
    obj = _object(plan, kind, obj_id)
    if request.method != "POST":
        return _object_page(request, plan, kind, obj)
    user, post, action = request.user, request.POST, request.POST.get("tindakan", "")
    here = f"{kind}-{obj.pk}"
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    if action in ("naik", "turun", "hapus"):
        try:
            if action == "hapus":
                delete_object(obj, user, expected_version=version)
                messages.success(request, _("Dihapus: %(object)s.") % {"object": label_of(obj)})
                here = "isi"
            elif shift_object(obj, user, -1 if action == "naik" else 1) is None:
                messages.info(request, _("Tidak ada perubahan."))
        except StructureError as error:
            messages.error(request, str(error))
            return _object_page(
                request, plan, kind, obj, status=409 if isinstance(error, StructureConflict) else 400
            )
        return _done(plan, here)
    if action == "pindah":
        return _move(request, plan, kind, obj)
    if action != "simpan":
        raise Http404(NOT_FOUND)
    form = edit_form(plan, kind, obj, post)
    saves: dict[type[Any], Callable[[dict[str, Any]], Any]] = {
        m.StrategicGoal: lambda d: goals.update_goal(
            obj, user, number=d["number"], text=d["text"], expected_version=d["version"]
        ),
        m.ProgramGoal: lambda d: goals.update_program_goal(
            obj, user, text=d["text"], needs_review=d["needs_review"], expected_version=d["version"]
        ),
        m.Indicator: lambda d: items.update_indicator(
            obj,
            user,
            text=d["text"],
            target=d["target"],
            polarity=d["polarity"],
            expected_version=d["version"],
        ),
        m.Activity: lambda d: items.update_activity(
            obj, user, name=d["name"], indicators=list(d["indicators"]), expected_version=d["version"]
        ),
        m.SubActivity: lambda d: items.update_line(
            obj,
            user,
            form.fields_value(),  # type: ignore[attr-defined]
            expected_version=d["version"],
        ),
    }
    return _save(
        form,
        saves[type(obj)],
        lambda _result: _done(plan, here),
        lambda bound, status: _object_page(request, plan, kind, obj, form=bound, status=status),
        request,
    )


def _move(request: HttpRequest, plan: m.Plan, kind: str, obj: Any) -> HttpResponse:
    moves: dict[str, Callable[..., dict[str, Any]]] = {
        "program": goals.move_program_goal,
        "indikator": items.move_indicator,
        "baris": items.move_line,
    }
    form = move_form(plan, kind, obj, request.POST)
    if form is None:
        raise Http404(NOT_FOUND)
    parent_kind = PARENT_KINDS[kind]
    return _save(
        form,
        lambda d: moves[kind](
            obj, request.user, _object(plan, parent_kind, d["parent"]), expected_version=d["version"]
        ),
        lambda _result: _done(plan, f"{kind}-{obj.pk}"),
        lambda bound, status: _object_page(request, plan, kind, obj, move=bound, status=status),
        request,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def new_plan(request: HttpRequest, agency_code: str) -> HttpResponse:
    """A new plan of the agency: a copy of one of its plans (the usual start of a year), an
    empty one, or (a link) an import."""
    scope = request_scope(request)
    agency = scope.agency(agency_code, Action.EDIT)
    plans = list(scope.plans().filter(agency=agency).order_by("-year", "signing_unit"))
    latest = plans[0] if plans else None
    initial = {
        "how": NewPlanForm.COPY if latest else NewPlanForm.EMPTY,
        "source": latest.pk if latest else None,
        "year": latest.year + 1 if latest else datetime.date.today().year,
    }
    form = NewPlanForm(request.POST if request.method == "POST" else None, initial=initial, plans=plans)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["how"] == NewPlanForm.COPY:
                    source = next((plan for plan in plans if plan.pk == data["source"]), None)
                    if source is None:
                        raise Http404(NOT_FOUND)
                    plan = copy_plan(source, request.user, year=data["year"])
                else:
                    plan = create_empty_plan(
                        agency,
                        request.user,
                        year=data["year"],
                        signing_unit=data["signing_unit"],
                        title=data["title"],
                    )
            except StructureError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(plan)s dibuat.") % {"plan": plan})
                return redirect("editor:editor", plan_id=plan.pk)
    return render(request, "planning/editor/new_plan.html", {"agency": agency, "form": form}, status=status)
